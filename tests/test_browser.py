"""End-to-end checks in a real browser: built sites served over HTTP, driven by Chromium.

The demo vault (`notes/`) is built once per module, and so are the user's seed notes when
they are present. Each site is served by a ThreadingHTTPServer on an ephemeral port.

Marked `browser` (`pytest -m "not browser"` leaves them out). Without the Playwright Python
package the module is skipped (pytest.importorskip). Without Chromium it is skipped too, except
under CI (`CI` set), where that is an error: CI must not pass by silently skipping the browser tests.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote, urljoin

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from mlnotes_site.build import BuildReport, build
from mlnotes_site.config import load_config

pytestmark = pytest.mark.browser

# --- skip (or fail under CI) when Chromium is missing ---------------------------------------

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

if not CHROMIUM:
    _missing = "chromium not found at /usr/bin/chromium or on PATH (apt-get install -y chromium)"
    if IN_CI:
        pytest.fail(f"browser tests cannot run under CI: {_missing}", pytrace=False)
    pytest.skip(_missing, allow_module_level=True)

REPO = Path(__file__).resolve().parents[1]
DEMO_NOTES = REPO / "notes"
SEED_NOTES = Path(__file__).resolve().parents[2] / "shared" / "seed-notes"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 720}


# --- serving and building -------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@dataclass
class Served:
    """A built site: its output folder, the build report, and where it is served."""

    root: Path
    report: BuildReport
    base: str  # "http://127.0.0.1:PORT/"

    def url(self, path: str) -> str:
        """Absolute URL of a root-relative site path (non-ASCII is percent-encoded)."""
        return urljoin(self.base, quote(path.lstrip("/"), safe="/#%=&?"))

    def topic(self, title: str) -> str:
        """URL of the topic with this title."""
        site = self.report.site
        assert site is not None
        urls = [t.url for t in site.topics.values() if t.title == title]
        assert urls, f"no topic titled {title!r}; titles: {[t.title for t in site.topics.values()]}"
        return self.url(urls[0])

    def longest_topic(self) -> str:
        """URL of the topic with the most source lines."""
        site = self.report.site
        assert site is not None
        longest = max(site.topics.values(), key=lambda t: t.last_line - t.first_line)
        return self.url(longest.url)


def _build_and_serve(notes: Path, tmp: Path, **overrides: Any) -> Iterator[Served]:
    cfg = load_config(None, notes=notes, out=tmp / "site", cwd=tmp, **overrides)
    report = build(cfg)
    assert not report.errors, "\n".join(map(str, report.errors))
    yield from serve_folder(cfg.out_dir, report)


def serve_folder(root: Path, report: BuildReport) -> Iterator[Served]:
    """Serve a built site over HTTP on 127.0.0.1 while the caller runs."""
    assert report.site is not None and report.pages > 0
    handler = partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"http-{root.name}", daemon=True)
    thread.start()
    try:
        yield Served(root, report, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _build_and_serve(DEMO_NOTES, tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not SEED_NOTES.is_dir():
        pytest.skip(f"seed notes not found at {SEED_NOTES}")
    yield from _build_and_serve(SEED_NOTES, tmp_path_factory.mktemp("seed"))


# --- pages that record what went wrong ------------------------------------------------------


LOCAL = "http://127.0.0.1:"  # every site under test is served here


@dataclass
class Problems:
    """What went wrong on a page: console errors, uncaught exceptions, failed requests and
    HTTP errors from the site itself. Requests to other hosts are listed in `external`
    instead: hotlinked images in the seed notes cannot load offline, and that is not a
    fault of the site."""

    items: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # every request that left the site
    allowed_status: set[tuple[str, int]] = field(default_factory=set)  # (url, status) expected

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.items.append(f"uncaught: {e}"))
        page.on(
            "request",
            lambda r: (
                r.url.startswith(("http:", "https:")) and not r.url.startswith(LOCAL) and self.external.append(r.url)
            ),
        )
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource"):
            if not url.startswith(LOCAL) or url in {u for u, _ in self.allowed_status}:
                return  # an off-site resource, or Chromium's report of an HTTP error we asked for
        self.items.append(f"console: {message.text} @ {url}")

    def _failed(self, request: Any) -> None:
        if request.failure == "net::ERR_ABORTED":  # a navigation away cancelled it: not the site's fault
            return
        if request.url.startswith(LOCAL):
            self.items.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if (
            response.status >= 400
            and response.url.startswith(LOCAL)
            and (response.url, response.status) not in self.allowed_status
        ):
            self.items.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Any]:
    """Factory: `new_page(**context_options)` -> (page, problems); contexts closed afterwards."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> tuple[Page, Problems]:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        problems = Problems()
        problems.watch(page)
        return page, problems

    yield make
    for context in contexts:
        context.close()


def goto(page: Page, url: str) -> None:
    """Load a page and require HTTP 200."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"


def hrefs(page: Page, selector: str) -> list[str]:
    """Absolute URLs of the links matching `selector` on the current page."""
    return page.eval_on_selector_all(selector, "els => els.map(a => a.href)")


def luminance(css_color: str) -> float:
    """WCAG relative luminance (0 black .. 1 white) of an `rgb()`/`rgba()` colour."""
    channels = [float(v) for v in re.findall(r"[\d.]+", css_color)[:3]]
    assert len(channels) == 3, f"cannot parse colour {css_color!r}"

    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(linear, channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def body_luminance(page: Page) -> float:
    return luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))


# Elements sticking out past the right edge (deepest first), to explain an overflow.
OVERFLOWING_JS = """() => {
  const limit = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > limit + 0.5 &&
        ![...el.children].some(c => c.getBoundingClientRect().right > limit + 0.5)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      out.push(`${name} right=${Math.round(r.right)} text=${JSON.stringify((el.textContent || '').slice(0, 80))}`);
    }
  }
  return out.slice(0, 8);
}"""


def assert_no_horizontal_scroll(page: Page, url: str) -> None:
    # clientWidth excludes a vertical scrollbar, so this is at least as strict as innerWidth
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, innerWidth]"
    )
    scroll_width, client_width, inner_width = widths
    assert client_width <= inner_width
    if scroll_width > client_width:
        culprits = page.evaluate(OVERFLOWING_JS)
        pytest.fail(
            f"{url} scrolls sideways at {inner_width}px: scrollWidth {scroll_width} > {client_width}; "
            f"overflowing: {culprits}"
        )


# --- discovering URLs from the built demo site ----------------------------------------------


@dataclass(frozen=True)
class DemoUrls:
    home: str
    topic: str  # a whole-note topic linked from the home page
    collection_note: str  # /notes/... page of a note split into topics
    collection_topic: str  # the first topic of that note
    tags: str
    tag: str
    todo: str


@pytest.fixture(scope="module")
def demo_urls(demo: Served, browser: Browser) -> DemoUrls:
    """URLs of every page type, read from the links of the demo home page."""
    context = browser.new_context()
    try:
        page = context.new_page()
        goto(page, demo.base)
        notes = [u for u in hrefs(page, ".note-group h3 a") if "/notes/" in u]
        topics = [u for u in hrefs(page, ".note-group h3 a") if "/notes/" not in u and not u.endswith("/todo/")]
        collection_topics = hrefs(page, ".note-group .topic-list a")
        tags = hrefs(page, ".home-tags a.tag")
    finally:
        context.close()
    assert notes and topics and collection_topics and tags, "home page lacks a link of some kind"
    return DemoUrls(
        home=demo.base,
        topic=topics[0],
        collection_note=notes[0],
        collection_topic=collection_topics[0],
        tags=demo.url("/tags/"),
        tag=tags[0],
        todo=demo.url("/todo/"),
    )


# --- 1. every page type loads cleanly -------------------------------------------------------

PAGE_KINDS = ["home", "topic", "collection_note", "collection_topic", "tags", "tag", "todo"]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_type_loads_without_errors(kind: str, demo_urls: DemoUrls, new_page: Any) -> None:
    page, problems = new_page()
    url = getattr(demo_urls, kind)
    if kind == "collection_note":
        assert "/notes/" in url
    goto(page, url)
    page.wait_for_load_state("load")
    expect(page.locator("h1.page-title")).to_be_visible()
    assert problems.items == []
    assert page.evaluate("getComputedStyle(document.body).fontSize") in ("16px", "15.5px"), "style.css not applied"
    assert page.evaluate("document.getElementById('theme-toggle').hasAttribute('aria-pressed')"), "theme.js did not run"
    assert problems.external == [], "the demo site should load nothing from other hosts"


def test_missing_page_is_404_and_404_page_renders(demo: Served, new_page: Any) -> None:
    page, problems = new_page()
    missing = demo.url("/no-such-page/")
    problems.allowed_status.add((missing, 404))
    # the test server's own 404 page has no <link rel=icon>, so Chromium may ask for /favicon.ico
    problems.allowed_status.add((demo.url("/favicon.ico"), 404))
    response = page.goto(missing)
    assert response is not None and response.status == 404
    goto(page, demo.url("/404.html"))
    expect(page.locator("h1.page-title")).to_contain_text("404")
    assert problems.items == []


# --- 2. navigation ---------------------------------------------------------------------------


def test_home_topic_link_opens_that_topic(demo_urls: DemoUrls, new_page: Any) -> None:
    page, problems = new_page()
    goto(page, demo_urls.home)
    for selector in (".note-group h3 a:not([href*='notes/'])", ".note-group .topic-list a"):
        link = page.locator(selector).first
        text = link.inner_text().strip()
        link.click()
        expect(page.locator("h1.page-title")).to_have_text(text)
        assert page.url != demo_urls.home
        page.wait_for_load_state("load")  # leaving before its scripts load would abort them (not a fault)
        page.go_back()
        expect(page.locator("h1.page-title")).to_be_visible()
        page.wait_for_load_state("load")
    assert problems.items == []


def test_pager_walks_a_collection_in_order(demo_urls: DemoUrls, new_page: Any) -> None:
    page, problems = new_page()
    goto(page, demo_urls.collection_note)
    links = page.locator(".note-topics .topic-list a")
    titles = [t.strip() for t in links.all_inner_texts()]
    urls = hrefs(page, ".note-topics .topic-list a")
    assert len(titles) >= 2, "the collection note should list several topics"
    links.first.click()
    expect(page.locator("h1.page-title")).to_have_text(titles[0])
    expect(page.locator(".pager a.prev")).to_have_count(0)
    for title, url in zip(titles[1:], urls[1:], strict=True):  # the same links, read twice
        page.locator(".pager a.next").click()
        expect(page.locator("h1.page-title")).to_have_text(title)
        assert page.url == url
    expect(page.locator(".pager a.next")).to_have_count(0)
    page.locator(".pager a.prev").click()
    expect(page.locator("h1.page-title")).to_have_text(titles[-2])
    assert problems.items == []


def test_toc_link_scrolls_to_its_heading(demo: Served, new_page: Any) -> None:
    site = demo.report.site
    assert site is not None
    topic = max(site.topics.values(), key=lambda t: len(t.heading_ids))  # the page with the most headings
    page, problems = new_page(viewport={"width": 1280, "height": 500})
    goto(page, demo.url(topic.url))
    toc_links = page.locator("aside.toc a")
    assert toc_links.count() >= 2, f"{topic.url} should have a table of contents"
    link = toc_links.last
    anchor = link.get_attribute("href") or ""
    assert anchor.startswith("#") and len(anchor) > 1
    heading = page.locator(f'.markdown [id="{anchor[1:]}"]')
    expect(heading).to_have_count(1)
    expect(heading).not_to_be_in_viewport()
    link.click()
    expect(heading).to_be_in_viewport()
    # the sticky header must not hide the heading it scrolled to
    header_bottom = page.locator(".site-header").bounding_box()["height"]
    top = heading.bounding_box()["y"]
    assert top >= header_bottom - 1, f"heading {anchor} at y={top} is under the sticky header (height {header_bottom})"
    assert page.evaluate("decodeURIComponent(location.hash)") == anchor
    assert problems.items == []


# --- 3. light and dark theme ----------------------------------------------------------------


@pytest.mark.parametrize("scheme, flipped", [("dark", "light"), ("light", "dark")])
def test_theme_follows_system_and_toggle_persists(
    scheme: str, flipped: str, demo_urls: DemoUrls, new_page: Any
) -> None:
    page, problems = new_page(color_scheme=scheme)
    goto(page, demo_urls.topic)
    is_dark = {"dark": lambda lum: lum < 0.05, "light": lambda lum: lum > 0.85}
    assert is_dark[scheme](body_luminance(page)), f"{scheme} system scheme: body luminance {body_luminance(page):.3f}"
    expect(page.locator("html")).not_to_have_attribute("data-theme", re.compile(".*"))

    page.locator("#theme-toggle").click()
    expect(page.locator("html")).to_have_attribute("data-theme", flipped)
    expect(page.locator("#theme-toggle")).to_have_attribute("aria-pressed", "true" if flipped == "dark" else "false")
    assert is_dark[flipped](body_luminance(page)), f"after toggle: body luminance {body_luminance(page):.3f}"
    assert page.evaluate("localStorage.getItem('mlnotes-theme')") == flipped, "choice not saved in localStorage"

    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", flipped)
    assert is_dark[flipped](body_luminance(page)), "the chosen theme did not survive a reload"
    goto(page, demo_urls.home)  # and it applies to other pages of the site
    expect(page.locator("html")).to_have_attribute("data-theme", flipped)
    assert problems.items == []


# --- 4. phones: nothing scrolls sideways ----------------------------------------------------


def test_demo_pages_fit_a_phone(demo: Served, demo_urls: DemoUrls, new_page: Any) -> None:
    page, problems = new_page(viewport=PHONE)
    for url in (demo_urls.home, demo.longest_topic(), demo_urls.todo, demo_urls.collection_note):
        goto(page, url)
        assert_no_horizontal_scroll(page, url)
    assert problems.items == []


def test_longest_seed_topic_fits_a_phone(seed: Served, new_page: Any) -> None:
    page, problems = new_page(viewport=PHONE)
    url = seed.longest_topic()
    goto(page, url)
    assert_no_horizontal_scroll(page, url)
    assert problems.items == []


# --- 5. broken things are visible -----------------------------------------------------------


def test_broken_wikilink_is_marked(demo: Served, new_page: Any) -> None:
    site = demo.report.site
    assert site is not None
    page, problems = new_page()
    goto(page, demo.url(site.note_url("welcome.md")))
    broken = page.locator(".markdown .broken-link")
    expect(broken.first).to_be_visible()
    expect(broken.first).to_have_attribute("title", re.compile("不存在的笔记 Missing note"))
    decoration = broken.first.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert "underline" in decoration, "a broken link should be underlined so it stands out"
    assert problems.items == []


def test_missing_image_shows_placeholder(seed: Served, new_page: Any) -> None:
    page, problems = new_page()
    goto(page, seed.topic("Measure one distribution diverges from second"))
    placeholder = page.locator(".markdown .missing-image").first
    expect(placeholder).to_be_visible()
    expect(placeholder).to_contain_text("alt text")
    assert page.locator(".markdown img[src$='image-1.png']").count() == 0, "no <img> should point at a missing file"
    assert problems.items == []


# --- 6. CJK URLs -------------------------------------------------------------------------------


def test_cjk_url_loads(seed: Served, new_page: Any) -> None:
    page, problems = new_page()
    response = page.goto(seed.base + "利用键盘选定文本的快捷键/")
    assert response is not None and response.status == 200
    expect(page.locator("h1.page-title")).to_have_text("利用键盘选定文本的快捷键")
    assert problems.items == []


# --- 7. external links are marked -----------------------------------------------------------


def test_external_links_are_marked(seed: Served, new_page: Any) -> None:
    site = seed.report.site
    assert site is not None
    with_external = [t for t in site.topics.values() if any(link.kind == "external" for link in t.links)]
    assert with_external, "the seed notes should contain an external link"
    page, problems = new_page()
    goto(page, seed.url(with_external[0].url))
    link = page.locator(".markdown a.external").first
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith(("http://", "https://"))
    after = link.evaluate("el => getComputedStyle(el, '::after').content")
    assert after not in ("none", "normal", ""), f"a.external::after content is {after!r}"
    assert problems.items == []


# --- 8. screenshots -----------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG; fails when the bytes are not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_full_page_screenshots(scheme: str, demo: Served, demo_urls: DemoUrls, new_page: Any, tmp_path: Path) -> None:
    page, problems = new_page(color_scheme=scheme)
    for name, url in (("home", demo_urls.home), ("topic", demo.longest_topic())):
        goto(page, url)
        path = tmp_path / f"{name}-{scheme}.png"
        page.screenshot(path=str(path), full_page=True)
        data = path.read_bytes()
        width, height = png_size(data)
        assert width == DESKTOP["width"]
        assert height >= DESKTOP["height"]
        assert len(data) > 20_000, f"{path.name} is suspiciously small ({len(data)} bytes)"
    assert problems.items == []


# --- the TODO tracker (/tasks/) ---------------------------------------------------------------


def visible_items(page: Page, status: str | None = None) -> int:
    """Tracker items the reader can see (rows of filtered-out context items excluded)."""
    selector = "li.task-item:not(.no-match)" + (f'[data-status="{status}"]' if status else "")
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent !== null).length")


def test_tracker_filter_open_shows_48_and_hash_restores_it(seed: Served, new_page: Any) -> None:
    page, problems = new_page()
    goto(page, seed.url("/tasks/"))
    expect(page.locator("#task-filters")).to_be_visible()
    assert visible_items(page) == 95
    page.select_option("#task-filters select[name=status]", "open")
    expect(page.locator("#task-count")).to_have_text("48 项")  # the seed notes: a zh-CN site
    assert visible_items(page) == 48 and visible_items(page, "open") == 48
    assert page.evaluate("location.hash") == "#status=open"
    page.fill("#task-filters input[name=q]", "deepseek")
    expect(page.locator("#task-count")).to_have_text("1 项")
    # a fresh page at the same URL restores the filters from the hash
    other, _ = new_page()
    goto(other, seed.url("/tasks/#status=open&q=deepseek"))
    expect(other.locator("#task-count")).to_have_text("1 项")
    assert other.input_value("#task-filters select[name=status]") == "open"
    assert other.input_value("#task-filters input[name=q]") == "deepseek"
    assert "v3" in other.locator("li.task-item:not(.no-match) .task-text").inner_text().lower()
    assert problems.items == []


def test_tracker_without_javascript_shows_the_full_list(seed: Served, new_page: Any) -> None:
    page, _ = new_page(java_script_enabled=False)
    goto(page, seed.url("/tasks/"))
    assert page.locator("#task-filters").is_hidden()
    assert visible_items(page) == 95


def test_tracker_item_lands_on_its_highlighted_source(seed: Served, new_page: Any) -> None:
    page, problems = new_page()
    goto(page, seed.url("/tasks/#q=token-crisis"))
    expect(page.locator("#task-count")).to_have_text("1 项")
    link = page.locator("li.task-item:not(.no-match) a.task-link")
    target_id = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url("**/todo/#" + target_id)
    item = page.locator(f"li#{target_id}")
    expect(item).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == target_id
    highlight = item.evaluate("el => getComputedStyle(el).backgroundColor")
    assert highlight not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "To Repeat or Not To Repeat" in item.inner_text()
    assert item.locator("input[type=checkbox]").first.is_checked()
    assert problems.items == []


def test_tracker_marks_overdue_items_with_todays_date(demo: Served, new_page: Any) -> None:
    page, _ = new_page()
    goto(page, demo.url("/tasks/"))
    due = page.locator("[data-due-section] li[data-due]")
    assert due.count() == 2  # notes/todo.md: one due in 2025 (overdue now), one in 2099
    today = page.evaluate("(() => { const d = new Date(); return d.toISOString().slice(0, 10); })()")
    for i in range(due.count()):
        li = due.nth(i)
        assert ("overdue" in (li.get_attribute("class") or "")) == (li.get_attribute("data-due") < today)
