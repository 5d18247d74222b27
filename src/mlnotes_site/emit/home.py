"""The home page: every topic grouped by note, counts and all tags."""

from __future__ import annotations

from .. import urls
from .render import Emitter, PageSpec, Renderer, one


def describe(r: Renderer, what: None) -> PageSpec:
    """The home page."""
    site, tracker = r.site, r.tracker
    groups = []
    for rel, keys in site.note_topics.items():
        note_page = site.note_pages.get(rel)
        groups.append(
            {
                "rel": rel,
                "page": note_page,
                "title": note_page.title if note_page else None,
                "topics": [site.topics[k] for k in keys],
            }
        )
    return r.spec(
        "home.html",
        urls.HOME,
        r.cfg.title,
        groups=groups,
        counts={
            "notes": len(site.note_topics),
            "topics": len(site.topics),
            "tags": len(site.tags),
            "tasks": len(tracker.tasks),
            "open": tracker.by_status("open"),
            "questions": len(tracker.questions),
        },
        tags=[(name, len(keys)) for name, keys in site.tags.items()],
    )


EMITTER = Emitter("home", one(urls.HOME), describe)
