"""The graph view `/graph/`: a canvas drawing of graph.json (static/graph-view.js)."""

from __future__ import annotations

from .. import urls
from .render import Emitter, PageSpec, Renderer, one


def describe(r: Renderer, what: None) -> PageSpec:
    """The graph page (the data comes from graph.json, fetched by the page)."""
    return r.spec("graph.html", urls.GRAPH_PAGE, r.messages.t("nav.graph"))


EMITTER = Emitter("graph", one(urls.GRAPH_PAGE), describe)
