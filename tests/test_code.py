"""Fenced code: Pygments classes, unknown languages plain and escaped, the stylesheet in sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlnotes_site.markdown.code import pygments_css

STATIC = Path(__file__).resolve().parents[1] / "static"


def test_python_is_highlighted_with_classes(md):
    html = md.render("```python\ndef f(x):\n    return x < 1\n```\n")
    assert html.startswith(
        '<div class="code-block" data-lang="python"><pre class="highlight"><code class="language-python">'
    )
    assert '<span class="k">def</span>' in html and '<span class="o">&lt;</span>' in html
    assert "style=" not in html


def test_info_string_extras_are_ignored(md):
    assert '<span class="k">def</span>' in md.render("```python title=x.py\ndef f(): pass\n```\n")
    assert '<span class="k">def</span>' in md.render("```{python}\ndef f(): pass\n```\n")


@pytest.mark.parametrize("info", ["nosuchlang", "", "text", "<script>"])  # (mermaid: a diagram, test_extras.py)
def test_unknown_or_missing_language_is_plain_and_escaped(md, info):
    html = md.render(f'```{info}\na <b> & "c"\n```\n')
    assert '<pre class="plain">' in html
    assert "a &lt;b&gt; &amp; &quot;c&quot;\n</code></pre></div>" in html
    assert "<script>" not in html and "<b>" not in html


def test_code_text_is_escaped_when_highlighted(md):
    html = md.render("```html\n<script>alert(1)</script>\n```\n")
    assert "<script>" not in html and "&lt;" in html


def test_output_is_deterministic(md):
    text = "```js\nconst a = 1; // x\n```\n"
    assert md.render(text) == md.render(text)


def test_indented_code_is_untouched(md):
    assert md.render("    x < 1\n") == "<pre><code>x &lt; 1\n</code></pre>\n"


def test_static_pygments_css_is_generated_from_the_styles():
    css = (STATIC / "pygments.css").read_text(encoding="utf-8")
    assert css == pygments_css()
    assert ".highlight .k {" in css
    assert ':root[data-theme="dark"] .highlight .k {' in css
    assert '@media (prefers-color-scheme: dark) {\n  :root:not([data-theme="light"]) .highlight' in css


def test_pages_link_the_stylesheet_and_copy_script(seed_site):
    out, _ = seed_site
    page = next(out.rglob("index.html")).read_text(encoding="utf-8")
    assert "static/pygments.css" in page and "static/copy.js" in page
    assert (out / "static" / "pygments.css").is_file() and (out / "static" / "copy.js").is_file()
