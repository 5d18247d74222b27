# ruff: noqa: F811  (the fixtures imported from test_browser are test arguments)
"""The explorer and the phone's menu in Chromium (static/sidebar.js): the whole tree from
/explorer.js, folders that open and close and stay so, the current page marked and scrolled
into view inside the sidebar (never the page), and on a phone a panel behind the header's menu
button that holds the explorer and the table of contents (aria-expanded, focus kept inside,
Esc closes). On the demo vault, the seed notes and a generated vault of 400 notes.

Reuses the browser machinery of test_browser.py (skipped the same way without Chromium).
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from playwright.sync_api import Page, expect

from test_browser import (  # noqa: F401  (fixtures)
    DESKTOP,
    PHONE,
    Served,
    _build_and_serve,
    assert_no_horizontal_scroll,
    browser,
    demo,
    goto,
    new_page,
    seed,
)

pytestmark = pytest.mark.browser

READY = "#explorer[data-ready]"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """400 notes in 8 folders (one nested), and a collection of three topics at the end."""
    tmp = tmp_path_factory.mktemp("explorer")
    notes = tmp / "notes"
    for f in range(8):
        folder = notes / (f"folder-{f}" if f != 7 else "folder-6/inner")
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(50):
            (folder / f"n{f}-{i:02d}.md").write_text(f"# 笔记 Note {f}-{i:02d}\n\ntext {i}\n", encoding="utf-8")
    (notes / "folder-6" / "inner" / "zz-collection.md").write_text(
        "# 第一 First\n\n## Sub\n\none\n\n# 第二 Second\n\ntwo\n\n# 第三 Third\n\nthree\n", encoding="utf-8"
    )
    yield from _build_and_serve(notes, tmp)


@pytest.fixture(scope="module")
def flat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """1,200 notes in one folder: more than the script draws in one task (CHUNK)."""
    tmp = tmp_path_factory.mktemp("flat")
    notes = tmp / "notes"
    notes.mkdir()
    for i in range(1200):
        (notes / f"{i:04d}.md").write_text(f"# Flat {i:04d}\n\ntext\n", encoding="utf-8")
    yield from _build_and_serve(notes, tmp)


def explorer_links(page: Page) -> list[str]:
    return page.eval_on_selector_all("#explorer a", "els => els.map(a => a.textContent.trim())")


def folder(page: Page, path: str) -> Any:
    return page.locator(f'#explorer details[data-folder="{path}"]')


def test_desktop_shows_the_whole_tree_with_this_page_marked(demo: Served, new_page: Any) -> None:
    site = demo.report.site
    assert site is not None
    page, problems = new_page()
    goto(page, demo.url(site.note_url("transformers/attention.md")))
    expect(page.locator(READY)).to_have_count(1)
    current = page.locator('#explorer a[aria-current="page"]')
    expect(current).to_have_text("注意力机制 Attention")
    expect(current).to_be_visible()
    expect(folder(page, "transformers")).to_have_attribute("open", "")
    titles = explorer_links(page)
    assert len(titles) == len(site.note_topics)  # every published note, once
    assert "随手记" in titles and "微调 Fine-tuning" in titles
    box = page.locator("#explorer").bounding_box()
    content = page.locator("#content").bounding_box()
    assert box is not None and content is not None and box["x"] + box["width"] <= content["x"]  # beside the text
    toc = page.locator("aside.toc").bounding_box()
    assert toc is not None and toc["x"] >= content["x"] + content["width"]  # the TOC stays on the right
    assert problems.items == []


def test_folders_open_close_and_stay_so_across_a_reload(demo: Served, new_page: Any) -> None:
    page, problems = new_page()
    goto(page, demo.url("/"))
    expect(page.locator(READY)).to_have_count(1)
    transformers = folder(page, "transformers")
    expect(transformers).not_to_have_attribute("open", "")  # not on this page's path: closed
    expect(page.locator("#explorer a", has_text="注意力机制 Attention")).to_have_count(0)  # drawn when opened
    transformers.locator("summary").click()
    expect(page.locator("#explorer a", has_text="注意力机制 Attention")).to_be_visible()
    page.reload()
    expect(page.locator(READY)).to_have_count(1)
    expect(folder(page, "transformers")).to_have_attribute("open", "")  # remembered
    # a folder on the current page's path, closed by the reader, stays closed too
    page.locator("#explorer a", has_text="注意力机制 Attention").click()
    expect(page.locator("h1.page-title")).to_have_text("注意力机制 Attention")
    expect(page.locator(READY)).to_have_count(1)
    folder(page, "transformers").locator("summary").click()
    expect(folder(page, "transformers")).not_to_have_attribute("open", "")
    page.reload()
    expect(page.locator(READY)).to_have_count(1)
    expect(folder(page, "transformers")).not_to_have_attribute("open", "")
    expect(page.locator(".on-path > details > summary")).to_be_visible()  # its folder is what shows
    assert problems.items == []


def test_the_current_page_is_scrolled_into_view_inside_the_sidebar(big: Served, new_page: Any) -> None:
    site = big.report.site
    assert site is not None
    page, problems = new_page(viewport={"width": 1280, "height": 600})
    third = next(t for t in site.topics.values() if t.title == "第三 Third")
    goto(page, big.url(third.url))
    expect(page.locator(READY)).to_have_count(1)
    current = page.locator('#explorer a[aria-current="page"]')
    expect(current).to_have_text("第三 Third")
    expect(current).to_be_in_viewport()
    assert page.evaluate("scrollY") == 0, "the page itself must not scroll"
    assert page.evaluate("document.getElementById('explorer').scrollTop") > 0
    # the note's topics are under the note, which is in its folder's open path
    expect(page.locator('#explorer .explorer-note[data-note] > a[href*="notes/"]')).to_have_count(1)
    for path in ("folder-6", "folder-6/inner"):
        expect(folder(page, path)).to_have_attribute("open", "")
    assert page.locator("#explorer details[open]").count() == 2  # other folders stay closed …
    assert page.locator("#explorer li").count() < 150  # … and are not drawn
    assert problems.items == []


def test_a_big_folder_is_drawn_in_parts_and_the_current_note_shown(flat: Served, new_page: Any) -> None:
    page, problems = new_page(viewport={"width": 1280, "height": 600})
    goto(page, flat.url("/flat-1150/"))
    expect(page.locator(READY)).to_have_count(1)
    assert len(explorer_links(page)) == 1200
    current = page.locator('#explorer a[aria-current="page"]')
    expect(current).to_have_text("Flat 1150")
    expect(current).to_be_in_viewport()
    assert page.evaluate("scrollY") == 0
    assert problems.items == []


def test_the_tree_works_from_file_urls(big: Served, new_page: Any) -> None:
    site = big.report.site
    assert site is not None
    page, problems = new_page()
    url = (big.root / site.note_url("folder-0/n0-00.md").strip("/") / "index.html").as_uri()
    page.goto(url)
    expect(page.locator(READY)).to_have_count(1)
    folder(page, "folder-1").locator("summary").click()
    link = page.locator("#explorer a", has_text="笔记 Note 1-07")
    assert (link.get_attribute("href") or "").endswith("/index.html")
    link.click()
    expect(page.locator("h1.page-title")).to_have_text("笔记 Note 1-07")
    # (the local graph's fetch of graph.json is refused from file://: not the explorer's doing)
    assert [p for p in problems.items if "graph.json" not in p and "Failed to fetch" not in p] == []


def test_without_javascript_the_page_links_its_own_note(big: Served, new_page: Any) -> None:
    site = big.report.site
    assert site is not None
    page, _ = new_page(java_script_enabled=False)
    goto(page, big.url(site.note_url("folder-6/inner/zz-collection.md")))
    links = explorer_links(page)
    assert links == ["zz-collection", "第一 First", "第二 Second", "第三 Third"]
    expect(page.locator("#menu-button")).to_be_hidden()


@pytest.mark.parametrize("vault", ["demo", "seed"])
def test_phone_menu_opens_a_panel_with_the_explorer_and_the_toc(vault: str, request: Any, new_page: Any) -> None:
    served: Served = request.getfixturevalue(vault)
    site = served.report.site
    assert site is not None
    with_toc = max(site.topics.values(), key=lambda t: len(t.heading_ids))
    page, problems = new_page(viewport=PHONE)
    goto(page, served.url(with_toc.url))
    assert_no_horizontal_scroll(page, with_toc.url)
    button = page.locator("#menu-button")
    sidebar = page.locator("#sidebar")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(sidebar).to_be_hidden()
    expect(page.locator("aside.toc")).to_be_hidden()  # not at the bottom of the page any more
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(sidebar).to_be_visible()
    expect(page.locator("#sidebar aside.toc a").first).to_be_visible()  # the TOC is in the panel
    expect(page.locator(READY)).to_have_count(1)  # the tree was loaded on opening
    current = page.locator('#explorer a[aria-current="page"]')
    expect(current).to_be_focused()
    expect(current).to_be_in_viewport()
    # Tab and Shift-Tab stay in the panel and its button
    inside = "() => document.getElementById('sidebar').contains(document.activeElement)"
    inside += " || document.activeElement.id === 'menu-button'"
    for key in ["Tab"] * 40 + ["Shift+Tab"] * 5:
        page.keyboard.press(key)
        assert page.evaluate(inside), f"focus left the panel after {key}"
    page.keyboard.press("Escape")
    expect(sidebar).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    # a link of the TOC scrolls to its heading and closes the panel
    button.click()
    page.locator("#sidebar aside.toc a").last.click()
    expect(sidebar).to_be_hidden()
    assert page.evaluate("scrollY") > 0
    assert problems.items == []


def test_seed_pages_list_every_note(seed: Served, new_page: Any) -> None:
    site = seed.report.site
    assert site is not None
    page, problems = new_page(viewport=DESKTOP)
    for rel in site.note_topics:
        goto(page, seed.url(site.note_url(rel)))
        expect(page.locator(READY)).to_have_count(1)
        expect(page.locator('#explorer a[aria-current="page"]')).to_have_count(1)
        assert len(explorer_links(page)) >= len(site.note_topics)
    assert problems.items == []


def test_an_older_tree_without_this_note_leaves_the_page_its_own(big: Served, new_page: Any) -> None:
    site = big.report.site
    assert site is not None
    page, problems = new_page()
    old = 'window.mlnotesExplorer = {"folders": [""], "notes": [[0, "/gone/", "Gone"]]};\n'
    page.route("**/explorer.js", lambda route: route.fulfill(body=old, content_type="text/javascript"))
    goto(page, big.url(site.note_url("folder-6/inner/zz-collection.md")))
    page.wait_for_function("window.mlnotesExplorer !== undefined")
    page.wait_for_timeout(200)
    assert explorer_links(page) == ["zz-collection", "第一 First", "第二 Second", "第三 Third"]
    assert problems.items == []
