"""Obsidian block references: a paragraph or list item ending in ` ^name` gets the id `name`
(the marker is not shown), so `[[note#^name]]`, `[[#^name]]` and `![[note#^name]]` reach it.

The id goes on the paragraph, or on the list item when the paragraph is a tight list's
(hidden); a list item that already has an id (a checklist item's) keeps it, and the block
is reached through that id. The open token's `meta["block_id"]` holds the name and
`meta["block_anchor"]` the id to link to.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_MARKER = re.compile(r"[ \t]\^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*$")


def _rule(state: StateCore) -> None:
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children or i == 0 or tokens[i - 1].type != "paragraph_open":
            continue
        last = token.children[-1]
        found = _MARKER.search(last.content) if last.type == "text" else None
        if found is None:
            continue
        name = found.group(1)
        last.content = last.content[: found.start()]
        token.content = _MARKER.sub("", token.content)
        opener = tokens[i - 1]
        if opener.hidden and i >= 2 and tokens[i - 2].type == "list_item_open":
            opener = tokens[i - 2]
        anchor = str(opener.attrGet("id") or "")
        if not anchor:
            anchor = name
            opener.attrSet("id", name)
        opener.meta = {**opener.meta, "block_id": name, "block_anchor": anchor}


def plugin(md: MarkdownIt) -> None:
    """Register the rule; after the checklist rule, which gives list items their ids."""
    md.core.ruler.push("block_refs", _rule)
