"""The extras fixture vault in a real browser: Mermaid diagrams drawn from the vendored script
(loaded only where a page has one, never from a CDN), and formulas in headings shown as MathML
in the table of contents and in link previews.

Reuses the browser machinery of test_browser.py (skipped the same way without Chromium).
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from test_browser import Served, _build_and_serve, browser, goto, new_page  # noqa: F401  (fixtures)
from test_extras import EXTRAS

pytestmark = pytest.mark.browser

DIAGRAM = "流程图 Diagram"


@pytest.fixture(scope="module")
def extras_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _build_and_serve(EXTRAS, tmp_path_factory.mktemp("extras"))


def _scripts(page: Any) -> list[str]:
    return page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")


def test_a_mermaid_fence_is_drawn_as_an_svg_diagram(extras_served: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    goto(page, extras_served.topic(DIAGRAM))
    diagram = page.locator(".markdown pre.mermaid > svg")
    diagram.wait_for(state="visible", timeout=15000)
    box = diagram.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 50
    labels = page.locator(".markdown pre.mermaid").inner_text()
    assert "数据 data" in labels and "训练 train" in labels and "a < b & c" in labels  # text, not markup
    assert "graph TD" not in labels, "the source is replaced by the diagram"
    assert any(url.endswith("/static/vendor/mermaid/mermaid.min.js") for url in _scripts(page))
    assert problems.items == [] and problems.external == [], "no CDN: nothing leaves the site"


def test_the_diagram_follows_the_dark_theme(extras_served: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page(color_scheme="light")
    goto(page, extras_served.topic(DIAGRAM))
    page.locator(".markdown pre.mermaid > svg").wait_for(state="visible", timeout=15000)
    light = page.locator(".markdown pre.mermaid > svg").get_attribute("id")
    node = "document.querySelector('pre.mermaid svg .node rect, pre.mermaid svg .node polygon')"
    fill = f"() => getComputedStyle({node}).fill"
    light_fill = page.evaluate(fill)
    page.locator("#theme-toggle").click()
    page.wait_for_function(
        f"(before) => {{ const s = document.querySelector('pre.mermaid > svg'); return s && ({fill})() !== before; }}",
        arg=light_fill,
        timeout=15000,
    )
    assert page.locator(".markdown pre.mermaid > svg").count() == 1 and light
    assert problems.items == []


def test_a_page_without_a_diagram_does_not_load_mermaid(extras_served: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    goto(page, extras_served.topic("链接 Links"))
    page.wait_for_load_state("networkidle")
    assert not [url for url in _scripts(page) if "mermaid" in url]
    assert page.evaluate("() => typeof window.mermaid") == "undefined"
    assert problems.items == []


def test_without_javascript_the_diagram_source_is_readable(extras_served: Served, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page(java_script_enabled=False)
    goto(page, extras_served.topic(DIAGRAM))
    text = page.locator(".markdown pre.mermaid").inner_text()
    assert text.startswith("graph TD") and 'B{"a < b & c"}' in text


def test_toc_and_link_preview_show_heading_formulas(extras_served: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    goto(page, extras_served.topic("损失函数 $\\mathcal{L}(\\theta)$ 的推导"))
    toc = page.locator("aside.toc")
    assert toc.locator("math").count() >= 4 and "$" not in toc.inner_text()
    box = toc.locator("math").first.bounding_box()
    assert box and box["width"] > 10, "MathML in the table of contents is laid out"
    assert "$" not in page.title() and "\\mathcal{L}" in page.title()

    goto(page, extras_served.topic("链接 Links"))
    page.wait_for_load_state("networkidle")
    page.locator(".markdown a.internal").nth(1).hover()  # [[heading-math#梯度 $…$]]
    popup = page.locator(".preview-popup")
    popup.wait_for(state="visible")
    assert popup.locator(".preview-title math").count() == 1  # the page title's formula
    assert popup.locator("h2 math").count() == 1  # the linked heading's formula
    assert "$" not in popup.inner_text()
    assert problems.items == []


def test_a_diagram_that_does_not_parse_keeps_its_source(extras_served: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    goto(page, extras_served.topic("坏图 Broken diagram"))
    block = page.locator(".markdown pre.mermaid")
    page.wait_for_function("() => document.querySelector('pre.mermaid').classList.contains('mermaid-error')")
    assert block.inner_text().startswith("graph TD") and block.locator("svg").count() == 0
    assert "无法解析" in (block.get_attribute("title") or "")  # the extras vault is Chinese: zh-CN
    assert problems.items == []
