"""`mlnotes serve` in real Chromium: edits on disk reload the open page (keeping its scroll
position), errors show an overlay until fixed, unchanged and hidden pages are left alone."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from playwright.sync_api import expect

from conftest import BASIC_VAULT
from test_browser import browser, goto, new_page  # noqa: F401 - fixtures
from test_serve import BAD_FRONT_MATTER, Running

pytestmark = pytest.mark.browser

LONG_NOTE = (
    "# Long Note\n\n" + "\n\n".join(f"Paragraph {i}: 这是一段很长的笔记。" * 3 for i in range(120)) + "\n\nThe end.\n"
)
OVERLAY = "#mlnotes-overlay"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Running]:
    shutil.copytree(BASIC_VAULT, tmp_path / "notes")
    (tmp_path / "notes" / "long.md").write_text(LONG_NOTE, encoding="utf-8")
    running = Running(tmp_path)
    try:
        yield running
    finally:
        running.close()
        assert not (tmp_path / "site").exists()


def url(served: Running, path: str) -> str:
    return f"http://127.0.0.1:{served.port}{path}"


def test_an_edit_reloads_the_page_and_keeps_the_scroll_position(served: Running, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, url(served, "/long-note/"))
    page.evaluate("window.scrollTo(0, 1500)")
    page.evaluate("window.notReloaded = true")
    page.wait_for_function("window.scrollY === 1500")
    start = time.monotonic()
    served.edit("long.md", LONG_NOTE.replace("The end.", "The end, edited live."))
    expect(page.locator(".markdown")).to_contain_text("The end, edited live.", timeout=5000)
    took = time.monotonic() - start
    assert page.evaluate("window.notReloaded === undefined"), "the page was reloaded, not patched"
    page.wait_for_function("Math.abs(window.scrollY - 1500) <= 2", timeout=3000)
    assert took < 3, f"reload took {took:.2f} s"
    assert real(problems) == []


def test_errors_show_an_overlay_until_fixed(served: Running, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, url(served, "/part-one/"))
    good = (served.notes / "whole.md").read_text(encoding="utf-8")
    served.edit("whole.md", BAD_FRONT_MATTER)
    overlay = page.locator(OVERLAY)
    expect(overlay).to_be_visible(timeout=5000)
    expect(overlay).to_contain_text("whole.md:2")
    expect(overlay).to_contain_text("invalid front matter")
    box = overlay.bounding_box()
    assert box is not None and box["y"] == 0 and box["width"] >= 1200
    served.edit("whole.md", good)
    expect(overlay).to_have_count(0, timeout=5000)
    assert real(problems) == []


def test_the_overlay_can_be_closed(served: Running, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page(color_scheme="dark")
    served.edit("whole.md", BAD_FRONT_MATTER)
    deadline = time.monotonic() + 5
    while not served.preview.report.errors and time.monotonic() < deadline:
        time.sleep(0.05)
    goto(page, url(served, "/tags/"))
    expect(page.locator(OVERLAY)).to_be_visible()  # a page opened while the error stands
    page.locator(f"{OVERLAY} button").click()  # labelled Close or 关闭, in the interface language
    expect(page.locator(OVERLAY)).to_have_count(0)
    assert real(problems) == []


def test_only_changed_pages_reload(served: Running, new_page: Any) -> None:  # noqa: F811 - fixture argument
    edited, problems = new_page()
    other, other_problems = new_page()
    goto(edited, url(served, "/part-one/"))
    goto(other, url(served, "/tags/lonely-tag/"))
    other.evaluate("window.notReloaded = true")
    served.edit("split.md", (served.notes / "split.md").read_text().replace("one\n", "one, edited\n"))
    expect(edited.locator(".markdown")).to_contain_text("one, edited", timeout=5000)
    time.sleep(0.3)
    assert other.evaluate("window.notReloaded === true")
    assert real(problems) == [] and real(other_problems) == []


def test_a_hidden_page_closes_its_stream_and_catches_up_when_shown(served: Running, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, url(served, "/part-one/"))
    wait_streams(served, 1)
    set_hidden(page, True)
    wait_streams(served, 0)  # Chromium allows 6 connections per host: hidden tabs give theirs back
    served.edit("split.md", (served.notes / "split.md").read_text().replace("one\n", "one, seen later\n"))
    time.sleep(0.3)
    expect(page.locator(".markdown")).not_to_contain_text("one, seen later")
    set_hidden(page, False)
    expect(page.locator(".markdown")).to_contain_text("one, seen later", timeout=5000)
    assert real(problems) == []


def real(problems: Any) -> list[str]:
    """A page's problems, less the event streams it ended itself (reload, hidden tab): those
    requests end as "failed" (net::ERR_ABORTED) by design."""
    return [p for p in problems.items if not ("/__mlnotes/events?" in p and "net::ERR_ABORTED" in p)]


def set_hidden(page: Any, hidden: bool) -> None:
    """Pretend the tab was hidden or shown (headless pages are always visible)."""
    page.evaluate(
        """hidden => {
        Object.defineProperty(document, 'hidden', {value: hidden, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""",
        hidden,
    )


def wait_streams(served: Running, count: int, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while served.preview.updates.streams != count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.preview.updates.streams == count
