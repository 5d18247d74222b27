"""Obsidian callouts: a blockquote whose first line is `[!type] Title`, optionally foldable.

`> [!tip] Title` becomes a titled box; `> [!faq]- Closed` and `> [!faq]+ Open` become
`<details>` (closed / open). Type aliases follow Obsidian (`summary` → abstract, `error` →
danger, …); an unknown type is styled as a note but keeps its name as the default title.
The core rule runs between block and inline parsing, so the title is parsed as Markdown.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALIASES = {
    "note": "note",
    "abstract": "abstract",
    "summary": "abstract",
    "tldr": "abstract",
    "info": "info",
    "todo": "todo",
    "tip": "tip",
    "hint": "tip",
    "important": "tip",
    "success": "success",
    "check": "success",
    "done": "success",
    "question": "question",
    "help": "question",
    "faq": "question",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "failure": "failure",
    "fail": "failure",
    "missing": "failure",
    "danger": "danger",
    "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote",
    "cite": "quote",
}
_MARKER = re.compile(r"^\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)$")


def _callout_start(tokens: list[Token], i: int) -> re.Match[str] | None:
    if i + 2 >= len(tokens) or tokens[i + 1].type != "paragraph_open" or tokens[i + 2].type != "inline":
        return None
    return _MARKER.match(tokens[i + 2].content.split("\n", 1)[0])


def callouts(state: StateCore) -> None:
    """Turn marked blockquotes into `callout_open` / title / `callout_close` tokens."""
    tokens, out, stack = state.tokens, [], []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "blockquote_open":
            match = _callout_start(tokens, i)
            stack.append(match)
            if match:
                name, fold, title = match.group(1).lower(), match.group(2), match.group(3).strip()
                kind = ALIASES.get(name, "note")
                meta = {"type": kind, "name": name, "fold": fold}
                opener = Token("callout_open", "div", 1, map=token.map, level=token.level, markup="[!", meta=meta)
                title_inline = Token(
                    "inline",
                    "",
                    0,
                    map=token.map,
                    level=token.level + 1,
                    content=title or name.capitalize(),
                    children=[],
                )
                out += [
                    opener,
                    Token("callout_title_open", "", 1, meta=meta),
                    title_inline,
                    Token("callout_title_close", "", -1, meta=meta),
                ]
                paragraph_open, inline, paragraph_close = tokens[i + 1 : i + 4]
                body = inline.content.split("\n", 1)[1] if "\n" in inline.content else ""
                if body.strip():
                    inline.content = body
                    if inline.map:
                        inline.map = [inline.map[0] + 1, inline.map[1]]
                    if paragraph_open.map:
                        paragraph_open.map = [paragraph_open.map[0] + 1, paragraph_open.map[1]]
                    out += [paragraph_open, inline, paragraph_close]
                i += 4
                continue
        elif token.type == "blockquote_close" and stack:
            match = stack.pop()
            if match:
                out.append(Token("callout_close", "div", -1, level=token.level, meta={"fold": match.group(2)}))
                i += 1
                continue
        out.append(token)
        i += 1
    state.tokens = out


def plugin(md: MarkdownIt) -> None:
    """Register the `callouts` core rule and its renderers."""
    md.core.ruler.after("block", "callouts", callouts)

    def callout_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        meta = tokens[idx].meta
        tag = "details" if meta["fold"] else "div"
        is_open = " open" if meta["fold"] == "+" else ""
        anchor = tokens[idx].attrGet("id")  # a block reference's (blockrefs.py)
        id_attr = f' id="{escapeHtml(str(anchor))}"' if anchor else ""
        kind, name = meta["type"], escapeHtml(meta["name"])
        return f'<{tag}{id_attr} class="callout callout-{kind}" data-callout="{name}"{is_open}>\n'

    def title_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        return '<summary class="callout-title">' if tokens[idx].meta["fold"] else '<div class="callout-title">'

    def title_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        return ("</summary>" if tokens[idx].meta["fold"] else "</div>") + '\n<div class="callout-content">\n'

    def callout_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        return "</div>\n" + ("</details>\n" if tokens[idx].meta["fold"] else "</div>\n")

    md.add_render_rule("callout_open", callout_open)
    md.add_render_rule("callout_title_open", title_open)
    md.add_render_rule("callout_title_close", title_close)
    md.add_render_rule("callout_close", callout_close)
