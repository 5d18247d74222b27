"""The extras fixture vault (tests/fixtures/vaults/extras/): Obsidian image sizes, math in
headings (table of contents, page title, search text) and Mermaid diagrams."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, build_vault

EXTRAS = FIXTURES / "vaults" / "extras"


@pytest.fixture(scope="module")
def extras(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("extras") / "site"
    report = build_vault(EXTRAS, out)
    assert [d.message for d in report.diagnostics] == ["missing image 'img/gone.png'"]
    return out


def _page(out: Path, slug: str) -> str:
    return (out / slug / "index.html").read_text(encoding="utf-8")


def test_image_sizes_set_width_and_height(extras):
    images = re.findall(r"<img [^>]*>", _page(extras, "图片尺寸-image-sizes"))
    assert images == [
        '<img src="../assets/img/cat.png" alt="cat.png" width="250">',  # ![250](…): the file's name as alt
        '<img src="../assets/img/cat.png" alt="一只猫" width="250">',
        '<img src="../assets/img/cat.png" alt="一只猫" width="250" height="100" class="sized">',
        '<img src="https://example.com/cat.png" alt="远程 remote" loading="lazy" width="300">',
        '<img src="../assets/img/cat.png" alt="cat.png" class="embed-image" width="250">',
        '<img src="../assets/img/cat.png" alt="一只猫" class="embed-image sized" width="120" height="80">',
        '<img src="../assets/img/cat.png" alt="图 2">',  # a number after a space is alt text
    ]
    assert '<span class="missing-image" title="缺少图片：img/gone.png" data-label="缺少图片：">gone</span>' in _page(
        extras, "图片尺寸-image-sizes"
    )


@pytest.mark.parametrize(
    "text, alt, width, height",
    [
        ("![250](a/cat.png)", "cat.png", "250", None),
        ("![alt|250](cat.png)", "alt", "250", None),
        ("![alt|250x100](cat.png)", "alt", "250", "100"),
        ("![a | 30 × 20](cat.png)", "a", "30", "20"),
        ("![*强调*|250](cat.png)", "强调", "250", None),
        ("![*250*](cat.png)", "250", None, None),  # emphasised: text, not a size
        ("![图 2](cat.png)", "图 2", None, None),
        ("![v|1234567](cat.png)", "v|1234567", None, None),  # more than 5 digits: text
    ],
)
def test_image_size_syntax(md, text, alt, width, height):
    from mlnotes_site.load.note import parse_note

    note = parse_note("a.md", (text + "\n").encode(), md)
    assert [image.alt for image in note.images] == [alt]
    html = md.render(text + "\n")
    assert (f' width="{width}"' in html) == bool(width) and (f' height="{height}"' in html) == bool(height)


HEADING_MATH = "损失函数-mathcal-l-theta-的推导"


def _toc(page: str) -> str:
    match = re.search(r'<aside class="toc".*?</aside>', page, re.S)
    assert match, "the page has a table of contents"
    return match.group(0)


def test_table_of_contents_shows_heading_formulas_as_mathml(extras):
    toc = _toc(_page(extras, HEADING_MATH))
    assert "$" not in toc and "\\" not in toc
    entries = re.findall(r'<li class="toc-level-(\d)"><a href="#([^"]+)">(.*?)</a></li>', toc)
    assert [(level, anchor) for level, anchor, _ in entries] == [
        ("2", "梯度-nabla-theta-mathcal-l"),  # the ids are those of the headings' text, as before
        ("2", "条件-a-b-text-if-x-0"),
        ("3", "小节-x-2"),
    ]
    assert all(shown.count('<math display="inline">') >= 1 for _, _, shown in entries)
    assert entries[1][2].startswith("条件 <math") and " &amp; <math" in entries[1][2]  # text escaped
    assert "<mtext>if&#x000A0;</mtext>" in entries[1][2]  # math inside \text inside a heading


def test_page_title_shows_formulas_and_the_tab_title_is_plain_text(extras):
    page = _page(extras, HEADING_MATH)
    assert "<title>损失函数 \\mathcal{L}(\\theta) 的推导 · mlnotes</title>" in page
    h1 = re.search(r'<h1 class="page-title">(.*?)</h1>', page).group(1)
    assert h1.startswith('损失函数 <math display="inline">') and h1.endswith("</math> 的推导") and "$" not in h1
    home = (extras / "index.html").read_text(encoding="utf-8")
    item = re.search(r'<a href="损失函数[^"]*">(.*?)</a>', home).group(1)
    assert "<math" in item and "$" not in item


def test_search_text_of_math_headings_has_no_dollars(extras):
    docs = "".join(p.read_text(encoding="utf-8") for p in sorted((extras / "search" / "d").glob("*.js")))
    assert '"损失函数 \\\\mathcal{L}(\\\\theta) 的推导"' in docs  # the title, in JSON
    assert '"梯度 \\\\nabla_\\\\theta \\\\mathcal{L}"' in docs  # a section's heading
    plain = docs.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")
    assert '"条件 a<b & \\\\text{if x>0}"' in plain
    assert all("$" not in line for line in docs.splitlines() if '"heading-math.md"' in line)


def test_links_to_math_headings_still_resolve_by_their_text(extras):
    page = _page(extras, "链接-links")
    assert f'href="../{HEADING_MATH}/#梯度-nabla-theta-mathcal-l"' in page
    assert f'href="../{HEADING_MATH}/"' in page


def test_heading_plain_and_html(md):
    from mlnotes_site.load.note import parse_note

    text = "## 条件 $a<b$ & **粗** `c` \\(x^2\\)\n## 没有公式 $5 and $10\n"
    first, second = parse_note("a.md", text.encode(), md).headings
    assert first.text == "条件 $a<b$ & 粗 c $x^2$"  # links and ids keep matching this
    assert first.plain == "条件 a<b & 粗 c x^2"
    assert first.math_html.startswith("条件 <math") and "&amp; 粗 c <math" in first.math_html
    assert (second.plain, second.math_html) == ("没有公式 $5 and $10", "")


MERMAID_FILES = ["static/vendor/mermaid/LICENSE", "static/vendor/mermaid/README.md"]
MERMAID_FILES += ["static/vendor/mermaid/THIRD_PARTY_NOTICES", "static/vendor/mermaid/mermaid.min.js"]


def test_a_mermaid_fence_is_readable_source_and_flags_its_page(extras):
    page = _page(extras, "流程图-diagram")
    assert '<pre class="mermaid">graph TD\n  A[数据 data] --&gt; B{&quot;a &lt; b &amp; c&quot;}\n' in page
    assert '<script src="../static/vendor/mermaid/mermaid.min.js" defer></script>' in page
    assert '<script src="../static/mermaid-init.js" defer></script>' in page
    for other in ("链接-links", "图片尺寸-image-sizes", ""):
        assert "mermaid" not in (extras / other / "index.html").read_text(encoding="utf-8")


def test_the_vendored_mermaid_is_copied_only_into_a_site_with_a_diagram(extras, basic_site):
    assert all((extras / rel).is_file() for rel in MERMAID_FILES)
    assert (extras / "static/mermaid-init.js").is_file()
    basic, _ = basic_site
    assert not (basic / "static" / "vendor").exists()  # no note of the basic vault has a diagram


def test_an_embedded_diagram_loads_mermaid_on_the_embedding_page(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "d.md").write_text("# D\n\n```mermaid\ngraph LR\n  X-->Y\n```\n", encoding="utf-8")
    (notes / "e.md").write_text("# E\n\n![[D]]\n", encoding="utf-8")
    build_vault(notes, tmp_path / "site")
    page = (tmp_path / "site" / "e" / "index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid">' in page and "vendor/mermaid/mermaid.min.js" in page


def test_serve_adds_and_drops_the_vendored_mermaid_with_the_last_diagram(tmp_path):
    from mlnotes_site.config import load_config
    from mlnotes_site.pipeline import Pipeline

    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / "a.md"
    note.write_text("# A\n\ntext\n", encoding="utf-8")
    pipeline = Pipeline(load_config(None, notes=notes, out=tmp_path / "site", cwd=tmp_path), serve=True)
    pipeline.load()
    assert not set(MERMAID_FILES) & set(pipeline.manifest())
    note.write_text("# A\n\n```mermaid\ngraph TD\n  A-->B\n```\n", encoding="utf-8")
    pipeline.update([note])
    assert set(MERMAID_FILES) <= set(pipeline.manifest())
    assert b"mermaid.min.js" in (pipeline.render("/a/") or b"")
    note.write_text("---\ndraft: true\n---\n# A\n\n```mermaid\ngraph TD\n  A-->B\n```\n", encoding="utf-8")
    pipeline.update([note])  # a draft is not published: nor is its diagram
    assert not set(MERMAID_FILES) & set(pipeline.manifest())
