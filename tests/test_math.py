"""Math: delimiters, TeX → MathML (with latex2mathml's gaps filled), failures kept visible."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mlnotes_site.markdown.mathml import MathError, to_mathml

FIXTURES = Path(__file__).parent / "fixtures" / "math"
FORMULAS = FIXTURES / "formulas.txt"
LIMITS = FIXTURES / "limits.txt"  # formulas with a big operator whose limits go under it in display math


def _formulas(path: Path = FORMULAS) -> list[str]:
    return [block.strip() for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip()]


def test_the_formula_set_is_big_enough():
    assert len(_formulas()) >= 40


@pytest.mark.parametrize("tex", _formulas())
def test_every_formula_converts_with_no_command_left(md, tex):
    env: dict = {}
    html = md.render(f"$$\n{tex}\n$$\n", env)
    assert env.get("math_errors") is None
    assert '<math display="block">' in html and "math-error" not in html
    assert "\\" not in html and "$" not in html, html
    text = re.sub(r"<[^>]*>", "", html)
    assert not re.search(r"\[[\d.]+(pt|em|ex)\]", text), "a row's spacing `\\\\[4pt]` is shown as text"
    assert not re.search(r"&(?!#x[0-9A-Fa-f]+;|amp;|lt;|gt;|quot;)", html), "a bare & is left"


def test_prices_are_not_math(md):
    html = md.render("价格 $5 and $10 不是公式。\n")
    assert "<math" not in html and "$5 and $10" in html


def test_prices_do_not_pair_with_a_later_formula(md):
    html = md.render("价格 $10 很贵，范数 $\\|x\\|$ 才是公式。\n")
    assert html.count("<math") == 1 and "$10 很贵" in html


def test_seed_formulas_inside_chinese_sentences(md):
    text = (
        "矩阵范数满足$\\Vert A+B \\Vert_{F}\\le \\Vert A \\Vert_F + \\Vert B \\Vert_F$，所以除以$\\sqrt{d_k}$来缩放。\n"
    )
    html = md.render(text)
    assert html.count('<math display="inline">') == 2
    assert "<msqrt>" in html and "\\" not in html
    assert html.startswith('<p>矩阵范数满足<span class="math-tie"><math') and "</math>，</span>所以除以<math" in html


def test_closing_punctuation_is_tied_to_the_formula_before_it(md):
    """Issue 15 item 5: a full-width comma may not start a line after a formula (the browser
    test measures it); only closing punctuation right after inline math is tied."""
    html = md.render("设 $x$，则 $y$。而 $z$ 不同，$w$（括号）\n")
    assert html.count('<span class="math-tie">') == 2
    assert "</math>，</span>则" in html and "</math>。</span>而" in html
    assert "</math> 不同" in html and "</math>（括号）" in html  # a space or an opening mark: no tie


@pytest.mark.parametrize(
    "text, display",
    [
        ("a \\(x^2\\) b", "inline"),
        ("\\[x^2\\]", "block"),
        ("a\n\\[\n x^2\n\\]\nb", "block"),
        ("a $$x^2$$ b", "block"),
        ("a $x^2$ b", "inline"),
    ],
)
def test_delimiters(md, text, display):
    html = md.render(text)
    assert f'<math display="{display}">' in html and "<msup>" in html


@pytest.mark.parametrize("text", ["word_id（包含了 \\[CLS\\]:101 ，\\[SEP\\]: 10）", "a \\[x\\] b", "\\[x\\] b"])
def test_bracket_display_math_must_stand_on_its_own_lines(md, text):
    html = md.render(text)
    assert "<math" not in html and "[" in html


def test_escaped_brackets_are_text(md):
    assert md.render("\\\\(not math\\\\)") == "<p>\\(not math\\)</p>\n"


def test_dollars_in_code_stay_code(md):
    assert md.render("`$x$`") == "<p><code>$x$</code></p>\n"


def test_aligned_becomes_a_table_with_no_ampersand():
    html = to_mathml("\\begin{aligned} a &= b \\\\ &= c \\end{aligned}", True)
    assert html.count("<mtr>") == 2 and "<mi>&</mi>" not in html and "linebreak" not in html


@pytest.mark.parametrize("env", ["gathered", "gather", "gather*"])
def test_gathered_rows_are_table_rows(env):
    html = to_mathml(f"\\begin{{{env}}} a = b \\\\ c = d \\end{{{env}}}", True)
    assert html.count("<mtr>") == 2 and "linebreak" not in html


def test_operatorname_star_puts_limits_under_in_display():
    html = to_mathml("\\operatorname*{arg\\,max}_{x} f(x)", True)
    assert "<munder><mrow><mo>argmax</mo></mrow><mrow><mi>x</mi></mrow></munder>" in html
    assert "<msub><mo>argmax</mo>" in to_mathml("\\operatorname*{arg\\,max}_x f", False)
    assert "<mo>argmax</mo>" in to_mathml("\\argmax_x f", False)
    assert "<mo>arg</mo>" in to_mathml("\\arg\\max_x f", False)


_SCRIPTED_OPERATOR = re.compile(r"<msub(?:sup)?><(?:mrow><)?mo")


@pytest.mark.parametrize("tex", _formulas(LIMITS))
def test_display_limits_go_under_the_operator(tex):
    display = to_mathml(tex, True)
    assert re.search(r"<munder(?:over)?>", display) and not _SCRIPTED_OPERATOR.search(display), display
    inline = to_mathml(tex, False)  # as in TeX, inline math keeps the limits beside
    assert _SCRIPTED_OPERATOR.search(inline) and "<munder" not in inline, inline


def test_display_limits_can_move_beside_where_tex_puts_them():
    html = to_mathml("\\frac{\\max_x f}{2} + \\sum\\nolimits_i x_i", True)
    assert '<munder><mo movablelimits="true">max</mo><mi>x</mi></munder>' in html  # beside in a fraction
    assert "<msub><mrow><mo>&#x02211;</mo></mrow><mi>i</mi></msub>" in html  # \\nolimits: always beside


def test_operator_names_without_star_keep_their_limits_beside():
    html = to_mathml("\\operatorname{max}_x f + \\operatorname{lim}_n a_n", True)
    assert "<msub><mo>max</mo><mi>x</mi></msub>" in html and "<msub><mo>lim</mo><mi>n</mi></msub>" in html


def test_escaped_characters_in_text_lose_their_backslash():
    html = to_mathml("\\text{global\\_batch} + \\text{50\\% \\$5 \\#1 a\\&b}")
    assert "<mtext>global_batch</mtext>" in html
    assert "<mtext>50%&#x000A0;$5&#x000A0;#1&#x000A0;a&amp;b</mtext>" in html


@pytest.mark.parametrize("display", [True, False])
def test_math_inside_text_is_math(display):
    html = to_mathml("\\text{if $x>0$ and $y$, else}", display)
    assert "$" not in html
    assert html.count("<mtext>") == 3 and "<mtext>if&#x000A0;</mtext><mrow><mstyle" in html
    assert "<mi>x</mi><mo>&#x0003E;</mo><mn>0</mn>" in html and "<mtext>,&#x000A0;else</mtext>" in html


def test_math_inside_text_in_a_formula_of_the_page(md):
    html = md.render("$$\nf(x) = \\begin{cases} x & \\text{if $x>0$} \\\\ 0 & \\text{otherwise} \\end{cases}\n$$\n")
    assert "$" not in html and "<mtext>if&#x000A0;</mtext><mrow><mstyle" in html


@pytest.mark.parametrize("env", ["aligned", "cases", "matrix", "pmatrix", "array}{cc"])
def test_row_spacing_is_a_row_break(env):
    end = env.split("}")[0]
    html = to_mathml(f"\\begin{{{env}}} a & b \\\\[4pt] c & d \\\\[-1.5ex] e & f \\end{{{end}}}", True)
    assert html.count("<mtr>") == 3 and not re.search(r">[^<]*(?:pt|ex|\[)", html), html


def test_escaped_brackets_after_a_row_break_are_kept():
    html = to_mathml("\\begin{aligned} a &= b \\\\ [x] &= c \\end{aligned}", True)
    assert html.count("<mtr>") == 2 and "[" in html


def test_sim_is_the_tilde_operator():
    assert "<mo>&#x0223C;</mo>" in to_mathml("x \\sim p")


def test_norm_bars_do_not_stretch():
    html = to_mathml("\\lVert \\frac{a}{b} \\rVert + \\Vert x \\Vert")
    assert html.count('<mo fence="false" stretchy="false">&#x02016;</mo>') == 4


@pytest.mark.parametrize(
    "tex, message",
    [
        ("\\foo x", "unknown command `\\foo`"),
        ("\\frac{a", "unbalanced braces"),
        ("a & b", "`&` outside"),
    ],
)
def test_failures_raise(tex, message):
    with pytest.raises(MathError, match=re.escape(message)):
        to_mathml(tex)


def test_a_failed_formula_is_shown_as_source_and_recorded_with_its_line(md):
    text = "---\ntitle: t\n---\n# T\n\nok $x$\nthen $\\foo<b>$ here\n\n$$\n\\frac{a\n$$\n"
    env: dict = {}
    html = md.render(text, env)
    assert '<code class="math-error" title="unknown command `\\foo`">\\foo&lt;b&gt;</code>' in html
    assert '<code class="math-error" title="unbalanced braces `{`…`}`">\\frac{a</code>' in html
    assert env["math_errors"] == [
        (7, "unknown command `\\foo`", "\\foo<b>"),
        (9, "unbalanced braces `{`…`}`", "\\frac{a"),
    ]


@pytest.mark.parametrize("text", ["$$a$$ 和 $$b$$", "$$a$$ 和 $$b$$ (1)", "$$\na\n$$ 和 $$b$$", "$$a$$ $$b$$"])
def test_several_double_dollar_formulas_on_a_line_are_several_formulas(md, text):
    env: dict = {}
    html = md.render(text + "\n", env)
    assert html.startswith("<p>") and 'class="math-block"' not in html and env.get("math_errors") is None
    assert html.count("<math") == 2 and "<mi>$</mi>" not in html and "$" not in html
    assert '<math display="block"><mrow><mi>a</mi></mrow></math>' in html


@pytest.mark.parametrize("text", ["$$a$$", "$$\na\n$$", "$$ a $$", "$$\na\nb$$"])
def test_a_double_dollar_formula_alone_is_display_math(md, text):
    html = md.render(text + "\n")
    assert html.startswith('<div class="math-block"><math display="block">') and html.count("<math") == 1


def test_equation_label(md):
    html = md.render("$$x$$ (1)\n")
    assert '<span class="eqno">(1)</span>' in html


def test_seed_page_has_math_elements(seed_site):
    out, report = seed_site
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("index.html")]
    both = [p for p in pages if "<msqrt><mrow><msub><mi>d</mi><mi>k</mi></msub></mrow></msqrt>" in p]
    assert both, "sqrt(d_k) is not MathML on any page"
    assert any("&#x02264;" in p and "<math" in p for p in pages)
    assert any("[CLS]:101 ，[SEP]: 10" in p for p in pages), "seed 001:315 escapes brackets; they are not math"
    for page in pages:
        for formula in re.findall(r"<math.*?</math>", page, re.S):
            assert "\\" not in formula


def test_function_names_get_a_thin_space_unless_a_bracket_follows():
    from mlnotes_site.markdown.mathml import to_mathml

    html = to_mathml(r"\log p(x) + \log(x) + \exp x")
    gap = '<mspace width="0.1667em"></mspace>'
    assert html.count(gap) == 2
    assert f"<mi>log</mi>{gap}<msub>" in html or f"<mi>log</mi>{gap}<mi>p</mi>" in html
    assert '<mi>log</mi><mo stretchy="false">&#x00028;</mo>' in html


PROBES = [
    r"\tag{<img src=x onerror=alert(1)>} x",
    r"\mbox{<svg/onload=alert(1)>}",
    r"\text{when a<b and c>d} x",
    r"\text{</math><script>alert(1)</script>}",
    r"\text{&lt;b&gt; & \"q\" 'a'}",
    r"\href{javascript:alert(1)}{x}",
    r"\style{background:url(x)}{y}",
    r"\class{evil}{y}",
    r"\color{red\" onmouseover=\"alert(1)}{x}",
    r"\operatorname{<b>}",
    r"\mathrm{<i>x</i>}",
    r"\begin{array}{c}\text{<td>}\end{array}",
]
# MathML the converter may write: elements, and the presentation attributes it emits
ALLOWED_ELEMENTS = set(
    "math mi mn mo ms mtext mspace mrow mfrac msqrt mroot mstyle merror mpadded mphantom mfenced menclose msub"
    " msup msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd mlabeledtr semantics"
    " annotation maction".split()
)
ALLOWED_ATTRIBUTES = set(
    "display mathvariant stretchy fence separator lspace rspace minsize maxsize movablelimits accent form width"
    " height depth linethickness displaystyle scriptlevel columnalign columnspacing rowspacing notation"
    " mathcolor mathsize voffset linebreak".split()
)


def _all_formulas() -> list[tuple[str, bool]]:
    return [(tex, display) for tex in _formulas() + PROBES for display in (True, False)]


class _Tags(HTMLParser):
    """Every element and attribute an HTML parser sees (as a browser would)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[tuple[str, list[str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, [name for name, _ in attrs]))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("tex, display", _all_formulas())
def test_mathml_holds_only_allowed_elements_and_attributes(tex, display):
    try:
        html = to_mathml(tex, display)
    except MathError:
        return  # shown as escaped TeX source by the renderer
    root = ET.fromstring(html)  # well-formed: every text node is escaped
    assert root.tag == "math"
    for node in root.iter():
        assert node.tag in ALLOWED_ELEMENTS, (node.tag, html)
        assert set(node.attrib) <= ALLOWED_ATTRIBUTES, (node.attrib, html)
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.seen:
        assert tag in ALLOWED_ELEMENTS, (tag, html)
        assert set(attrs) <= ALLOWED_ATTRIBUTES, (attrs, html)
        assert not any(a.startswith("on") or a in ("href", "src", "style", "class") for a in attrs)


def test_markup_inside_text_is_shown_as_text(md):
    html = md.render(
        "公式 $\\tag{<img src=x onerror=alert(1)>} x$ 后文\n\n$$\n\\mbox{<svg/onload=alert(1)>}\n$$\n\n下一段\n"
    )
    assert "<img" not in html and "<svg" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;svg/onload=alert(1)&gt;" in html
    assert html.rstrip().endswith("<p>下一段</p>")


def test_a_less_than_sign_in_text_does_not_swallow_the_page(md):
    html = md.render("$\\text{when a<b and c>d} x$ rest of page\n\n# Next heading\n")
    assert "a&lt;b&#x000A0;and&#x000A0;c&gt;d" in html
    parser = _Tags()
    parser.feed(html)
    assert "rest of page" in "".join(parser.text) and ("h1", []) in parser.seen


def test_href_and_style_are_dropped():
    assert "javascript" not in to_mathml(r"\href{javascript:alert(1)}{x}")
    assert "style" not in to_mathml(r"\style{color:red}{x}")


TEXT_DOLLARS = FIXTURES / "text_dollars.txt"  # inline formulas whose \text{…} holds math


def _cases(path: Path) -> list[tuple[str, str]]:
    """(Markdown, expected text) pairs of a fixture file: cases between `===` lines, `.` between the two."""
    blocks = path.read_text(encoding="utf-8").split("\n===\n")[1:]
    return [tuple(part.strip("\n") for part in block.split("\n.\n")) for block in blocks]  # type: ignore[misc]


@pytest.mark.parametrize("text, expected", _cases(TEXT_DOLLARS))
def test_inline_fixture_cases(md, text, expected):
    html = md.render(text + "\n")
    formulas = re.findall(r"<math .*?</math>", html, re.S)
    assert all("$" not in f and "<mtext>if</mtext>" not in f for f in formulas), formulas
    shown = re.sub(r"<math .*?</math>", "[math]", html, flags=re.S)
    assert re.sub(r"</?p>", "", shown).strip() == expected


def test_math_inside_text_in_an_inline_formula_is_rendered(md):
    html = md.render("当 $f(x) = \\text{if $x>0$}$ 时\n")
    assert html.count("<math") == 1 and "<mtext>if&#x000A0;</mtext><mrow><mstyle" in html
