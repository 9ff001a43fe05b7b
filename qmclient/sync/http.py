"""One HTTP session per endpoint: connection reuse, timeouts, proxies, TLS always verified.

- The system's proxy settings are honoured (``trust_env``: ``HTTPS_PROXY``/``NO_PROXY``,
  and the registry or system configuration on Windows and macOS); an explicit proxy set in
  qmclient wins over them.
- TLS certificates are always verified.  An office with its own certificate authority may
  name a CA bundle; verification cannot be switched off.
- Every request has a connect and a read timeout, so a server that accepts and never
  answers is noticed.
- Failures of the network are turned into :class:`SyncError` with a clear message.
"""

from __future__ import annotations

import errno
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NameResolutionError

from qmclient import __version__
from qmclient.core.boundedjson import JsonBounds, JsonRefused, loads_bounded
from qmclient.sync.errors import SyncError

# what the intake server answers: reports, lists of submissions, campaign documents
ANSWER_BOUNDS = JsonBounds(max_bytes=16 * 1024 * 1024, max_depth=32, max_items=500_000)
PROBLEM_BOUNDS = JsonBounds(max_bytes=256 * 1024, max_depth=16, max_items=10_000)

SEND_BLOCK = 1024 * 1024  # bytes handed to the socket per write when streaming a body


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout_s: float = 15.0
    read_timeout_s: float = 120.0
    proxy: str | None = None  # e.g. "http://proxy.example.cn:8080"; None: the system's
    ca_bundle: str | None = None  # extra trust for an office CA; verification stays on


class _BigBlockAdapter(HTTPAdapter):
    """Writes request bodies to the socket in 1 MiB blocks instead of 16 KiB."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["blocksize"] = SEND_BLOCK
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: Any, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["blocksize"] = SEND_BLOCK
        return super().proxy_manager_for(proxy, **proxy_kwargs)


class HttpClient:
    """A :class:`requests.Session` with qmclient's settings, for one endpoint."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        self.session = requests.Session()
        self.session.trust_env = True
        self.session.headers["User-Agent"] = f"qmclient/{__version__}"
        adapter = _BigBlockAdapter(pool_connections=4, pool_maxsize=4, max_retries=0)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.settings.connect_timeout_s, self.settings.read_timeout_s)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send a request; network failures raise :class:`SyncError` (kind ``retry``)."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs["verify"] = self.settings.ca_bundle or True
        kwargs.setdefault("allow_redirects", False)
        if self.settings.proxy:
            kwargs["proxies"] = {"http": self.settings.proxy, "https": self.settings.proxy}
        try:
            return self.session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            raise network_error(exc, url) from None

    def close(self) -> None:
        self.session.close()


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo.extend([e.__cause__, e.__context__])
        todo.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
    return seen


def network_error(exc: requests.RequestException, url: str) -> SyncError:
    """A clear :class:`SyncError` for a failed request (the URL, never a header)."""
    host = urlparse(url).netloc
    causes = _causes(exc)
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(c, ssl.SSLError) for c in causes
    ):
        return SyncError(
            "tls",
            zh=f"无法与 {host} 建立安全连接：服务器证书未通过验证。可能是网络（如公共 Wi-Fi 的"
            "登录页或拦截加密连接的代理）在中间，或本机日期不对。请换一个网络或联系单位网管；"
            "报告已保存，稍后会自动重试。",
            en=f"Could not make a secure connection to {host}: the server's certificate did not "
            "verify. A network in between (a Wi-Fi login page or a proxy that intercepts "
            "encrypted connections) or a wrong computer date may be the cause. Try another "
            "network or ask your IT staff; the report is kept and will be retried.",
        )
    if isinstance(exc, requests.exceptions.ProxyError):
        return SyncError(
            "proxy",
            zh=f"无法通过代理服务器连接 {host}。请检查代理设置（系统设置或 qmclient 的代理设置）。",
            en=f"Could not reach {host} through the proxy. Check the proxy settings (the "
            "system's or qmclient's).",
        )
    if any(isinstance(c, (NameResolutionError, socket.gaierror)) for c in causes):
        return SyncError(
            "dns",
            zh=f"找不到服务器 {host}（域名无法解析）。请检查网络连接和报送地址是否正确；"
            "报告已保存，联网后会自动继续。",
            en=f"The server {host} could not be found (DNS lookup failed). Check the network "
            "connection and the endpoint address; the report is kept and will continue "
            "when you are online.",
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return SyncError(
            "connect-timeout",
            zh=f"连接服务器 {host} 超时。网络可能不通或很慢；报告已保存，稍后会自动重试。",
            en=f"Connecting to {host} timed out. The network may be down or slow; the report is "
            "kept and will be retried.",
        )
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return SyncError(
            "read-timeout",
            zh=f"服务器 {host} 长时间没有应答。已发送的部分已保存，稍后会从断点继续。",
            en=f"The server {host} stopped answering. What was sent is kept; sending will "
            "continue from there later.",
        )
    if any(
        isinstance(c, ConnectionRefusedError)
        or (isinstance(c, OSError) and c.errno == errno.ECONNREFUSED)
        for c in causes
    ):
        return SyncError(
            "connection-refused",
            zh=f"服务器 {host} 拒绝连接（服务可能未启动或地址有误）。报告已保存，稍后会自动重试。",
            en=f"The server {host} refused the connection (the service may be down or the "
            "address wrong). The report is kept and will be retried.",
        )
    return SyncError(
        "connection-lost",
        zh=f"与服务器 {host} 的连接中断。已发送的部分已保存，稍后会从断点继续。",
        en=f"The connection to {host} was lost. What was sent is kept; sending will continue "
        "from there later.",
    )


def problem_of(resp: requests.Response) -> dict[str, Any]:
    """The RFC 9457 problem document of an error answer, or ``{}``."""
    ctype = resp.headers.get("Content-Type", "")
    if "json" not in ctype:
        return {}
    try:
        data = loads_bounded(resp.content, resp.url or "answer", PROBLEM_BOUNDS)
    except JsonRefused:
        return {}  # the status alone then says what went wrong
    return data if isinstance(data, dict) else {}


def answer_json(resp: requests.Response) -> Any:
    """The JSON body of a server's answer, read within :data:`ANSWER_BOUNDS`; a hostile
    or broken answer is a retryable :class:`SyncError` naming the server."""
    host = urlparse(resp.url).netloc
    declared = resp.headers.get("Content-Length", "")
    try:
        if declared.isdigit() and int(declared) > ANSWER_BOUNDS.max_bytes:
            raise JsonRefused(
                resp.url,
                zh=f"应答过大（{declared} 字节）。",
                en=f"the answer is too large ({declared} bytes).",
            )
        return loads_bounded(resp.content, resp.url, ANSWER_BOUNDS)
    except JsonRefused as exc:
        raise SyncError(
            "bad-answer",
            zh=f"报送服务器 {host} 的应答无法读取：{exc.message_zh}报告已保存，稍后会自动重试；"
            "如果一直如此，请联系牵头办公室。",
            en=f"The answer of the intake server {host} cannot be read: {exc.message_en} The "
            "report is kept and will be retried; if this persists, tell the lead office.",
        ) from None


def looks_like_html(resp: requests.Response) -> bool:
    return "html" in resp.headers.get("Content-Type", "").lower()


def captive_portal_error(url: str) -> SyncError:
    host = urlparse(url).netloc
    return SyncError(
        "captive-portal",
        zh=f"连接 {host} 时收到的是一个网页而不是报送服务器的应答。可能需要先在浏览器中登录"
        "当前网络（如酒店、机场的 Wi-Fi），或报送地址有误。报告已保存，稍后会自动重试。",
        en=f"Asking {host} returned a web page instead of the intake server's answer. The "
        "network may need a login in the browser first (hotel or airport Wi-Fi), or the "
        "endpoint address is wrong. The report is kept and will be retried.",
    )


def http_error(resp: requests.Response) -> SyncError:
    """A clear :class:`SyncError` for an unexpected HTTP answer."""
    from qmclient.sync.backoff import parse_retry_after

    status = resp.status_code
    problem = problem_of(resp)
    code = str(problem.get("code") or f"http-{status}")
    title_zh = str(problem.get("title_zh") or "")
    detail = str(problem.get("detail") or problem.get("title") or "")
    host = urlparse(resp.url).netloc
    said_zh = f"（服务器说明：{title_zh or detail}）" if (title_zh or detail) else ""
    said_en = f" (the server says: {detail})" if detail else ""
    if status == 401:
        return SyncError(
            "token-invalid" if code == "http-401" else code,
            zh="报送服务器不接受当前的令牌（令牌错误、已过期或已被撤销）。请运行“qmclient login”"
            "重新输入报送办公室发放的令牌。报告已保存在发送队列中。",
            en="The intake server does not accept the token (wrong, expired or revoked). Run "
            "'qmclient login' and enter the token the office gave you. The report stays in "
            "the queue.",
            kind="action",
            status=status,
            problem=problem,
        )
    if status == 403:
        return SyncError(
            code if code != "http-403" else "forbidden",
            zh=f"报送服务器拒绝了这次报送{said_zh}。请与报送办公室联系；报告已保存。",
            en=f"The intake server refused this{said_en}. Contact the office; the report is kept.",
            kind="action",
            status=status,
            problem=problem,
        )
    if status == 413:
        return SyncError(
            code if code != "http-413" else "too-large",
            zh=f"文件或报告超过了报送服务器允许的大小{said_zh}。请压缩视频或减少附件后重新报送。",
            en=f"A file or the report is larger than the intake server allows{said_en}. Shrink "
            "the video or attach fewer files, then submit again.",
            kind="action",
            status=status,
            problem=problem,
        )
    if status == 507:
        return SyncError(
            code if code != "http-507" else "server-storage-full",
            zh="报送服务器的存储空间已满。已发送的部分会保留，稍后会自动重试；如果一直如此，"
            "请联系报送办公室。",
            en="The intake server's storage is full. What was sent is kept and it will be "
            "retried later; if this goes on, contact the office.",
            status=status,
            retry_after=parse_retry_after(resp.headers.get("Retry-After")),
            problem=problem,
        )
    if status in (429, 502, 503, 504) or status >= 500:
        wait = parse_retry_after(resp.headers.get("Retry-After"))
        busy = status in (429, 503)
        return SyncError(
            code if code != f"http-{status}" else ("server-busy" if busy else "server-error"),
            zh=f"报送服务器繁忙（{status}），稍后会自动重试。"
            if busy
            else f"报送服务器出错（{status}）{said_zh}，稍后会自动重试。",
            en=f"The intake server is busy ({status}); it will be retried later."
            if busy
            else f"The intake server had an error ({status}){said_en}; it will be retried later.",
            status=status,
            retry_after=wait,
            problem=problem,
        )
    if 300 <= status < 400 or (looks_like_html(resp) and not problem):
        return captive_portal_error(resp.url)
    return SyncError(
        code,
        zh=f"报送服务器 {host} 拒绝了请求（{status}）{said_zh}。",
        en=f"The intake server {host} refused the request ({status}){said_en}.",
        kind="action",
        status=status,
        problem=problem,
    )
