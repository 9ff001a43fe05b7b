"""The photos of the Word report: an attachment (附件) on pages of its own, two photos a
row by default (one a row if chosen), each with its caption in 仿宋 below it.

GB/T 9704-2012 7.3.8 (附件): another page; "附件" and its number in 3号黑体 at the top
left of the type area, the attachment's title centred on the third line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from qmclient.core.report import MediaRef
from qmclient.export.docx_style import (
    FONT_BODY,
    FONT_H1,
    FONT_TITLE,
    PPR_AFTER_SNAP,
    SIZE_BODY,
    SIZE_CAPTION,
    SIZE_TITLE,
    off,
    set_font,
)
from qmclient.export.text import xml_safe

TYPE_W_MM = 156.0
# One photo a row: as large as fits; two a row: half the type area less a gutter, and
# low enough that three rows (six photos) fit on a page with their captions.
BOX_ONE = (140.0, 95.0)
BOX_TWO = (74.0, 48.0)


@dataclass(frozen=True)
class PhotoImage:
    """A photo ready to embed: upright (EXIF orientation applied), reasonably small."""

    ref: MediaRef
    path: Path
    width: int
    height: int


@dataclass(frozen=True)
class Figure:
    number: int  # 图N, the same number the mails and the package use
    ref: MediaRef
    image: PhotoImage | None


def fit(width: int, height: int, box: tuple[float, float]) -> tuple[float, float]:
    """Display size (mm) of a photo: as large as fits ``box``."""
    width, height = max(width, 1), max(height, 1)
    scale = min(box[0] / width, box[1] / height)
    return width * scale, height * scale


def caption_text(fig: Figure) -> str:
    return f"图{fig.number}　{xml_safe(fig.ref.caption.strip() or '（未填写图片说明）')}"


def attachment_page(doc: Any, number: int | None, title: str) -> None:
    """A new page: 附件N top left in 黑体 (7.3.8), the title centred on the third line."""
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    set_font(p.add_run(f"附件{number if number else ''}"), FONT_H1, SIZE_BODY)
    doc.add_paragraph()  # the second line stays empty
    t = doc.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(t.add_run(xml_safe(title)), FONT_TITLE, SIZE_TITLE)
    doc.add_paragraph()


def photo_group(
    doc: Any, label: str, figures: Sequence[Figure], per_row: int, add_par: Callable[..., Any]
) -> None:
    """A group's label (the activity, in 仿宋 as level 3) and its photos in a table."""
    if label:
        add_par(label).paragraph_format.keep_with_next = True
    per_row = 2 if per_row >= 2 else 1
    box = BOX_TWO if per_row == 2 else BOX_ONE
    table = doc.add_table(rows=0, cols=per_row)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    col_w = Mm(TYPE_W_MM / per_row)
    for i in range(0, len(figures), per_row):
        row = table.add_row()
        _cant_split(row)
        for j, cell in enumerate(row.cells):
            cell.width = col_w
            fig = figures[i + j] if i + j < len(figures) else None
            first = cell.paragraphs[0]
            if fig is None:
                continue
            _picture(first, fig, box)
            cap = cell.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt = cap.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(SIZE_CAPTION * 1.25)
            fmt.space_after = Pt(4)
            set_font(cap.add_run(caption_text(fig)), FONT_BODY, SIZE_CAPTION)
    doc.add_paragraph()


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _picture(p: Any, fig: Figure, box: tuple[float, float]) -> None:
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # exact spacing would clip the picture
    fmt.space_before = Pt(4)  # (a row cannot split, so picture and caption stay together)
    ppr = p.paragraph_format.element.get_or_add_pPr()
    ppr.insert_element_before(off("w:snapToGrid"), *PPR_AFTER_SNAP)
    if fig.image is None:
        note = f"〔照片“{fig.ref.original_name}”无法嵌入本文档，原件见邮件附件或报送包〕"
        set_font(p.add_run(xml_safe(note)), FONT_BODY, SIZE_CAPTION)
        return
    w_mm, h_mm = fit(fig.image.width, fig.image.height, box)
    p.add_run().add_picture(str(fig.image.path), width=Mm(w_mm), height=Mm(h_mm))
