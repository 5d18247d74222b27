"""Jekyll compatibility: Liquid in link and image targets, and kramdown escapes in math.

Liquid in a target (`[x]({{ site.baseurl }}/notes/x/)`, `![]({{ "/img/a.png" | relative_url }})`)
is resolved against the site root, as Jekyll would at the root of the notes folder:

    {{ site.baseurl }}, {{ site.url }}, {{ site.github.url }}   -> "" (the target is root-relative)
    {{ "/x" | relative_url }}, {{ '/x' | absolute_url }}        -> /x
    {% link _posts/2020-01-01-x.md %}                           -> /_posts/2020-01-01-x.md (that note)
    {% post_url 2020-01-01-x %}, {% post_url sub/2020-01-01-x %} -> /_posts/2020-01-01-x (that post)

so the one link resolver finds the note, page or file. Any other Liquid in a target cannot be
known here: the link is left as written and `env["liquid_warnings"]` gets `(line, tag)`.
Targets are read in the inline text of paragraphs (outside code spans) and in reference
definitions (`[id]: {{ site.baseurl }}/x`, used by `[text][id]`); code is never touched.

A Jekyll-flavoured note (`env["jekyll"]`: it has a `layout:` or sits in `_posts/`, see
load/note.py) was written for kramdown, which needs `\\_`, `\\*` and `\\<` escaped even in math:
inside `$…$` and `$$…$$` they are undone (`y\\_t` -> `y_t`), before the formula is converted.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore

# in an inline token's content: code span fences, a target's start, Liquid, a target's end
_PIECES = re.compile(r"`+|\]\(|\{\{[^{}\n]*\}\}|\{%[^{}\n]*%\}|[\s)]")
_SITE = re.compile(r"\{\{-?\s*site\.(?:baseurl|url|github\.url)\s*-?\}\}")
_FILTER = re.compile(r"""\{\{-?\s*(?:"([^"]*)"|'([^']*)')\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}""")
_LINK_TAG = re.compile(r"\{%-?\s*link\s+(\S+)\s*-?%\}")
_POST_URL = re.compile(r"\{%-?\s*post_url\s+(\S+)\s*-?%\}")
_DESTINATION = r"(?:\{\{[^{}\n]*\}\}|\{%[^{}\n]*%\}|[^\s{]|\{(?![{%]))+"  # Liquid may hold spaces
_REFERENCE = re.compile(
    r"\[([^\[\]\n]+)\]:[ \t]*(" + _DESTINATION + r""")(?:[ \t]+("[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*"""
)
_KRAMDOWN_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\([_*<])")  # `\_`, `\*`, `\<` (not `\\_`)
_MATH = ("math_inline", "math_inline_double", "math_block", "math_block_label")


def liquid_value(tag: str) -> str | None:
    """What a Liquid tag in a link target stands for, root-relative; None when unknown."""
    if _SITE.fullmatch(tag):
        return ""
    if found := _FILTER.fullmatch(tag):
        path = found.group(1) if found.group(1) is not None else found.group(2)
        return "/" + path.lstrip("/")
    if found := _LINK_TAG.fullmatch(tag):
        return "/" + found.group(1).lstrip("/")
    if found := _POST_URL.fullmatch(tag):
        return "/_posts/" + found.group(1).lstrip("/")
    return None


def _code_spans(content: str) -> list[tuple[int, int]]:
    """[start, end) of each code span: a backtick run up to the next run of the same length."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", content)]
    spans, i = [], 0
    later: dict[int, list[int]] = {}  # run length -> indices of the runs of that length, last first
    for n in range(len(runs) - 1, -1, -1):
        later.setdefault(runs[n][1] - runs[n][0], []).append(n)
    while i < len(runs):
        size = runs[i][1] - runs[i][0]
        ahead = later[size]
        while ahead and ahead[-1] <= i:
            ahead.pop()
        if not ahead:
            i += 1
            continue
        close = ahead.pop()
        spans.append((runs[i][0], runs[close][1]))
        i = close + 1
    return spans


def resolve_targets(content: str) -> tuple[str, list[tuple[int, str]]]:
    """`content` with the Liquid in its link and image targets resolved, and the unknown tags
    as (offset, tag) (their targets are left as written)."""
    spans = iter(_code_spans(content))
    code = next(spans, None)
    out: list[str] = []
    unknown: list[tuple[int, str]] = []
    at = 0  # content[:at] is in `out`
    start = -1  # where the target being read starts (-1: not in a target)
    tags: list[re.Match[str]] = []

    def finish(end: int) -> None:
        nonlocal at
        values = [liquid_value(m.group(0)) for m in tags]
        if None in values:
            unknown.extend((m.start(), m.group(0)) for m, v in zip(tags, values, strict=True) if v is None)
            return
        text = content[start:end]
        for m, value in sorted(zip(tags, values, strict=True), key=lambda mv: -mv[0].start()):
            text = text[: m.start() - start] + str(value).replace(" ", "%20") + text[m.end() - start :]
        out.append(content[at:start] + text)
        at = end

    for m in _PIECES.finditer(content):
        while code is not None and code[1] <= m.start():
            code = next(spans, None)
        if code is not None and code[0] <= m.start():
            continue  # inside a code span
        piece = m.group(0)
        if piece == "](":
            start, tags = m.end(), []
        elif start < 0:
            continue
        elif piece.startswith("{"):
            tags.append(m)
        elif piece.isspace() and m.start() == start:
            start = m.end()  # spaces before the destination
        elif piece.isspace() or piece == ")" or piece.startswith("`"):
            if tags:
                finish(m.start())
            start = -1
    out.append(content[at:])
    return "".join(out), unknown


def resolve_destination(dest: str) -> tuple[str | None, list[tuple[int, str]]]:
    """A link destination with its Liquid resolved (None when a tag is unknown), and the
    unknown tags as (offset, tag)."""
    pieces = list(re.finditer(r"\{\{[^{}\n]*\}\}|\{%[^{}\n]*%\}", dest))
    values = [liquid_value(m.group(0)) for m in pieces]
    unknown = [(m.start(), m.group(0)) for m, v in zip(pieces, values, strict=True) if v is None]
    if unknown:
        return None, unknown
    out, at = [], 0
    for m, value in zip(pieces, values, strict=True):
        out += [dest[at : m.start()], str(value).replace(" ", "%20")]
        at = m.end()
    return "".join(out) + dest[at:], []


def liquid_reference(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A reference definition whose destination holds Liquid (`[id]: {{ site.baseurl }}/x`,
    which markdown-it would read as text: the destination has spaces): resolved and defined
    as markdown-it defines references, for `[text][id]` to use."""
    begin = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4 or state.src[begin : begin + 1] != "[":
        return False
    line = state.src[begin : state.eMarks[start]]
    found = _REFERENCE.fullmatch(line) if "{{" in line or "{%" in line else None
    if found is None or not normalizeReference(found.group(1)):
        return False
    href, unknown = resolve_destination(found.group(2))
    if href is None:
        if not silent:
            state.env.setdefault("liquid_warnings", []).extend((start + 1, tag) for _, tag in unknown)
        return False
    if silent:
        return True
    title = found.group(3)[1:-1] if found.group(3) else ""
    references = state.env.setdefault("references", {})
    references.setdefault(
        normalizeReference(found.group(1)),
        {"title": title, "href": state.md.normalizeLink(href), "map": [start, start + 1]},
    )
    state.line = start + 1
    return True


def liquid_targets(state: StateCore) -> None:
    """Resolve Liquid in the link and image targets of every paragraph, before inline parsing."""
    for token in state.tokens:
        if token.type != "inline" or ("{{" not in token.content and "{%" not in token.content):
            continue
        written = token.content
        token.content, unknown = resolve_targets(written)
        line = (token.map[0] + 1) if token.map else 0
        for offset, tag in unknown:
            state.env.setdefault("liquid_warnings", []).append((line + written.count("\n", 0, offset), tag))


def kramdown_math(state: StateCore) -> None:
    """In a Jekyll-flavoured note, undo kramdown's escapes (`\\_`, `\\*`, `\\<`) inside math."""
    if not state.env.get("jekyll"):
        return
    for token in state.tokens:
        for t in [token, *(token.children or ())]:
            if t.type in _MATH and t.markup != "\\(" and t.markup != "\\[":
                t.content = _KRAMDOWN_ESCAPE.sub(r"\1\2", t.content)


def plugin(md: MarkdownIt) -> None:
    """Register the Liquid rule (before inline parsing) and the math rule (before MathML)."""
    md.block.ruler.before("reference", "liquid_reference", liquid_reference)
    md.core.ruler.before("inline", "jekyll_liquid", liquid_targets)
    md.core.ruler.before("math_mathml", "kramdown_math", kramdown_math)
