"""Topic pages: a topic's text, table of contents, tags, backlinks, mentions, related
topics, source and neighbours. A merged topic shows each place under its own header."""

from __future__ import annotations

from markupsafe import Markup

from ..config import SiteConfig
from ..i18n import reading_minutes
from ..model import Site, Topic
from .explorer import trail
from .render import Emitter, PageSpec, Renderer, What
from .summary import summary


def urls(site: Site, made: dict, cfg: SiteConfig) -> list[tuple[str, What]]:
    """One page per topic; later places of a merged topic are shown on its first place's page."""
    return [(topic.url, topic.key) for topic in site.topics.values() if not topic.place_id]


def places_of(site: Site, topic: Topic) -> list[Topic]:
    """The places shown on a topic's page: the topic, or each place of a merged topic."""
    return [site.topics[k] for k in site.places.get(topic.url, (topic.key,))]


def tags_of(parts: list[Topic]) -> tuple[str, ...]:
    """The tags of a page's places, each once, in order."""
    return tuple(dict.fromkeys(tag for p in parts for tag in p.tags))


def describe(r: Renderer, key: str) -> PageSpec:
    """The topic with key `key`."""
    site = r.site
    topic = site.topics[key]
    note = site.notes[topic.note_rel]
    keys = site.note_topics[note.rel]
    # neighbours in the note, skipping later places of this same topic
    others = [site.topics[k] for k in keys if site.topics[k].url != topic.url or k == topic.key]
    at = others.index(topic)
    prev_topic = others[at - 1] if at > 0 else None
    next_topic = others[at + 1] if at + 1 < len(others) else None
    parts = places_of(site, topic)
    toc = [  # a heading's formulas as MathML (its text is escaped by the template)
        {"level": h.level, "text": Markup(h.math_html) if h.math_html else h.text, "id": p.heading_ids[h.token_index]}
        for p in parts
        for h in p.headings
        if h.level <= 3
    ]
    counted = [t for p in parts for t in p.tasks if t.status != "cancelled"]
    places = [
        {
            "id": p.place_id,
            "source": f"{p.note_rel}:{p.first_line}",
            "note_url": site.note_url(p.note_rel),
            "content": r.body(site.notes[p.note_rel], p.token_start, p.token_end, topic.url, p.heading_ids),
        }
        for p in parts
    ]
    return r.spec(
        "topic.html",
        topic.url,
        topic.plain_title,  # `<title>`: formulas without their `$`
        topic=topic,
        note=note,
        note_page=site.note_pages.get(note.rel),
        content=places[0]["content"] if len(places) == 1 else Markup(""),
        places=places if len(places) > 1 else [],
        toc=toc if len(toc) >= 2 else [],
        tags=tags_of(parts),
        backlinks=site.backlinks.get(topic.url, ()),
        mentioned_in=site.mentioned_in.get(topic.url, ()),
        related=site.related.get(topic.url, ()),
        source=f"{note.rel}:{topic.first_line}" if not topic.is_whole_note else note.rel,
        edit_url=r.edit_url(note),
        prev_topic=prev_topic,
        next_topic=next_topic,
        tasks_done=sum(1 for t in counted if t.done),
        tasks_total=len(counted),
        dates=site.page_dates.get(topic.url),
        reading=_minutes(site, parts),
        page_description=summary(note, topic.token_start, topic.token_end) or r.cfg.description,
        og_type="article",
        explorer=trail(site, note.rel, topic.url),
    )


def _minutes(site: Site, parts: list[Topic]) -> int:
    """Minutes to read a topic's text (0: it has none)."""
    han = words = 0
    for p in parts:
        h, w = site.reading.get(p.key, (0, 0))
        han, words = han + h, words + w
    return reading_minutes(han, words) if han or words else 0


EMITTER = Emitter("topic", urls, describe)
