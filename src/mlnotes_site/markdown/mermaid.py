"""Mermaid diagrams: a ```` ```mermaid ```` fence becomes `<pre class="mermaid">` holding its
source as escaped text, readable without JavaScript; `static/mermaid-init.js` draws it with the
vendored mermaid (`static/vendor/mermaid/`) on pages that have one.

A core rule marks a note that has a diagram (`env["mermaid"]`, kept in `Note.parse_env`), so a
build copies the vendored script (5.7 MB) only into a site that uses it; a page loads it only
when its HTML holds `MARK` (emit/render.py).
"""

from __future__ import annotations

from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MARK = '<pre class="mermaid">'


def is_mermaid(token: Token) -> bool:
    """True for a fence whose language (its first info word, as code.py reads it) is `mermaid`."""
    words = token.info.split(maxsplit=1) if token.type == "fence" else []
    return bool(words) and words[0].strip("{}.").lower() == "mermaid"


def mark_diagrams(state: StateCore) -> None:
    """Record in the parse env that the note has a diagram."""
    if any(is_mermaid(token) for token in state.tokens):
        state.env["mermaid"] = True


def plugin(md: MarkdownIt) -> None:
    """Render mermaid fences as `<pre class="mermaid">` (other fences as before); mark the note."""
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)  # make_parser's
    code_fence = renderer.rules["fence"]

    def fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        if is_mermaid(tokens[idx]):
            return f"{MARK}{escapeHtml(tokens[idx].content)}</pre>\n"
        return code_fence(tokens, idx, options, env)  # a bound rule (code.py's)

    md.add_render_rule("fence", fence)
    md.core.ruler.push("mermaid", mark_diagrams)
