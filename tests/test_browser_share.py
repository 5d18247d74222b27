"""Print in a real browser (issue 15 item 8): no navigation on paper, and the address of
every external link printed after it; the favicon is served."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from test_browser import browser, demo, goto, new_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_print_shows_the_text_alone_with_link_addresses(demo, new_page):  # noqa: F811
    page, problems = new_page()
    goto(page, demo.longest_topic())
    external = page.locator("main a.external").first
    href = external.get_attribute("href")
    assert href and href.startswith("http")
    after = "el => getComputedStyle(el, '::after').content"
    assert href not in external.evaluate(after)  # on screen: only the ↗ mark
    assert page.locator(".site-header").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert href in external.evaluate(after)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert not problems.items, problems.items


def test_favicon_is_served(demo, new_page):  # noqa: F811
    page, problems = new_page()
    goto(page, demo.url("/"))
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon and icon.endswith("favicon.svg")
    response = page.request.get(demo.url("/static/favicon.svg"))
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg")
