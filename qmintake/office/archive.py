"""The whole campaign as one zip archive: 区县/单位/… folders, a manifest, the roll-up.

    manifest.json                    every file below with its size and SHA-256
    汇总表.xlsx                       the office's roll-up (:mod:`qmintake.rollup`)
    历下区/济南某某有限公司/
        报告.json                     the report as received (its SHA-256 is the receipt's)
        回执.json                     the signed receipt, exactly as given out
        图01 启动仪式现场.jpg …        photos and videos under their Chinese names

Each submission contributes its newest received revision.  The archive is the same bytes
for the same data (times come from the data, not the clock), so an interrupted download
continues with an HTTP range; its ``etag`` names that content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from qmclient.core.report import Report
from qmclient.core.rollup import ExpectedUnit
from qmclient.core.work import QmError, Work
from qmintake.models import BlobCrcRow, RevisionRow, SubmissionRow
from qmintake.office.blobread import has_blob, open_blob
from qmintake.office.folders import district_folder, media_names, unit_folder
from qmintake.office.zipstream import Entry, ZipStream
from qmintake.receipts import iso_utc
from qmintake.rollup import rollup_bytes
from qmintake.settings import IntakeState

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ROLLUP_NAME = "汇总表.xlsx"


class ArchiveError(QmError):
    pass


class DbCrcCache:
    """CRC-32s of stored files, kept in the database (table ``blob_crc32``)."""

    def __init__(self, st: IntakeState, shas: Sequence[str]) -> None:
        self._st = st
        self._crcs: dict[str, int] = {}
        self._new: dict[str, int] = {}
        with st.db.session() as s:
            for i in range(0, len(shas), 500):
                part = list(shas[i : i + 500])
                for row in s.scalars(select(BlobCrcRow).where(BlobCrcRow.sha256.in_(part))):
                    self._crcs[row.sha256] = int(row.crc32)

    def get(self, key: str) -> int | None:
        return self._crcs.get(key)

    def put(self, key: str, crc: int) -> None:
        if key not in self._crcs:
            self._crcs[key] = crc
            self._new[key] = crc
        if len(self._new) >= 200:
            self.flush()

    def flush(self) -> None:
        """Record the CRCs learnt since the last flush (one transaction)."""
        new, self._new = self._new, {}
        if not new:
            return
        try:
            with self._st.db.session() as s:  # one query and one insert, not one each
                known = set(
                    s.scalars(select(BlobCrcRow.sha256).where(BlobCrcRow.sha256.in_(list(new))))
                )
                s.add_all(
                    BlobCrcRow(sha256=key, crc32=crc)
                    for key, crc in new.items()
                    if key not in known
                )
        except IntegrityError:  # another download recorded some first: fine
            pass


@dataclass
class CampaignArchive:
    campaign_id: str
    zip: ZipStream
    etag: str
    submissions: int
    missing: list[dict[str, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.zip.size

    @property
    def filename(self) -> str:
        return f"{self.campaign_id}-全部报送.zip"


def _text_entry(name: str, data: bytes, when: dt.datetime) -> Entry:
    return Entry(name, len(data), lambda: io.BytesIO(data), when)


def _local(when: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    return when.astimezone(tz).replace(tzinfo=None) if tz else when.replace(tzinfo=None)


def build_archive(
    st: IntakeState,
    campaign_id: str,
    expected: Sequence[ExpectedUnit] | None = None,
    work: Work | None = None,
) -> CampaignArchive:
    """Lay out the campaign's archive (reads the database, not the media)."""
    served = st.campaigns.get(campaign_id)
    if served is None:
        raise ArchiveError(
            zh=f"服务器上没有活动“{campaign_id}”；请检查活动编号",
            en=f"this server has no campaign {campaign_id!r}; check the campaign id",
            code="campaign-unknown",
        )
    campaign = served.campaign
    tz = campaign.tz
    body: list[Entry] = []
    files: list[dict[str, object]] = []
    subs: list[dict[str, object]] = []
    missing: list[dict[str, str]] = []
    latest = EPOCH
    taken: set[str] = set()
    with st.db.session() as s:
        q = (
            select(SubmissionRow)
            .where(SubmissionRow.campaign_id == campaign_id)
            .order_by(SubmissionRow.unit_district, SubmissionRow.unit_name, SubmissionRow.id)
            .options(selectinload(SubmissionRow.revisions))  # one query, not one each
        )
        for n, sub in enumerate(s.scalars(q)):
            if work is not None and n % 100 == 0:
                work.check()
            received = [r for r in sub.revisions if r.finalised_at is not None]
            if not received:
                continue
            rev = received[-1]
            assert rev.finalised_at is not None
            latest = max(latest, rev.finalised_at)
            when = _local(rev.finalised_at, tz)
            folder = f"{district_folder(campaign, sub.unit_district)}/{unit_folder(sub.unit_name)}"
            base, k = folder, 2
            while folder.lower() in taken:
                folder, k = f"{base}（{k}）", k + 1
            taken.add(folder.lower())
            report = Report.from_dict(json.loads(rev.report_json))
            report_bytes = rev.report_json.encode("utf-8")
            rev_id = rev.id
            body.append(
                Entry(
                    f"{folder}/报告.json",
                    len(report_bytes),
                    partial(_report_stream, st, rev_id),
                    when,
                )
            )
            files.append(_file(f"{folder}/报告.json", rev.report_sha256, len(report_bytes)))
            if rev.receipt_json is not None:
                receipt = rev.receipt_json.encode("utf-8")
                body.append(
                    Entry(
                        f"{folder}/回执.json",
                        len(receipt),
                        partial(_receipt_stream, st, rev_id),
                        when,
                    )
                )
                files.append(
                    _file(f"{folder}/回执.json", hashlib.sha256(receipt).hexdigest(), len(receipt))
                )
            for named in media_names(report, campaign):
                ref = named.ref
                path = f"{folder}/{named.name}"
                if not has_blob(st, ref.sha256):
                    missing.append({"path": path, "sha256": ref.sha256})
                    continue
                body.append(
                    Entry(
                        path,
                        ref.size,
                        partial(open_blob, st, ref.sha256),
                        when,
                        key=ref.sha256,
                    )
                )
                files.append(_file(path, ref.sha256, ref.size))
            subs.append(
                {
                    "folder": folder,
                    "uuid": sub.uuid,
                    "revision": rev.revision,
                    "receipt_number": rev.receipt_number,
                    "unit": sub.unit_name,
                    "district": sub.unit_district,
                    "status": sub.status,
                    "received_at": iso_utc(rev.finalised_at),
                    "on_time": bool(rev.on_time),
                }
            )
    stamp = _local(latest, tz)
    rollup = rollup_bytes(st, campaign_id, expected, latest)
    files.insert(0, _file(ROLLUP_NAME, hashlib.sha256(rollup).hexdigest(), len(rollup)))
    manifest = {
        "format": "qmintake-campaign-archive",
        "version": 1,
        "campaign_id": campaign_id,
        "data_as_of": iso_utc(latest),
        "submissions": subs,
        "files": files,
        "missing": missing,
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    entries = [
        _text_entry("manifest.json", manifest_bytes, stamp),
        _text_entry(ROLLUP_NAME, rollup, stamp),
        *body,
    ]
    shas = [e.key for e in entries if e.key]
    etag = '"' + hashlib.sha256(manifest_bytes).hexdigest()[:32] + '"'
    return CampaignArchive(
        campaign_id,
        ZipStream(entries, DbCrcCache(st, shas)),
        etag,
        len(subs),
        missing,
    )


def _file(path: str, sha256: str, size: int) -> dict[str, object]:
    return {"path": path, "sha256": sha256, "size": size}


def _report_stream(st: IntakeState, revision_id: int) -> BinaryIO:
    with st.db.session() as s:
        rev = s.get(RevisionRow, revision_id)
        assert rev is not None
        return io.BytesIO(rev.report_json.encode("utf-8"))


def _receipt_stream(st: IntakeState, revision_id: int) -> BinaryIO:
    with st.db.session() as s:
        rev = s.get(RevisionRow, revision_id)
        assert rev is not None and rev.receipt_json is not None
        return io.BytesIO(rev.receipt_json.encode("utf-8"))


def write_archive(
    st: IntakeState,
    campaign_id: str,
    out: Path,
    expected: Sequence[ExpectedUnit] | None = None,
    work: Work | None = None,
) -> CampaignArchive:
    """Write the campaign's archive to ``out`` (via a temporary file, then renamed)."""
    archive = build_archive(st, campaign_id, expected, work)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        with tmp.open("wb") as f:
            archive.zip.write_to(f, work)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return archive
