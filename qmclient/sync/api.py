"""The intake API client (protocol version 1, see ``docs/protocol.md``).

Each call is idempotent on the server, so any of them may be repeated after a lost
answer.  Answers that are not the intake server's JSON (a captive portal's web page, a
proxy's error page) are recognised and reported as such.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlparse

import requests

from qmclient.sync.errors import SyncError
from qmclient.sync.http import HttpClient, answer_json, captive_portal_error, http_error

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"


def endpoint_error(url: str, why_zh: str, why_en: str) -> SyncError:
    return SyncError(
        "endpoint-invalid",
        zh=f"报送地址“{url}”不可用：{why_zh}",
        en=f"The endpoint address '{url}' cannot be used: {why_en}",
        kind="action",
    )


def normalize_endpoint(url: str) -> str:
    """The endpoint's base URL (without ``/api/v1`` or a trailing slash).

    Only ``https`` is accepted, except for the local machine (a test or a local server).
    """
    text = url.strip()
    parts = urlparse(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise endpoint_error(
            text, "需要以 https:// 开头的完整地址", "a full https:// address is needed"
        )
    if parts.scheme == "http":
        host = parts.hostname
        try:
            local = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = False
        if not local:
            raise endpoint_error(
                text,
                "令牌和报告只能通过加密连接（https）发送",
                "tokens and reports are only sent over an encrypted connection (https)",
            )
    path = parts.path.rstrip("/")
    if path.endswith(API_PREFIX):
        path = path[: -len(API_PREFIX)]
    return f"{parts.scheme}://{parts.netloc}{path}"


@dataclass(frozen=True)
class Discovery:
    server_time: dt.datetime
    clock_offset_s: float  # server minus local
    tus_endpoint: str
    campaigns: list[dict[str, Any]]
    raw: dict[str, Any]


class IntakeClient:
    def __init__(self, http: HttpClient, endpoint_url: str, token: str | None = None) -> None:
        self.http = http
        self.endpoint = normalize_endpoint(endpoint_url)
        self.base = self.endpoint + API_PREFIX
        self._token = token

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        auth: bool = True,
        ok: tuple[int, ...] = (200,),
        headers: dict[str, str] | None = None,
    ) -> tuple[requests.Response, Any]:
        hdrs = {"Accept": "application/json", **(headers or {})}
        if auth:
            if not self._token:
                raise not_logged_in(self.endpoint)
            hdrs.update(self.auth_headers)
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        resp = self.http.request(method, self.base + path, data=data, headers=hdrs)
        if resp.status_code not in ok:
            raise http_error(resp)
        if resp.status_code == 304:
            return resp, None
        if "json" not in resp.headers.get("Content-Type", ""):
            raise captive_portal_error(resp.url)
        return resp, answer_json(resp)

    def discover(self) -> Discovery:
        sent = time.time()
        _resp, data = self._call("GET", "", auth=False)
        got = time.time()
        if not isinstance(data, dict) or "protocol_version" not in data:
            raise captive_portal_error(self.base)
        if data["protocol_version"] != PROTOCOL_VERSION:
            raise SyncError(
                "protocol-unsupported",
                zh=f"报送服务器使用的协议版本（{data['protocol_version']}）与本程序不符，请更新 qmclient。",
                en=f"The intake server speaks protocol version {data['protocol_version']}; "
                "update qmclient.",
                kind="action",
            )
        try:
            server_time = dt.datetime.fromisoformat(str(data["server_time"]))
            tus_endpoint = str(data["tus"]["endpoint"])
        except (KeyError, TypeError, ValueError):
            raise captive_portal_error(self.base) from None
        if server_time.tzinfo is None:
            server_time = server_time.replace(tzinfo=dt.UTC)
        local_mid = dt.datetime.fromtimestamp((sent + got) / 2, dt.UTC)
        offset = (server_time - local_mid).total_seconds()
        campaigns = [c for c in data.get("campaigns") or [] if isinstance(c, dict)]
        return Discovery(server_time, offset, tus_endpoint, campaigns, data)

    def whoami(self) -> dict[str, Any]:
        _resp, data = self._call("GET", "/whoami")
        return dict(data)

    def campaign(self, campaign_id: str, etag: str | None = None) -> tuple[dict[str, Any], str]:
        """The campaign document and its ETag; ``({}, etag)`` when unchanged (304)."""
        headers = {"If-None-Match": etag} if etag else None
        resp, data = self._call(
            "GET",
            f"/campaigns/{quote(campaign_id, safe='')}",
            auth=False,
            ok=(200, 304),
            headers=headers,
        )
        new_etag = resp.headers.get("ETag", etag or "")
        if resp.status_code == 304:
            return {}, new_etag
        if not isinstance(data, dict):
            raise captive_portal_error(resp.url)
        return data, new_etag

    def put_submission(
        self,
        uuid: str,
        revision: int,
        campaign_id: str,
        report: dict[str, Any],
        report_sha256: str,
        media: list[dict[str, Any]],
    ) -> dict[str, Any]:
        body = {
            "revision": revision,
            "campaign_id": campaign_id,
            "report": report,
            "report_sha256": report_sha256,
            "media": media,
        }
        _resp, data = self._call("PUT", f"/submissions/{uuid}", body=body, ok=(200, 201))
        return dict(data)

    def finalise(self, uuid: str, revision: int, report_sha256: str) -> dict[str, Any]:
        body = {"revision": revision, "report_sha256": report_sha256}
        _resp, data = self._call("POST", f"/submissions/{uuid}/finalise", body=body)
        return dict(data)

    def submissions(self, etag: str | None = None) -> tuple[list[dict[str, Any]] | None, str]:
        """The token's submissions with the office's verdicts, and the list's ETag;
        ``(None, etag)`` when nothing changed since ``etag`` (304)."""
        headers = {"If-None-Match": etag} if etag else None
        resp, data = self._call("GET", "/submissions", ok=(200, 304), headers=headers)
        new_etag = resp.headers.get("ETag", etag or "")
        if resp.status_code == 304:
            return None, new_etag
        items = data.get("submissions") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise captive_portal_error(resp.url)
        return [i for i in items if isinstance(i, dict)], new_etag

    def status(self, uuid: str) -> dict[str, Any]:
        _resp, data = self._call("GET", f"/submissions/{uuid}")
        return dict(data)


def not_logged_in(endpoint: str) -> SyncError:
    return SyncError(
        "not-logged-in",
        zh=f"还没有报送服务器 {endpoint} 的令牌。请运行“qmclient login”输入报送办公室发放的令牌"
        "（没有系统钥匙串的电脑上可设置环境变量 QMCLIENT_TOKEN）。报告已保存在发送队列中。",
        en=f"There is no token for the intake server {endpoint}. Run 'qmclient login' and enter "
        "the token the office gave you (on computers without a keyring, set QMCLIENT_TOKEN). "
        "The report stays in the queue.",
        kind="action",
    )
