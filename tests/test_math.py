"""Math: delimiters, TeX → MathML (with latex2mathml's gaps filled), failures kept visible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlnotes_site.markdown.mathml import MathError, to_mathml

FORMULAS = Path(__file__).parent / "fixtures" / "math" / "formulas.txt"


def _formulas() -> list[str]:
    return [block.strip() for block in FORMULAS.read_text(encoding="utf-8").split("\n\n") if block.strip()]


def test_the_formula_set_is_big_enough():
    assert len(_formulas()) >= 40


@pytest.mark.parametrize("tex", _formulas())
def test_every_formula_converts_with_no_command_left(md, tex):
    env: dict = {}
    html = md.render(f"$$\n{tex}\n$$\n", env)
    assert env.get("math_errors") is None
    assert '<math display="block">' in html and "math-error" not in html
    assert not re.search(r"\\[A-Za-z]", html), html
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
    assert html.startswith("<p>矩阵范数满足<math") and "，所以除以<math" in html


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
