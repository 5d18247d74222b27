"""`%%comments%%` (Obsidian) are hidden: inline inside a paragraph, or a block of lines
from a line starting with `%%` to a line ending with `%%` (blank lines allowed inside).
Whatever a comment holds (links, tags, tasks) is not parsed, so it makes no warnings."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from .scan import find


def comment_inline(state: StateInline, silent: bool) -> bool:
    """`%%…%%` inside a paragraph; an unclosed `%%` stays text."""
    src, pos = state.src, state.pos
    if not src.startswith("%%", pos):
        return False
    end = find(state, "%%", pos + 2, state.posMax)
    if end < 0:
        return False
    if not silent:
        state.push("comment", "", 0).content = src[pos + 2 : end]
    state.pos = end + 2
    return True


def comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Lines from one starting with `%%` to the first one ending with `%%`."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    first = state.src[state.bMarks[start_line] + state.tShift[start_line] : state.eMarks[start_line]]
    if not first.startswith("%%"):
        return False
    line, rest = start_line, first[2:].rstrip()
    if "%%" in rest and not rest.endswith("%%"):
        return False  # `%%a%% text`: an inline comment followed by text
    while not rest.endswith("%%"):
        line += 1
        if line >= end_line:
            return False
        rest = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].rstrip()
    if silent:
        return True
    token = state.push("comment", "", 0)
    token.map = [start_line, line + 1]
    token.content = state.getLines(start_line, line + 1, state.blkIndent, False)
    state.line = line + 1
    return True


def plugin(md: MarkdownIt) -> None:
    """Register the inline and block comment rules; comments render as nothing."""
    md.inline.ruler.before("emphasis", "comment", comment_inline)
    md.block.ruler.before("fence", "comment", comment_block, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.add_render_rule("comment", lambda self, tokens, idx, options, env: "")
