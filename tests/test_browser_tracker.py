"""The paged TODO tracker in real Chromium: filters kept in the query string and carried by
the pager, the Topic filter opening the page of a topic, every item reachable without
JavaScript, old hash links, file://."""

from __future__ import annotations

import re
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from playwright.sync_api import Page, expect

from conftest import build_vault
from test_browser import Served, browser, goto, new_page, serve_folder, visible_items  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PAGE_ITEMS = 7  # 7 notes of 3 items: two groups (6 items) a page, 4 pages


def vault() -> dict[str, str]:
    files = {}
    for n in range(7):
        tags = "ml" if n % 2 else "rl"
        files[f"t{n}.md"] = (
            f"---\ntitle: 主题{n}\ntags: [{tags}]\n---\n## 小结\n"
            f"- [ ] open {n}a\n  - [x] done {n}b ✅ 2024-01-0{n + 1}\n- [ ] open {n}c\n"
        )
    return files


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("paged-tracker")
    notes = root / "notes"
    notes.mkdir()
    for name, text in vault().items():
        (notes / name).write_text(text, encoding="utf-8")
    report = build_vault(notes, root / "site", tracker_page_items=PAGE_ITEMS, base_url="https://me.example/sub/")
    assert not report.errors, report.errors
    yield from serve_folder(root / "site", report)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def current_page(page: Page) -> str:
    return page.locator("nav.tracker-pager >> nth=0").locator("a[aria-current=page]").inner_text()


def test_filter_is_in_the_query_string_and_follows_the_pager(paged: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    goto(page, paged.url("/tasks/"))
    expect(page.locator("#task-filters")).to_be_visible()
    assert visible_items(page) == 6 and current_page(page) == "1"
    assert page.locator("#task-filter-note").is_hidden()
    page.select_option("#task-filters select[name=status]", "open")
    expect(page.locator("#task-count")).to_have_text("4 items on this page")
    assert query(page) == {"status": ["open"]} and page.evaluate("location.hash") == ""
    expect(page.locator("#task-filter-note")).to_be_visible()
    assert "this page (1 of 4)" in page.locator("#task-filter-note").inner_text()
    page.select_option("#task-filters select[name=tag]", "ml")
    expect(page.locator("#task-count")).to_have_text("2 items on this page")
    assert query(page) == {"status": ["open"], "tag": ["ml"]}
    nxt = page.locator("nav.tracker-pager >> nth=0").locator("a[rel=next]")
    assert nxt.get_attribute("href") == "2/?status=open&tag=ml"
    nxt.click()
    page.wait_for_url(re.compile(r"/tasks/2/\?status=open&tag=ml$"))
    assert current_page(page) == "2"
    assert page.input_value("#task-filters select[name=status]") == "open"
    assert page.input_value("#task-filters select[name=tag]") == "ml"
    expect(page.locator("#task-count")).to_have_text("2 items on this page")
    assert visible_items(page) == visible_items(page, "open") == 2
    # the page numbers carry the filters too, back to page 1
    page.locator("nav.tracker-pager >> nth=-1").locator("ol a[data-page='1']").click()
    page.wait_for_url(re.compile(r"/tasks/\?status=open&tag=ml$"))
    expect(page.locator("#task-count")).to_have_text("2 items on this page")
    assert problems.items == []


def test_topic_filter_lists_every_topic_and_opens_its_page(paged: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    goto(page, paged.url("/tasks/?status=done"))
    options = page.eval_on_selector_all("#task-filters select[name=topic] option", "os => os.map(o => o.textContent)")
    assert len(options) == 8 and options[1] == "主题0" and options[7] == "主题6 (page 4)"
    value = page.eval_on_selector("#task-filters select[name=topic] option:nth-child(8)", "o => o.value")
    page.select_option("#task-filters select[name=topic]", value)
    page.wait_for_url(re.compile(r"/tasks/4/\?"))
    assert query(page) == {"status": ["done"], "topic": [value]}
    assert page.input_value("#task-filters select[name=topic]") == value
    expect(page.locator("#task-count")).to_have_text("1 item on this page")
    assert "done 6b" in page.locator("li.task-item:not(.no-match) .task-text").inner_text()
    # a topic of this page filters in place
    page.select_option("#task-filters select[name=topic]", "")
    expect(page.locator("#task-count")).to_have_text("1 item on this page")
    assert page.url.endswith("/tasks/4/?status=done")
    assert problems.items == []


def test_old_hash_links_still_filter(paged: Served, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page()
    goto(page, paged.url("/tasks/2/#status=done"))
    expect(page.locator("#task-count")).to_have_text("2 items on this page")
    assert page.url.endswith("/tasks/2/?status=done")


def test_every_item_is_reachable_without_javascript(paged: Served, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page(java_script_enabled=False)
    goto(page, paged.url("/tasks/"))
    assert page.locator("#task-filters").is_hidden()
    seen: list[str] = []
    for _ in range(10):
        seen += page.eval_on_selector_all("li.task-item a.task-link", "els => els.map(a => a.href)")
        nxt = page.locator("nav.tracker-pager >> nth=0").locator("a[rel=next]")
        if not nxt.count():
            break
        nxt.click()
        page.wait_for_load_state()
    assert len(seen) == len(set(seen)) == 21 and current_page(page) == "4"
    assert all(urlsplit(h).path.startswith("/%E4%B8%BB%E9%A2%98") and "#task-" in h for h in seen)  # /主题N/#task-…
    page.locator("a.tracker-notes-link").first.click()
    assert page.locator(".progress-table tbody tr").count() == 7


def test_paged_tracker_from_file_url(paged: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    page.goto((paged.root / "tasks" / "index.html").as_uri())
    page.select_option("#task-filters select[name=status]", "done")
    expect(page.locator("#task-count")).to_have_text("2 items on this page")
    assert page.url.endswith("/tasks/index.html?status=done")
    page.locator("nav.tracker-pager >> nth=0").locator("a[rel=next]").click()
    page.wait_for_url(re.compile(r"/tasks/2/index\.html\?status=done$"))
    expect(page.locator("#task-count")).to_have_text("2 items on this page")
    assert problems.items == []
