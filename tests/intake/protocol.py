"""Talking the intake protocol in tests, plainly with requests (no client code under test)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid as uuidlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import requests
from intake_server import VALID_CREDIT_CODE, IntakeServer

from qmclient.core.filetype import sniff
from qmclient.core.report import Activity, MediaRef, Report, Unit

DEFAULT_CAMPAIGN = "jinan-2022-quality-month"
SUMMARY = (
    "本单位按照市质量月活动通知要求，围绕“争创标杆开新局 质量强市促发展”主题，"
    "组织开展了质量月启动仪式、质量知识讲座、QC小组成果发布和质量开放日等系列活动，"
    "全体员工踊跃参加，进一步增强了质量意识，提升了产品和服务质量，取得了良好成效。"
    "下一步将持续巩固活动成果，建立质量提升长效机制。"
)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def media_ref(path: Path, caption: str = "活动现场") -> MediaRef:
    head = path.open("rb").read(64)
    return MediaRef(
        sha256=sha256_file(path),
        size=path.stat().st_size,
        media_type=sniff(head).media_type,
        original_name=path.name,
        caption=caption,
        activity_id="a1",
    )


def make_report(
    files: Iterable[Path],
    *,
    kind: str = "enterprise",
    district: str = "lixia",
    credit_code: str = VALID_CREDIT_CODE,
    name: str = "济南某某有限公司",
    revision: int = 1,
    campaign_id: str = DEFAULT_CAMPAIGN,
    uuid: str | None = None,
    title: str = "2022年质量月活动情况总结",
) -> Report:
    return Report(
        uuid=uuid or str(uuidlib.uuid4()),
        campaign_id=campaign_id,
        revision=revision,
        title=title,
        summary=SUMMARY,
        unit=Unit(
            name=name,
            kind=kind,
            district=district if kind != "department" else "",
            credit_code=credit_code if kind == "enterprise" else "",
            contact_person="张三",
            phone="0531-82568852",
            email="zhangsan@example.cn",
        ),
        activities=[
            Activity(
                id="a1",
                focus_area="publicity",
                name="质量月启动仪式",
                start_date=dt.date(2022, 9, 1),
                end_date=dt.date(2022, 9, 1),
                place="公司大礼堂",
                organiser="质量部",
                participants=120,
                description="举行质量月启动仪式，宣读质量承诺书。",
                results="员工质量意识明显提高。",
            )
        ],
        media=[media_ref(Path(p)) for p in files],
    )


def manifest(report: Report) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for m in report.media:
        seen.setdefault(m.sha256, {"sha256": m.sha256, "size": m.size, "media_type": m.media_type})
    return list(seen.values())


def put_body(report: Report) -> dict[str, Any]:
    return {
        "revision": report.revision,
        "campaign_id": report.campaign_id,
        "report": report.to_dict(),
        "report_sha256": report.report_hash(),
        "media": manifest(report),
    }


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def tus(token: str, **extra: str) -> dict[str, str]:
    return {"Tus-Resumable": "1.0.0", **auth(token), **extra}


def put(srv: IntakeServer, token: str, report: Report, /, **overrides: Any) -> requests.Response:
    body = put_body(report)
    body.update(overrides)
    return requests.put(
        srv.url(f"/api/v1/submissions/{report.uuid}"), json=body, headers=auth(token), timeout=60
    )


def finalise(srv: IntakeServer, token: str, report: Report) -> requests.Response:
    return requests.post(
        srv.url(f"/api/v1/submissions/{report.uuid}/finalise"),
        json={"revision": report.revision, "report_sha256": report.report_hash()},
        headers=auth(token),
        timeout=60,
    )


def metadata(**values: str) -> str:
    return ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}" if v else k for k, v in values.items()
    )


def create_upload(
    srv: IntakeServer, token: str, path: Path, sha: str | None = None, **meta: str
) -> requests.Response:
    values = {"sha256": sha or sha256_file(path), "filename": path.name, **meta}
    return requests.post(
        srv.url("/api/v1/uploads/"),
        headers=tus(
            token,
            **{"Upload-Length": str(path.stat().st_size), "Upload-Metadata": metadata(**values)},
        ),
        timeout=60,
    )


def file_chunks(path: Path, start: int = 0, chunk: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as f:
        f.seek(start)
        while block := f.read(chunk):
            yield block


def patch(
    srv_or_url: IntakeServer | str,
    token: str,
    location: str,
    offset: int,
    body: Any,
    **headers: str,
) -> requests.Response:
    return requests.patch(
        location,
        data=body,
        headers=tus(
            token,
            **{
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
                **headers,
            },
        ),
        timeout=120,
    )


def upload(srv: IntakeServer, token: str, path: Path) -> str:
    """Create an upload and send the whole file in one streamed PATCH; the location."""
    r = create_upload(srv, token, path)
    assert r.status_code == 201, r.text
    location = r.headers["Location"]
    r = patch(srv, token, location, 0, file_chunks(path))
    assert r.status_code == 204, r.text
    assert int(r.headers["Upload-Offset"]) == path.stat().st_size
    return location


def submit(srv: IntakeServer, token: str, report: Report, files: Iterable[Path]) -> dict[str, Any]:
    """The whole exchange: put, upload what is missing, finalise; the receipt."""
    r = put(srv, token, report)
    assert r.status_code in (200, 201), r.text
    missing = set(r.json()["missing_media"])
    for path in files:
        sha = sha256_file(path)
        if sha in missing:
            upload(srv, token, path)
            missing.discard(sha)
    r = finalise(srv, token, report)
    assert r.status_code == 200, r.text
    receipt: dict[str, Any] = r.json()
    return receipt


def stored_path(srv: IntakeServer, sha: str) -> Path:
    return srv.data_dir / "media" / sha[:2] / sha[2:4] / sha
