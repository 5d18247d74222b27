"""The Markdown parser: markdown-it-py with the plugins mlnotes needs, in one ordered list.

Each syntax lives in its own module exposing `plugin(md)`. Renderer rules that need to
know about the whole site (resolved links, heading ids, copied images) read them from
the render `env`; see `render_rules.py`.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from . import (
    blockrefs,
    callouts,
    cjk_linkify,
    code,
    comments,
    hashtags,
    highlight,
    image_size,
    jekyll,
    limits,
    math,
    mermaid,
    render_rules,
    tasks,
    wikilinks,
)

# With raw HTML off, these tags still pass when written bare (no attributes): they cannot run
# anything, and notes use them for formulas in prose (`β<sub>2</sub>`, `10<sup>-8</sup>`)
SAFE_TAGS = ("sub", "sup", "br", "mark", "kbd", "u", "s", "del", "ins", "small", "b", "i", "em", "strong", "wbr")
_SAFE_TAG = re.compile(r"</?(?:" + "|".join(SAFE_TAGS) + r")\s*/?>", re.IGNORECASE)


def safe_tag(state: StateInline, silent: bool) -> bool:
    """A bare `<sub>`, `</sup>`, `<br>`, … (SAFE_TAGS) as inline HTML; anything else is text."""
    if state.src[state.pos] != "<":
        return False
    match = _SAFE_TAG.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    if not silent:
        state.push("html_inline", "", 0).content = match.group(0).lower()
    state.pos = match.end()
    return True


def make_parser(
    raw_html: bool = True,
    max_parse_steps: int = limits.MAX_PARSE_STEPS,
    max_note_bytes: int = limits.MAX_NOTE_BYTES,
    breaks: bool = False,
) -> MarkdownIt:
    """A fresh parser; parsers hold no per-note state, so one can be reused for every note.

    `raw_html=False` shows raw HTML in notes as text (markdown-it's `html` option off), except
    the bare SAFE_TAGS. The limits bound the work for one note (config `max_parse_steps` and
    `max_note_bytes`; see `limits.py`): a note over one is published as plain text with a warning."""
    md = MarkdownIt("commonmark", {"html": raw_html, "linkify": True, "typographer": False, "breaks": breaks})
    if not raw_html:
        md.inline.ruler.before("html_inline", "safe_tag", safe_tag)
    md.enable(["table", "strikethrough", "linkify"])
    plugins: list[tuple[Callable[..., None], dict[str, Any]]] = [
        (front_matter_plugin, {}),
        (footnote_plugin, {}),
        (tasks.plugin, {}),
        # $…$, $$…$$, \(…\), \[…\] → MathML at parse time; "$5 and $10" is not math
        (math.plugin, {}),
        (jekyll.plugin, {}),  # Liquid in link targets; kramdown escapes in a Jekyll note's math
        (code.plugin, {}),  # fences through Pygments
        (mermaid.plugin, {}),  # ```mermaid fences: diagrams (after code: it wraps its fence rule)
        (comments.plugin, {}),  # %%hidden%% first, so nothing inside a comment is parsed
        (callouts.plugin, {}),  # > [!note] Title
        (highlight.plugin, {}),  # ==mark==
        (cjk_linkify.plugin, {}),
        (wikilinks.plugin, {}),
        (hashtags.plugin, {}),
        (image_size.plugin, {}),  # ![alt|250x100](url): width and height
        (render_rules.plugin, {}),
        (blockrefs.plugin, {}),  # after tasks (a checklist item's id is its block's)
        (limits.plugin, {"max_parse_steps": max_parse_steps, "max_note_bytes": max_note_bytes}),
    ]
    for plugin, options in plugins:
        md.use(plugin, **options)
    return md
