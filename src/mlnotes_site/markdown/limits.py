"""Bounds on the parser's work for one note, so no text can stall a build.

What markdown-it-py cannot do fast, or does wrong, on absurd input is caught here and recorded
in the parse env (see `exceeded`); `load/note.py` then publishes the note as plain text, with
a warning at its line:

- **Look-ahead steps.** Every `[` makes markdown-it look ahead for its `]` (`parseLinkLabel`
  calls `skipToken` over the label, each nested `[` again, up to `maxNesting` deep). That is
  linear but about 20 steps (~14 µs) per character on a line of `[`: a 1 MB line of `[` took
  14 s. Ordinary notes take under 0.1 step per byte (at most 85 steps in any note of the
  demo, fixture and seed vaults); the default allows 1,000,000 steps per note, about a
  second of work, and is the config key `max_parse_steps`.
- **Size.** A note over `max_note_bytes` (10 MB by default) is not parsed: parsing is linear
  but about 0.1 s per MB (a 10,000-deep list indented two more spaces per level is 100 MB).
- **Nesting.** A block nested `maxNesting` (20) levels deep (about 10 lists or 20 quotes) makes
  markdown-it skip the rest of the note silently: everything from there to the end of the
  note is dropped. Here it is noticed, at its line.
"""

from __future__ import annotations

import weakref
from typing import Any, MutableMapping

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

MAX_PARSE_STEPS = 1_000_000
MAX_NOTE_BYTES = 10_000_000  # a bigger note is not parsed at all (parsing is ~0.1 s per MB, linear)
_NOTE_BYTES: weakref.WeakKeyDictionary[MarkdownIt, int] = weakref.WeakKeyDictionary()
_STEPS = "_mlnotes_parse_steps"  # env keys, removed again when the note is parsed
_EXCEEDED = "_mlnotes_limit"
PLAIN_NOTE = "plain_note"  # the token of a note published as plain text
MAX_NESTING_HINT = "indent less: put the deepest items or quotes at a shallower level"


class _TooMuchWork(Exception):
    """Raised from inside the inline parser when a note has used up its steps."""


def exceeded(env: MutableMapping[str, Any]) -> tuple[str, int] | None:
    """("steps" | "nesting", 0-based line) when parsing the note with this env hit a limit; clears the marks."""
    env.pop(_STEPS, None)
    found = env.pop(_EXCEEDED, None)
    return found if isinstance(found, tuple) else None


def max_note_bytes(md: MarkdownIt) -> int:
    """The size above which `load/note.py` shows a note as plain text without parsing it."""
    return _NOTE_BYTES.get(md, MAX_NOTE_BYTES)


def plugin(md: MarkdownIt, max_parse_steps: int = MAX_PARSE_STEPS, max_note_bytes: int = MAX_NOTE_BYTES) -> None:
    """Count look-ahead steps per note and notice blocks nested past `maxNesting`."""
    _NOTE_BYTES[md] = max_note_bytes
    skip_token = md.inline.skipToken
    block_tokenize = md.block.tokenize

    def counted_skip_token(state: StateInline) -> None:
        env = state.env
        steps = env.get(_STEPS, 0) + 1
        env[_STEPS] = steps
        if steps > max_parse_steps:
            raise _TooMuchWork
        skip_token(state)

    def watched_tokenize(state: StateBlock, start_line: int, end_line: int) -> None:
        if state.level >= state.md.options.maxNesting and _EXCEEDED not in state.env:
            line = state.skipEmptyLines(start_line)
            if line < end_line and state.sCount[line] >= state.blkIndent:  # markdown-it drops these lines
                state.env[_EXCEEDED] = ("nesting", line)
        block_tokenize(state, start_line, end_line)

    def inline(state: StateCore) -> None:
        """markdown-it's core `inline` rule, stopped (with a mark) when the note runs out of steps."""
        state.env[_STEPS] = 0
        for token in state.tokens:
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                try:
                    state.md.inline.parse(token.content, state.md, state.env, token.children)
                except _TooMuchWork:
                    state.env.setdefault(_EXCEEDED, ("steps", token.map[0] if token.map else 0))
                    token.children = []
                    return

    md.add_render_rule(
        PLAIN_NOTE,
        lambda self, tokens, idx, options, env: f'<pre class="plain-note">{escapeHtml(tokens[idx].content)}</pre>\n',
    )
    md.inline.skipToken = counted_skip_token  # type: ignore[method-assign]
    md.block.tokenize = watched_tokenize  # type: ignore[method-assign,assignment]
    md.core.ruler.at("inline", inline)
