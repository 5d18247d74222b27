"""sitemap.xml (template `sitemap.xml`): every page, with `<lastmod>` for the pages of a
note (its updated date); absolute when `base_url` is set."""

from __future__ import annotations

from .. import urls
from ..config import SiteConfig
from ..model import Site
from .render import Emitter, PageSpec, Renderer, What, site_root


def sitemap_urls(site: Site, made: dict[str, tuple[str, What]], cfg: SiteConfig) -> list[tuple[str, What]]:
    """The sitemap lists the pages made before it (URLs ending in `/`)."""
    return [(urls.SITEMAP, tuple(url for url in made if url.endswith("/")))]


def describe(r: Renderer, pages: tuple[str, ...]) -> PageSpec:
    """The sitemap of `pages`: (address, last modified or "") each."""
    root, dated = site_root(r.cfg), r.site.page_dates
    entries = []
    for url in pages:
        dates = dated.get(url)
        entries.append((root + url, dates.updated.iso if dates is not None else ""))
    return r.spec("sitemap.xml", urls.SITEMAP, "", entries=entries)


EMITTER = Emitter("sitemap", sitemap_urls, describe)
