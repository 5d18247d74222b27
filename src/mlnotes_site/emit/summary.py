"""A page's summary: the first sentences of its text, for `<meta name="description">` and
Open Graph cards (what a chat app or a search engine shows under the title)."""

from __future__ import annotations

import re

from ..model import Note

LIMIT = 160  # characters; what search engines show of a description
_SPACE = re.compile(r"\s+")
_KEPT = ("text", "code_inline")
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


def summary(note: Note, start: int, end: int, limit: int = LIMIT) -> str:
    """Plain text of the paragraphs in tokens [start, end), up to `limit` characters (cut with
    "…"): inline code kept; math (TeX reads badly in a card), images and HTML left out; ""
    when there is no paragraph."""
    parts: list[str] = []
    size = 0
    tokens = note.tokens
    for i in range(start, end):
        token = tokens[i]
        if token.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open" or not token.children:
            continue
        text = "".join(
            c.content if c.type in _KEPT else " " if c.type in ("softbreak", "hardbreak") else ""
            for c in token.children
        )
        text = _CJK_GAP.sub("", _SPACE.sub(" ", text)).strip()
        if text:
            parts.append(text)
            size += len(text) + 1
        if size > limit:
            break
    found = _CJK_GAP.sub("", " ".join(parts))
    return found if len(found) <= limit else found[: limit - 1].rstrip() + "…"
