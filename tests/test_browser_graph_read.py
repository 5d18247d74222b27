"""A readable graph (issue 15 item 3), in real Chromium: labels for the most connected nodes
at the default zoom and for every node once zoomed in, never overlapping; a legend of the
node colours; tap to name then tap to open on a touch screen; the same pages as a list of
links the keyboard reaches; no drawImage error when the canvas has no size."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from playwright.sync_api import expect

from test_browser import PHONE, Served, browser, demo, goto, new_page, seed  # noqa: F401 - fixtures
from test_browser_graph import LOCAL, graph_of, open_local_graph

pytestmark = pytest.mark.browser
LABELS_TOP = 24  # graph-view.js


def degrees(graph: dict) -> dict[str, int]:
    found = {n["id"]: 0 for n in graph["nodes"]}
    for e in graph["edges"]:
        found[e["source"]] += 1
        found[e["target"]] += 1
    return found


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for k, a in enumerate(boxes)
        for b in boxes[k + 1 :]
        if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]
    ]


def open_graph(page: Any, site: Served) -> None:
    goto(page, site.url("/graph/"))
    expect(page.locator("#graph[data-ready='1']")).to_have_count(1)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A vault of 220 small notes, every one linking to a hub and to its neighbour: more
    nodes than graph-view.js labels at once."""
    from pathlib import Path

    from test_browser import _build_and_serve

    tmp = Path(tmp_path_factory.mktemp("big"))
    notes = tmp / "notes"
    notes.mkdir()
    (notes / "hub.md").write_text("# 中心 Hub\n\n每篇都链接到这里。\n", encoding="utf-8")
    for i in range(220):
        text = f"# 笔记 {i:03d}\n\n见 [[中心 Hub]] 和 [[笔记 {(i + 1) % 220:03d}]]。\n"
        (notes / f"n{i:03d}.md").write_text(text, encoding="utf-8")
    yield from _build_and_serve(notes, tmp)


def test_labels_name_the_hubs_at_the_default_zoom_and_more_zoomed_in(big: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    open_graph(page, big)
    boxes = page.evaluate("window.mlnGraph.labels()")
    assert 0 < len(boxes) <= LABELS_TOP + 1 and not overlapping(boxes)
    assert "/中心-hub/" in [b["id"] for b in boxes]  # the most connected node is named first
    for _ in range(5):
        page.evaluate("window.mlnGraph.zoom(1.8)")
    zoomed = page.evaluate("window.mlnGraph.labels()")
    assert not overlapping(zoomed)
    assert {b["id"] for b in zoomed} - {b["id"] for b in boxes}  # zoomed in, other nodes get names
    assert not problems.items, problems.items


def test_labels_on_the_seed_graph_never_overlap_and_start_with_the_hub(seed: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    open_graph(page, seed)
    degree = degrees(graph_of(seed))
    boxes = page.evaluate("window.mlnGraph.labels()")
    assert len(boxes) >= 10 and not overlapping(boxes)
    hub = max(degree, key=lambda i: (degree[i], i))
    assert boxes[0]["id"] == hub or degree[boxes[0]["id"]] == degree[hub]
    assert not problems.items, problems.items


def test_zoomed_in_every_visible_node_is_labelled_where_there_is_room(demo: Served, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page()
    open_graph(page, demo)
    boxes = page.evaluate("window.mlnGraph.labels()")
    nodes = len(graph_of(demo)["nodes"])
    assert not overlapping(boxes)
    assert len(boxes) >= min(nodes, 8)  # a small graph: (almost) every node named at once


def test_the_legend_names_the_colours(seed: Served, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page()
    open_graph(page, seed)
    legend = page.locator("#graph-legend li")
    texts = legend.all_inner_texts()
    assert len(texts) >= 3
    has_tags = any(n["kind"] == "tag" for n in graph_of(seed)["nodes"])
    assert page.locator("#graph-legend li.legend-tag").count() == (1 if has_tags else 0)
    colours = "els => els.map(e => getComputedStyle(e).backgroundColor)"
    swatches = page.eval_on_selector_all("#graph-legend .swatch", colours)
    assert len(set(swatches)) >= 3  # different notes, different colours
    page.locator("input[name=color][value=tag]").check()
    expect(page.locator("#graph-legend li").first).not_to_have_text(texts[0])  # by tag now


def test_the_legend_by_tag_names_tags(demo: Served, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page()
    open_graph(page, demo)
    page.locator("input[name=color][value=tag]").check()
    assert any(t.startswith("#") for t in page.locator("#graph-legend li").all_inner_texts())
    assert page.locator("#graph-legend li.legend-tag").count() == 1


def test_a_tap_names_a_node_and_a_second_tap_opens_it(demo: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    open_graph(page, demo)
    graph = graph_of(demo)
    degree = degrees(graph)
    node = max((n for n in graph["nodes"] if n["kind"] == "topic"), key=lambda n: (degree[n["id"]], n["id"]))
    page.locator("#graph").scroll_into_view_if_needed()
    x, y = page.evaluate("(id) => window.mlnGraph.position(id)", node["id"])
    box = page.locator("#graph").bounding_box()
    assert box
    url = page.url
    page.touchscreen.tap(box["x"] + x, box["y"] + y)
    expect(page.locator("#graph-tip")).to_have_text(node["title"])
    assert page.url == url  # named, not opened
    page.touchscreen.tap(box["x"] + x, box["y"] + y)
    expect(page.locator("h1.page-title")).to_have_text(node["title"])
    assert not problems.items, problems.items


def test_the_graph_pages_are_a_list_of_links_for_the_keyboard(demo: Served, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page()
    open_graph(page, demo)
    summary = page.locator("#graph-list summary")
    summary.focus()
    page.keyboard.press("Enter")
    links = page.locator("#graph-list ul a")
    expect(links).to_have_count(len(graph_of(demo)["nodes"]))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#graph-list') !== null && document.activeElement.tagName")
    assert focused == "A"


def test_the_local_graph_lists_its_pages_and_names_its_colours(demo: Served, new_page: Any) -> None:  # noqa: F811
    page, _ = new_page()
    graph = graph_of(demo)
    degree = degrees(graph)
    busiest = max((n for n in graph["nodes"] if n["kind"] == "topic"), key=lambda n: (degree[n["id"]], n["id"]))
    open_local_graph(page, demo, busiest["id"])
    shown = page.evaluate("window.mlnLocalGraph.nodes()")
    links = page.locator(f"{LOCAL} .graph-list a")
    expect(links).to_have_count(len(shown) - 1)  # every node but the page itself
    assert page.locator(f"{LOCAL} .graph-legend li").count() >= 1


def test_no_error_when_the_canvas_loses_its_size(demo: Served, new_page: Any) -> None:  # noqa: F811
    page, problems = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_graph(page, demo)
    page.evaluate("document.querySelector('#graph').style.display = 'none'")
    page.wait_for_timeout(100)  # the ResizeObserver sees 0 x 0
    page.evaluate("window.mlnGraph.zoom(1.1)")  # and a frame is drawn
    page.evaluate("document.querySelector('#graph').style.display = ''")
    page.wait_for_timeout(100)
    page.evaluate("window.mlnGraph.zoom(1.1)")
    assert not errors and not problems.items, (errors, problems.items)
