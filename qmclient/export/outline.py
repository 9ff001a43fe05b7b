"""The outline of a summary written the usual way: numbered headings and body text.

Units write "一、加强组织领导，周密安排部署。公司成立了……" — a heading sentence and the
paragraph's body in one line.  GB/T 9704-2012 7.3.3 sets the levels 一、 （一） 1. （1）
in 黑体, 楷体, 仿宋, 仿宋; only the heading sentence (up to the first 。, else the line
end) takes the level's font, the rest is body text.  The user's closing section
("下一步打算", "存在的问题", …) is found so generated sections can go before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qmclient.export.text import cn_numeral

_LEVELS = (
    (1, re.compile(r"^([一二三四五六七八九十百]+)、")),
    (2, re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")),
    (3, re.compile(r"^(\d{1,2})(?:[.．](?!\d)|、)")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]")),
)
_SENTENCE_END = re.compile(r"[。！？]")
# words that open the closing part of a summary (its plans, problems, outlook)
CLOSING_WORDS = (
    "下一步",
    "打算",
    "今后",
    "存在的问题",
    "存在问题",
    "问题与不足",
    "问题和不足",
    "不足之处",
    "工作计划",
    "努力方向",
    "工作展望",
)


@dataclass(frozen=True)
class Paragraph:
    """One line of the summary: ``level`` 0 for body text, 1–4 for 一、 （一） 1. （1）;
    ``heading`` the heading sentence (with its number), ``body`` the rest."""

    level: int
    heading: str
    body: str

    @property
    def text(self) -> str:
        return self.heading + self.body


def parse(text: str) -> list[Paragraph]:
    """Non-empty lines as paragraphs, headings split from their body text."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        level = next((lv for lv, rx in _LEVELS if rx.match(line)), 0)
        if level == 0:
            out.append(Paragraph(0, "", line))
            continue
        end = _SENTENCE_END.search(line)
        cut = end.end() if end else len(line)
        out.append(Paragraph(level, line[:cut], line[cut:].strip()))
    return out


def _is_closing(p: Paragraph) -> bool:
    return any(w in (p.heading or p.body[:20]) for w in CLOSING_WORDS)


def split_closing(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """(what comes before generated sections, the closing part).  The closing part starts
    at the first level-1 heading about plans or problems; without such a heading, a last
    body paragraph opening with those words is the closing part."""
    for i, p in enumerate(paragraphs):
        if p.level == 1 and _is_closing(p):
            return paragraphs[:i], paragraphs[i:]
    last = paragraphs[-1] if paragraphs else None
    if last is not None and last.level == 0 and any(w in last.body[:12] for w in CLOSING_WORDS):
        return paragraphs[:-1], paragraphs[-1:]
    return paragraphs, []


def level1_count(paragraphs: list[Paragraph]) -> int:
    return sum(1 for p in paragraphs if p.level == 1)


def renumber(paragraphs: list[Paragraph], start: int) -> list[Paragraph]:
    """Level-1 headings numbered on from ``start`` (一 = 1): the closing part follows a
    section the program inserted, so its 四、 becomes 五、."""
    out = []
    n = start
    for p in paragraphs:
        if p.level == 1:
            m = _LEVELS[0][1].match(p.heading)
            assert m is not None
            p = replace(p, heading=f"{cn_numeral(n)}、" + p.heading[m.end() :])
            n += 1
        out.append(p)
    return out
