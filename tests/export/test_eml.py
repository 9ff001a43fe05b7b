"""E-mail drafts: parsed back with Python's email package; every part under the limit."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
from email.message import EmailMessage
from pathlib import Path

import pytest
from docx import Document
from exportfiles import SMALL_MAIL_LIMIT, make_noisy_mp4
from openpyxl import load_workbook

from qmclient.export import eml
from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.export import ExportOptions, plan, run


def _parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _attachments(msgs: list[EmailMessage]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for m in msgs:
        for part in m.iter_attachments():
            name = part.get_filename()
            assert name and name not in out
            out[name] = part.get_content()
    return out


def test_parts_fit_and_reassemble(ctx: AppContext, mail_sid: int, tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    preview = plan(ctx, mail_sid, ExportOptions(eml_dir=folder))
    assert preview.ok and len(preview.mail_parts) >= 2
    result = run(ctx, mail_sid, ExportOptions(eml_dir=folder))
    files = sorted(folder.iterdir())
    assert [p.path for p in result.mail_parts] == sorted(p.path for p in result.mail_parts)
    assert len(files) == len(result.mail_parts) >= 2
    total = len(files)
    msgs = []
    for part in result.mail_parts:
        raw = part.path.read_bytes()
        assert len(raw) == part.size <= SMALL_MAIL_LIMIT
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998
        msg = _parse(part.path)
        assert not msg.defects
        assert (
            msg["Subject"]
            == f"【2022年质量月活动总结】济南某某有限公司（天桥区）（{part.index}/{total}）"
        )
        assert msg["To"].addresses[0].addr_spec == "jnzjjzlc@jn.shandong.cn"
        assert msg["To"].addresses[0].display_name == "市质量强市及品牌战略推进工作领导小组办公室"
        assert msg["X-Unsent"] == "1"
        body = msg.get_body(("plain",)).get_content()
        assert f"本邮件为第{part.index}封" in body
        # both encodings of the Chinese names are present for the mail programs in use
        assert b"filename*0*=utf-8''" in raw and b'name="=?utf-8?b?' in raw
        msgs.append(msg)
    got = _attachments(msgs)
    report = drafts.load_report(ctx, mail_sid)
    for i, ref in enumerate(sorted(report.photos, key=lambda m: m.position), 1):
        name = f"图{i:02d} 现场.jpg"
        assert got[name] == ctx.media.path_for(ref.sha256).read_bytes()
    docx = next(v for k, v in got.items() if k.endswith(".docx"))
    assert Document(io.BytesIO(docx)).paragraphs[0].text
    xlsx = next(v for k, v in got.items() if k.endswith(".xlsx"))
    assert load_workbook(io.BytesIO(xlsx)).active["C3"].value == "启动仪式"
    assert next(iter(msgs[0].iter_attachments())).get_filename().endswith(".docx")


def test_video_too_large_is_left_out_with_a_note(
    ctx: AppContext, mail_sid: int, tmp_path: Path
) -> None:
    clip = make_noisy_mp4(tmp_path / "大视频.mp4")
    assert clip.stat().st_size > SMALL_MAIL_LIMIT
    drafts.attach_files(ctx, mail_sid, [clip], caption="活动视频")
    preview = plan(ctx, mail_sid, ExportOptions(eml_dir=tmp_path / "m"))
    assert [v.action for v in preview.videos] == ["omit"]
    result = run(ctx, mail_sid, ExportOptions(eml_dir=tmp_path / "m", video="omit"))
    assert [v.action for v in result.videos] == ["omit"]
    assert "不随邮件发送" in result.videos[0].note_zh and "left out" in result.videos[0].note_en
    msgs = [_parse(p.path) for p in result.mail_parts]
    assert not any(k.endswith(".mp4") for k in _attachments(msgs))
    for m in msgs:
        body = m.get_body(("plain",)).get_content()
        assert "未随邮件发送" in body and "视频1 活动视频.mp4" in body


def test_video_too_large_is_reencoded(ctx: AppContext, mail_sid: int, tmp_path: Path) -> None:
    import av

    clip = make_noisy_mp4(tmp_path / "大视频.mp4")
    drafts.attach_files(ctx, mail_sid, [clip], caption="活动视频")
    result = run(ctx, mail_sid, ExportOptions(eml_dir=tmp_path / "m", video="reencode"))
    assert [v.action for v in result.videos] == ["reencode"]
    msgs = [_parse(p.path) for p in result.mail_parts]
    assert all(p.size <= SMALL_MAIL_LIMIT for p in result.mail_parts)
    video = _attachments(msgs)["视频1 活动视频.mp4"]
    assert len(video) < SMALL_MAIL_LIMIT
    out = tmp_path / "got.mp4"
    out.write_bytes(video)
    with av.open(str(out)) as container:
        assert container.duration and abs(container.duration / 1e6 - 2.0) < 0.3
        assert sum(1 for _ in container.decode(video=0)) >= 45


def test_downscaled_photos_are_upright_small_and_without_gps(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    from PIL import Image

    result = run(ctx, sample_sid, ExportOptions(eml_dir=tmp_path / "m", downscale=320))
    got = _attachments([_parse(p.path) for p in result.mail_parts])
    photos = {k: v for k, v in got.items() if k.startswith("图")}
    assert len(photos) == 6 and all(k.endswith(".jpg") for k in photos)
    for data in photos.values():
        with Image.open(io.BytesIO(data)) as im:
            assert im.format == "JPEG" and max(im.size) <= 320
            exif = im.getexif()
            assert 0x8825 not in exif and 0x0112 not in exif  # no GPS, no orientation
    with Image.open(io.BytesIO(photos["图02 总经理作动员讲话.jpg"])) as im:
        assert im.size == (320, 240)  # stored portrait with orientation 6: seen landscape


def test_export_is_recorded_beside_the_status_and_freezes_the_revision(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    from qmclient.core import lifecycle
    from qmclient.services import export_record

    result = run(ctx, sample_sid, ExportOptions(eml_dir=tmp_path / "m"))
    mails = sorted((tmp_path / "m").glob("*.eml"))
    # exported is not sent: the status stays a draft, the export is recorded beside it
    assert result.status == "draft" == drafts.status_of(ctx, sample_sid)
    note = export_record.latest(ctx, sample_sid)
    assert note == result.exported
    assert note is not None and note.mail_count == len(mails) and note.kinds == ("eml",)
    assert note.revision == 1 and note.report_hash == result.report_hash
    zh, en = lifecycle.status_words("draft", note, 1, dt.UTC)
    stamp = note.made_at.strftime("%Y-%m-%d %H:%M")
    assert zh == f"草稿 · 已导出 {stamp} · 邮件 {len(mails)} 封"
    assert en.startswith(f"Draft · exported {stamp} · {len(mails)} mail")
    log = [e.action for e in drafts.audit_log(ctx, sample_sid)]
    assert "frozen" in log and "exported" in log and not any(a.startswith("status:") for a in log)
    # exporting again is allowed and gives the same report hash
    again = run(ctx, sample_sid, ExportOptions(eml_dir=tmp_path / "m2"))
    assert again.report_hash == result.report_hash
    # the next edit opens revision 2: the export no longer matches and says so
    drafts.update_fields(ctx, sample_sid, {"title": "修改后的标题"})
    [row] = [r for r in drafts.list_submissions(ctx) if r.id == sample_sid]
    assert row.revision == 2 and row.status == "draft"
    words = lifecycle.status_words(row.status, row.export_note, row.revision)[0]
    assert words.startswith("草稿 · 已导出 ") and words.endswith("（之后有修改）")
    short = lifecycle.status_words(row.status, row.export_note, row.revision, short=True)
    assert short == ("草稿 · 导出后有修改", "Draft · changed since export")
    # once a later revision is sent, the old export is not mentioned at all
    assert lifecycle.status_words("received", row.export_note, 2) == ("已送达", "Received")


@pytest.mark.parametrize("size", [0, 1, 2, 3, 56, 57, 58, 113, 114, 1000, 57 * 1024 * 16 + 5])
def test_message_size_is_exact(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256 + 1)
    src = tmp_path / "f.bin"
    src.write_bytes(data[:size])
    env = eml.Envelope("收件单位", "a@example.com", "【主题】测试", "seed", _now())
    att = [eml.Attachment("附件 名称（一）.bin", "application/octet-stream", src, size)]
    buf = io.BytesIO()
    written = eml.write_message(buf, env, 1, 1, "正文", att)
    assert written == len(buf.getvalue()) == eml.message_size(env, 1, 1, "正文", att)
    part = next(_parse_bytes(buf.getvalue()).iter_attachments())
    assert part.get_content() == data[:size]


def test_split_refuses_an_attachment_larger_than_a_part(tmp_path: Path) -> None:
    src = tmp_path / "big.bin"
    src.write_bytes(b"x" * 300_000)
    env = eml.Envelope("收件单位", "a@example.com", "主题", "seed", _now())
    big = eml.Attachment("大文件.bin", "application/octet-stream", src, 300_000)
    with pytest.raises(eml.TooLarge) as info:
        eml.split(env, [], [big], 200_000, lambda i, t, a: "正文")
    assert 0 < info.value.room < 200_000 * 3 // 4


def _now():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime(2022, 9, 28, 10, 0, tzinfo=dt.UTC)


def _parse_bytes(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_rfc2231_segments_end_on_character_boundaries() -> None:
    import re
    from urllib.parse import unquote_to_bytes

    name = "济南某某精密机械有限公司2022年质量月活动情况总结（第一部分）.docx"
    head = eml.Attachment(name, "application/octet-stream", Path("x"), 1).head("b").decode()
    segments = re.findall(r"filename\*\d+\*=(?:utf-8'')?([^;\r\n]+)", head)
    assert len(segments) > 1
    for seg in segments:
        unquote_to_bytes(seg).decode("utf-8")  # each segment is whole UTF-8 on its own
    assert "".join(unquote_to_bytes(s).decode() for s in segments) == name
    assert all(len(line) <= 78 for line in head.split("\r\n"))
