"""Office files rendered through LibreOffice, read back as text with positions (poppler).

``to_pdf`` converts with the fonts aliased by ``fonts.conf``; ``pdf_lines`` gives every
text line of every page with its box in points (``pdftotext -bbox-layout``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")


def to_pdf(document: Path, folder: Path) -> Path:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed: ./qm setup installs it"
    done = subprocess.run(
        [
            soffice,
            "--headless",
            "-env:UserInstallation=file://" + str(folder / "lo-profile"),
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(document),
        ],
        capture_output=True,
        timeout=180,
        env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)},
    )
    pdf = folder / (document.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    return pdf


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    text: str  # words joined without spaces (CJK text has none)
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


def pdf_lines(pdf: Path, *, words: bool = False) -> tuple[list[Line], float]:
    """Every line of text (or, with ``words``, every word), page by page, and the page
    width (pt)."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    root = ET.fromstring(out)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    lines: list[Line] = []
    width = 0.0
    for number, page in enumerate(root.iterfind(".//h:page", ns), 1):
        width = float(page.get("width", "0"))
        for line in page.iterfind(".//h:line", ns):
            parts = list(line.iterfind("h:word", ns))
            for el, text in (
                [(w, w.text or "") for w in parts]
                if words
                else [(line, "".join(w.text or "" for w in parts))]
            ):
                lines.append(
                    Line(
                        number,
                        text,
                        float(el.get("xMin", "0")),
                        float(el.get("yMin", "0")),
                        float(el.get("xMax", "0")),
                        float(el.get("yMax", "0")),
                    )
                )
    return lines, width
