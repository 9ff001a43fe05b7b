"""Every text of the console's pages has its English, and the pages ask for no outside
resource (no CDN, no web font, no external script)."""

from __future__ import annotations

import re
from pathlib import Path

from qmintake.console.i18n import EN
from qmintake.console.pages import STATIC, STATUS_ZH, TEMPLATES


def _texts() -> set[str]:
    found = set()
    for path in TEMPLATES.glob("*.html"):
        found |= {m[1] for m in re.findall(r"""_\((["'])(.*?)\1\)""", path.read_text("utf-8"))}
    return found | set(STATUS_ZH.values())


def test_every_text_has_its_english_and_none_is_left_over() -> None:
    texts = _texts()
    assert texts - set(EN) == set(), "texts without English"
    assert set(EN) - texts == set(), "English for texts no page uses"


def test_pages_load_nothing_from_outside() -> None:
    for path in [*TEMPLATES.glob("*.html"), *Path(STATIC).glob("*")]:
        text = path.read_text("utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path.name
        assert "@import" not in text and "url(http" not in text and "@font-face" not in text
