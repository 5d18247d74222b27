"""Obsidian-style wikilinks: `[[Title]]`, `[[Title#Heading|label]]`, `[[#Heading]]`, `![[embed]]`."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .scan import find, line_offset


@dataclass(frozen=True)
class WikiTarget:
    """The parts of a wikilink: page name, heading (may be empty) and the label to show."""

    page: str
    heading: str
    label: str


def parse_wikilink(inner: str) -> WikiTarget | None:
    """Split the text between `[[` and `]]`; None when there is nothing to link to."""
    inner = inner.replace("\\|", "|")  # inside tables the pipe is escaped
    target, _, label = inner.partition("|")
    page, _, heading = target.partition("#")
    page, heading, label = page.strip(), heading.strip(), label.strip()  # `^name`: a block reference
    if not page and not heading:
        return None
    shown = label or (f"{page} › {heading}" if page and heading else page or heading)
    return WikiTarget(page, heading, shown)


def _rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    if not (embed or src.startswith("[[", pos)):
        return False
    start = pos + (3 if embed else 2)
    # the first `]]`, with no newline and no other `[[` before it (searches remembered per
    # paragraph: a line of a thousand `[[` would otherwise scan to its end from each one)
    end = find(state, "]]", start, len(src))
    if end < 0 or 0 <= find(state, "\n", start, end) or 0 <= find(state, "[[", start, end):
        return False
    parsed = parse_wikilink(src[start:end])
    if parsed is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = src[pos : end + 2]
        token.meta = {
            "page": parsed.page,
            "heading": parsed.heading,
            "label": parsed.label,
            "embed": embed,
            "line_offset": line_offset(state, pos),
        }
    state.pos = end + 2
    return True


def plugin(md: MarkdownIt) -> None:
    """Register the `wikilink` inline rule (before links and images, which would take `[[`)."""
    md.inline.ruler.before("link", "wikilink", _rule)
