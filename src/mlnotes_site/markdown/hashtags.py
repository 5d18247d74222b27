"""Inline `#tags` in running text (Obsidian rules): after a space or at the start of a line,
letters/digits/`_`/`-`/`/`, at least one character that is not a digit. Never inside code or
URLs (those are other tokens), never a `# heading` (that has a space after `#`)."""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .scan import line_offset


def _is_tag_char(ch: str) -> bool:
    return ch in "_-/" or unicodedata.category(ch)[0] in "LNM"


def scan_tag(text: str, pos: int) -> str:
    """The tag starting right after the `#` at `pos`, or "" if there is none."""
    end = pos + 1
    while end < len(text) and _is_tag_char(text[end]):
        end += 1
    tag = text[pos + 1 : end].rstrip("/-")
    if not tag or tag.isdigit() or tag.replace("/", "").isdigit():
        return ""
    return tag


def _rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "#":
        return False
    before = state.pending[-1:] if state.pending else (src[pos - 1] if pos > 0 else "")
    if before and not before.isspace():
        return False
    tag = scan_tag(src, pos)
    if not tag:
        return False
    if not silent:
        token = state.push("hashtag", "", 0)
        token.content = "#" + tag
        token.meta = {"tag": tag, "line_offset": line_offset(state, pos)}
    state.pos = pos + 1 + len(tag)
    return True


def plugin(md: MarkdownIt) -> None:
    """Register the `hashtag` inline rule."""
    md.inline.ruler.before("link", "hashtag", _rule)
