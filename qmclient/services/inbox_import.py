"""The district coordinator's inbox, receiving side: file what arrives.

:func:`import_paths` takes files and folders (``.qmpkg`` packages, ``.eml`` mails carrying
a package or the numbered parts of an e-mail export) and files every item it finds as
``new``, ``updated``, ``duplicate`` or ``quarantined`` with a stable reason code, one
:class:`~qmclient.store.models.InboxItem` row each (listed and reviewed by
:mod:`qmclient.services.inbox`).  Every package is checked before it lands (structure and
hashes by :mod:`qmclient.export.package`, then campaign, district and the campaign's
rules here); one bad item never stops the others and never changes what is already
stored.  A quarantined item's file is copied to ``quarantine/`` in the data folder so the
coordinator can look at it or send it back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import uuid as uuidlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qmclient.core.campaign import Campaign
from qmclient.core.report import Report
from qmclient.core.validation import validate
from qmclient.core.work import Cancelled, Work, work_or_new
from qmclient.export import mailset
from qmclient.export.errors import PackageError
from qmclient.export.package import PackedFile, open_package, write_package
from qmclient.export.text import safe_filename
from qmclient.services import drafts
from qmclient.services.campaigns import UnknownCampaignError
from qmclient.services.context import AppContext
from qmclient.services.inbox import (
    MAIL_SUFFIX,
    MAX_FOLDER_FILES,
    MAX_KEEP_BYTES,
    NEW,
    QUARANTINE_DIR,
    QUARANTINED,
    InboxRow,
    row_of,
)
from qmclient.services.packages import PACKAGE_SUFFIX, import_package
from qmclient.store.errors import StoreError
from qmclient.store.models import InboxItem, utcnow

log = logging.getLogger(__name__)


@dataclass
class _Filed:
    outcome: str
    reason: str = ""
    zh: str = ""
    en: str = ""
    report: Report | None = None
    submission_id: int | None = None
    row: InboxRow | None = None  # already filed (with the report, in one commit)


# ----------------------------------------------------------------------------- finding


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Given files, then the packages and mails inside given folders (sorted, no links
    followed).  A link or odd file found in a folder is yielded too, to be named."""
    seen = 0
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    f = Path(root) / name
                    if f.suffix.lower() in (PACKAGE_SUFFIX, MAIL_SUFFIX) or f.is_symlink():
                        seen += 1
                        if seen > MAX_FOLDER_FILES:
                            return
                        yield f
        else:
            yield p


# ----------------------------------------------------------------------------- importing


class _Importer:
    def __init__(self, ctx: AppContext, campaign: Campaign, district: str) -> None:
        self.ctx = ctx
        self.campaign = campaign
        self.district = district
        self.work = ctx.data_dir / "tmp" / f"inbox-{uuidlib.uuid4().hex}"
        self.rows: list[InboxRow] = []

    # -- recording
    def _keep(self, sources: list[Path]) -> str:
        """Copy the files into quarantine/; returns the path kept, relative to the data
        folder ("" when nothing could be kept)."""
        if not sources:
            return ""
        folder = self.ctx.data_dir / QUARANTINE_DIR
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        tag = uuidlib.uuid4().hex[:6]
        kept: list[Path] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for src in sources:
                if src.is_symlink() or not src.is_file() or src.stat().st_size > MAX_KEEP_BYTES:
                    continue
                dest = folder / f"{stamp}-{tag}-{safe_filename(src.name, max_chars=80)}"
                shutil.copyfile(src, dest)
                kept.append(dest)
        except OSError:
            return ""
        if len(kept) == 1:
            return str(kept[0].relative_to(self.ctx.data_dir))
        if kept:  # a set of mail parts: one folder
            bundle = folder / f"{stamp}-{tag}"
            bundle.mkdir(exist_ok=True)
            for k in kept:
                k.rename(bundle / k.name.removeprefix(f"{stamp}-{tag}-"))
            return str(bundle.relative_to(self.ctx.data_dir))
        return ""

    @staticmethod
    def _item(source: str, kind: str, filed: _Filed, kept: str) -> InboxItem:
        r = filed.report
        return InboxItem(
            source_name=source[:500],
            source_kind=kind,
            received_at=utcnow(),
            outcome=filed.outcome,
            reason=filed.reason,
            message_zh=filed.zh,
            message_en=filed.en,
            uuid=r.uuid[:36] if r else "",
            revision=r.revision if r else 0,
            unit_name=r.unit.name[:200] if r else "",
            submission_id=filed.submission_id,
            kept_path=kept,
        )

    def record(self, source: str, kind: str, filed: _Filed, keep: list[Path]) -> InboxRow:
        if filed.row is not None:  # filed in the same commit as the report landed
            self.rows.append(filed.row)
            return filed.row
        kept = self._keep(keep) if filed.outcome == QUARANTINED else ""
        with self.ctx.store.write() as s:
            item = self._item(source, kind, filed, kept)
            s.add(item)
            s.flush()
            row = row_of(item)
        self.rows.append(row)
        return row

    # -- one package
    def package(self, path: Path, source: str, kind: str) -> _Filed:
        try:
            pkg = open_package(path)
        except PackageError as err:
            return _Filed(QUARANTINED, err.reason, err.message_zh, err.message_en)
        with pkg:
            report = pkg.report
            refusal = self._check(report)
        if refusal is not None:
            return refusal
        landed: list[InboxRow] = []

        def file_it(s: Session, submission_id: int, outcome: str) -> None:
            unit = report.unit.name or report.uuid
            zh = "已导入" if outcome == NEW else "已更新为"
            en = "imported" if outcome == NEW else "updated to"
            filed = _Filed(
                outcome,
                "",
                f"{zh}“{unit}”的报告第{report.revision}版",
                f"{en} revision {report.revision} of {unit}",
                report,
                submission_id,
            )
            item = self._item(source, kind, filed, "")
            s.add(item)
            s.flush()
            landed.append(row_of(item))

        result = import_package(self.ctx, path, on_land=file_it)
        if not result.ok:
            return _Filed(QUARANTINED, result.reason, result.message_zh, result.message_en, report)
        return _Filed(
            result.outcome,
            "",
            result.message_zh,
            result.message_en,
            report,
            result.submission_id,
            landed[0] if landed else None,
        )

    def _check(self, report: Report) -> _Filed | None:
        if report.campaign_id != self.campaign.id:
            try:
                other = self.ctx.campaigns.get(report.campaign_id).title
            except UnknownCampaignError:
                other = report.campaign_id
            return _Filed(
                QUARANTINED,
                "wrong-campaign",
                f"报送包属于另一项活动“{other}”，不是本次的“{self.campaign.title}”",
                f"the package is for another campaign ({report.campaign_id}), "
                f"not {self.campaign.id}",
                report,
            )
        if self.district and report.unit.district != self.district:
            d = self.campaign.district(report.unit.district)
            mine = self.campaign.district(self.district)
            return _Filed(
                QUARANTINED,
                "wrong-district",
                f"报送单位“{report.unit.name}”属于{d.name_zh if d else '其他区县'}，"
                f"不属于本区县（{mine.name_zh if mine else self.district}），请转交对应区县",
                f"{report.unit.name or 'the unit'} is in {report.unit.district or 'no district'}"
                f", not in {self.district}; pass it on to its district",
                report,
            )
        errors = [
            f
            for f in validate(report, self.campaign, dt.datetime.now(dt.UTC))
            if f.severity == "error"
        ]
        if errors:
            shown = errors[:3]
            more_zh = f"等{len(errors)}处问题" if len(errors) > 3 else ""
            more_en = f" ({len(errors)} problems in all)" if len(errors) > 3 else ""
            return _Filed(
                QUARANTINED,
                "failed-validation",
                "报告未通过检查：" + "；".join(f.message_zh for f in shown) + more_zh,
                "the report fails the checks: " + "; ".join(f.message_en for f in shown) + more_en,
                report,
            )
        return None

    # -- mails
    def mail_package(self, att: mailset.MailAttachment, source: str) -> _Filed:
        self.work.mkdir(parents=True, exist_ok=True)
        tmp = self.work / f"{uuidlib.uuid4().hex}{PACKAGE_SUFFIX}"
        tmp.write_bytes(att.data)
        try:
            return self.package(tmp, source, "mail")
        finally:
            tmp.unlink(missing_ok=True)

    def mail_set(self, parts: list[mailset.ReadMail], source: str) -> _Filed:
        try:
            assembled = mailset.assemble(parts)
        except PackageError as err:
            return _Filed(QUARANTINED, err.reason, err.message_zh, err.message_en)
        refusal = self._check(assembled.report)
        if refusal is not None:
            return refusal
        folder = self.work / uuidlib.uuid4().hex
        folder.mkdir(parents=True)
        try:
            files = []
            for sha, att in assembled.files.items():
                f = folder / sha
                f.write_bytes(att.data)
                files.append(PackedFile(sha, len(att.data), f))
            pkg = folder / f"rebuilt{PACKAGE_SUFFIX}"
            with open(pkg, "wb") as out:
                write_package(out, assembled.report, files, generator="qmclient inbox")
            return self.package(pkg, source, "mail")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def coordinator_district(ctx: AppContext) -> str:
    profile = drafts.get_profile(ctx)
    return profile.district if profile is not None else ""


def import_paths(
    ctx: AppContext,
    paths: Iterable[Path],
    *,
    campaign_id: str | None = None,
    district: str | None = None,
    work: Work | None = None,
) -> list[InboxRow]:
    """File everything found under ``paths``; returns one row per received item.

    ``district`` defaults to the unit profile's district ("" checks no district);
    ``campaign_id`` to the default campaign.  Progress on ``work`` counts files; a cancel
    stops before the next file and keeps what was filed.
    """
    work = work_or_new(work)
    campaign = ctx.campaigns.get(campaign_id) if campaign_id else ctx.campaigns.default()
    imp = _Importer(ctx, campaign, coordinator_district(ctx) if district is None else district)
    files = list(expand(paths))
    sets: dict[tuple[str, int], list[Path]] = {}  # parts of one report: read together
    try:
        for n, path in enumerate(files, 1):
            if work.cancelled:
                break
            with contextlib.suppress(Cancelled):  # seen before the next file
                work.progress(n - 1, len(files), path.name)
            is_mail = path.suffix.lower() == MAIL_SUFFIX and not path.is_symlink()
            try:
                if is_mail:
                    _one_mail(imp, path, sets)
                else:
                    filed = imp.package(path, path.name, "package")
                    imp.record(path.name, "package", filed, [path])
            except (Cancelled, StoreError, OSError):
                raise  # cancelled, or the store cannot take more: stop and say so
            except Exception as exc:  # one bad item never stops the others
                kind = "mail" if is_mail else "package"
                imp.record(path.name, kind, _unexpected(path, exc), [path])
        for (_uuid, _rev), paths_of_set in sets.items():
            try:
                _mail_set(imp, paths_of_set)
            except (Cancelled, StoreError, OSError):
                raise
            except Exception as exc:
                first = paths_of_set[0]
                imp.record(f"{first.name} …", "mail", _unexpected(first, exc), paths_of_set)
        with contextlib.suppress(Cancelled):
            work.progress(len(files), len(files), "")
    finally:
        imp.close()
    return imp.rows


def _unexpected(path: Path, exc: BaseException) -> _Filed:
    """An item that broke its reader in a way nobody foresaw: quarantined and named."""
    log.warning("inbox item %s could not be read", path.name, exc_info=exc)
    kind = type(exc).__name__
    return _Filed(
        QUARANTINED,
        "unreadable",
        f"{path.name} 无法读取（{kind}），已隔离；其他文件照常导入。请向报送单位索要新的文件。",
        f"{path.name} cannot be read ({kind}) and was quarantined; the other files are "
        "imported as usual. Ask the unit for a new file.",
    )


def _mail_set(imp: _Importer, paths: list[Path]) -> None:
    parts: list[mailset.ReadMail] = []
    try:
        for p in paths:
            parts.append(mailset.read_mail(p))
    except PackageError as err:
        imp.record(
            f"{paths[0].name} …",
            "mail",
            _Filed(QUARANTINED, err.reason, err.message_zh, err.message_en),
            paths,
        )
        return
    parts.sort(key=lambda p: p.index)
    name = parts[0].path.name if len(parts) == 1 else f"{parts[0].path.name} …"
    source = f"{name}（{len(parts)}/{parts[0].total}）"
    filed = imp.mail_set(parts, source)
    imp.record(
        source,
        "mail",
        filed,
        [p.path for p in parts] if filed.outcome == QUARANTINED else [],
    )


def _one_mail(imp: _Importer, path: Path, sets: dict[tuple[str, int], list[Path]]) -> None:
    try:
        head = mailset.read_headers(path)
        if head.is_part:  # read with the other parts of its report, at the end
            sets.setdefault((head.uuid, head.revision), []).append(path)
            return
        mail = mailset.read_mail(path)
    except PackageError as err:
        imp.record(
            path.name,
            "mail",
            _Filed(QUARANTINED, err.reason, err.message_zh, err.message_en),
            [path],
        )
        return
    if mail.packages:
        for att in mail.packages:
            source = f"{path.name} › {att.name}"
            imp.record(source, "mail", imp.mail_package(att, source), [path])
        return
    imp.record(
        path.name,
        "mail",
        _Filed(
            QUARANTINED,
            "no-report",
            "邮件中既没有报送包（.qmpkg），也没有 qmclient 导出的报告分封信息",
            "the mail carries neither a package (.qmpkg) nor the parts of a qmclient export",
        ),
        [path],
    )
