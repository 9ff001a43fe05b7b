"""The Word summary (活动情况总结) laid out as GB/T 9704-2012 lays out official documents,
for the page and for the content.  Each rule names its clause where it is applied:

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: type area 156 × 225 mm
  (5.2.1, 5.2.2); body 3号 仿宋 (5.2.3), 22 lines of 28 characters (5.2.4);
- title 2号 小标宋, centred, broken into balanced lines with no character alone (7.3.1);
- headings 一、 黑体, （一） 楷体, 1. and （1） 仿宋 — the heading sentence only (7.3.3);
- the generated sections (activities) before the user's closing part, the photos and the
  video list as attachments on pages of their own (7.3.8), announced by 附件： (7.3.4);
- the unit and the date laid out for a seal: date 右空四字, unit centred over it
  (7.3.5.1), dates in Arabic numerals (7.3.5.3); the contact as 附注 below (7.3.7);
- page numbers 4号 宋体 ``— 1 —``, odd pages right and even pages left (7.5).

Every run names its font twice (``w:ascii``/``w:hAnsi`` and ``w:eastAsia``): Word takes
Chinese text from ``w:eastAsia`` only.  The official font names come with the fallbacks
an ordinary Windows PC has, in the font table (:mod:`qmclient.export.docx_style`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from typing import Any, BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from qmclient.core.campaign import Campaign
from qmclient.core.report import Activity, Report
from qmclient.core.sizes import size_text
from qmclient.export import outline
from qmclient.export.docx_photos import Figure, PhotoImage, attachment_page, photo_group
from qmclient.export.docx_style import (
    FONT_BODY,
    FONT_H1,
    FONT_H2,
    FONT_H3,
    FONT_PAGE,
    FONT_TITLE,
    SIZE_BODY,
    SIZE_PAGE,
    SIZE_TITLE,
    condense,
    declare_fonts,
    set_font,
    style_font,
)
from qmclient.export.naming import area_groups, figure_order, loose_photos, photos_of, video_order
from qmclient.export.text import (
    cn_numeral,
    date_zh,
    display_width,
    duration_zh,
    period_zh,
    xml_safe,
)

__all__ = ["PhotoImage", "write_report"]

LINE_PITCH = 28.95  # pt: 22 lines in the 225 mm type area (5.2.4)
CHARS_PER_LINE = 28
# Character spacing of body text in twentieths of a point: 28 × (16 − 0.25) pt ≤ 156 mm.
CHAR_SPACING = -5
PAGE_W, PAGE_H = 210, 297  # mm (5.2.1)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37, 35, 28, 26  # mm (5.2.2)
FOOTER_DISTANCE = 24  # mm from the page edge: the number sits 7 mm below the type area
SIGN_RIGHT_CHARS = 4  # 7.3.5.1: 成文日期一般右空四字编排
SEAL_ROOM_LINES = 2  # 7.3.5.1: 印章顶端上距正文（或附件说明）一行之内
_TYPE_W_PT = (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) / 25.4 * 72
TITLE_CHARS = int(_TYPE_W_PT // SIZE_TITLE)  # 20 characters of 2号 a line
_TITLE_BREAK_AFTER = "的年”）》、，"
LEVEL_FONTS = {1: FONT_H1, 2: FONT_H2, 3: FONT_H3, 4: FONT_H3}  # 7.3.3
DRAFT_MARK = "草稿"


def balanced_title(title: str, unit: str = "") -> str:
    """7.3.1: 回行时词意完整，排列对称 — a title longer than a line is broken into lines of
    near-equal width (the first no shorter than the rest), preferring a break after the
    unit's name or after 的/年/closing quotes; no line is left with one character."""
    width = display_width(title)
    if width <= TITLE_CHARS:
        return title
    lines = math.ceil(width / TITLE_CHARS)
    out, rest = [], title
    for left in range(lines, 1, -1):
        target = display_width(rest) / left
        best, best_cost = 0, float("inf")
        for cut in range(1, len(rest)):
            w = display_width(rest[:cut])
            if w > TITLE_CHARS or display_width(rest[cut:]) > TITLE_CHARS * (left - 1):
                continue
            cost = abs(w - target) + (0.0 if w >= target else 0.25)
            if unit and rest[:cut] == unit:
                cost -= 3
            elif rest[cut - 1] in _TITLE_BREAK_AFTER:
                cost -= 1.5
            if rest[cut - 1] in "“《（" or rest[cut] in "”》），。、":
                cost += 5  # never open a quote at a line end or start a line with a closer
            if cost < best_cost:
                best, best_cost = cut, cost
        if best == 0:
            break
        out.append(rest[:best])
        rest = rest[best:]
    out.append(rest)
    return "\n".join(out)


def _set_width(text: str) -> float:
    """Width of a line of body text in characters: CJK one, digits half, and the third of
    a character Word and LibreOffice put between Chinese and Latin or digits."""
    kinds = [display_width(c) >= 1 for c in text]
    switches = sum(1 for a, b in itertools.pairwise(kinds) if a != b)
    return display_width(text) + switches / 3


class _Writer:
    def __init__(
        self, report: Report, campaign: Campaign, *, draft: bool, photos_per_row: int
    ) -> None:
        self.report = report
        self.campaign = campaign
        self.doc = Document()
        self.draft = draft
        self.per_row = photos_per_row

    # -- page and styles -----------------------------------------------------------

    def setup_page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(FOOTER_DISTANCE)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        # 22 lines: a line grid at the exact pitch.  (A character grid, "linesAndChars",
        # would squeeze 28 characters in Word but doubles their pitch in LibreOffice;
        # condensing the body text a quarter point gets 28 a line in both.)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH * 20)))
        self._doc_defaults()
        normal = self.doc.styles["Normal"]
        style_font(normal, FONT_BODY, SIZE_BODY)
        condense(normal.element.get_or_add_rPr(), CHAR_SPACING)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = True
        props = self.doc.core_properties
        props.title = xml_safe(self.title())
        props.author = xml_safe(self.report.unit.name)[:255]
        props.last_modified_by = props.author
        props.comments = ""
        props.subject = xml_safe(self.campaign.title)
        props.keywords = "质量月"

    def _doc_defaults(self) -> None:
        """Document defaults in the body font and size: a character grid is measured
        against them, and text outside any style falls back to them."""
        styles = self.doc.styles.element
        rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is None:
            return
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(key), FONT_BODY)
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is not None:
                el.set(qn("w:val"), str(round(SIZE_BODY * 2)))
        lang = rpr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:val"), "en-US")
            lang.set(qn("w:eastAsia"), "zh-CN")
        spacing = styles.find(
            f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}"
        )
        if spacing is not None:
            spacing.set(qn("w:after"), "0")

    def page_numbers(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            par = footer.paragraphs[0]
            par.alignment = align
            fmt = par.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.first_line_indent = Pt(0)
            one_char = Pt(SIZE_PAGE)
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = one_char
            else:
                fmt.left_indent = one_char
            set_font(par.add_run("— "), FONT_PAGE, SIZE_PAGE)
            self._page_field(par)
            set_font(par.add_run(" —"), FONT_PAGE, SIZE_PAGE)

    def _page_field(self, par: Any) -> None:
        for kind, text in (
            ("begin", None),
            ("instr", " PAGE "),
            ("separate", None),
            ("text", "1"),
            ("end", None),
        ):
            run = par.add_run()
            set_font(run, FONT_PAGE, SIZE_PAGE)
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
            elif kind == "text":
                run.text = text
            else:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._element.append(fld)

    # -- paragraphs ------------------------------------------------------------------

    def title(self) -> str:
        r = self.report
        return r.title.strip() or self._default_title()

    def _default_title(self) -> str:
        return f"{self.report.unit.name}{self.campaign.year}年“质量月”{self.campaign.report_title}"

    def par(
        self,
        text: str,
        *,
        font: str = FONT_BODY,
        size: float = SIZE_BODY,
        bold: bool = False,
        indent: bool = True,
        align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    ) -> Any:
        p = self.doc.add_paragraph()
        p.alignment = align
        if indent:  # 7.3.3: 每个自然段左空二字，回行顶格
            p.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
            p.paragraph_format.element.get_or_add_pPr().get_or_add_ind().set(
                qn("w:firstLineChars"), "200"
            )
        if text:
            set_font(p.add_run(xml_safe(text)), font, size, bold=bold)
        return p

    def blank(self) -> None:
        self.doc.add_paragraph()

    def outlined(self, para: outline.Paragraph) -> None:
        """7.3.3: the heading sentence in its level's font, the rest of the line body text;
        a heading alone on its line stays with the next paragraph."""
        if para.level == 0:
            self.par(para.body)
            return
        p = self.par(para.heading, font=LEVEL_FONTS[para.level])
        if para.body:
            set_font(p.add_run(xml_safe(para.body)), FONT_BODY, SIZE_BODY)
        else:
            p.paragraph_format.keep_with_next = True

    def heading(self, level: int, text: str) -> None:
        self.outlined(outline.Paragraph(level, text, ""))

    def text_block(self, text: str) -> None:
        for para in outline.parse(xml_safe(text)):
            self.outlined(para)

    # -- the document ------------------------------------------------------------------

    def build(self, photos: dict[str, PhotoImage], signed: dt.date) -> None:
        r = self.report
        self.setup_page()
        self.page_numbers()
        declare_fonts(self.doc)
        first = self.doc.paragraphs[0] if self.doc.paragraphs else self.doc.add_paragraph()
        if self.draft:  # where 7.2.3 puts 密级: top left of the first page, 3号黑体
            set_font(first.add_run(DRAFT_MARK), FONT_H1, SIZE_BODY)
            first = self.doc.add_paragraph()
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = first.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(35)  # 2号 lines: a little more than the body pitch
        unit = r.unit.name.strip()
        title = balanced_title(xml_safe(self.title()), unit)
        set_font(first.add_run(title), FONT_TITLE, SIZE_TITLE)
        self.blank()

        figures = [
            Figure(i, m, photos.get(m.sha256))
            for i, m in enumerate(figure_order(r, self.campaign), 1)
        ]
        fig_of = {f.ref.sha256 + (f.ref.activity_id or ""): f for f in figures}
        attachments = []
        if figures:
            attachments.append(f"活动图片（共{len(figures)}张）")
        videos = video_order(r)
        if videos:
            attachments.append(f"视频资料目录（共{len(videos)}段）")
        photo_att = 1 if figures else 0

        before, closing = outline.split_closing(outline.parse(xml_safe(r.summary)))
        for para in before:
            self.outlined(para)
        section_no = outline.level1_count(before)
        groups = area_groups(r, self.campaign)
        if groups:
            section_no += 1
            self.heading(1, f"{cn_numeral(section_no)}、主要活动开展情况")
            for gi, group in enumerate(groups, 1):
                self.heading(2, f"（{cn_numeral(gi)}）{group.name_zh}")
                for ai, activity in enumerate(group.activities, 1):  # restarts per area
                    self.activity(ai, activity, photo_att, fig_of)
        for para in outline.renumber(closing, section_no + 1):
            self.outlined(para)
        self.attachment_note(attachments)
        self.signature(unit, date_zh(signed))
        self.note()
        if figures:
            self.photo_attachment(1, figures)
        if videos:
            attachment_page(self.doc, len(attachments), "视频资料目录")
            for i, v in enumerate(videos, 1):
                label = v.caption.strip() or "（未填写视频说明）"
                self.par(
                    f"视频{i}：{label}（时长{duration_zh(v.duration_s)}，文件名"
                    f"“{v.original_name}”，{size_text(v.size)}）。"
                )

    def activity(
        self, number: int, activity: Activity, attachment: int, fig_of: dict[str, Figure]
    ) -> None:
        self.heading(3, f"{number}．{activity.name.strip() or '（未命名活动）'}")
        facts = []
        when = period_zh(activity.start_date, activity.end_date)
        if when:
            facts.append(f"时间：{when}")
        if activity.place.strip():
            facts.append(f"地点：{activity.place.strip()}")
        if activity.organiser.strip():
            facts.append(f"组织单位：{activity.organiser.strip()}")
        if activity.participants is not None:
            facts.append(f"参与人数：{activity.participants}人")
        if facts:
            self.par("；".join(facts) + "。")
        for para in outline.parse(xml_safe(activity.description)):
            # headings inside a description are body text here: the levels are taken
            self.par(para.text)
        if activity.results.strip():
            p = self.par("")
            set_font(p.add_run("活动成效："), FONT_BODY, SIZE_BODY, bold=True)
            text = xml_safe(activity.results.strip().replace("\n", ""))
            set_font(p.add_run(text), FONT_BODY, SIZE_BODY)
        figs = [fig_of[m.sha256 + activity.id] for m in photos_of(self.report, activity.id)]
        if figs and attachment:
            span = f"图{figs[0].number}" + (f"—图{figs[-1].number}" if len(figs) > 1 else "")
            self.par(f"（活动图片见附件{attachment}{span}。）")

    def attachment_note(self, names: list[str]) -> None:
        """7.3.4: 正文下空一行左空二字编排"附件"二字，后标全角冒号和附件名称；多个附件用
        阿拉伯数字标注顺序号；回行时与上一行附件名称的首字对齐。"""
        if not names:
            return
        self.blank()
        for i, name in enumerate(names, 1):
            number = f"{i}．" if len(names) > 1 else ""
            if i == 1:
                p = self.par(f"附件：{number}{name}")
            else:  # aligned under the first name: two characters in, then 附件：
                p = self.par(f"{number}{name}", indent=False)
                p.paragraph_format.left_indent = Pt(SIZE_BODY * 5)
            p.paragraph_format.keep_with_next = True

    def signature(self, unit: str, date_text: str) -> None:
        """7.3.5.1 (加盖印章的公文): 成文日期右空四字; 以成文日期为准居中编排发文机关署名.

        The date is right-aligned four characters in from the right edge of the type area
        whatever its width; the unit's name is centred over it by the widths of the two
        lines (CJK one character, digits half).
        """
        for _ in range(SEAL_ROOM_LINES):
            self.blank()
        unit = unit or " "
        shift = (_set_width(date_text) - _set_width(unit)) / 2
        for text, right in ((unit, SIGN_RIGHT_CHARS + shift), (date_text, SIGN_RIGHT_CHARS)):
            p = self.par(text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(SIZE_BODY * max(0.0, right))
            p.paragraph_format.keep_with_next = text is unit
            p.paragraph_format.keep_together = True

    def note(self) -> None:
        """7.3.7 附注: 居左空二字加圆括号编排在成文日期下一行 — the contact."""
        u = self.report.unit
        contact = "　".join(
            t
            for t in (
                f"联系人：{u.contact_person.strip()}" if u.contact_person.strip() else "",
                f"联系电话：{u.phone.strip()}" if u.phone.strip() else "",
            )
            if t
        )
        if contact:
            self.par(f"（{contact}）")

    def photo_attachment(self, number: int, figures: list[Figure]) -> None:
        attachment_page(self.doc, number, "活动图片")
        by_activity: dict[str, list[Figure]] = {}
        for f in figures:
            by_activity.setdefault(f.ref.activity_id or "", []).append(f)
        names = {a.id: a.name.strip() for a in self.report.activities}
        loose = {m.sha256 for m in loose_photos(self.report)}
        done: set[str] = set()
        for f in figures:
            key = f.ref.activity_id or ""
            if key in done:
                continue
            done.add(key)
            group = by_activity[key]
            known = key in names and f.ref.sha256 not in loose
            label = names[key] if known else "其他活动图片"
            photo_group(
                self.doc,
                label or "（未命名活动）",
                group,
                self.per_row,
                lambda text: self.par(text, indent=False),
            )


def write_report(
    out: BinaryIO,
    report: Report,
    campaign: Campaign,
    photos: dict[str, PhotoImage],
    *,
    signed: dt.date,
    draft: bool = False,
    photos_per_row: int = 2,
) -> None:
    """Write the .docx to ``out``; ``photos`` maps SHA-256 to an image ready to embed
    (a photo of the report missing from it gets a note in place of the picture).
    ``draft`` marks the first page 草稿; ``photos_per_row`` is 2 (default) or 1."""
    writer = _Writer(report, campaign, draft=draft, photos_per_row=photos_per_row)
    writer.build(photos, signed)
    writer.doc.save(out)
