"""What changed lately: `/recent/` (the topics updated last, by day) and `/feed.xml`.

Both read `Site.recent` (graph/dates.py): topic keys, newest first. The home page shows its
first HOME_RECENT (emit/home.py). The feed is Atom 1.0 (RFC 4287): an entry per topic with
its summary as text and its HTML as content, links absolute from config `base_url` (only
paths without it, and the build warns). Every date is a note's, never the build's clock: the
same notes give the same feed.
"""

from __future__ import annotations

from typing import Any

from .. import urls
from ..model import Site, Topic
from .render import Emitter, PageSpec, Renderer, one, site_root
from .summary import summary
from .topic import places_of, tags_of

RECENT_PAGE = 100  # topics /recent/ lists (graph/dates.py keeps as many)
FEED_ENTRIES = 50
HOME_RECENT = 10


def entries(site: Site, n: int) -> list[dict[str, Any]]:
    """The first `n` recently updated topics: each with its topic and its note's dates."""
    found = []
    for key in site.recent[:n]:
        topic = site.topics[key]
        found.append({"topic": topic, "dates": site.page_dates[topic.url], "rel": topic.note_rel})
    return found


def describe_page(r: Renderer, what: None) -> PageSpec:
    """`/recent/`: the topics updated last, grouped by the day of their update."""
    days: list[dict[str, Any]] = []
    for entry in entries(r.site, RECENT_PAGE):
        day = entry["dates"].updated.day
        if not days or days[-1]["day"] != day:
            days.append({"day": day, "entries": []})
        days[-1]["entries"].append(entry)
    count = sum(len(d["entries"]) for d in days)
    return r.spec("recent.html", urls.RECENT, r.messages.t("recent.title"), days=days, count=count)


def _entry(r: Renderer, topic: Topic, root: str) -> dict[str, Any]:
    site = r.site
    note = site.notes[topic.note_rel]
    dates = site.page_dates[topic.url]
    parts = places_of(site, topic)
    return {
        "title": topic.plain_title,
        "url": root + topic.url,
        "created": dates.created.rfc3339,
        "updated": dates.updated.rfc3339,
        "tags": tags_of(parts),
        "summary": summary(note, topic.token_start, topic.token_end),
        "content": [
            r.body(site.notes[p.note_rel], p.token_start, p.token_end, topic.url, p.heading_ids) for p in parts
        ],
    }


def describe_feed(r: Renderer, what: None) -> PageSpec:
    """`/feed.xml`: the FEED_ENTRIES topics updated last, as Atom."""
    root = site_root(r.cfg)
    found = [_entry(r, r.site.topics[key], root) for key in r.site.recent[:FEED_ENTRIES]]
    newest = max((r.site.page_dates[r.site.topics[k].url].updated for k in r.site.recent), default=None)
    return r.spec(
        "feed.xml",
        urls.FEED,
        r.cfg.title,
        entries=found,
        feed_updated=newest.rfc3339 if newest is not None else "1970-01-01T00:00:00Z",
        home_url=root + urls.HOME,
        feed_url=root + urls.FEED,
        subtitle=r.cfg.description,
    )


PAGE = Emitter("recent", one(urls.RECENT), describe_page)
FEED = Emitter("feed", one(urls.FEED), describe_feed)
