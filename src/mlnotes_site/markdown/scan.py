"""Linear-time searches for inline rules, remembered per inline state.

An inline rule runs at many positions of one paragraph (markdown-it also runs every rule
again in validation mode from `skipToken`). A rule that searches the rest of the paragraph
for its closer, or counts the newlines before its position, from scratch each time is
quadratic on a long line: a 100 KB line of `[[` or `\\(` took seconds. These helpers keep
the last answer per state and needle, so the searches over one paragraph add up to a few
passes over its text whatever the number of positions.
"""

from __future__ import annotations

import weakref
from typing import Callable

from markdown_it.rules_inline import StateInline

# state -> needle -> (searched from, next occurrence or -1); "\n" counts live in _LINES
_FOUND: weakref.WeakKeyDictionary[StateInline, dict[object, tuple[int, int]]] = weakref.WeakKeyDictionary()
_LINES: weakref.WeakKeyDictionary[StateInline, tuple[int, int]] = weakref.WeakKeyDictionary()


class Work:
    """Characters searched or counted so far, in all states (tests check it grows linearly)."""

    scanned = 0


def _scanned(start: int, found: int, end: int) -> None:
    Work.scanned += (found if found >= 0 else end) - start


def find(state: StateInline, needle: str, start: int, limit: int) -> int:
    """`state.src.find(needle, start, limit)`, remembering the answer for later calls.

    The next occurrence at or after `start` is also the next one for any later start up to
    it, and "none after `start`" holds for every later start: positions mostly move forward,
    so the text is searched about once per needle."""
    memo = _FOUND.get(state)
    if memo is None:
        memo = _FOUND[state] = {}
    known = memo.get(needle)
    if known is not None and known[0] <= start and (known[1] < 0 or known[1] >= start):
        found = known[1]
    else:
        found = state.src.find(needle, start)
        memo[needle] = (start, found)
        _scanned(start, found, len(state.src))
    return found if 0 <= found and found + len(needle) <= limit else -1


def find_closer(state: StateInline, needle: str, start: int, limit: int, skip: Callable[[str, int, int], bool]) -> int:
    """The first `needle` in `state.src[start:limit]` for which `skip(src, at, limit)` is false, or -1.

    Like `find`, remembered: a run of skipped candidates (escaped closers, `===`) is walked
    once, not once from every opener before it."""
    memo = _FOUND.get(state)
    if memo is None:
        memo = _FOUND[state] = {}
    key = (needle, limit, skip)
    known = memo.get(key)
    if known is not None and known[0] <= start and (known[1] < 0 or known[1] >= start):
        return known[1]
    src, at = state.src, start
    while True:
        at = src.find(needle, at, limit)
        if at < 0 or not skip(src, at, limit):
            break
        at += 1
    memo[key] = (start, at)
    _scanned(start, at, limit)
    return at


def line_offset(state: StateInline, pos: int) -> int:
    """How many newlines `state.src` has before `pos`, counted on from the last answer."""
    since, count = _LINES.get(state, (0, 0))
    if since > pos:
        since, count = 0, 0
    count += state.src.count("\n", since, pos)
    Work.scanned += pos - since
    _LINES[state] = (pos, count)
    return count
