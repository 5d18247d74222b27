"""Checklist items `- [ ] text` with every status Obsidian users write, recorded while parsing.

A core rule (run after inline parsing, instead of mdit-py-plugins' tasklists) finds list
items whose first paragraph starts with `[c]` and whitespace, for any single character c:
`[ ]` open, `[x]`/`[X]` done, `[/]` in progress, `[-]` cancelled, `[?]` question, others
kept as data. It stores what it found in `list_item_open.meta["task"]` (mark, stable id,
heading path, parent id) and replaces the marker by a read-only checkbox (a `task_checkbox`
token, rendered with its status named in the interface's language: `status.<name>`).

Ids are content-based (`task-` + a hash of the item's text), so an item keeps its anchor
when the note is edited elsewhere; a repeated text gets its heading path hashed in, then
a `-2`, `-3` suffix.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..i18n import Messages, messages
from .blockrefs import strip_marker

MARKER = re.compile(r"^\[([^\]\n])\](?:[ \t]+|$)")
STATUS = {" ": "open", "x": "done", "X": "done", "/": "in-progress", "-": "cancelled", "?": "question"}


def status_of(mark: str) -> str:
    """The status name of a checkbox character; unknown characters are "other"."""
    return STATUS.get(mark, "other")


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _plain(text: str) -> str:
    return " ".join(text.split())


def _checkbox(status: str) -> Token:
    return Token("task_checkbox", "input", 0, meta={"status": status})


def _render_checkbox(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    status = tokens[idx].meta["status"]
    found = env.get("messages")
    words = found if isinstance(found, Messages) else messages("en")
    label = escapeHtml(words.t(f"status.{status}"))
    checked = " checked" if status == "done" else ""
    return f'<input type="checkbox" class="task-list-item-checkbox" disabled{checked} aria-label="{label}"> '


def _task_id(text: str, path: tuple[str, ...], seen: dict[str, int]) -> str:
    base = "task-" + _hash(text)
    if base in seen:  # the same text twice in a note: its place in the outline tells them apart
        base = "task-" + _hash(" › ".join(path) + "\n" + text)
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _rule(state: StateCore) -> None:
    tokens = state.tokens
    headings: list[tuple[int, str]] = []  # (level, text) of the headings above
    open_lists: list[Token] = []
    open_items: list[Token] = []
    seen: dict[str, int] = {}
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            while headings and headings[-1][0] >= level:
                headings.pop()
            headings.append((level, _plain(tokens[i + 1].content)))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            open_lists.append(token)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            open_lists.pop()
        elif kind == "list_item_open":
            open_items.append(token)
        elif kind == "list_item_close":
            open_items.pop()
        elif (
            kind == "inline"
            and i >= 2
            and tokens[i - 1].type == "paragraph_open"
            and tokens[i - 2].type == "list_item_open"
        ):
            match = MARKER.match(token.content)
            children = token.children or []
            first = children[0] if children else None
            box = match.group(0).rstrip(" \t") if match else ""
            if not match or first is None or first.type != "text" or not first.content.startswith(box):
                continue  # e.g. `[x]` that a reference definition turned into a link
            item, status = tokens[i - 2], status_of(match.group(1))
            text = _plain(strip_marker(token.content[len(match.group(0)) :]))  # a block id is no part of it
            parent = next((t.meta["task"]["id"] for t in reversed(open_items[:-1]) if "task" in t.meta), None)
            path = tuple(h for _, h in headings)
            task_id = _task_id(text, path, seen)
            item.meta["task"] = {
                "mark": match.group(1),
                "status": status,
                "path": path,
                "parent": parent,
                "id": task_id,
                "inline": i,
            }
            first.content = first.content[len(box) :].lstrip(" \t")
            token.content = token.content[len(match.group(0)) :]
            children.insert(0, _checkbox(status))
            item.attrSet("class", f"task-list-item task-{status}")
            item.attrSet("id", task_id)
            item.attrSet("data-status", status)
            open_lists[-1].attrSet("class", "contains-task-list")


def plugin(md: MarkdownIt) -> None:
    """Register the checklist rule (after inline parsing, so the item's text is known)."""
    md.core.ruler.push("mlnotes_tasks", _rule)  # last: bare URLs and text runs are final
    md.add_render_rule("task_checkbox", _render_checkbox)
