"""Emit stage: Site -> output files. One module per kind of output, registered here in the
order their URLs are listed (the sitemap comes last: it lists the pages before it).

Adding an output is adding one module with an `EMITTER` and one line below.
"""

from __future__ import annotations

from typing import Any

from ..config import SiteConfig
from ..model import Site
from . import (
    explorer,
    graph_json,
    graph_page,
    home,
    messages,
    not_found,
    note,
    previews,
    recent,
    search,
    sitemap,
    tags,
    topic,
    tracker,
)
from .render import Emitter, PageSpec, Renderer

EMITTERS: tuple[Emitter, ...] = (
    home.EMITTER,
    topic.EMITTER,
    note.EMITTER,
    tags.INDEX,
    tags.EMITTER,
    tracker.EMITTER,
    recent.PAGE,
    recent.FEED,
    not_found.EMITTER,
    graph_json.EMITTER,
    graph_json.SCRIPT,
    previews.EMITTER,
    explorer.EMITTER,
    graph_page.EMITTER,
    search.PAGE,
    search.FILES,
    messages.EMITTER,
    sitemap.EMITTER,
)
BY_KIND = {e.kind: e for e in EMITTERS}

Table = dict[str, tuple[str, Any]]  # page URL -> (emitter kind, what it shows)


def page_table(site: Site, cfg: SiteConfig, skip: tuple[str, ...] = ()) -> Table:
    """Every page of the site, in a fixed order: URL -> (emitter kind, what it shows).
    `cfg` says how big paged lists grow (`tracker_page_items`, `home_page_topics`); the
    emitters of kinds `skip` are left out (a preview adds them when asked: pipeline.py)."""
    made: Table = {}
    for emitter in EMITTERS:
        if emitter.kind in skip:
            continue
        for url, what in emitter.urls(site, made, cfg):
            made[url] = (emitter.kind, what)
    return made


def describe(renderer: Renderer, kind: str, what: Any) -> PageSpec:
    """The description of one page of `page_table`."""
    return BY_KIND[kind].describe(renderer, what)


__all__ = ["EMITTERS", "PageSpec", "Renderer", "Table", "describe", "page_table"]
