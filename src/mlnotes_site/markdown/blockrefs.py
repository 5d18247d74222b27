"""Obsidian block references: a block gets the id `name` from a marker `^name`, so
`[[note#^name]]`, `[[#^name]]` and `![[note#^name]]` reach it. The marker is never shown.

- At the end of a paragraph or list item (`text ^name`): that paragraph, or the list item
  when the paragraph is the item's first (a checklist item's text never keeps it).
- Alone on the line after a block (`text` then `^name` on the next line, or after a blank
  line; after a list, table, quote, callout, code block or formula): that block. A marker
  right under a paragraph's last line ends the paragraph, as Obsidian reads it; one under a
  list item's text, indented as the item, names the item.

The id goes on the block's open token; a list item that already has an id (a checklist
item's) keeps it, and the block is reached through that id. The open token's
`meta["block_ids"]` holds the names and `meta["block_anchor"]` the id to link to. A marker
after something that cannot carry an id (a heading, raw HTML, the top of a list item) stays
text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_NAME = r"([A-Za-z0-9][A-Za-z0-9-]*)"
_MARKER = re.compile(r"[ \t]\^" + _NAME + r"[ \t]*$")
_LINE = re.compile(r"\^" + _NAME + r"[ \t]*$")
# blocks a marker on the next line can name: what closes them (or the block itself)
_NAMEABLE = frozenset(
    {
        *("paragraph_close", "bullet_list_close", "ordered_list_close", "table_close", "blockquote_close"),
        *("fence", "code_block", "math_block", "math_block_label", "hr"),
    }
)


def strip_marker(text: str) -> str:
    """`text` without a trailing ` ^name` (a checklist item's text and id ignore it)."""
    return _MARKER.sub("", text)


def marker_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line holding only `^name` right after a block that can take an id: a `block_ref`
    token (renders as nothing) that the core rule turns into the block's id. It ends a
    paragraph, list, quote or table it follows (as a terminator)."""
    begin = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4 or state.src[begin : begin + 1] != "^":
        return False  # (asked at every line of a paragraph: most lines are let go at once)
    line = state.src[begin : state.eMarks[start]]
    found = _LINE.match(line)
    if found is None:
        return False
    if silent:
        return True
    before = state.tokens[-1] if state.tokens else None
    if before is None or before.level != state.level or before.type not in _NAMEABLE:
        return False  # nothing to name: the line is text
    token = state.push("block_ref", "", 0)
    token.meta = {"name": found.group(1)}
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _name(tokens: list[Token], opener: Token, name: str, i: int) -> None:
    """Give the block opened by tokens[i] the block name `name`."""
    if opener.type == "paragraph_open" and i >= 1 and tokens[i - 1].type == "list_item_open":
        opener = tokens[i - 1]  # the item's first paragraph names the item
    anchor = str(opener.attrGet("id") or "")
    if not anchor:
        anchor = name
        opener.attrSet("id", name)
    names = (*opener.meta.get("block_ids", ()), name)
    opener.meta = {**opener.meta, "block_ids": names, "block_anchor": anchor}


def _rule(state: StateCore) -> None:
    tokens = state.tokens
    openers: list[int] = []  # open tokens not closed yet
    closed: dict[int, int] = {}  # index of a close token -> index of its open token
    for i, token in enumerate(tokens):
        if token.nesting == 1:
            openers.append(i)
        elif token.nesting == -1 and openers:
            closed[i] = openers.pop()
        if token.type == "block_ref" and i >= 1:
            before = tokens[i - 1]
            at = closed.get(i - 1, i - 1) if before.nesting == -1 else i - 1
            _name(tokens, tokens[at], token.meta["name"], at)
            continue
        if token.type != "inline" or not token.children or i == 0 or tokens[i - 1].type != "paragraph_open":
            continue
        last = token.children[-1]
        found = _MARKER.search(last.content) if last.type == "text" else None
        if found is None:
            continue
        last.content = last.content[: found.start()]
        token.content = _MARKER.sub("", token.content)
        _name(tokens, tokens[i - 1], found.group(1), i - 1)


def plugin(md: MarkdownIt) -> None:
    """Register the marker line (a block rule, ending the block it follows) and the rule that
    gives ids; the latter after the checklist rule, which gives list items their ids."""
    md.block.ruler.before("table", "block_ref", marker_line, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.push("block_refs", _rule)
    md.add_render_rule("block_ref", lambda self, tokens, idx, options, env: "")
