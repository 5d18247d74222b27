"""A `file_urls` site opened from disk in real Chromium (issue 15 item 6): links open pages,
not folder listings, and the graph page and a topic's local graph draw without fetch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from playwright.sync_api import expect

from mlnotes_site.build import build
from mlnotes_site.config import load_config
from test_browser import DEMO_NOTES, browser, new_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def disk_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("file-urls")
    cfg = load_config(None, notes=DEMO_NOTES, out=tmp / "site", cwd=tmp, file_urls=True)
    assert not build(cfg).errors
    return cfg.out_dir


def test_links_open_pages_from_disk(disk_site: Path, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    page.goto((disk_site / "index.html").as_uri())
    first = page.locator(".note-group h3 a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1.page-title")).to_have_text(title)
    assert page.url.endswith("/index.html")
    page.locator(".site-nav a").first.click()  # back through the header: the home page, not a listing
    expect(page.locator(".note-group").first).to_be_visible()


def test_the_graph_draws_from_disk(disk_site: Path, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((disk_site / "graph" / "index.html").as_uri())
    expect(page.locator("#graph[data-ready='1']")).to_have_count(1)
    assert page.evaluate("window.mlnGraph.nodes") > 5
    topic = next(p for p in sorted(disk_site.glob("*/index.html")) if "local-graph" in p.read_text(encoding="utf-8"))
    page.goto(topic.as_uri())
    page.locator(".local-graph").scroll_into_view_if_needed()
    expect(page.locator(".local-graph[data-ready='1']")).to_have_count(1)
    assert not errors, errors


def test_without_file_urls_the_graph_says_why_it_is_missing(
    tmp_path_factory: pytest.TempPathFactory,
    new_page: Any,  # noqa: F811
) -> None:
    tmp = tmp_path_factory.mktemp("plain-disk")
    cfg = load_config(None, notes=DEMO_NOTES, out=tmp / "site", cwd=tmp, language="en")
    assert not build(cfg).errors
    page, _ = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((cfg.out_dir / "graph" / "index.html").as_uri())
    expect(page.locator("#graph-status")).to_contain_text("file_urls")
    assert not errors, errors


def test_link_previews_work_from_disk(disk_site: Path, new_page: Any) -> None:  # noqa: F811
    """Issue 15 item 6: without fetch, a hovered link shows the target's title and summary from
    /previews/<k>.js (emit/previews.py)."""
    page, _ = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    welcome = next(p for p in sorted(disk_site.glob("*/index.html")) if "welcome" in p.parent.name.lower())
    page.goto(welcome.as_uri())
    link = page.locator(".markdown a.internal").first
    target = Path(link.evaluate("a => decodeURIComponent(new URL(a.href).pathname)"))
    html = target.read_text(encoding="utf-8")
    title = html.split('<h1 class="page-title">', 1)[1].split("</h1>", 1)[0]
    described = html.split('<meta name="description" content="', 1)
    summary = described[1].split('"', 1)[0] if len(described) > 1 else ""
    link.hover()
    popup = page.locator(".preview-popup")
    popup.wait_for(state="visible")
    assert title in popup.inner_text()
    if summary:
        assert summary[:20] in popup.inner_text()
    assert sorted(p.name for p in (disk_site / "previews").iterdir()) == ["0.js"]
    assert not errors, errors
