"""`raw_html`: raw HTML in notes runs as written (default, what Obsidian vaults rely on) or,
with `raw_html: false`, is shown as text; the other syntaxes work either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_vault
from mlnotes_site.markdown import make_parser

NOTE = """# 安全 Safety

Text <script>alert(1)</script> and <img src=x onerror=alert(1)> here, β<sub>2</sub> = 0.95.

<div onclick="alert(2)">block</div>

> [!warning] Careful
> Inside a callout %%hidden comment%% with $x^2$ and ==marked==.

- [ ] a task with [[其他 Other]]

%%
a block comment <script>alert(3)</script>
%%

# 其他 Other

Plain text.
"""


def _page(tmp_path, raw_html: bool) -> str:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "safety.md").write_text(NOTE, encoding="utf-8")
    report = build_vault(notes, tmp_path / "site", raw_html=raw_html)
    assert not report.errors, report.errors
    return (tmp_path / "site" / "安全-safety" / "index.html").read_text(encoding="utf-8")


def _body(html: str) -> str:
    return html[html.index('class="markdown') :]


def test_raw_html_false_escapes_it(tmp_path):
    body = _body(_page(tmp_path, raw_html=False))
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<div onclick" not in body and "&lt;div onclick=" in body
    assert "alert(3)" not in body, "comments are still hidden"
    assert "β<sub>2</sub>" in body, "bare <sub> still works"
    assert "callout-warning" in body and "hidden comment" not in body
    assert "<math" in body and "<mark>marked</mark>" in body
    assert 'type="checkbox"' in body and 'class="internal"' in body


def test_raw_html_true_keeps_it(tmp_path):
    body = _body(_page(tmp_path, raw_html=True))
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(1)>" in body
    assert '<div onclick="alert(2)">block</div>' in body
    assert "alert(3)" not in body and "β<sub>2</sub>" in body
    assert "callout-warning" in body and "<math" in body and "<mark>marked</mark>" in body
    assert 'type="checkbox"' in body and 'class="internal"' in body


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("a<br>b", "<p>a<br>b</p>"),
        ("x<SUP>2</SUP>", "<p>x<sup>2</sup></p>"),
        ('<sub title="x">2</sub>', "<p>&lt;sub title=&quot;x&quot;&gt;2</sub></p>"),  # a stray close is harmless
        ("<subx>", "<p>&lt;subx&gt;</p>"),
        ("`<sub>`", "<p><code>&lt;sub&gt;</code></p>"),
    ],
)
def test_bare_safe_tags_pass_without_raw_html(source, html):
    assert make_parser(raw_html=False).render(source).strip() == html


def test_no_shipped_script_parses_markup_from_strings():
    """Previews copy other pages' content into the page being read: with DOM APIs only."""
    repo = Path(__file__).resolve().parents[1]
    scripts = sorted((repo / "static").glob("*.js")) + sorted((repo / "src").rglob("*.js"))
    assert any(p.name == "preview.js" for p in scripts)
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
            assert sink not in text, f"{path.name} uses {sink}"
