"""Math: `$…$`, `$$…$$` (dollarmath), `\\(…\\)` and `\\[…\\]`, converted to MathML at parse time.
`$…$` holding `\\text{… $x$ …}` is one formula (math_text.py).

The conversion runs in a core rule so each formula is converted once per note, and a
formula that fails is recorded in `env["math_errors"]` as `(line, message, tex)` with a
1-based line counted from the top of the file. The renderer shows a failed formula as its
TeX source in `<code class="math-error">`, never drops it.
"""

from __future__ import annotations

import re
from typing import Any, Callable, MutableMapping, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_block_dollar

from .math_text import text_dollar
from .mathml import MathError, to_mathml
from .scan import find_closer

_INLINE = ("math_inline", "math_inline_double")
_BLOCK = ("math_block", "math_block_label")
_CLOSERS = {"(": "\\)", "[": "\\]"}
_DOUBLE_DOLLAR = re.compile(r"(?<!\\)\$\$")
BlockRule = Callable[[StateBlock, int, int, bool], bool]


def single_formula(rule: BlockRule) -> BlockRule:
    """The `$$` block rule, refusing a block whose formula holds a `$$`: `$$a$$ 和 $$b$$` is a
    paragraph with two formulas, not one formula `a$$ 和 $$b`."""

    def block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        count = len(state.tokens)
        if not rule(state, start, end, silent):
            return False
        if len(state.tokens) > count and _DOUBLE_DOLLAR.search(state.tokens[-1].content):
            del state.tokens[count:]
            state.line = start
            return False
        return True

    return block


def brackets(state: StateInline, silent: bool) -> bool:
    """`\\(…\\)` (inline) and `\\[…\\]` (display, alone on its lines) in a paragraph; runs before `escape`."""
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in _CLOSERS:
        return False
    closer = _CLOSERS[src[pos + 1]]
    end = find_closer(state, closer, pos + 2, state.posMax, _escaped_closer)
    if end < 0 or _blank(src, pos + 2, end):
        return False
    if closer == "\\]" and not _own_lines(src, pos, end + 2, state.posMax):
        return False  # `\[CLS\]: 101` is escaped brackets in running text, not display math
    if not silent:
        token = state.push("math_inline" if closer == "\\)" else "math_inline_double", "math", 0)
        token.markup = src[pos : pos + 2]
        token.content = src[pos + 2 : end]
    state.pos = end + 2
    return True


def _own_lines(src: str, start: int, end: int, limit: int) -> bool:
    """True when src[start:end] is alone on its line(s): only spaces before it and after it.

    Walks only the spaces next to it (not to the ends of the line, which on a long line of
    `\\[…\\]` would be quadratic)."""
    at = start - 1
    while at >= 0 and src[at] != "\n":
        if not src[at].isspace():
            return False
        at -= 1
    at = end
    while at < limit and src[at] != "\n":
        if not src[at].isspace():
            return False
        at += 1
    return True


def _blank(src: str, start: int, end: int) -> bool:
    """True when src[start:end] is only whitespace (looks no further than its first other character)."""
    at = start
    while at < end and src[at].isspace():
        at += 1
    return at >= end


def _escaped_closer(src: str, pos: int, limit: int) -> bool:
    """A closer `\\)` / `\\]` whose backslash is escaped is no closer."""
    return _escaped(src, pos)


def _escaped(src: str, pos: int) -> bool:
    """True when the backslash at `pos` is itself escaped by an odd run of backslashes."""
    count = 0
    while pos - 1 - count >= 0 and src[pos - 1 - count] == "\\":
        count += 1
    return count % 2 == 1


def _convert(token: Token, display: bool, line: int, env: MutableMapping[str, Any]) -> None:
    try:
        token.meta["mathml"] = to_mathml(token.content, display)
    except MathError as exc:
        token.meta["math_error"] = str(exc)
        env.setdefault("math_errors", []).append((line, str(exc), token.content.strip()))


def convert_math(state: StateCore) -> None:
    """Convert every formula of the document to MathML, recording failures with their line."""
    for token in state.tokens:
        if token.type in _BLOCK and token.map:
            _convert(token, True, token.map[0] + 1, state.env)
        elif token.type == "inline" and token.children:
            line = (token.map[0] + 1) if token.map else 0
            for child in token.children:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1 if line else 0
                elif child.type in _INLINE:
                    _convert(child, child.type == "math_inline_double", line, state.env)
                    line += child.content.count("\n") if line else 0
                elif child.type == "text":
                    line += child.content.count("\n") if line else 0


# punctuation that must not start a line (CJK closing marks, and their ASCII kin)
_CLOSING = frozenset("，。、；：！？）」』】〕〉》”’…,.;:!?)]")


def tied_to_formula(tokens: Sequence[Token], idx: int) -> bool:
    """Whether inline token `idx` is text that starts with closing punctuation right after an
    inline formula (the two are shown in one `<span class="math-tie">`)."""
    return (
        0 < idx < len(tokens)
        and tokens[idx].type == "text"
        and tokens[idx].content[:1] in _CLOSING
        and tokens[idx - 1].type in _INLINE
    )


def _html(token: Token, display: bool) -> str:
    if "mathml" not in token.meta and "math_error" not in token.meta:
        try:
            return to_mathml(token.content, display)
        except MathError as exc:
            token.meta["math_error"] = str(exc)
    if "mathml" in token.meta:
        return token.meta["mathml"]
    title = escapeHtml(token.meta["math_error"])
    return f'<code class="math-error" title="{title}">{escapeHtml(token.content.strip())}</code>'


def plugin(md: MarkdownIt) -> None:
    """Install the dollar and bracket delimiters, the conversion rule and the MathML renderers."""
    # "$5 and $10" is not math: no digit right after the closing `$`, and (as in Pandoc) no
    # space inside the delimiters, so "$10 … 范数 $\\Vert…$" does not pair the wrong dollars
    md.use(dollarmath_plugin, allow_digits=False, allow_space=False, double_inline=True)
    # the plugin's own block rule (its defaults: labels `$$x$$ (1)`, blank lines allowed), one formula a block
    label = lambda text: re.sub(r"\s+", "-", text)  # noqa: E731
    md.block.ruler.at("math_block", single_formula(math_block_dollar(True, label, allow_blank_lines=True)))
    md.inline.ruler.before("escape", "math_brackets", brackets)
    # `$\\text{if $x>0$}$`: dollars inside `\\text{…}` do not end the formula (math_text.py)
    md.inline.ruler.before("math_inline", "math_text_dollar", text_dollar)
    md.core.ruler.push("math_mathml", convert_math)

    def inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        html = _html(tokens[idx], tokens[idx].type == "math_inline_double")
        # a full-width comma never starts a line after a formula: the two are tied in one
        # unbreakable span, which the text rule closes after the comma (`tied_to_formula`)
        return f'<span class="math-tie">{html}' if tied_to_formula(tokens, idx + 1) else html

    def block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        token = tokens[idx]
        label = f'<span class="eqno">({escapeHtml(token.info)})</span>' if token.type == "math_block_label" else ""
        anchor = token.attrGet("id")  # a block reference's (blockrefs.py)
        id_attr = f' id="{escapeHtml(str(anchor))}"' if anchor else ""
        return f'<div{id_attr} class="math-block">{_html(token, True)}{label}</div>\n'

    for name in _INLINE:
        md.add_render_rule(name, inline)
    for name in _BLOCK:
        md.add_render_rule(name, block)
