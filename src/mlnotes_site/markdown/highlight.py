"""`==highlight==` → `<mark>` (Obsidian): no space just inside the `==`, Markdown allowed inside."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .scan import find_closer


def _not_closer(src: str, end: int, limit: int) -> bool:
    """An escaped `\\==`, or the start of `===`."""
    return src[end - 1] == "\\" or (end + 2 < limit and src[end + 2] == "=")


def highlight(state: StateInline, silent: bool) -> bool:
    """Inline rule: `==text==`; `a == b` and `===` are left as text."""
    src, pos, limit = state.src, state.pos, state.posMax
    if not src.startswith("==", pos) or (pos > 0 and src[pos - 1] == "=") or pos + 2 >= limit:
        return False
    start = pos + 2
    if src[start] in " \t\n=":
        return False
    end = find_closer(state, "==", start, limit, _not_closer)
    if end < 0 or src[end - 1] in " \t\n":
        return False
    if not silent:
        old_max = state.posMax
        state.push("mark_open", "mark", 1).markup = "=="
        state.pos, state.posMax = start, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1).markup = "=="
    state.pos = end + 2
    return True


def plugin(md: MarkdownIt) -> None:
    """Register the `highlight` inline rule (renders with the default `<mark>` tag)."""
    md.inline.ruler.before("emphasis", "highlight", highlight)
