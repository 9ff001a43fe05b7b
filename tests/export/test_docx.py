"""The Word report, read back with python-docx and converted by LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.export import ExportOptions, run


def _east_asia(run) -> str | None:  # type: ignore[no-untyped-def]
    rpr = run._element.rPr
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def _cell_paragraphs(doc):  # type: ignore[no-untyped-def]
    return [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]


def _export_docx(ctx: AppContext, sid: int, folder: Path, *, draft: bool = False) -> Path:
    target = folder / "总结.docx"
    run(ctx, sid, ExportOptions(docx=target, draft=draft))
    return target


def test_page_layout_follows_gbt_9704(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    doc = Document(str(_export_docx(ctx, sample_sid, tmp_path)))
    sec = doc.sections[0]

    def mm(v: int) -> float:
        return round(v / 36000, 1)  # EMU to mm; Word keeps twips

    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert (mm(sec.top_margin), mm(sec.bottom_margin)) == (37, 35)
    assert (mm(sec.left_margin), mm(sec.right_margin)) == (28, 26)
    assert mm(sec.page_width - sec.left_margin - sec.right_margin) == 156
    assert mm(sec.page_height - sec.top_margin - sec.bottom_margin) == 225
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_fonts_title_headings_body_and_indent(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    doc = Document(str(_export_docx(ctx, sample_sid, tmp_path)))
    paras = [p for p in doc.paragraphs if p.text.strip()]
    title = paras[0]
    assert "质量月" in title.text and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0].font.name == "方正小标宋简体"
    assert _east_asia(title.runs[0]) == "方正小标宋简体"
    h1 = [p for p in paras if p.text.startswith(("一、", "二、", "三、", "四、", "五、"))]
    assert [p.text[:2] for p in h1] == ["一、", "二、", "三、"]
    assert all(_east_asia(p.runs[0]) == "黑体" for p in h1)
    assert any(p.text == "三、主要活动开展情况" for p in h1)
    h2 = [p for p in paras if p.text.startswith("（一）")]
    assert h2 and _east_asia(h2[0].runs[0]) == "楷体_GB2312"
    body = next(p for p in paras if p.text.startswith("根据《关于开展"))
    assert _east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    assert body.paragraph_format.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    # every run with text names its East Asian font
    for p in doc.paragraphs:
        for r in p.runs:
            if r.text.strip():
                assert _east_asia(r), f"run {r.text!r} has no East Asian font"


def test_photos_inline_with_numbered_captions(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    report = drafts.load_report(ctx, sample_sid)
    doc = Document(str(_export_docx(ctx, sample_sid, tmp_path)))
    assert len(doc.inline_shapes) == len(report.photos) == 6
    for shape in doc.inline_shapes:
        assert shape.width <= Mm(140.5) and shape.height <= Mm(95.5)
    captions = [p.text for p in _cell_paragraphs(doc) if p.text.startswith("图")]
    assert [c.split("　")[0] for c in captions] == [f"图{i}" for i in range(1, 7)]
    assert captions[0] == "图1　启动仪式现场"
    # the photo taken upright-by-EXIF (orientation 6, stored 1200 × 1600) is embedded as
    # it is seen: landscape
    second = doc.inline_shapes[1]
    assert second.width > second.height
    # the photo paragraph is not clipped by exact line spacing
    pic_par = next(p for p in _cell_paragraphs(doc) if p._element.findall(".//" + qn("w:drawing")))
    assert pic_par.paragraph_format.line_spacing_rule != WD_LINE_SPACING.EXACTLY


def test_videos_listed_and_signature(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    doc = Document(str(_export_docx(ctx, sample_sid, tmp_path)))
    texts = [p.text for p in doc.paragraphs]
    video = next(t for t in texts if t.startswith("视频1："))
    assert "启动仪式视频.mp4" in video and "时长2秒" in video
    # 7.3.7 附注: the contact in brackets on the line after the date
    note = texts.index("（联系人：张三　联系电话：0531-82568852）")
    name, date = doc.paragraphs[note - 2], doc.paragraphs[note - 1]
    assert name.text == "济南某某精密机械有限公司"
    assert date.text.endswith("日") and "年" in date.text
    assert date.alignment == name.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(64)  # 7.3.5.1: 右空四字
    # the name centred over the date: its indent is the date's plus half the difference
    assert name.paragraph_format.right_indent < date.paragraph_format.right_indent


def test_page_numbers_odd_right_even_left(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    doc = Document(str(_export_docx(ctx, sample_sid, tmp_path)))
    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    for footer, align in (
        (sec.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        par = footer.paragraphs[0]
        assert par.alignment == align
        assert par.text.startswith("— ") and par.text.endswith(" —")
        instr = par._element.findall(".//" + qn("w:instrText"))
        assert [i.text.strip() for i in instr] == ["PAGE"]
        assert all(_east_asia(r) == "宋体" and r.font.size == Pt(14) for r in par.runs)


def test_control_characters_and_empty_report(ctx: AppContext, tmp_path: Path) -> None:
    sid = drafts.create_draft(ctx)
    drafts.update_fields(ctx, sid, {"summary": "第一段\x00\x0b\x1f文字\n\n一、标题"})
    doc = Document(str(_export_docx(ctx, sid, tmp_path, draft=True)))
    texts = [p.text for p in doc.paragraphs]
    assert "第一段文字" in texts and "一、标题" in texts
    assert not doc.inline_shapes


def test_libreoffice_converts_it(ctx: AppContext, sample_sid: int, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed: ./qm setup installs it"
    docx = _export_docx(ctx, sample_sid, tmp_path)
    done = subprocess.run(
        [
            soffice,
            "--headless",
            "-env:UserInstallation=file://" + str(tmp_path / "lo"),
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "总结.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "活动情况总结" in text and re.search(r"图\s*6", text)
    assert re.search(r"—\s*2\s*—", text), "page number — 2 — missing"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout
    assert b"pts (A4)" in info


@pytest.mark.parametrize("name", ["", "某某"])
def test_title_made_up_when_missing(ctx: AppContext, tmp_path: Path, name: str) -> None:
    from qmclient.core.report import Unit

    sid = drafts.create_draft(ctx, unit=Unit(name=name))
    drafts.update_fields(ctx, sid, {"title": ""})
    doc = Document(str(_export_docx(ctx, sid, tmp_path, draft=True)))
    assert doc.paragraphs[0].text == "草稿"  # an incomplete report goes out only as a draft
    assert doc.paragraphs[1].text.replace("\n", "").endswith("2022年“质量月”活动情况总结")


# ECMA-376 child order of the property elements we write by hand; Word refuses a file
# ("unreadable content") where they are out of order, LibreOffice does not care.
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
SECTPR_ORDER = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
]


def test_property_elements_are_in_schema_order(
    ctx: AppContext, sample_sid: int, tmp_path: Path
) -> None:
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    docx = _export_docx(ctx, sample_sid, tmp_path)
    checked = 0
    with zipfile.ZipFile(docx) as zf:
        for name in zf.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(zf.read(name))
            for tag, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER), ("sectPr", SECTPR_ORDER)):
                for el in root.iter(w + tag):
                    kids = [c.tag.removeprefix(w) for c in el if c.tag.startswith(w)]
                    ranks = [order.index(k) for k in kids]
                    assert ranks == sorted(ranks), f"{name}: <w:{tag}> children {kids}"
                    checked += 1
    assert checked > 100
