"""Browser checks for rendering fidelity: MathML, highlighted code in both themes, the copy button.

Reuses the browser machinery of test_browser.py (skipped the same way without Chromium).
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from test_browser import Served, _build_and_serve, browser, goto, luminance, new_page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

NOTE = """---
title: Render
---
范数满足$\\Vert A+B \\Vert_{F}\\le \\Vert A \\Vert_F$，除以$\\sqrt{d_k}$，$x \\sim p$。

$$
\\begin{aligned} a &= b \\\\ &= c + d + e \\end{aligned}
$$

```python
def f(x):
    return x  # comment
```

```nosuchlang
plain <text>
```

> [!faq]- 折叠的问题
> 隐藏的 ==答案==

%%注释 不可见%%
"""


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    notes = tmp_path_factory.mktemp("render-notes")
    (notes / "render.md").write_text(NOTE, encoding="utf-8")
    yield from _build_and_serve(notes, tmp_path_factory.mktemp("render"))


def test_math_is_laid_out_as_mathml(vault: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, vault.topic("Render"))
    assert page.locator(".markdown math").count() == 4
    table = page.locator(".math-block mtable")
    assert table.locator("mtr").count() == 2
    box = page.locator(".markdown math").first.bounding_box()
    assert box and box["width"] > 40, "MathML should be laid out, not collapsed"
    assert "\\" not in page.locator(".markdown").inner_text()
    equals = table.locator("mo", has_text="=")
    assert equals.count() == 2
    lefts = [equals.nth(i).bounding_box()["x"] for i in range(2)]
    assert abs(lefts[0] - lefts[1]) < 1, f"aligned `=` signs should line up: {lefts}"
    sim = page.locator(".markdown mo", has_text="\u223c").first
    assert sim.bounding_box()["height"] > 0, "∼ must have a visible glyph under lang=zh-CN"
    assert problems.items == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_colours_follow_the_theme(scheme: str, vault: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page(color_scheme=scheme)
    goto(page, vault.topic("Render"))
    keyword = page.locator(".highlight .k").first
    colour = keyword.evaluate("el => getComputedStyle(el).color")
    assert (luminance(colour) > 0.3) == (scheme == "dark"), colour
    page.locator("#theme-toggle").click()
    flipped = keyword.evaluate("el => getComputedStyle(el).color")
    assert (luminance(flipped) > 0.3) == (scheme == "light"), flipped
    assert problems.items == []


def test_copy_button_copies_the_code(vault: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page(permissions=["clipboard-read", "clipboard-write"])
    goto(page, vault.topic("Render"))
    buttons = page.locator(".code-block .copy-button")
    assert buttons.count() == 2
    page.locator(".code-block").first.hover()
    buttons.first.click()
    page.wait_for_function("document.querySelector('.copy-button').textContent === '已复制'")  # a zh-CN vault
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "def f(x):\n    return x  # comment\n"
    assert problems.items == []


def test_folded_callout_opens_on_click_and_comments_are_hidden(vault: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, vault.topic("Render"))
    callout = page.locator("details.callout-question")
    answer = callout.locator("mark")
    assert not answer.is_visible()
    callout.locator("summary").click()
    assert answer.is_visible() and answer.inner_text() == "答案"
    assert "注释" not in page.locator(".markdown").inner_text()
    assert problems.items == []
