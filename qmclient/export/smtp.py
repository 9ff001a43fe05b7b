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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Literal

from qmclient.core.work import Cancelled, QmError, Work, work_or_new

Security = Literal["ssl", "starttls", "none"]


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


class SendError(QmError):
    """Sending failed; ``code`` is stable: ``tls``, ``auth``, ``network``, ``refused``,
    ``too-large``, ``insecure``, ``no-sender``, ``no-keyring``, ``no-password``,
    ``cancelled``, ``bad-file``."""

    def __init__(self, code: str, *, zh: str, en: str, sent: int = 0) -> None:
        super().__init__(zh=zh, en=en, code=code)
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
            zh="不加密的连接只允许发往本机；请选择 SSL（465 端口）或 STARTTLS（587 端口）",
            en="an unencrypted connection is allowed only to this machine; use SSL (465) or "
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
    work: Work | None = None,
) -> int:
    """Send each .eml in ``paths`` over one connection; returns how many were sent.

    Raises :class:`SendError`; ``sent`` on it says how many went before the failure
    (code ``cancelled`` when ``work`` was cancelled).
    """
    work = work_or_new(work)
    sent = 0
    try:
        with connect(settings, password) as client:
            for i, path in enumerate(paths):
                try:
                    work.progress(i, len(paths), path.name)
                except Cancelled:
                    raise SendError(
                        "cancelled", zh="已取消发送", en="sending cancelled", sent=sent
                    ) from None
                try:
                    data, mail_from, rcpts = prepare(path.read_bytes(), settings.from_addr)
                except LookupError:
                    raise SendError(
                        "no-sender",
                        zh="邮件没有发件人地址；请填写单位电子邮箱或发件账号",
                        en="the message has no sender; set the unit's e-mail or the account",
                        sent=sent,
                    ) from None
                except (OSError, ValueError) as exc:
                    raise SendError(
                        "bad-file",
                        zh=f"无法读取邮件文件 {path.name}（{exc}）",
                        en=f"cannot read {path.name} ({exc})",
                        sent=sent,
                    ) from None
                client.sendmail(mail_from, rcpts, data)
                sent += 1
            with contextlib.suppress(Cancelled):  # all went: nothing left to cancel
                work.progress(len(paths), len(paths), "")
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
            zh="邮箱账号或密码（授权码）不正确",
            en="the mail server refused the user name or password",
            sent=sent,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendError(
            "tls",
            zh="邮件服务器不支持 STARTTLS 加密，请改用 SSL（465 端口）",
            en="the server does not offer STARTTLS; use SSL (port 465)",
            sent=sent,
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendError(
            "tls",
            zh=f"邮件服务器的证书无法验证（{exc.verify_message}），已停止发送",
            en=f"the mail server's certificate cannot be verified ({exc.verify_message})",
            sent=sent,
        )
    if isinstance(
        exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
    ):
        code = getattr(exc, "smtp_code", 0)
        if code == 552:
            return SendError(
                "too-large",
                zh="邮件服务器拒收：邮件超过了它的大小限制，请在活动设置中调低邮件大小上限后重新导出",
                en="the server refused the message as too large; lower the mail size limit and "
                "export again",
                sent=sent,
            )
        return SendError(
            "refused",
            zh=f"邮件服务器拒收（{exc}）",
            en=f"the mail server refused the message ({exc})",
            sent=sent,
        )
    return SendError(
        "network",
        zh=f"无法连接邮件服务器 {settings.host}:{settings.port}（{exc}），请检查网络和服务器设置",
        en=f"cannot talk to the mail server {settings.host}:{settings.port} ({exc})",
        sent=sent,
    )
