"""Tag pages: the index of all tags with counts, and one page per tag listing its pages."""

from __future__ import annotations

from .. import urls
from ..config import SiteConfig
from ..model import Site
from .render import Emitter, PageSpec, Renderer, What, one, page_of_tag


def describe_index(r: Renderer, what: None) -> PageSpec:
    """The tags index."""
    tags = [(name, len(keys)) for name, keys in r.site.tags.items()]
    return r.spec("tags.html", urls.TAGS, r.messages.t("nav.tags"), tags=tags)


def tag_urls(site: Site, made: dict, cfg: SiteConfig) -> list[tuple[str, What]]:
    """One page per tag; nested tags `a/b` live at `/tags/a/b/`."""
    return [(page_of_tag(site, name), name) for name in site.tags]


def describe_tag(r: Renderer, name: str) -> PageSpec:
    """The pages carrying tag `name`."""
    return r.spec("tag.html", page_of_tag(r.site, name), f"#{name}", tag=name, topics=list(r.site.tags[name]))


INDEX = Emitter("tags", one(urls.TAGS), describe_index)
EMITTER = Emitter("tag", tag_urls, describe_tag)
