"""The graph page in real Chromium: it draws, hovering shows a title, clicking a node opens it."""

from __future__ import annotations

from typing import Any

from test_browser import Served, browser, goto, new_page, seed  # noqa: F401 - fixtures
from playwright.sync_api import expect


def test_graph_page_draws_and_a_click_opens_the_node(seed: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page(viewport={"width": 1280, "height": 900})
    goto(page, seed.url("/graph/"))
    expect(page.locator("#graph[data-ready='1']")).to_have_count(1)
    painted = page.evaluate("""() => { const c = document.getElementById('graph');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }""")
    assert painted > 500
    x, y = page.evaluate("() => window.mlnGraph.position('/clip/')")
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    expect(page.locator("#graph-tip")).to_have_text("CLIP")
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.locator("h1.page-title")).to_have_text("CLIP")
    assert problems.items == []
