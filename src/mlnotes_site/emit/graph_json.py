"""Site -> graph.json: every page and tag as a node, every connection as a weighted edge.

The schema is documented in the README ("graph.json"). Built in one pass over the Site;
shared references only connect pages when a URL is cited by at most MAX_SHARED pages, so
the number of edges stays linear in the vault.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .. import urls
from ..model import FixedRows, Site
from ..paths import fold, reference_key, safe_json, tag_url
from .render import Emitter, PageSpec, Renderer, Same, one

MAX_SHARED = 20  # a URL cited by more pages (a home page, a search engine) is not a shared reference


Edges = dict[tuple[str, str, str], int]  # (source, target, kind) -> weight


def _nodes(site: Site) -> dict[str, dict]:
    """Topic and collection pages, by URL (tag nodes are added with their edges)."""
    nodes: dict[str, dict] = {}
    for topic in site.topics.values():
        node = nodes.setdefault(
            topic.url, {"id": topic.url, "kind": "topic", "title": topic.title, "note": topic.note_rel, "tags": []}
        )
        node["tags"] = list(dict.fromkeys(node["tags"] + list(topic.tags)))
    for page in site.note_pages.values():
        nodes[page.url] = {
            "id": page.url,
            "kind": "note",
            "title": page.title,
            "note": page.note_rel,
            "tags": list(page.tags),
        }
    return nodes


def _add(edges: Edges, source: str, target: str, kind: str) -> None:
    if source != target:
        edges[(source, target, kind)] = edges.get((source, target, kind), 0) + 1


def _page_edges(site: Site, nodes: dict[str, dict], edges: Edges) -> None:
    """Links, mentions, a collection's topics, and tags (adding the tag nodes)."""
    for target, backlinks in site.backlinks.items():
        for backlink in backlinks:
            if target in nodes:
                _add(edges, backlink.url, target, "link")
    for url, mentions in site.mentions.items():
        for m in mentions:
            _add(edges, url, m.target.url, "mention")
    for page in site.note_pages.values():  # a collection's page lists and links its topics
        for key in page.topic_keys:
            _add(edges, page.url, site.topics[key].url, "note")
    for name, refs in site.tags.items():
        tag_node = site.tag_urls.get(fold(name)) or tag_url(name)
        nodes[tag_node] = {"id": tag_node, "kind": "tag", "title": f"#{name}", "note": "", "tags": []}
        for ref in refs:
            _add(edges, ref.url, tag_node, "tag")


def _reference_edges(site: Site, edges: Edges) -> None:
    """Two topics citing the same external URL (cited by at most MAX_SHARED pages)."""
    cited: dict[str, list[str]] = {}
    for topic in site.topics.values():
        for link in topic.links:
            if link.kind == "external" and link.target.startswith(("http:", "https:")):
                pages = cited.setdefault(reference_key(link.target), [])
                if topic.url not in pages:
                    pages.append(topic.url)
    for pages in cited.values():
        if 2 <= len(pages) <= MAX_SHARED:
            for i, first in enumerate(pages):
                for other in pages[i + 1 :]:
                    _add(edges, first, other, "reference")


def graph_data(site: Site) -> dict:
    """Nodes and edges of the site (see the README for the schema)."""
    nodes = _nodes(site)
    edges: Edges = {}
    _page_edges(site, nodes, edges)
    _reference_edges(site, edges)
    order = {url: n for n, url in enumerate(nodes)}
    similar: dict[tuple[str, str], float] = {}
    for url, rows in site.related.candidates():  # before the hub cap of the lists: a hub is a hub
        for r in rows:
            pair = (url, r.url) if order[url] < order[r.url] else (r.url, url)
            similar[pair] = r.score  # the score is symmetric: both directions agree
    layout(list(nodes.values()))
    return {
        "nodes": list(nodes.values()),
        "edges": [{"source": s, "target": t, "kind": k, "weight": w} for (s, t, k), w in sorted(edges.items())]
        + [{"source": s, "target": t, "kind": "related", "weight": w} for (s, t), w in sorted(similar.items())],
    }


GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


SPACING = 14.0  # between neighbouring nodes of one cluster


def _pack(radii: list[float]) -> list[tuple[float, float]]:
    """Centres for circles of these radii, in order, on a sunflower spiral whose radius grows
    with the area placed so far: big and small circles pack without a global scan."""
    centres, area = [], 0.0
    for i, r in enumerate(radii):
        area += math.pi * (r + SPACING) ** 2
        rho = 1.25 * math.sqrt(area / math.pi) - r if i else 0.0
        centres.append((rho * math.cos(i * GOLDEN_ANGLE), rho * math.sin(i * GOLDEN_ANGLE)))
    return centres


def _radius(centres: list[tuple[float, float]], radii: list[float]) -> float:
    return max((math.hypot(x, y) + r for (x, y), r in zip(centres, radii, strict=True)), default=SPACING)


def layout(nodes: list[dict]) -> None:
    """Give every node `x`, `y` at build time, in linear time: a note's pages are a sunflower
    cluster; the notes of a folder are packed around each other, and the folders (all tags
    are one more) around each other, in vault order. So a folder is a visible region."""
    folders: dict[str, dict[str, list[dict]]] = {}
    for node in nodes:
        note = node["note"] or "#tags"
        folders.setdefault(note.rpartition("/")[0] if node["note"] else "#tags", {}).setdefault(note, []).append(node)
    plans = []  # per folder: note clusters, their centres and radii
    for notes in folders.values():
        radii = [SPACING * math.sqrt(len(members)) for members in notes.values()]
        centres = _pack(radii)
        plans.append((notes, centres, _radius(centres, radii)))
    folder_centres = _pack([radius for _, _, radius in plans])
    for (notes, centres, _), (fx, fy) in zip(plans, folder_centres, strict=True):
        for members, (cx, cy) in zip(notes.values(), centres, strict=True):
            for i, node in enumerate(members):
                r = SPACING * math.sqrt(i + 0.5) if len(members) > 1 else 0.0
                node["x"] = round(fx + cx + r * math.cos(i * GOLDEN_ANGLE), 1)
                node["y"] = round(fy + cy + r * math.sin(i * GOLDEN_ANGLE), 1)


# `<`, `>` and `&` only occur inside JSON strings, where their \u escapes mean the same: the
# file can then never close a <script> block or start an HTML entity wherever it is embedded.
def graph_json(site: Site) -> str:
    """graph.json's text: deterministic, UTF-8, one line per node and edge, no raw `<`, `>`, `&`."""
    data = graph_data(site)
    lines = ["{", '"nodes": [']
    lines.append(",\n".join(safe_json(n) for n in data["nodes"]))
    lines += ["],", '"edges": [']
    quoted = {n["id"]: safe_json(n["id"]) for n in data["nodes"]}
    # as json.dumps(edge) writes it, without encoding each id again (there are many edges)
    lines.append(
        ",\n".join(
            f'{{"source": {quoted[e["source"]]}, "target": {quoted[e["target"]]}, '
            f'"kind": "{e["kind"]}", "weight": {e["weight"]!r}}}'
            for e in data["edges"]
        )
    )
    lines += ["]", "}"]
    return "\n".join(lines) + "\n"


def describe(r: Renderer, what: None) -> PageSpec:
    """graph.json depends on the whole Site: its description equals only the same Site's."""
    site = r.site
    spec = r.spec("", urls.GRAPH_JSON, "", site=Same(site))
    # the related rows are computed now (they are the lazy part of a Site); the text, from this
    # snapshot, may then be made without holding anything an update changes (Pipeline.prepare)
    snapshot = replace(site, related=FixedRows(dict(site.related.items()), dict(site.related.candidates())))
    return PageSpec(spec.url, "", "", spec.context, make=lambda: graph_json(snapshot))


EMITTER = Emitter("graph.json", one(urls.GRAPH_JSON), describe)


def describe_script(r: Renderer, what: None) -> PageSpec:
    """graph.json as a script (`window.mlnGraphJSON = …;`), which a page opened from disk can
    load with a <script> tag where fetch is refused (config `file_urls`)."""
    spec = describe(r, what)
    make = spec.make
    assert make is not None
    return PageSpec(urls.GRAPH_JS, "", "", spec.context, make=lambda: f"window.mlnGraphJSON = {make().rstrip()};\n")


SCRIPT = Emitter(
    "graph.json.js", lambda site, made, cfg: [(urls.GRAPH_JS, None)] if cfg.file_urls else [], describe_script
)
