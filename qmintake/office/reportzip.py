"""One received report as a zip for the office: its Word report and Excel table (made
by the desktop client's own export code), its photos and videos under safe Chinese
names, and its signed receipt.

    济南某某有限公司2022年质量月活动情况总结.docx
    济南某某有限公司2022年质量月活动情况总结.xlsx
    回执.json
    图01 启动仪式现场.jpg, 视频1 ….mp4 …
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from qmclient.core.report import Report
from qmclient.core.work import QmError, Work
from qmclient.export.docx_report import PhotoImage, write_report
from qmclient.export.naming import report_basename
from qmclient.export.xlsx_table import write_table
from qmclient.media.downscale import DownscaleJob, downscale_one
from qmintake.models import RevisionRow, SubmissionRow
from qmintake.office.blobread import has_blob, open_blob
from qmintake.office.folders import media_names
from qmintake.settings import IntakeState

PHOTO_SIDE = 1600  # the Word report's photos: as the client exports them


class ReportZipError(QmError):
    pass


def _newest_received(st: IntakeState, uuid: str, revision: int | None) -> RevisionRow:
    with st.db.session() as s:
        sub = s.scalars(select(SubmissionRow).where(SubmissionRow.uuid == uuid)).first()
        if sub is None:
            raise ReportZipError(
                zh=f"没有编号为 {uuid} 的报送；请检查报送编号",
                en=f"there is no submission {uuid}; check the id",
                code="submission-not-found",
            )
        received = [
            r
            for r in sub.revisions
            if r.finalised_at is not None and (revision is None or r.revision == revision)
        ]
        if not received:
            raise ReportZipError(
                zh=f"报送 {uuid} 还没有已送达的版本，暂不能下载",
                en=f"submission {uuid} has no received revision yet",
                code="revision-not-found",
            )
        return received[-1]


def write_report_zip(
    st: IntakeState,
    uuid: str,
    out: BinaryIO,
    revision: int | None = None,
    work: Work | None = None,
) -> str:
    """Write the zip of a received report to ``out``; returns a file name for it."""
    rev = _newest_received(st, uuid, revision)
    report = Report.from_dict(json.loads(rev.report_json))
    served = st.campaigns.get(report.campaign_id)
    if served is None:
        raise ReportZipError(
            zh=f"服务器不再接收活动“{report.campaign_id}”，无法生成其报告文件",
            en=f"campaign {report.campaign_id!r} is no longer served; its report cannot be made",
            code="campaign-unknown",
        )
    campaign = served.campaign
    assert rev.finalised_at is not None
    signed = rev.finalised_at.astimezone(campaign.tz).date()
    base = report_basename(report, campaign)
    named = media_names(report, campaign)
    with tempfile.TemporaryDirectory(prefix="qmintake-report-") as tmp_name:
        tmp = Path(tmp_name)
        photos: dict[str, PhotoImage] = {}
        for i, n in enumerate(named):
            if work is not None:
                work.progress(i, len(named) + 2, n.name)
            sha = n.ref.sha256
            if n.ref.media_type.startswith("image/") and sha not in photos and has_blob(st, sha):
                src = tmp / f"{sha}.src"
                with open_blob(st, sha) as f, src.open("wb") as g:
                    shutil.copyfileobj(f, g, 1 << 20)
                done = downscale_one(DownscaleJob(src, tmp / f"{sha}.jpg", PHOTO_SIDE, 85))
                if done.ok:
                    photos[sha] = PhotoImage(n.ref, done.job.dest, done.width, done.height)
                src.unlink()
        docx, xlsx = tmp / "report.docx", tmp / "table.xlsx"
        with docx.open("wb") as f:
            write_report(f, report, campaign, photos, signed=signed)
        with xlsx.open("wb") as f:
            write_table(f, report, campaign)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            zf.write(docx, f"{base}.docx")
            zf.write(xlsx, f"{base}.xlsx")
            if rev.receipt_json is not None:
                zf.writestr("回执.json", rev.receipt_json.encode("utf-8"))
            for n in named:
                if not has_blob(st, n.ref.sha256):
                    continue
                info = zipfile.ZipInfo(n.name, date_time=signed.timetuple()[:6])
                info.compress_type = zipfile.ZIP_STORED
                with open_blob(st, n.ref.sha256) as f, zf.open(info, "w", force_zip64=True) as g:
                    shutil.copyfileobj(f, g, 1 << 20)
    return f"{base}.zip"
