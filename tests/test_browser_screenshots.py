"""A screenshot test page: math (inline, display, aligned), highlighted code, a callout, an
embed and a link preview, in light and dark. Screenshots go to tmp_path for a human to look at.

Reuses the browser machinery of test_browser.py (skipped the same way without Chromium).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from test_browser import Served, _build_and_serve, browser, goto, new_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

VAULT = Path(__file__).resolve().parent / "fixtures" / "vaults" / "render"


@pytest.fixture(scope="module")
def render_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _build_and_serve(VAULT, tmp_path_factory.mktemp("render-vault"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_page(scheme: str, render_vault: Served, new_page: Any, tmp_path: Path) -> None:  # noqa: F811 - fixture argument
    assert render_vault.report.site is not None and not render_vault.report.site.diagnostics
    page, problems = new_page(color_scheme=scheme)
    goto(page, render_vault.topic("渲染测试 Render test"))
    page.wait_for_load_state("networkidle")
    content = page.locator("main .markdown").first
    assert page.locator("main .markdown math").count() >= 4
    for selector in (
        "main .markdown p math",
        ".math-block math",
        ".math-block mtable",
        ".highlight .k",
        ".highlight .s2, .highlight .sd",
        ".callout-tip",
        ".callout-title",
        ".embed",
        "main .markdown mark",
    ):
        element = page.locator(selector).first
        assert element.is_visible(), f"{selector} is not visible"
        box = element.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, selector
    assert "\\" not in content.inner_text(), "no TeX commands left in the page text"
    page.screenshot(path=str(tmp_path / f"page-{scheme}.png"), full_page=True)

    link = content.locator("a.internal", has_text="注意力 Attention").first
    link.hover()
    popup = page.locator(".preview-popup")
    popup.wait_for(state="visible")
    assert "注意力 Attention" in popup.locator(".preview-title").inner_text()
    assert popup.locator("math").count() >= 1, "the preview's paragraph keeps its math"
    page.screenshot(path=str(tmp_path / f"preview-{scheme}.png"))

    page.mouse.move(5, 5)
    popup.wait_for(state="hidden")
    content.locator("a.internal", has_text="论文 paper").hover()  # a copied file: never fetched for a preview
    page.wait_for_timeout(600)
    assert popup.is_hidden()
    print(f"screenshots: {tmp_path}")
    assert problems.items == []
