"""The Word summary (活动情况总结) laid out as GB/T 9704-2012 lays out official documents.

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm);
- body 3号 (16 pt) 仿宋_GB2312, 22 lines of 28 characters: exact line pitch 28.95 pt and a
  character grid, first lines indented two characters;
- title 2号 (22 pt) 方正小标宋简体, centred; level-1 headings 黑体 (一、), level-2 楷体_GB2312
  (（一）), level-3 仿宋 bold (1.);
- page numbers 4号 (14 pt) 宋体 as ``— 1 —``, odd pages right and even pages left, one
  character in from the edge of the type area;
- the date (成文日期, Arabic numerals) four characters in from the right, the unit's
  name centred over it.

Every run names its font twice (``w:ascii``/``w:hAnsi`` and ``w:eastAsia``): Word takes
Chinese text from ``w:eastAsia`` only.  The names must be right for the office PCs even
where the fonts are substituted on this machine.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from qmclient.core.campaign import Campaign
from qmclient.core.report import MediaRef, Report
from qmclient.export.naming import area_groups, loose_photos, photos_of, video_order
from qmclient.export.text import (
    cn_numeral,
    date_zh,
    display_width,
    duration_zh,
    period_zh,
    size_text,
    xml_safe,
)

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE = "宋体"
SIZE_TITLE = 22.0  # 2号
SIZE_BODY = 16.0  # 3号
SIZE_PAGE = 14.0  # 4号
LINE_PITCH = 28.95  # pt: 22 lines in the 225 mm type area
CHARS_PER_LINE = 28
# Character spacing of body text in twentieths of a point: 28 × (16 − 0.25) pt ≤ 156 mm.
CHAR_SPACING = -5
PAGE_W, PAGE_H = 210, 297  # mm
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37, 35, 28, 26  # mm
FOOTER_DISTANCE = 24  # mm from the page edge: the number sits 7 mm below the type area
SIGN_RIGHT_CHARS = 4  # 成文日期右空四字
_TYPE_W_PT = (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) / 25.4 * 72
PHOTO_MAX_W, PHOTO_MAX_H = 140.0, 95.0  # mm
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


@dataclass(frozen=True)
class PhotoImage:
    """A photo ready to embed: upright (EXIF orientation applied), reasonably small."""

    ref: MediaRef
    path: Path
    width: int
    height: int


def set_font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    """Name the font for Latin *and* East Asian text (Latin first: it creates w:rFonts)."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def _style_font(style: Any, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    rpr.rFonts.set(qn("w:eastAsia"), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


class _Writer:
    def __init__(self, report: Report, campaign: Campaign) -> None:
        self.report = report
        self.campaign = campaign
        self.doc = Document()
        self.figure = 0

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
        _style_font(normal, FONT_BODY, SIZE_BODY)
        _condense(normal.element.get_or_add_rPr(), CHAR_SPACING)
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
        return r.title.strip() or (
            f"{r.unit.name}{self.campaign.year}年“质量月”{self.campaign.report_title}"
        )

    def title_lines(self) -> str:
        """The title, broken after the unit name when it is too long for one line (回行时
        词意完整) — only for the title we made up; a title the user typed is kept as is."""
        unit = self.report.unit.name.strip()
        title = self.title()
        if self.report.title.strip() and self.report.title.strip() != self._default_title():
            return title
        if unit and title.startswith(unit) and display_width(title) * SIZE_TITLE > _TYPE_W_PT:
            return f"{unit}\n{title[len(unit) :]}"
        return title

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
        if indent:
            p.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
            p.paragraph_format.element.get_or_add_pPr().get_or_add_ind().set(
                qn("w:firstLineChars"), "200"
            )
        if text:
            set_font(p.add_run(xml_safe(text)), font, size, bold=bold)
        return p

    def labelled(self, label: str, text: str) -> None:
        """一段 with a bold lead-in: 【时间】… ."""
        p = self.par("")
        set_font(p.add_run(label), FONT_BODY, SIZE_BODY, bold=True)
        set_font(p.add_run(xml_safe(text)), FONT_BODY, SIZE_BODY)

    def blank(self) -> None:
        self.doc.add_paragraph()

    def h1(self, text: str) -> None:
        self.par(text, font=FONT_H1).paragraph_format.keep_with_next = True

    def h2(self, text: str) -> None:
        self.par(text, font=FONT_H2).paragraph_format.keep_with_next = True

    def h3(self, text: str) -> None:
        self.par(text, bold=True).paragraph_format.keep_with_next = True

    def text_block(self, text: str) -> int:
        """Paragraphs of free text; lines that start like 一、 or （一） become headings.

        Returns how many level-1 headings the text used, so numbering can go on from there.
        """
        used = 0
        for line in xml_safe(text).splitlines():
            line = line.strip()
            if not line:
                continue
            if _H1.match(line):
                used += 1
                self.h1(line)
            elif _H2.match(line):
                self.h2(line)
            else:
                self.par(line)
        return used

    def photo(self, ref: MediaRef, image: PhotoImage | None) -> None:
        """The picture and its caption; a photo that could not be prepared keeps its number
        and caption, with a note in place of the picture (the mail still carries it)."""
        self.figure += 1
        caption = ref.caption.strip() or "（未填写图片说明）"
        if image is None:
            note = self.par(
                f"〔照片“{ref.original_name}”无法嵌入本文档，原件见邮件附件或报送包〕",
                indent=False,
                align=WD_ALIGN_PARAGRAPH.CENTER,
            )
            note.paragraph_format.keep_with_next = True
        else:
            self._picture(image)
        cap = self.par("", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        set_font(cap.add_run(f"图{self.figure}　{xml_safe(caption)}"), FONT_H2, SIZE_PAGE)

    def _picture(self, image: PhotoImage) -> None:
        w_mm, h_mm = _fit(image.width, image.height)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # exact spacing would clip the picture
        fmt.keep_with_next = True
        fmt.space_before = Pt(6)
        ppr = p.paragraph_format.element.get_or_add_pPr()
        ppr.insert_element_before(_off("w:snapToGrid"), *_PPR_AFTER_SNAP)
        p.add_run().add_picture(str(image.path), width=Mm(w_mm), height=Mm(h_mm))

    # -- the document ------------------------------------------------------------------

    def build(self, photos: dict[str, PhotoImage], signed: dt.date) -> None:
        r = self.report
        self.setup_page()
        self.page_numbers()
        first = self.doc.paragraphs[0] if self.doc.paragraphs else self.doc.add_paragraph()
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = first.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(35)  # 2号 lines: a little more than the body pitch
        set_font(first.add_run(xml_safe(self.title_lines())), FONT_TITLE, SIZE_TITLE)
        self.blank()
        section_no = self.text_block(r.summary)
        groups = area_groups(r, self.campaign)
        if groups:
            section_no += 1
            self.h1(f"{cn_numeral(section_no)}、主要活动开展情况")
            act_no = 0
            for gi, group in enumerate(groups, 1):
                self.h2(f"（{cn_numeral(gi)}）{group.name_zh}")
                for activity in group.activities:
                    act_no += 1
                    self.h3(f"{act_no}．{activity.name.strip() or '（未命名活动）'}")
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
                    self.text_block(activity.description)
                    if activity.results.strip():
                        self.labelled("活动成效：", activity.results.strip().replace("\n", ""))
                    for ref in photos_of(r, activity.id):
                        self.photo(ref, photos.get(ref.sha256))
        loose = loose_photos(r)
        if loose:
            section_no += 1
            self.h1(f"{cn_numeral(section_no)}、其他活动图片")
            for ref in loose:
                self.photo(ref, photos.get(ref.sha256))
        videos = video_order(r)
        if videos:
            section_no += 1
            self.h1(f"{cn_numeral(section_no)}、视频资料")
            for i, v in enumerate(videos, 1):
                label = v.caption.strip() or "（未填写视频说明）"
                self.par(
                    f"视频{i}：{label}（时长{duration_zh(v.duration_s)}，文件名"
                    f"“{v.original_name}”，{size_text(v.size)}）。"
                )
        u = r.unit
        contact = "　".join(
            t
            for t in (
                f"联系人：{u.contact_person.strip()}" if u.contact_person.strip() else "",
                f"联系电话：{u.phone.strip()}" if u.phone.strip() else "",
            )
            if t
        )
        self.blank()
        if contact:
            self.par(contact)
        self.signature(u.name.strip(), date_zh(signed))

    def signature(self, unit: str, date_text: str) -> None:
        """成文日期 four characters in from the right, the unit's name centred over it.

        Both lines are centred in the same band, so they share one axis whatever the
        fonts' real widths (digits and the space Word puts between Chinese and digits make
        any count of the date's width approximate).  The band is as wide as the longer
        line plus one character, so neither wraps.
        """
        self.blank()
        unit = unit or " "
        band = max(display_width(unit), display_width(date_text)) + 1
        type_chars = _TYPE_W_PT / SIZE_BODY
        for text in (unit, date_text):
            p = self.par(text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            p.paragraph_format.right_indent = Pt(SIZE_BODY * SIGN_RIGHT_CHARS)
            p.paragraph_format.left_indent = Pt(
                SIZE_BODY * max(0.0, type_chars - SIGN_RIGHT_CHARS - band)
            )
            p.paragraph_format.keep_with_next = text is unit


def _condense(rpr: Any, twips: int) -> None:
    """Set w:spacing (character spacing) in a run-properties element, in schema order."""
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        later = (
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:vertAlign",
            "w:lang",
            "w:eastAsianLayout",
        )
        anchor = next((rpr.find(qn(t)) for t in later if rpr.find(qn(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(spacing)
        else:
            rpr.append(spacing)
    spacing.set(qn("w:val"), str(twips))


# Children of w:pPr that come after w:snapToGrid (ECMA-376 order; Word checks it).
_PPR_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _off(tag: str) -> Any:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "0")
    return el


def _fit(width: int, height: int) -> tuple[float, float]:
    """Display size (mm) of a photo: as large as fits PHOTO_MAX_W × PHOTO_MAX_H."""
    width, height = max(width, 1), max(height, 1)
    scale = min(PHOTO_MAX_W / width, PHOTO_MAX_H / height)
    return width * scale, height * scale


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
    (a photo of the report missing from it gets a note in place of the picture)."""
    writer = _Writer(report, campaign)
    writer.build(photos, signed)
    writer.doc.save(out)
