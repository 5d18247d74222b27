"""The interface's scripts speak the site's language in real Chromium: on a vault of
Chinese notes (zh-CN chosen from the notes) the search box, the copy button and the
tracker's filter count say their words in Chinese, from /static/messages.js."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from playwright.sync_api import expect

from conftest import build_vault
from test_browser import Served, browser, goto, new_page, serve_folder  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

NOTES = {
    "梯度.md": "# 梯度下降\n\n梯度下降沿着损失函数梯度的反方向走一小步。\n\n```python\nprint('学习率')\n```\n\n"
    "- [ ] 复习学习率调度\n- [x] 读完优化器的章节\n- [ ] 整理动量法的笔记\n",
    "优化器.md": "# 优化器\n\nAdam 和 AdamW 的区别在于权重衰减。梯度消失与梯度爆炸。\n",
}


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("i18n")
    notes = root / "notes"
    notes.mkdir()
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    report = build_vault(notes, root / "site")
    assert report.language == "zh-CN" and not report.errors
    yield from serve_folder(root / "site", report)


def test_search_copy_and_tracker_speak_chinese(chinese: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    goto(page, chinese.url("/梯度下降/"))
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    button = page.locator(".code-block .copy-button").first
    expect(button).to_have_text("复制")
    assert button.get_attribute("aria-label") == "复制代码到剪贴板"
    page.locator("#search-input").fill("梯度")
    page.locator("#search-results [role=option]").first.wait_for()
    expect(page.locator("#search-status")).to_have_text("2 个页面")
    page.locator("#search-input").fill("没有这个词语")
    expect(page.locator("#search-status")).to_have_text("没有找到“没有这个词语”的结果")

    goto(page, chinese.url("/tasks/"))
    expect(page.locator("#task-filters")).to_be_visible()
    page.select_option("#task-filters select[name=status]", "open")
    expect(page.locator("#task-count")).to_have_text("2 项")
    assert page.locator("#task-filters select[name=status] option").first.inner_text() == "全部"
    assert problems.items == []
