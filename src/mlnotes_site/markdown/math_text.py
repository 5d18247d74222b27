"""Inline `$…$` whose formula writes math inside text: `$\\text{if $x>0$}$`.

dollarmath ends a formula at its first inner `$` (`$\\text{if $`), so this rule runs before
it: a `$` whose formula reaches past a `\\text{…}` or `\\mbox{…}` group holding dollars ends
at the first `$` after the group instead. It takes only such formulas; every other `$` is
left to dollarmath, with the same rules (no space just inside the dollars, no digit before
the opener or after the closer: `$5 and $10` stays text).

One pass over the paragraph, remembered per inline state, matches its braces and lists the
text groups and the dollars outside them; each opener then finds its closer by bisection,
so a long line of `$\\text{$` stays linear.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from markdown_it.rules_inline import StateInline

from .scan import Work

TEXT_COMMAND = re.compile(r"\\(?:text|mbox)(?![A-Za-z])\s*\{")
_TOKEN = re.compile(r"\\.|[{}$]", re.S)  # an escape (`\\$`, `\\{`) is skipped whole


@dataclass(frozen=True)
class Layout:
    """Where a paragraph's text groups and free dollars are (indices into the inline source)."""

    starts: tuple[int, ...]  # each outermost `\\text{…}` group's start, in order
    with_dollars: tuple[int, ...]  # how many of the groups before index i hold a `$` (prefix counts)
    dollars: tuple[int, ...]  # unescaped `$` outside every group, in order


_LAYOUTS: weakref.WeakKeyDictionary[StateInline, tuple[str, Layout | None]] = weakref.WeakKeyDictionary()


def layout(src: str) -> Layout | None:
    """The text groups and free dollars of `src`; None when no text group holds a `$`."""
    Work.scanned += len(src)  # one pass (tests/test_pathological.py checks the work is linear)
    closing: dict[int, int] = {}
    open_braces: list[int] = []
    dollars_everywhere: list[int] = []
    for m in _TOKEN.finditer(src):
        char = m.group()
        if char == "{":
            open_braces.append(m.start())
        elif char == "}" and open_braces:
            closing[open_braces.pop()] = m.start()
        elif char == "$":
            dollars_everywhere.append(m.start())
    groups: list[tuple[int, int]] = []
    after = 0
    for m in TEXT_COMMAND.finditer(src):
        end = closing.get(m.end() - 1)
        if m.start() < after or end is None:
            continue
        groups.append((m.start(), end + 1))
        after = end + 1
    if not groups:
        return None
    counts, dollars, g, inside = [0], [], 0, [0] * len(groups)
    for at in dollars_everywhere:
        while g < len(groups) and groups[g][1] <= at:
            g += 1
        if g < len(groups) and groups[g][0] <= at:
            inside[g] += 1
        else:
            dollars.append(at)
    for count in inside:
        counts.append(counts[-1] + (1 if count else 0))
    if counts[-1] == 0:
        return None
    return Layout(tuple(start for start, _ in groups), tuple(counts), tuple(dollars))


def _layout_of(state: StateInline) -> Layout | None:
    known = _LAYOUTS.get(state)
    if known is None or known[0] is not state.src:
        found = layout(state.src) if ("\\text" in state.src or "\\mbox" in state.src) else None
        known = _LAYOUTS[state] = (state.src, found)
    return known[1]


def text_dollar(state: StateInline, silent: bool) -> bool:
    """`$…\\text{… $x$ …}…$` as one inline formula (see the module docstring)."""
    src, pos = state.src, state.pos
    if src[pos] != "$" or src[pos + 1 : pos + 2] in ("$", "") or src[pos + 1].isspace():
        return False
    if pos > 0 and src[pos - 1].isdigit():
        return False
    found = _layout_of(state)
    if found is None:
        return False
    k = bisect_left(found.dollars, pos)
    if k + 1 >= len(found.dollars) or found.dollars[k] != pos:
        return False  # escaped, inside a text group, or no closer
    end = found.dollars[k + 1]
    first, last = bisect_right(found.starts, pos), bisect_left(found.starts, end)
    if found.with_dollars[last] == found.with_dollars[first]:
        return False  # no math inside text here: dollarmath's case
    if end >= state.posMax or src[end - 1].isspace() or src[end + 1 : end + 2].isdigit():
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.markup = "$"
        token.content = src[pos + 1 : end]
    state.pos = end + 1
    return True
