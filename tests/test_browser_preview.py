"""Link previews in a real browser: hovering an internal link shows the target's title and
first paragraph in a popup that does not move the page; on touch a tap just navigates.

Reuses the browser machinery of test_browser.py (skipped the same way without Chromium).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from test_browser import DEMO_NOTES, Served, _build_and_serve, browser, demo, goto, new_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

WELCOME = "欢迎 Welcome to mlnotes"
LAYOUT_JS = (
    "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight, "
    "document.body.scrollWidth, document.body.scrollHeight]"
)


def _title_of(served: Served, href: str) -> str:
    """Title of the page a link points at, from the build's Site."""
    site = served.report.site
    assert site is not None
    path = unquote(urlsplit(href).path)
    for topic in site.topics.values():
        if topic.url == path:
            return topic.title
    for page in site.note_pages.values():
        if page.url == path:
            return page.title
    raise AssertionError(f"no page at {path}")


def test_hovering_a_wikilink_shows_a_preview_without_moving_the_page(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, demo.topic(WELCOME))
    link = page.locator(".markdown li a.internal", has_text="RAG").first
    target_title = _title_of(demo, link.evaluate("a => a.href"))
    page.wait_for_load_state("networkidle")
    before = page.evaluate(LAYOUT_JS)
    link.hover()
    popup = page.locator(".preview-popup")
    popup.wait_for(state="visible")
    assert target_title in popup.inner_text()
    assert popup.locator("p").count() >= 1, "the target's first paragraph is shown"
    assert page.evaluate(LAYOUT_JS) == before, "the popup must not change the document's layout"
    box, link_box = popup.bounding_box(), link.bounding_box()
    assert box and link_box
    below = abs(box["y"] - (link_box["y"] + link_box["height"])) < 20
    above = abs(box["y"] + box["height"] - link_box["y"]) < 20
    assert below or above, f"popup sits next to the link: {box} vs {link_box}"
    assert page.locator("[id]").evaluate_all("els => els.length") == len(
        set(page.locator("[id]").evaluate_all("els => els.map(e => e.id)"))
    )
    page.keyboard.press("Escape")
    assert popup.is_hidden()
    page.mouse.move(5, 5)
    link.hover()
    popup.wait_for(state="visible")
    page.mouse.move(5, 5)
    popup.wait_for(state="hidden")
    assert problems.items == []


def test_tags_and_external_links_have_no_preview(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, demo.topic(WELCOME))
    page.locator("a.tag").first.hover()
    page.wait_for_timeout(600)
    assert page.locator(".preview-popup:visible").count() == 0
    assert problems.items == []


def test_a_fragment_link_previews_its_heading_section(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, demo.topic("显存估算 GPU memory"))
    link = page.locator(".markdown a.internal[href*='#kv-cache']").first
    link.hover()
    popup = page.locator(".preview-popup")
    popup.wait_for(state="visible")
    heading = popup.locator("h1, h2, h3, h4, h5, h6").first
    assert "KV" in heading.inner_text(), "the linked heading is shown, not the page's first paragraph"
    assert "注意力机制" in popup.locator(".preview-title").inner_text()
    assert problems.items == []


def test_a_tap_on_touch_follows_the_link_without_a_preview(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page(has_touch=True, is_mobile=True, viewport={"width": 375, "height": 740})
    goto(page, demo.topic(WELCOME))
    link = page.locator(".markdown li a.internal", has_text="RAG").first
    href = link.evaluate("a => a.href")
    with page.expect_navigation():
        link.tap()
    assert page.url.split("#")[0] == href.split("#")[0]
    assert page.locator(".preview-popup").count() == 0
    assert problems.items == []
