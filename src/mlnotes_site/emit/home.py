"""The home page: counts, all tags, and every topic grouped by note.

A note whose permalink is `/` is the home page instead (Jekyll's and Obsidian Publish's home
note): then this list is at `/topics/` (and `/topics/2/`, …), where every page's "Topics"
link points (`PageSpec.topic_index`).

A vault with more than `home_page_topics` topics lists them on several pages: the home page
holds the first (whole note groups, in vault order, until the budget is reached; a group is
never split), and `/topics/2/`, `/topics/3/`, … the rest, each with a pager. So no page of
the list grows with the vault (at 10,000 notes the one list was 3.2 MB).
"""

from __future__ import annotations

from typing import Any

from .. import urls
from ..config import SiteConfig
from ..model import Site
from .recent import HOME_RECENT, entries
from .render import Emitter, PageSpec, Renderer, What, pager


def layout(site: Site, budget: int) -> tuple[tuple[int, int], ...]:
    """[start, end) of the note groups (`site.note_topics` in order) on each page of the list:
    whole groups, a page closed once it holds `budget` topics or more; at least one page."""
    pages: list[tuple[int, int]] = []
    start = count = 0
    for i, keys in enumerate(site.note_topics.values()):
        if count and count + len(keys) > budget:
            pages.append((start, i))
            start, count = i, 0
        count += len(keys)
    pages.append((start, len(site.note_topics)))
    return tuple(pages)


def page_urls(site: Site, made: dict, cfg: SiteConfig) -> list[tuple[str, What]]:
    """The pages of the list: `/`, `/topics/2/`, …; `/topics/`, `/topics/2/`, … when a note is the home page."""
    pages = layout(site, cfg.home_page_topics)
    owned = site.home_note is not None
    return [(urls.topics_page(k, owned), (k, bounds, len(pages), owned)) for k, bounds in enumerate(pages, 1)]


def describe(r: Renderer, what: tuple[int, tuple[int, int], int, bool]) -> PageSpec:
    """Page `k` of the list of topics (page 1 is the home page, unless a note is)."""
    k, (start, end), count, owned = what
    site = r.site
    groups = []
    for rel in list(site.note_topics)[start:end]:
        note_page = site.note_pages.get(rel)
        groups.append(
            {
                "rel": rel,
                "page": note_page,
                "title": note_page.title if note_page else None,
                "topics": [site.topics[key] for key in site.note_topics[rel]],
            }
        )
    paging = pager(k, count, lambda n: urls.topics_page(n, owned)) if count > 1 else None
    context: dict[str, Any] = {"groups": groups, "pager": paging, "counts": None, "tags": [], "recent": []}
    if k == 1:
        tracker = r.tracker
        context["counts"] = {
            "notes": len(site.note_topics),
            "topics": site.topic_count,
            "tags": len(site.tags),
            "tasks": len(tracker.tasks),
            "open": tracker.by_status("open"),
            "questions": len(tracker.questions),
            "han": site.text_counts[0],
            "words": site.text_counts[1],
            "han_text": f"{site.text_counts[0]:,}",
            "words_text": f"{site.text_counts[1]:,}",
        }
        context["recent"] = entries(site, HOME_RECENT)
        context["tags"] = [(name, len(keys)) for name, keys in site.tags.items()]
        title = r.messages.t("nav.topics") if owned else r.cfg.title
        return r.spec("home.html", urls.topics_page(1, owned), title, **context)
    return r.spec(
        "home.html", urls.topics_page(k, owned), r.messages.t("home.title_paged", n=k, count=count), **context
    )


EMITTER = Emitter("home", page_urls, describe)
