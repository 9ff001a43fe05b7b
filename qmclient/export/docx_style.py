"""Fonts, sizes and low-level property writing shared by the Word report's pieces.

The clauses named are those of GB/T 9704-2012 《党政机关公文格式》.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

FONT_TITLE = "方正小标宋简体"  # 7.3.1 标题: 2号小标宋体字
FONT_BODY = "仿宋_GB2312"  # 5.2.3 字体和字号: 一般用3号仿宋体字
FONT_H1 = "黑体"  # 7.3.3 正文: 第一层用黑体字
FONT_H2 = "楷体_GB2312"  # 7.3.3 正文: 第二层用楷体字
FONT_H3 = FONT_BODY  # 7.3.3 正文: 第三层和第四层用仿宋体字
FONT_PAGE = "宋体"  # 7.5.1 页码: 4号半角宋体阿拉伯数字
SIZE_TITLE = 22.0  # 2号
SIZE_BODY = 16.0  # 3号
SIZE_PAGE = 14.0  # 4号
SIZE_CAPTION = 14.0  # 4号: a caption is smaller than the body it illustrates

# What an ordinary Windows PC has in place of the official fonts (w:altName in the font
# table): Word falls back to these instead of whatever it likes.  charset 86 = GB2312.
FALLBACKS: dict[str, str] = {
    FONT_BODY: "仿宋",
    FONT_TITLE: "宋体",
    FONT_H2: "楷体",
}
_FAMILY = {FONT_BODY: "modern", FONT_H2: "modern", FONT_TITLE: "script", FONT_H1: "modern"}


def set_font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    """Name the font for Latin *and* East Asian text (Latin first: it creates w:rFonts)."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def style_font(style: Any, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    rpr.rFonts.set(qn("w:eastAsia"), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def declare_fonts(doc: Any) -> None:
    """Every font the report names, in the font table, with its fallback as w:altName."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for font in root.findall(qn("w:font")):
        if font.get(qn("w:name")) in (FONT_BODY, FONT_TITLE, FONT_H1, FONT_H2, FONT_PAGE):
            root.remove(font)
    for name in (FONT_BODY, FONT_TITLE, FONT_H1, FONT_H2, FONT_PAGE, *FALLBACKS.values()):
        if any(f.get(qn("w:name")) == name for f in root.findall(qn("w:font"))):
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if name in FALLBACKS:  # CT_Font: altName, panose1, charset, family, pitch
            alt = etree.SubElement(font, qn("w:altName"))
            alt.set(qn("w:val"), FALLBACKS[name])
        for tag, value in (
            ("w:charset", "86"),
            ("w:family", _FAMILY.get(name, "auto")),
            ("w:pitch", "variable"),
        ):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def condense(rpr: Any, twips: int) -> None:
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
PPR_AFTER_SNAP = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def off(tag: str) -> Any:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "0")
    return el
