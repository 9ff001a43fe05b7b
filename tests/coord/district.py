"""A generated district: enterprises' packages and mails, good and broken on purpose.

``build_district(folder, n)`` drafts ``n`` valid enterprise reports in 历下区 in their own
data folder (the enterprises' machines, one folder for speed), exports each as a package,
and then breaks copies in every way a coordinator meets.  It returns the files and the
filing each must end with (``expected``: file name -> inbox code).
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hostilezip import add_bomb, flip_media_byte, keep_and, manifest_edit, rewrite, symlink_entry
from mediafactory import make_jpeg, make_mp4

from qmclient.core.report import Unit
from qmclient.export.package import MANIFEST
from qmclient.services import drafts
from qmclient.services.context import AppContext, open_context
from qmclient.services.packages import export_package

CREDIT_CODE = "91350100M000100Y43"
SUMMARY = (
    "2022年9月，我公司围绕“争创标杆开新局 质量强市促发展”主题，组织开展了质量月系列活动。"
    "活动包括质量知识讲座、QC小组成果发布、质量开放日等，全体员工积极参与，"
    "进一步增强了质量意识，提升了产品和服务质量，取得了良好效果。"
)
AREAS = (
    "publicity",
    "education",
    "improvement",
    "brand",
    "services",
    "enforcement",
    "public-benefit",
)


def enterprise(
    ctx: AppContext,
    folder: Path,
    i: int,
    *,
    district: str = "lixia",
    photo_size: tuple[int, int] = (160, 120),
) -> int:
    unit = Unit(
        name=f"济南第{i + 1:02d}机械制造有限公司",
        kind="enterprise",
        district=district,
        credit_code=CREDIT_CODE,
        contact_person="张三",
        phone="13800000000",
    )
    sid = drafts.create_draft(ctx, unit=unit)
    drafts.update_fields(ctx, sid, {"summary": SUMMARY})
    for k in range(1 + i % 3):
        drafts.add_activity(
            ctx,
            sid,
            {
                "focus_area": AREAS[(i + k) % len(AREAS)],
                "name": f"质量月活动{k + 1}",
                "start_date": "2022-09-0" + str(1 + k),
                "end_date": "2022-09-0" + str(1 + k),
                "place": "公司会议室",
                "organiser": "质量部",
                "participants": str(20 + i),
                "description": "组织开展质量主题活动，职工积极参与。",
            },
        )
    photo = make_jpeg(folder / f"p{i}.jpg", photo_size, seed=i + 1)
    result = drafts.attach_files(ctx, sid, [photo], caption="活动现场")
    assert not result.failed, result.failed
    return sid


def padded_mp4(path: Path, extra_bytes: int, seed: int = 0) -> Path:
    """A real MP4 followed by ``extra_bytes`` of random data (a big 'video' made fast)."""
    import random

    make_mp4(path, seconds=0.4, size=(160, 120))
    block = random.Random(seed).randbytes(1 << 20)
    with open(path, "ab") as fh:
        for i in range(extra_bytes // len(block)):
            fh.write((seed * 1_000_003 + i).to_bytes(8, "big") + block[8:])
    return path


def _dup(info, data):  # type: ignore[no-untyped-def]
    out = [(info, data)]
    if info.filename.startswith("media/"):
        out.append((zipfile.ZipInfo(info.filename), data))
    return out


BREAKS = {
    "zip-slip": (keep_and([("../../evil.txt", b"x")]), "quarantined:unsafe-path"),
    "absolute": (keep_and([("/etc/evil", b"x")]), "quarantined:unsafe-path"),
    "symlink": (keep_and([(symlink_entry(), "/etc/passwd")]), "quarantined:symlink"),
    "bomb": (add_bomb, "quarantined:zip-bomb"),
    "duplicate-entry": (_dup, "quarantined:duplicate-entry"),
    "hash-lie": (flip_media_byte, "quarantined:hash-mismatch"),
    "size-lie": (
        manifest_edit(lambda d: d["media"][0].__setitem__("size", d["media"][0]["size"] + 1)),
        "quarantined:size-mismatch",
    ),
    "newer-format": (
        manifest_edit(lambda d: d.__setitem__("format_version", 9)),
        "quarantined:newer-format",
    ),
}


def mail_with(path: Path, attachments: list[tuple[str, bytes]], subject: str = "报送") -> Path:
    msg = EmailMessage()
    msg["From"] = "qy@example.cn"
    msg["To"] = "lixia@example.cn"
    msg["Subject"] = subject
    msg.set_content("请查收附件。")
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    path.write_bytes(msg.as_bytes())
    return path


def tamper_mail(src: Path, dest: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Re-serialise a mail with ``change(name, data) -> data`` applied to attachments."""
    msg = BytesParser(policy=policy.default).parsebytes(src.read_bytes())
    for part in msg.iter_attachments():
        name = part.get_filename() or ""
        data = part.get_payload(decode=True)
        new = change(name, data)
        if new is not data:
            maintype, subtype = part.get_content_type().split("/")
            part.set_content(new, maintype=maintype, subtype=subtype, filename=name)
    dest.write_bytes(msg.as_bytes())
    return dest


@dataclass
class District:
    folder: Path  # what the coordinator receives
    expected: dict[str, str] = field(default_factory=dict)  # inbox source name -> code
    good_uuids: set[str] = field(default_factory=set)  # reports that must end up stored


def build_district(root: Path, n: int = 60) -> District:
    """``n`` enterprises; about a quarter of what arrives is broken on purpose."""
    from qmclient.services.export import ExportOptions, run

    src = root / "enterprises"
    inbox = root / "received"
    media = root / "media"
    for f in (inbox, media, root / "pk"):
        f.mkdir(parents=True, exist_ok=True)
    ctx = open_context(src)
    d = District(inbox)
    try:
        sids = [enterprise(ctx, media, i) for i in range(n)]
        videos = [padded_mp4(media / f"v{k}.mp4", 11 * 2**20, seed=k) for k in (1, 2)]
        assert not drafts.attach_files(ctx, sids[0], videos, caption="活动视频").failed
        pkgs = [
            export_package(ctx, sid, root / "pk" / f"e{i:02d}.qmpkg") for i, sid in enumerate(sids)
        ]
        uuids = [drafts.load_report(ctx, sid).uuid for sid in sids]
        breaks = sorted(BREAKS)
        broken = set(range(n - len(breaks), n))
        mailed = {0, 1}  # these two come by mail: as the export's parts, and as an attachment
        for i, pkg in enumerate(pkgs):
            if i in broken or i in mailed:
                continue
            shutil.copy(pkg, inbox / pkg.name)
            d.expected[pkg.name] = "new"
            d.good_uuids.add(uuids[i])
        for k, i in enumerate(sorted(broken)):
            name = f"e{i:02d}-{breaks[k]}.qmpkg"
            edit, code = BREAKS[breaks[k]]
            rewrite(pkgs[i], inbox / name, edit)
            d.expected[name] = code
        # the same package twice (in a sub-folder: folders are searched)
        (inbox / "usb").mkdir()
        shutil.copy(pkgs[2], inbox / "usb" / "e02-again.qmpkg")
        d.expected["e02-again.qmpkg"] = "duplicate"
        # truncated and junk
        data = pkgs[3].read_bytes()
        (inbox / "e03-truncated.qmpkg").write_bytes(data[: len(data) // 2])
        d.expected["e03-truncated.qmpkg"] = "quarantined:corrupt"
        (inbox / "junk.qmpkg").write_bytes(b"this is not a zip file at all")
        d.expected["junk.qmpkg"] = "quarantined:corrupt"
        (inbox / "empty.qmpkg").write_bytes(b"")
        d.expected["empty.qmpkg"] = "quarantined:corrupt"
        # another district, another campaign, a report failing the checks
        other = enterprise(ctx, media, 90, district="shizhong")
        export_package(ctx, other, inbox / "x-other-district.qmpkg")
        d.expected["x-other-district.qmpkg"] = "quarantined:wrong-district"
        pkg = rewrite(
            pkgs[4],
            root / "tmp-campaign.qmpkg",
            manifest_edit(lambda doc: doc["report"].__setitem__("campaign_id", "jinan-2023")),
        )
        _rehash(pkg, inbox / "x-other-campaign.qmpkg")
        d.expected["x-other-campaign.qmpkg"] = "quarantined:wrong-campaign"
        weak = enterprise(ctx, media, 91)
        drafts.update_fields(ctx, weak, {"summary": ""})
        export_package(ctx, weak, inbox / "x-no-summary.qmpkg")
        d.expected["x-no-summary.qmpkg"] = "quarantined:failed-validation"
        # two revisions in the wrong order: revision 2 comes first (file names sort)
        two = enterprise(ctx, media, 92)
        export_package(ctx, two, root / "r1.qmpkg")
        drafts.freeze(ctx, two)  # as a formal export does
        drafts.update_fields(ctx, two, {"title": "修订后的总结"})  # opens revision 2
        assert drafts.load_report(ctx, two).revision == 2
        export_package(ctx, two, inbox / "y-rev2.qmpkg")
        shutil.copy(root / "r1.qmpkg", inbox / "z-rev1.qmpkg")
        d.expected["y-rev2.qmpkg"] = "new"
        d.expected["z-rev1.qmpkg"] = "quarantined:older-revision"
        d.good_uuids.add(drafts.load_report(ctx, two).uuid)
        # mails: a package attached; the e-mail export in parts; the same, incomplete
        mail_with(inbox / "m-attached.eml", [(pkgs[1].name, pkgs[1].read_bytes())])
        d.expected[f"m-attached.eml › {pkgs[1].name}"] = "new"
        d.good_uuids.add(uuids[1])
        hostile = rewrite(pkgs[5], root / "hostile.qmpkg", BREAKS["zip-slip"][0])
        mail_with(inbox / "m-hostile.eml", [("e05.qmpkg", hostile.read_bytes())])
        d.expected["m-hostile.eml › e05.qmpkg"] = "quarantined:unsafe-path"
        mail_with(inbox / "m-nothing.eml", [("说明.txt", "没有附件".encode())])
        d.expected["m-nothing.eml"] = "quarantined:no-report"
        (inbox / "m-binary.eml").write_bytes(bytes(range(256)) * 4)
        d.expected["m-binary.eml"] = "quarantined:not-a-mail"
        mails = root / "mails"
        run(ctx, sids[0], ExportOptions(eml_dir=mails))
        parts = sorted(mails.glob("*.eml"))
        for k, p in enumerate(parts, 1):
            shutil.copy(p, inbox / f"m-e00-part{k}.eml")
        assert len(parts) == 2, parts  # two videos of 11 MB: the mail comes in two parts
        d.expected[f"m-e00-part1.eml …（{len(parts)}/{len(parts)}）"] = "new"
        d.good_uuids.add(uuids[0])
        # an incomplete set: one part of a two-part mail (a made-up second part)
        late = enterprise(ctx, media, 93)
        run(ctx, late, ExportOptions(eml_dir=root / "mails-late"))
        one = sorted((root / "mails-late").glob("*.eml"))[0]
        raw = one.read_bytes().replace(b"X-QM-Part: 1/1", b"X-QM-Part: 1/3")
        (inbox / "m-late-part1.eml").write_bytes(raw)
        d.expected["m-late-part1.eml（1/3）"] = "quarantined:missing-parts"
        # a mail whose photo was changed on the way
        lied = enterprise(ctx, media, 94)
        run(ctx, lied, ExportOptions(eml_dir=root / "mails-lied"))
        src_mail = sorted((root / "mails-lied").glob("*.eml"))[0]
        tamper_mail(
            src_mail,
            inbox / "m-lied.eml",
            lambda name, data: data[:-10] + b"0123456789" if name.endswith(".jpg") else data,
        )
        d.expected["m-lied.eml（1/1）"] = "quarantined:hash-mismatch"
    finally:
        ctx.close()
    return d


def _rehash(src: Path, dest: Path) -> Path:
    """Make a package whose manifest is consistent again after editing the report."""
    from qmclient.core.report import Report

    def fix(info, data):  # type: ignore[no-untyped-def]
        if info.filename == MANIFEST:
            doc = json.loads(data)
            doc["report_hash"] = Report.from_dict(doc["report"]).report_hash()
            return [(info, json.dumps(doc))]
        return [(info, data)]

    return rewrite(src, dest, fix)
