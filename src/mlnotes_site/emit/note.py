"""Collection note pages: the text before the first H1 and the note's topics in order."""

from __future__ import annotations

from ..config import SiteConfig
from ..model import Site
from .explorer import trail
from .render import Emitter, PageSpec, Renderer, What


def urls(site: Site, made: dict, cfg: SiteConfig) -> list[tuple[str, What]]:
    """One page per collection note (a note of one topic is shown on its topic page)."""
    return [(page.url, rel) for rel, page in site.note_pages.items()]


def describe(r: Renderer, rel: str) -> PageSpec:
    """The page of collection note `rel`."""
    site, note = r.site, r.site.notes[rel]
    page = site.note_pages[rel]
    start = 1 if note.tokens and note.tokens[0].type == "front_matter" else 0
    return r.spec(
        "note.html",
        page.url,
        page.title,
        note=note,
        content=r.body(note, start, page.token_end, page.url, page.heading_ids),
        topics=[site.topics[k] for k in page.topic_keys],
        backlinks=site.backlinks.get(page.url, ()),
        edit_url=r.edit_url(note),
        tags=page.tags,
        dates=site.dates.get(rel),
        explorer=trail(site, rel, page.url),
    )


EMITTER = Emitter("note", urls, describe)
