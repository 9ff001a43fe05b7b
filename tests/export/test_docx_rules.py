"""GB/T 9704-2012 for the content of the Word report: a realistic report (six summary
paragraphs written the usual way, six activities, 20 photos, a video) rendered through
LibreOffice, checked from the PDF's text positions and from python-docx's values."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree
from rendering import pdf_lines, to_pdf
from sample import build_realistic

from qmclient.export.docx_report import balanced_title
from qmclient.export.outline import parse, renumber, split_closing
from qmclient.export.text import display_width
from qmclient.services.context import AppContext
from qmclient.services.export import ExportOptions, run

pytestmark = pytest.mark.linux_tools  # rendered through LibreOffice and poppler

SIGNED = dt.date(2022, 9, 28)
MM = 72 / 25.4


def _east_asia(run) -> str | None:  # type: ignore[no-untyped-def]
    rpr = run._element.rPr
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the .docx, its PDF) — built once for the module: it takes LibreOffice a while."""
    from qmclient.services.context import open_context

    tmp = tmp_path_factory.mktemp("realistic")
    ctx = open_context(tmp / "data")
    try:
        sid = build_realistic(ctx, tmp / "src", photo_size=(640, 480))
        docx = tmp / "report.docx"
        run(ctx, sid, ExportOptions(docx=docx, signed=SIGNED))
    finally:
        ctx.close()
    return docx, to_pdf(docx, tmp)


def test_heading_runs_carry_only_the_heading_sentence(realistic: tuple[Path, Path]) -> None:
    doc = Document(str(realistic[0]))
    by_start = {p.text[:4]: p for p in doc.paragraphs if p.text.strip()}
    for start, heading, font in (
        ("一、加强", "一、加强组织领导，周密安排部署。", "黑体"),
        ("（一）健", "（一）健全工作机制。", "楷体_GB2312"),
        ("1.压实", "1.压实部门责任。", "仿宋_GB2312"),
        ("二、突出", "二、突出工作重点，确保活动实效。", "黑体"),
    ):
        p = by_start[start]
        assert p.runs[0].text == heading, p.text
        assert _east_asia(p.runs[0]) == font
        assert _east_asia(p.runs[1]) == "仿宋_GB2312" and len(p.runs[1].text) > 20
        assert not p.paragraph_format.keep_with_next  # body follows on the same line
    # a heading alone on its line keeps with what follows
    alone = next(p for p in doc.paragraphs if p.text == "三、主要活动开展情况")
    assert alone.paragraph_format.keep_with_next and _east_asia(alone.runs[0]) == "黑体"


def test_fonts_have_fallbacks_in_the_font_table(realistic: tuple[Path, Path]) -> None:
    doc = Document(str(realistic[0]))
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    fonts = {
        f.get(qn("w:name")): f.find(qn("w:altName"))
        for f in etree.fromstring(part.blob).findall(qn("w:font"))
    }
    alt = {name: el.get(qn("w:val")) for name, el in fonts.items() if el is not None}
    assert alt["仿宋_GB2312"] == "仿宋"
    assert alt["方正小标宋简体"] == "宋体"
    assert alt["楷体_GB2312"] == "楷体"
    assert {"黑体", "宋体", "仿宋", "楷体"} <= set(fonts)


def test_numbering_restarts_per_area_and_closing_comes_last(
    realistic: tuple[Path, Path],
) -> None:
    doc = Document(str(realistic[0]))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    start = texts.index("三、主要活动开展情况")
    closing = next(i for i, t in enumerate(texts) if t.startswith("四、下一步打算。"))
    assert start < closing  # activities before the user's closing paragraph, renumbered
    h2 = [t for t in texts[start:closing] if re.match(r"^（[一二三四五六七]）", t)]
    assert [t[:3] for t in h2] == ["（一）", "（二）", "（三）"]
    numbers = [t[:2] for t in texts[start:closing] if re.match(r"^\d．", t)]
    assert numbers == ["1．", "2．"] * 3  # restarts under each （一）
    note = next(i for i, t in enumerate(texts) if t.startswith("附件："))
    assert texts[note] == "附件：1．活动图片（共20张）"
    assert texts[note + 1] == "2．视频资料目录（共1段）"
    assert closing < note < texts.index("济南某某精密机械有限公司")
    # the attachments themselves: 附件1 and 附件2 at the top of their own pages
    assert texts.index("附件1") > texts.index("2022年9月28日")
    assert "附件2" in texts and texts[texts.index("附件2") + 1] == "视频资料目录"


def test_pdf_positions(realistic: tuple[Path, Path]) -> None:
    lines, width = pdf_lines(realistic[1])
    right_edge = width - 26 * MM  # the type area's right edge
    # the first page is text, not a heading chain pushed to page 2
    first = [ln for ln in lines if ln.page == 1 and len(ln.text) >= 10]
    assert len(first) >= 15
    # 7.3.5.1: date 右空四字, the unit centred over it
    date = next(ln for ln in lines if ln.text == "2022年9月28日")
    unit = next(
        ln for ln in lines if ln.text == "济南某某精密机械有限公司" and ln.page == date.page
    )
    assert abs((right_edge - date.x1) - 4 * 16) < 6, right_edge - date.x1
    assert abs(unit.centre - date.centre) < 8
    assert 0 < date.y0 - unit.y1 < 16  # the next line
    # photos two per row in 附件1: 20 pictures on few pages, half of them on the right
    listing = subprocess.run(
        ["pdfimages", "-list", str(realistic[1])], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    per_page = Counter(int(row.split()[0]) for row in listing if row.split()[2] == "image")
    assert sum(per_page.values()) == 20
    assert len(per_page) <= 6 and max(per_page.values()) >= 5, per_page
    start = next(ln.page for ln in lines if ln.text == "附件1")
    assert min(per_page) >= start  # in the attachment, not in the body
    # a right-hand caption: a line starting right of the middle, or a second 图N that
    # pdftotext joined onto the left-hand caption's line
    right = [
        ln
        for ln in lines
        if ln.page >= start
        and ((ln.text.startswith("图") and ln.x0 > width / 2) or re.search(r".图\d", ln.text))
    ]
    assert len(right) >= 8  # captions in the right-hand column
    # title: two lines, none of them one character
    title = [ln for ln in lines if ln.page == 1 and ln.y0 < 37 * MM + 90]
    assert all(len(ln.text) > 1 for ln in title)


@pytest.mark.parametrize(
    "title",
    [
        "济南某某精密机械有限公司关于2022年“质量月”活动开展情况的总结报告",
        "关于开展2022年“质量月”活动情况的总结a",
        "二〇二二年质量月活动开展情况总结报告甲",
    ],
)
def test_title_lines_are_balanced(title: str) -> None:
    lines = balanced_title(title).split("\n")
    assert "".join(lines) == title
    assert all(len(line) >= 3 for line in lines)  # no character left alone
    assert all(display_width(line) <= 20 for line in lines)
    assert not any(line.startswith(("”", "》", "）")) for line in lines)


def test_outline_splits_heading_sentences_and_the_closing_part() -> None:
    paras = parse(
        "引言。\n一、组织领导。成立小组。\n（一）机制\n1.责任。分解任务。\n1.5万人参加。\n"
        "二、存在的问题和下一步打算。继续努力。"
    )
    assert [(p.level, p.heading) for p in paras] == [
        (0, ""),
        (1, "一、组织领导。"),
        (2, "（一）机制"),
        (3, "1.责任。"),
        (0, ""),  # 1.5万 is a number, not a heading
        (1, "二、存在的问题和下一步打算。"),
    ]
    before, closing = split_closing(paras)
    assert len(before) == 5 and closing[0].heading.startswith("二、")
    assert renumber(closing, 3)[0].heading == "三、存在的问题和下一步打算。"


def test_draft_marks_first_page_and_mail_subject(ctx: AppContext, tmp_path: Path) -> None:
    from email import policy
    from email.parser import BytesParser

    from qmclient.core.report import Unit
    from qmclient.services import drafts

    sid = drafts.create_draft(ctx, unit=Unit(name="某某公司", email="1380531123"))
    drafts.update_fields(ctx, sid, {"summary": "一、做法。正文。"})
    out = tmp_path / "out"
    out.mkdir()
    run(ctx, sid, ExportOptions(docx=out / "r.docx", eml_dir=out / "m", draft=True))
    doc = Document(str(out / "r.docx"))
    assert doc.paragraphs[0].text == "草稿" and _east_asia(doc.paragraphs[0].runs[0]) == "黑体"
    assert doc.paragraphs[0].runs[0].font.size == Pt(16)
    mail = next((out / "m").glob("*.eml"))
    msg = BytesParser(policy=policy.default).parse(mail.open("rb"))
    assert str(msg["Subject"]).startswith("【草稿】")
    assert "1380531123" not in str(msg["From"] or "")  # not an address: no From: <1380531123>
    assert "草稿" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert drafts.status_of(ctx, sid) == "draft"  # a draft is not "exported"
