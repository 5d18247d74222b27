"""The search page `/search/` (template `search.html`, static/search.js) and the index files
below it: meta.js, g/<i>.js, t/<k>.js and d/<j>.js, written as graph/search.py made them.

Each file's description holds its own text, so the page cache renders again only the files
whose text changed (an edit changes the scores of most token shards, few document shards).
The files are made when one is first described: an edit in `mlnotes serve` does not make
the whole index again until a search asks for it.
"""

from __future__ import annotations

from .. import urls
from ..config import SiteConfig
from ..model import Site
from .render import Emitter, PageSpec, Renderer, What, one

FOLDERS = {"meta": "", "group": "g/", "shard": "t/", "doc": "d/"}


def file_url(kind: str, n: int = 0) -> str:
    """The URL of one index file: `/search/meta.js`, `/search/t/3.js`, …"""
    return urls.SEARCH + ("meta.js" if kind == "meta" else f"{FOLDERS[kind]}{n}.js")


def file_urls(site: Site, made: dict[str, tuple[str, What]], cfg: SiteConfig) -> list[tuple[str, What]]:
    """Every index file of the site's search data."""
    data = site.search
    found: list[tuple[str, What]] = [(file_url("meta"), ("meta", 0))] if data.meta else []
    for kind, texts in (("group", data.groups), ("shard", data.shards), ("doc", data.docs)):
        found += [(file_url(kind, n), (kind, n)) for n in range(len(texts))]
    return found


def _text(site: Site, kind: str, n: int) -> str:
    data = site.search
    if kind == "meta":
        return data.meta
    return {"group": data.groups, "shard": data.shards, "doc": data.docs}[kind][n]


def describe_file(r: Renderer, what: tuple[str, int]) -> PageSpec:
    """One index file: its description is its text (equal text, equal page). Describing one
    makes the index's files when they are not made yet (graph/search.py LazySearch)."""
    text = _text(r.site, *what)
    url = file_url(*what)
    return PageSpec(url, "", "", {"text": text}, make=lambda: text)


def describe_page(r: Renderer, what: None) -> PageSpec:
    """The search page (the data comes from the index files, loaded by the page)."""
    return r.spec("search.html", urls.SEARCH, r.messages.t("search.title"))


PAGE = Emitter("search", one(urls.SEARCH), describe_page)
FILES = Emitter("search-index", file_urls, describe_file)
