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


UNSAFE_TARGET = (  # one paragraph: a <script> starting a line would begin an HTML block
    "# 目标 Unsafe target\n\n"
    "Visible preview text $x^2$ <img src=x onerror=\"window.previewPwned='img';alert('img')\"> and "
    "<script>window.previewPwned='script';alert('script')</script> "
    "<a href=\"javascript:alert('href')\">js link</a> "
    '<span style="position:fixed;inset:0" onmouseover="window.previewPwned=\'span\'">styled</span> end.\n'
)
UNSAFE_SOURCE = """# 来源 Source

See [[目标 Unsafe target]] for details.
"""


@pytest.fixture(scope="module")
def unsafe(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("unsafe")
    notes = tmp / "notes"
    notes.mkdir()
    (notes / "target.md").write_text(UNSAFE_TARGET, encoding="utf-8")
    (notes / "source.md").write_text(UNSAFE_SOURCE, encoding="utf-8")
    yield from _build_and_serve(notes, tmp)


def test_a_preview_of_raw_html_runs_no_script_and_keeps_the_text(unsafe: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    target = unsafe.topic("目标 Unsafe target")
    problems.allowed_status.add((target + "x", 404))  # the raw <img src=x>, loaded without its handler
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    goto(page, unsafe.topic("来源 Source"))
    page.wait_for_load_state("networkidle")
    page.locator(".markdown a.internal", has_text="目标").first.hover()
    popup = page.locator(".preview-popup")
    popup.wait_for(state="visible")
    assert "Visible preview text" in popup.inner_text() and "end." in popup.inner_text()
    assert popup.locator("math").count() == 1, "MathML survives the sanitizing"
    page.wait_for_load_state("networkidle")  # the image has failed to load by now
    page.wait_for_timeout(300)
    popup.locator("span", has_text="styled").hover()
    assert page.evaluate("window.previewPwned") is None, "no handler or script of the note ran"
    assert dialogs == []
    assert popup.locator("script, [onerror], [onmouseover], [style], a[href^='javascript']").count() == 0
    assert popup.locator("img").count() == 1 and popup.locator("a", has_text="js link").count() == 1
    assert problems.items == []
