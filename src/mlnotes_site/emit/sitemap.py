"""sitemap.xml (template `sitemap.xml`): every page; absolute when `base_url` is set."""

from __future__ import annotations

from .. import urls
from ..config import SiteConfig
from ..model import Site
from .render import Emitter, PageSpec, Renderer, What


def sitemap_urls(site: Site, made: dict[str, tuple[str, What]], cfg: SiteConfig) -> list[tuple[str, What]]:
    """The sitemap lists the pages made before it (URLs ending in `/`)."""
    return [(urls.SITEMAP, tuple(url for url in made if url.endswith("/")))]


def describe(r: Renderer, pages: tuple[str, ...]) -> PageSpec:
    """The sitemap of `pages`."""
    cfg = r.cfg
    prefix = cfg.base_url.rstrip("/") if cfg.base_url.startswith("http") else cfg.base_path.rstrip("/")
    return r.spec("sitemap.xml", urls.SITEMAP, "", locs=[prefix + url for url in pages])


EMITTER = Emitter("sitemap", sitemap_urls, describe)
