"""Sending the e-mail drafts directly over SMTP, as an alternative to opening the .eml files.

TLS is always verified (implicit TLS on 465 or STARTTLS on 587); a plain connection is
allowed only to this machine (a local relay, or the tests' server).  The password is
given by the caller (the service takes it from the OS keyring) and never stored or
logged here.  Each .eml is sent as it is, except that ``X-Unsent`` (a draft marker) is
dropped and a ``From`` header is added when the draft has none.
"""

from __future__ import annotations

import contextlib
import ipaddress
import smtplib
import ssl
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Literal

Security = Literal["ssl", "starttls", "none"]
ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 465
    security: Security = "ssl"
    username: str = ""
    sender: str = ""  # the From address; default: the username
    timeout: float = 60.0
    cafile: str | None = None  # an extra CA to trust (a private mail server's)

    @property
    def from_addr(self) -> str:
        return self.sender or self.username


class SendError(Exception):
    """Sending failed; ``code`` is stable: ``tls``, ``auth``, ``network``, ``refused``,
    ``too-large``, ``insecure``, ``no-sender``, ``no-keyring``, ``no-password``,
    ``cancelled``, ``bad-file``."""

    def __init__(self, code: str, message_zh: str, message_en: str, sent: int = 0) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.sent = sent  # how many messages went before the failure


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def prepare(raw: bytes, sender: str) -> tuple[bytes, str, list[str]]:
    """The bytes to send, the envelope sender and the recipients of one .eml."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        raise ValueError("not an e-mail message (no header/body separator)")
    headers = BytesHeaderParser().parsebytes(head + b"\r\n\r\n")
    lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith(b"x-unsent:")]
    from_header = headers.get("From", "")
    if not parseaddr(from_header)[1]:
        if not sender:
            raise LookupError("no sender")
        lines.insert(0, f"From: <{sender}>".encode("ascii"))
        from_header = sender
    rcpts = [
        a for _n, a in getaddresses(headers.get_all("To", []) + headers.get_all("Cc", [])) if a
    ]
    if not rcpts:
        raise ValueError("the message has no recipient")
    return b"\r\n".join(lines) + sep + body, sender or parseaddr(from_header)[1], rcpts


def _check_secure(settings: SmtpSettings) -> None:
    if settings.security == "none" and not _is_local(settings.host):
        raise SendError(
            "insecure",
            "不加密的连接只允许发往本机；请选择 SSL（465 端口）或 STARTTLS（587 端口）",
            "an unencrypted connection is allowed only to this machine; use SSL (465) or "
            "STARTTLS (587)",
        )


@contextlib.contextmanager
def connect(settings: SmtpSettings, password: str | None) -> Iterator[smtplib.SMTP]:
    """An SMTP connection, encrypted as set and logged in.  Errors are smtplib's and the
    socket's: the caller turns them into a :class:`SendError` with :func:`failure`."""
    _check_secure(settings)
    context = ssl.create_default_context(cafile=settings.cafile)
    if settings.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        client.ehlo()
        if settings.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if settings.username and password is not None:
            client.login(settings.username, password)
        yield client


# what talking to a mail server can raise (turned into a SendError by ``failure``)
SMTP_ERRORS = (TimeoutError, smtplib.SMTPException, ssl.SSLError, OSError)


def send_messages(
    settings: SmtpSettings,
    password: str | None,
    paths: Sequence[Path],
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> int:
    """Send each .eml in ``paths`` over one connection; returns how many were sent.

    Raises :class:`SendError`; ``sent`` on it says how many went before the failure.
    """
    sent = 0
    try:
        with connect(settings, password) as client:
            for i, path in enumerate(paths):
                if cancelled is not None and cancelled():
                    raise SendError("cancelled", "已取消发送", "sending cancelled", sent)
                if progress is not None:
                    progress(i, len(paths), path.name)
                try:
                    data, mail_from, rcpts = prepare(path.read_bytes(), settings.from_addr)
                except LookupError:
                    raise SendError(
                        "no-sender",
                        "邮件没有发件人地址；请填写单位电子邮箱或发件账号",
                        "the message has no sender; set the unit's e-mail or the account",
                        sent,
                    ) from None
                except (OSError, ValueError) as exc:
                    raise SendError(
                        "bad-file",
                        f"无法读取邮件文件 {path.name}（{exc}）",
                        f"cannot read {path.name} ({exc})",
                        sent,
                    ) from None
                client.sendmail(mail_from, rcpts, data)
                sent += 1
            if progress is not None:
                progress(len(paths), len(paths), "")
    except SendError:
        raise
    except SMTP_ERRORS as exc:
        raise failure(exc, settings, sent) from None
    return sent


def failure(exc: BaseException, settings: SmtpSettings, sent: int = 0) -> SendError:
    """What went wrong talking to the mail server, for people (Chinese and English)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(
            "auth",
            "邮箱账号或密码（授权码）不正确",
            "the mail server refused the user name or password",
            sent,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendError(
            "tls",
            "邮件服务器不支持 STARTTLS 加密，请改用 SSL（465 端口）",
            "the server does not offer STARTTLS; use SSL (port 465)",
            sent,
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendError(
            "tls",
            f"邮件服务器的证书无法验证（{exc.verify_message}），已停止发送",
            f"the mail server's certificate cannot be verified ({exc.verify_message})",
            sent,
        )
    if isinstance(
        exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
    ):
        code = getattr(exc, "smtp_code", 0)
        if code == 552:
            return SendError(
                "too-large",
                "邮件服务器拒收：邮件超过了它的大小限制，请在活动设置中调低邮件大小上限后重新导出",
                "the server refused the message as too large; lower the mail size limit and "
                "export again",
                sent,
            )
        return SendError(
            "refused",
            f"邮件服务器拒收（{exc}）",
            f"the mail server refused the message ({exc})",
            sent,
        )
    return SendError(
        "network",
        f"无法连接邮件服务器 {settings.host}:{settings.port}（{exc}），请检查网络和服务器设置",
        f"cannot talk to the mail server {settings.host}:{settings.port} ({exc})",
        sent,
    )
