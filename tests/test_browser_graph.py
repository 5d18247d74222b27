"""The graph views in real Chromium: the graph page (/graph/) and the local graph at the end of
every topic page. Both draw graph.json on a canvas; the tests find nodes through the pages'
test hooks (window.mlnGraph, window.mlnLocalGraph) and compare with graph.json read here.

Reuses the browser machinery of test_browser.py (skipped the same way without Chromium).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from playwright.sync_api import Page, expect

from test_browser import PHONE, Served, assert_no_horizontal_scroll, browser, demo, goto, new_page, seed  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

LOCAL = ".local-graph"
CAP = 120  # graph-local.js shows at most this many nodes

# pixels of a canvas with some paint, and with light paint (text on a dark background)
PAINTED_JS = """(selector) => { const c = document.querySelector(selector);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0, light = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3]) { painted++; if (d[i] + d[i + 1] + d[i + 2] > 600) light++; }
    return [painted, light]; }"""
PIXELS_JS = """(selector) => { const c = document.querySelector(selector);
    return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join(','); }"""


def graph_of(site: Served) -> dict:
    return json.loads((site.root / "graph.json").read_text(encoding="utf-8"))


def neighbours(graph: dict, ids: set[str]) -> set[str]:
    """Nodes one edge away from `ids` (edges taken both ways), `ids` excluded."""
    near = {e["target"] for e in graph["edges"] if e["source"] in ids} | {
        e["source"] for e in graph["edges"] if e["target"] in ids
    }
    return near - ids


def busiest_topic(graph: dict) -> dict:
    """The topic with the most neighbours."""
    topics = [n for n in graph["nodes"] if n["kind"] == "topic"]
    return max(topics, key=lambda n: (len(neighbours(graph, {n["id"]})), n["id"]))


def open_local_graph(page: Page, site: Served, url: str) -> None:
    goto(page, site.url(url))
    page.locator(LOCAL).scroll_into_view_if_needed()
    expect(page.locator(f"{LOCAL}[data-ready='1']")).to_have_count(1)


def click_node(page: Page, canvas: str, hook: str, node: dict) -> None:
    """Hover a node (its title shows), click it, and land on its page."""
    page.locator(canvas).scroll_into_view_if_needed()
    x, y = page.evaluate(f"(id) => window.{hook}.position(id)", node["id"])
    box = page.locator(canvas).bounding_box()
    assert box and 0 <= x <= box["width"] and 0 <= y <= box["height"], f"{node['id']} is drawn outside the canvas"
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator(canvas).locator("xpath=following-sibling::p[contains(@class, 'graph-tip')]")
    expect(tip).to_have_text(node["title"])
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.locator("h1.page-title")).to_have_text(node["title"])


def assert_measures(page: Page, hook: str) -> None:
    """measure() runs the frames asked for and reports finite times (no threshold: timing
    belongs to benchmarks/graph_frames.py)."""
    for mode in ("pan", "hover"):
        result = page.evaluate(f"(mode) => window.{hook}.measure(8, mode)", mode)
        for key in ("drawMs", "frameMs"):
            assert len(result[key]) == 8, (mode, key, result)
            assert all(math.isfinite(v) and v >= 0 for v in result[key]), (mode, key, result)


# --- the graph page --------------------------------------------------------------------------


def test_graph_page_draws_and_a_click_opens_the_node(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page(viewport={"width": 1280, "height": 900})
    goto(page, demo.url("/graph/"))
    expect(page.locator("#graph[data-ready='1']")).to_have_count(1)
    painted, _ = page.evaluate(PAINTED_JS, "#graph")
    assert painted > 500
    graph = graph_of(demo)
    assert page.evaluate("[window.mlnGraph.nodes, window.mlnGraph.edges]") == [len(graph["nodes"]), len(graph["edges"])]
    assert_measures(page, "mlnGraph")
    # a node far enough from the others that the pointer cannot land on a neighbour
    ids = [n["id"] for n in graph["nodes"]]
    at = dict(zip(ids, page.evaluate("(ids) => ids.map(id => window.mlnGraph.position(id))", ids), strict=True))
    alone = [
        n
        for n in graph["nodes"]
        if n["kind"] == "topic" and all(math.dist(at[n["id"]], at[o]) > 20 for o in ids if o != n["id"])
    ]
    assert alone, "every topic of the demo vault is drawn within 20 px of another node"
    click_node(page, "#graph", "mlnGraph", alone[0])
    assert problems.items == []


def test_graph_page_filters_and_colours_change_the_drawing(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, demo.url("/graph/"))
    expect(page.locator("#graph[data-ready='1']")).to_have_count(1)
    kinds = {e["kind"] for e in graph_of(demo)["edges"]}
    boxes = page.locator(".graph-controls input[name=kind]")
    assert kinds <= set(boxes.evaluate_all("els => els.map(e => e.value)")), (
        "an edge kind of graph.json has no checkbox"
    )
    everything = page.evaluate(PIXELS_JS, "#graph")
    all_painted, _ = page.evaluate(PAINTED_JS, "#graph")
    page.uncheck(".graph-controls input[value=link]")
    without_links = page.evaluate(PIXELS_JS, "#graph")
    assert without_links != everything
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    nodes_only, _ = page.evaluate(PAINTED_JS, "#graph")
    assert nodes_only < all_painted
    page.check(".graph-controls input[name=color][value=tag]")
    by_tag = page.evaluate(PIXELS_JS, "#graph")
    assert by_tag != without_links
    page.click("#theme-toggle")  # the colours follow the theme
    page.wait_for_function(f"(before) => ({PIXELS_JS})('#graph') !== before", arg=by_tag)
    assert problems.items == []


def test_graph_page_pans_and_zooms(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    goto(page, demo.url("/graph/"))
    expect(page.locator("#graph[data-ready='1']")).to_have_count(1)
    node = busiest_topic(graph_of(demo))["id"]
    box = page.locator("#graph").bounding_box()
    x0, y0 = page.evaluate("(id) => window.mlnGraph.position(id)", node)
    page.mouse.move(box["x"] + 5, box["y"] + 5)  # a corner, away from the nodes
    page.mouse.down()
    page.mouse.move(box["x"] + 65, box["y"] + 45, steps=4)
    page.mouse.up()
    x1, y1 = page.evaluate("(id) => window.mlnGraph.position(id)", node)
    assert (round(x1 - x0), round(y1 - y0)) == (60, 40)
    assert page.url == demo.url("/graph/"), "a drag is not a click"
    page.mouse.move(box["x"] + x1, box["y"] + y1)
    page.mouse.wheel(0, -300)  # zoom in around the pointer: the node under it stays put
    page.wait_for_function(
        "([id, x, y]) => { const p = window.mlnGraph.position(id); return Math.hypot(p[0] - x, p[1] - y) < 1; }",
        arg=[node, x1, y1],
    )
    far = next(n["id"] for n in graph_of(demo)["nodes"] if n["id"] != node)
    before = page.evaluate("(id) => window.mlnGraph.position(id)", far)
    page.mouse.wheel(0, -300)
    page.wait_for_function(
        "([id, x, y]) => { const p = window.mlnGraph.position(id); return Math.hypot(p[0] - x, p[1] - y) > 5; }",
        arg=[far, *before],
    )
    assert problems.items == []


def test_seed_graph_page_opens_clip(seed: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page(viewport={"width": 1280, "height": 900})
    goto(page, seed.url("/graph/"))
    expect(page.locator("#graph[data-ready='1']")).to_have_count(1)
    painted, _ = page.evaluate(PAINTED_JS, "#graph")
    assert painted > 500
    clip = next(n for n in graph_of(seed)["nodes"] if n["id"] == "/clip/")
    click_node(page, "#graph", "mlnGraph", clip)
    assert problems.items == []


# --- the local graph on topic pages ----------------------------------------------------------


def test_local_graph_loads_graph_json_only_when_scrolled_to(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page(viewport={"width": 1280, "height": 500})
    requests: list[str] = []
    page.on("request", lambda r: r.url.endswith("/graph.json") and requests.append(r.url))
    goto(page, demo.longest_topic())
    page.wait_for_load_state("load")
    below = page.evaluate(f"document.querySelector('{LOCAL}').getBoundingClientRect().top - innerHeight")
    assert below > 300, "the longest demo topic is too short to test lazy loading"
    page.wait_for_timeout(300)
    assert requests == []
    page.locator(LOCAL).scroll_into_view_if_needed()
    expect(page.locator(f"{LOCAL}[data-ready='1']")).to_have_count(1)
    assert len(requests) == 1
    assert problems.items == []


def test_local_graph_shows_the_neighbours_at_depth_1_and_2(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    graph = graph_of(demo)
    topic = busiest_topic(graph)
    near = neighbours(graph, {topic["id"]})
    assert 1 < len(near) < CAP
    open_local_graph(page, demo, topic["id"])
    shown = page.evaluate("window.mlnLocalGraph.nodes()")
    assert shown[0] == topic["id"] and len(shown) == len(set(shown))
    assert set(shown[1:]) == near
    assert_measures(page, "mlnLocalGraph")

    page.check(f"{LOCAL} input[name=depth][value='2']")
    second = neighbours(graph, near | {topic["id"]})
    deeper = page.evaluate("window.mlnLocalGraph.nodes()")
    assert set(deeper) > set(shown)
    if len(near) + len(second) < CAP:
        assert set(deeper) == {topic["id"]} | near | second
    else:
        assert len(deeper) == CAP

    page.uncheck(f"{LOCAL} input[value=tag]")  # the filter also chooses the neighbours
    assert not any(i.startswith("/tags/") for i in page.evaluate("window.mlnLocalGraph.nodes()"))
    page.check(f"{LOCAL} input[value=tag]")
    page.check(f"{LOCAL} input[name=depth][value='1']")
    neighbour = next(n for n in graph["nodes"] if n["id"] in shown[1:] and n["kind"] == "topic")
    click_node(page, f"{LOCAL} canvas", "mlnLocalGraph", neighbour)
    assert problems.items == []


def test_local_graph_zooms_with_ctrl_wheel_only(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    topic = busiest_topic(graph_of(demo))
    open_local_graph(page, demo, topic["id"])
    box = page.locator(f"{LOCAL} canvas").bounding_box()
    x, y = page.evaluate("(id) => window.mlnLocalGraph.position(id)", topic["id"])
    page.mouse.move(box["x"] + box["width"] - 5, box["y"] + 5)
    scrolled = page.evaluate("scrollY")
    page.mouse.wheel(0, 200)  # a plain wheel scrolls the page past the graph
    page.wait_for_function("(y) => scrollY !== y", arg=scrolled)
    assert page.evaluate("(id) => window.mlnLocalGraph.position(id)", topic["id"]) == [x, y]
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function(
        "([id, x, y]) => { const p = window.mlnLocalGraph.position(id); return p[0] !== x || p[1] !== y; }",
        arg=[topic["id"], x, y],
    )
    assert problems.items == []


def test_local_graph_without_connections_says_so(demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page()
    graph = graph_of(demo)
    topic = busiest_topic(graph)
    alone = dict(graph, edges=[e for e in graph["edges"] if topic["id"] not in (e["source"], e["target"])])
    page.route("**/graph.json", lambda route: route.fulfill(json=alone))
    open_local_graph(page, demo, topic["id"])
    expect(page.locator(f"{LOCAL} .graph-empty")).to_have_text("还没有关联。")  # a Chinese vault: zh-CN
    expect(page.locator(f"{LOCAL} canvas")).to_be_hidden()
    assert problems.items == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_local_graph_fits_a_phone(scheme: str, demo: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, problems = new_page(viewport=PHONE, color_scheme=scheme)
    url = demo.longest_topic()  # the page test_browser.py checks at this width
    goto(page, url)
    page.locator(LOCAL).scroll_into_view_if_needed()
    expect(page.locator(f"{LOCAL}[data-ready='1']")).to_have_count(1)
    assert_no_horizontal_scroll(page, url)
    box = page.locator(f"{LOCAL} canvas").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    painted, light = page.evaluate(PAINTED_JS, f"{LOCAL} canvas")
    assert painted > 500
    if scheme == "dark":  # labels are drawn in the text colour, light on the dark background
        assert light > 100
    assert problems.items == []
