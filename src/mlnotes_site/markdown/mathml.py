"""TeX → MathML with latex2mathml, plus the fixes for what it gets wrong in ML notes.

latex2mathml is pure Python and fast, but (measured in FINDINGS "Math") it leaves a
literal `&` in `aligned`, mangles `\\operatorname*{arg\\,max}`, renders `\\sim` as `~` and
draws `\\lVert…\\rVert` as stretchy (oversized) bars. `to_mathml` rewrites those into TeX
it handles, converts, and rejects output that still holds a `\\command` or a bare `&`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element


class MathError(ValueError):
    """The TeX could not be turned into MathML; the message says why."""


_SPACING = re.compile(r"\\[,;:!> ]|~")
# environments latex2mathml lacks, mapped to ones it draws correctly
_ENVIRONMENTS = {"aligned": "align*", "alignedat": "align*"}
_GATHER = re.compile(r"\\(begin|end)\{(?:gathered|gather\*?)\}")  # latex2mathml draws these on one line
_WORD_OPERATORS = {
    "argmax": "arg max",
    "argmin": "arg min",
    "arg": "arg",
    "Var": "Var",
    "Cov": "Cov",
    "KL": "KL",
    "softmax": "softmax",
    "diag": "diag",
    "tr": "tr",
    "Tr": "Tr",
    "sign": "sign",
    "rank": "rank",
}
_LEFTOVER = re.compile(r">(\\[A-Za-z]+)<")
# `\\[4pt]` ends a row like `\\` (the extra space is dropped; latex2mathml would print "[4pt]")
_DIMENSION = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*(?:pt|em|ex|mm|cm|in|mu|bp|pc|sp|dd|cc|px)\s*"
_ROW_END = re.compile(r"\\\\(\[" + _DIMENSION + r"\])?|\\.", re.S)
_TEXT = re.compile(r"\\(?:text|mbox)(?![A-Za-z])")
_INNER_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.S)
_NOLIMITS = re.compile(r"(\\[A-Za-z]+)\s*\\nolimits(?![A-Za-z])")
# In display math TeX sets the limits of these operators under/over them; latex2mathml does so only
# for `\sum` and `\prod` at the top level of the formula (not inside `\left…\right`, `\sqrt{…}`, …).
# `\max_x` is rewritten to an operator latex2mathml marks `movablelimits` (as it marks `\det`, `\Pr`,
# …), unlike `\operatorname{max}_x`, whose limits stay beside.
_WORD_LIMITS = re.compile(r"\\(lim|max|min|sup|inf)(?![A-Za-z])(?=\s*[_^])")
_BIG_OPERATORS = frozenset(  # ∑ ∏ ∐ ⋀ ⋁ ⋂ ⋃ ⨀ ⨁ ⨂ ⨄ ⨆, as latex2mathml writes them
    f"&#x{ord(c):05X};" for c in "\u2211\u220f\u2210\u22c0\u22c1\u22c2\u22c3\u2a00\u2a01\u2a02\u2a04\u2a06"
)
_UNDER = {"msub": "munder", "msubsup": "munderover"}
_TEXT_ESCAPE = re.compile(r"\\([_%$#&{}])")  # `\_` in `\text{…}` is `_` (latex2mathml keeps the backslash)

# What the MathML may hold: latex2mathml's elements and the presentation attributes it
# writes. Anything else (`\\href`'s href, `\\style`, `\\class`, …) is dropped; an unknown
# element makes the formula fail (shown as TeX source), so no markup gets through.
ELEMENTS = frozenset(
    "math mi mn mo ms mtext mspace mrow mfrac msqrt mroot mstyle merror mpadded mphantom mfenced menclose"
    " msub msup msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd mlabeledtr"
    " semantics annotation maction".split()
)
ATTRIBUTES = frozenset(
    "display mathvariant stretchy fence separator lspace rspace minsize maxsize movablelimits accent"
    " accentunder symmetric largeop form width height depth linethickness displaystyle scriptlevel"
    " columnalign columnlines columnspacing rowalign rowlines rowspacing frame framespacing equalrows"
    " equalcolumns columnspan rowspan notation open close separators mathcolor mathbackground mathsize"
    " voffset align linebreak".split()
)
_REFERENCE = re.compile(r"(&#x[0-9A-Fa-f]+;|&#[0-9]+;)")  # the character references latex2mathml writes


def _escape(text: str, quote: bool = False) -> str:
    """Text as HTML: `&`, `<`, `>` (and `"`) escaped, latex2mathml's `&#x…;` kept as they are."""
    parts = _REFERENCE.split(text)
    for i in range(0, len(parts), 2):
        part = parts[i].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        parts[i] = part.replace('"', "&quot;") if quote else part
    return "".join(parts)


def serialize(element: Element) -> str:
    """MathML text of an element tree, every text node and attribute escaped, only ELEMENTS
    and ATTRIBUTES kept (as `tostring` writes it: attributes in order, empty elements `<x />`)."""
    out: list[str] = []

    def write(node: Element) -> None:
        tag = str(node.tag)
        if tag not in ELEMENTS:
            raise MathError(f"the formula makes an element <{tag[:20]}> that is not MathML")
        attrs = "".join(f' {k}="{_escape(str(v), quote=True)}"' for k, v in node.attrib.items() if k in ATTRIBUTES)
        if node.text or len(node):
            out.append(f"<{tag}{attrs}>{_escape(node.text or '')}")
            for child in node:
                write(child)
            out.append(f"</{tag}>")
        else:
            out.append(f"<{tag}{attrs} />")
        if node.tail:
            out.append(_escape(node.tail))

    write(element)
    return "".join(out)


def _bare_ampersand(element: Element) -> bool:
    return any(node.tag in ("mi", "mo") and node.text == "&" and not len(node) for node in element.iter())


def _group(tex: str, start: int) -> tuple[str, int]:
    """The `{…}` group (or single token) at `start`: (its inner text, index after it)."""
    while start < len(tex) and tex[start] == " ":
        start += 1
    if start >= len(tex):
        raise MathError("a command is missing its argument")
    if tex[start] != "{":
        m = re.match(r"\\[A-Za-z]+|\\.|.", tex[start:], re.S)
        assert m
        return m.group(0), start + len(m.group(0))
    depth = 0
    for i in range(start, len(tex)):
        if tex[i] == "{" and (i == 0 or tex[i - 1] != "\\"):
            depth += 1
        elif tex[i] == "}" and tex[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return tex[start + 1 : i], i + 1
    raise MathError("unbalanced braces `{`…`}`")


def _operator_name(name: str) -> str:
    return "\\operatorname{" + _SPACING.sub(" ", name).strip() + "}"


def _operators(tex: str, display: bool) -> str:
    """`\\operatorname*{x}_{s}` → limits under the name in display math; spacing inside names removed."""
    out, pos = [], 0
    for m in re.finditer(r"\\operatorname(\*?)(?![A-Za-z])", tex):
        if m.start() < pos:
            continue
        name, end = _group(tex, m.end())
        op = _operator_name(name)
        rest = tex[end:].lstrip(" ")
        if m.group(1) and display and rest.startswith("_"):
            sub, end = _group(tex, end + (len(tex[end:]) - len(rest)) + 1)
            op = "\\underset{" + sub + "}{" + op + "}"
        out.append(tex[pos : m.start()] + op)
        pos = end
    return "".join(out) + tex[pos:]


def _math_in_text(tex: str) -> str:
    """`\\text{if $x>0$}` → `\\text{if }{\\textstyle x>0}`: math inside text is math, in text style
    (latex2mathml would print the dollars)."""
    out, pos = [], 0
    for m in _TEXT.finditer(tex):
        if m.start() < pos:
            continue
        body, end = _group(tex, m.end())
        parts, last = [], 0  # a text with no `$…$` is kept as it is, and the texts inside it not searched again
        for inner in _INNER_MATH.finditer(body):
            if inner.start() > last:
                parts.append(m.group(0) + "{" + body[last : inner.start()] + "}")
            parts.append("{\\textstyle " + inner.group(1) + "}")
            last = inner.end()
        if last == 0:
            parts.append(tex[m.start() : end])
        elif last < len(body):
            parts.append(m.group(0) + "{" + body[last:] + "}")
        out.append(tex[pos : m.start()] + "".join(parts))
        pos = end
    return "".join(out) + tex[pos:]


def preprocess(tex: str, display: bool = False) -> str:
    """Rewrite TeX that latex2mathml mishandles into TeX it renders correctly."""
    tex = _math_in_text(tex)
    tex = _ROW_END.sub(lambda m: "\\\\" if m.group(1) else m.group(0), tex)
    if display:  # `\sum\nolimits_i` keeps its limits beside: an ordinary `{\sum}` gets no `_display_limits`
        tex = _WORD_LIMITS.sub(r"\\operatornamewithlimits{\1}", _NOLIMITS.sub(r"{\1}", tex))
    for old, new in _ENVIRONMENTS.items():
        tex = re.sub(
            r"\\(begin|end)\{" + old + r"\}(\{[^}]*\})?" if old == "alignedat" else r"\\(begin|end)\{" + old + r"\}",
            r"\\\1{" + new + "}",
            tex,
        )
    tex = _GATHER.sub(lambda m: "\\begin{array}{c}" if m.group(1) == "begin" else "\\end{array}", tex)
    tex = re.sub(r"\\(?:[lr]?Vert)(?![A-Za-z])", r"\\|", tex)  # fixed-size ‖, as TeX draws it
    tex = re.sub(r"\\[lr]vert(?![A-Za-z])", "|", tex)
    tex = re.sub(r"\\sim(?![A-Za-z])", r"\\thicksim", tex)  # the ∼ relation, not a text tilde
    tex = re.sub(
        r"\\(" + "|".join(_WORD_OPERATORS) + r")(?![A-Za-z])",
        lambda m: "\\operatorname*{" + _WORD_OPERATORS[m.group(1)] + "}",
        tex,
    )
    tex = re.sub(r"\\(?:mathop|operatorname\*?)\{\\(?:mathrm|text)\{([^{}]*)\}\}", r"\\operatorname*{\1}", tex)
    return _operators(tex, display)


# latex2mathml writes \log, \exp, … as a bare <mi>, glued to what follows ("logp");
# TeX puts a thin space after such an operator unless an opening bracket follows.
_FUNCTION_GAP = re.compile(
    # not the base of a script (`\\log_2`): <msub> holds exactly two children, so no space goes in there
    r"(?<!<msub>)(?<!<msup>)(?<!<msubsup>)(?<!<munder>)(?<!<mover>)(?<!<munderover>)"
    r"(<mi>(?:arccos|arcsin|arctan|arg|cos|cosh|cot|coth|csc|deg|det|dim|exp|gcd|hom|ker|lg|ln|log|Pr|sec|sin|sinh|tan|tanh)</mi>)"
    r"(?!<mo stretchy=\"false\">&#x0002[8B];|<mo>&#x0002[8B];|<mo[^>]*>[\[(]|<mspace|</)"
)


def _display_limits(tree: Element) -> None:
    """In display math, a limit operator's `_`/`^` go under/over it (`<munder>`, `<munderover>`), as TeX
    sets them. `movablelimits` lets the browser put them beside again where TeX would: in a fraction,
    a script, text-style math."""
    for node in tree.iter():
        if node.tag in _UNDER and len(node) and node[0].tag in ("mo", "mi") and not len(node[0]):
            base = node[0]
            if base.text in _BIG_OPERATORS or base.get("movablelimits") == "true":
                node.tag = _UNDER[node.tag]
                base.tag = "mo"  # latex2mathml writes some big operators (`\bigoplus`) as <mi>
                base.set("movablelimits", "true")


def _unescape_text(tree: Element) -> None:
    """`\\text{global\\_batch}` shows `global_batch`."""
    for node in tree.iter("mtext"):
        if node.text:
            node.text = _TEXT_ESCAPE.sub(r"\1", node.text)


@lru_cache(maxsize=4096)
def to_mathml(tex: str, display: bool = False) -> str:
    """MathML for one formula; raises MathError when it cannot be converted faithfully."""
    braces = re.sub(r"\\\\|\\[{}]", "", tex)
    if braces.count("{") != braces.count("}"):
        raise MathError("unbalanced braces `{`…`}`")
    source = preprocess(tex.strip(), display)
    try:
        tree = convert_to_element(source, display="block" if display else "inline")
    except MathError:
        raise
    except Exception as exc:  # latex2mathml raises many types, some bare
        raise MathError(f"{type(exc).__name__}: {exc}".rstrip(": ")) from None
    if _bare_ampersand(tree):
        raise MathError("`&` outside an alignment environment")
    if display:
        _display_limits(tree)
    _unescape_text(tree)
    html = serialize(tree)  # xmlns is not in ATTRIBUTES: HTML puts <math> in the MathML namespace itself
    leftover = _LEFTOVER.search(html)
    if leftover:
        raise MathError(f"unknown command `{leftover.group(1)}`")
    return _FUNCTION_GAP.sub(r'\1<mspace width="0.1667em"></mspace>', html)
