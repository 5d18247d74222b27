"""The TODO tracker: totals, progress per page and note, the item tree, questions.

A vault with at most `tracker_page_items` checklist items has one page, `/tasks/`. A bigger
one is paged (graph/tracker.py `paginate`: whole topic groups, in vault order) into
`/tasks/`, `/tasks/2/`, … with a pager; page 1 keeps the totals, the due list, the open
questions and the recently completed items, "Progress by note" moves to `/tasks/notes/`
(and `/tasks/notes/2/`, … when it has more than NOTE_ROWS × tracker_page_items rows),
and `/tasks/topics.js` lists every topic with its page for the Topic filter (tasks.js).
"""

from __future__ import annotations

from typing import Any

from .. import urls
from ..config import TRACKER_PAGE_ITEMS
from ..graph.tracker import STATUSES, Layout, Tracker, build_tracker, page_of_group, paginate
from ..model import Site
from ..paths import safe_json
from .render import Emitter, PageSpec, Renderer, What, pager

NOTE_ROWS = 4  # rows of "Progress by note" a page of a paged tracker shows, times tracker_page_items


def page_urls(site: Site, budget: int = TRACKER_PAGE_ITEMS) -> list[tuple[str, What]]:
    """The tracker's URLs for `budget` items a page (see `urls_of`)."""
    tracker = build_tracker(site)
    return urls_of(paginate(tracker, budget), note_pages(len(tracker.notes), budget))


def note_pages(notes: int, budget: int) -> tuple[tuple[int, int], ...]:
    """Rows [start, end) of "Progress by note" per page, for `notes` rows (at least one page)."""
    rows = NOTE_ROWS * budget
    return tuple((i, min(i + rows, notes)) for i in range(0, max(notes, 1), rows))


def urls_of(layout: Layout, notes: tuple[tuple[int, int], ...]) -> list[tuple[str, What]]:
    """The tracker's URLs, page 1 first: page k's `what` is ("page", k, its slices, number of
    pages); a paged tracker's progress-by-note pages ("notes", k, (start, end, number of them),
    number of pages) and topics.js follow."""
    n = len(layout)
    found: list[tuple[str, What]] = [(urls.tracker_page(k), ("page", k, page, n)) for k, page in enumerate(layout, 1)]
    if n > 1:
        m = len(notes)
        found += [(urls.tracker_notes(k), ("notes", k, (*rows, m), n)) for k, rows in enumerate(notes, 1)]
        found.append((urls.TRACKER_TOPICS, ("topics", 0, (), n)))
    return found


def layout(r: Renderer) -> tuple:
    """How the renderer's tracker is paged now (`table_layout` of a table made for it)."""
    tracker, budget = r.tracker, r.cfg.tracker_page_items
    return tuple(what[2] for _, what in urls_of(paginate(tracker, budget), note_pages(len(tracker.notes), budget)))


def table_layout(table: dict[str, tuple[str, Any]]) -> tuple:
    """How the tracker was paged when the page table was made (`layout` to compare with)."""
    return tuple(what[2] for kind, what in table.values() if kind == "tracker")


def _statuses(tracker: Tracker) -> list[tuple[str, int]]:
    counts = [(s, tracker.by_status(s)) for s in STATUSES]
    return [(s, n) for s, n in counts if n or s in ("open", "done")]


def _tags(tracker: Tracker) -> list[str]:
    return sorted({tag for t in tracker.tasks for tag in t.tags}, key=str.casefold)


def _totals(r: Renderer) -> tuple[list[tuple[str, int]], list[str]]:
    """The item count of each status and every item's tags, the same on every page of the
    tracker: each is a scan of all items, so they are made once per Renderer (at 10,000
    notes, once a page for ~70 pages took 8 CPU-s)."""
    return r.once("tracker.totals", lambda: (_statuses(r.tracker), _tags(r.tracker)))


def describe_page(r: Renderer, k: int, slices: tuple, count: int) -> PageSpec:
    """Tracker page `k` (from 1) of `count`, showing `slices` of the Tracker's groups."""
    tracker = r.tracker
    url = urls.tracker_page(k)
    paged = count > 1
    groups = []
    html: dict[str, Any] = {}
    for part in slices:
        c, all_items = tracker.pages[part.group]
        items = all_items[part.start : part.end]
        for t in items:
            html[t.task.id + t.note_rel] = r.inline(t, url)
        nodes: dict[str, dict[str, Any]] = {
            t.task.id: {"item": t, "html": html[t.task.id + t.note_rel], "children": []} for t in items
        }
        roots: list[dict[str, Any]] = []
        for t in items:
            parent = nodes.get(t.task.parent) if t.task.parent else None
            (parent["children"] if parent else roots).append(nodes[t.task.id])
        groups.append(
            {
                "count": c,
                "roots": roots,
                "tags": sorted({tag for t in items for tag in t.tags}),
                "part": part.part,
                "parts": part.parts,
            }
        )
    if k == 1:
        for t in tracker.recent:  # the recently completed list shows their text too
            key = t.task.id + t.note_rel
            if key not in html:
                html[key] = r.inline(t, url)
    statuses, tags = _totals(r)
    words = r.messages
    title = words.t("tracker.title") if k == 1 else words.t("tracker.title_paged", n=k, count=count)
    return r.spec(
        "tasks.html",
        url,
        title,
        tracker=tracker,
        groups=groups,
        html=html,
        tags=tags,
        statuses=statuses,
        pager=pager(k, count, urls.tracker_page) if paged else None,
        view="page",
    )


def describe_notes(r: Renderer, k: int, rows: tuple[int, int, int], count: int) -> PageSpec:
    """Page `k` of "Progress by note" of a paged tracker: rows [start, end) of `m` pages."""
    tracker = r.tracker
    start, end, m = rows
    words = r.messages
    title = words.t("tracker.by_note_title_paged", n=k, count=m) if m > 1 else words.t("tracker.by_note_title")
    return r.spec(
        "tasks.html",
        urls.tracker_notes(k),
        title,
        tracker=tracker,
        groups=[],
        html={},
        tags=[],
        statuses=_totals(r)[0],
        pager=pager(0, count, urls.tracker_page),
        notes=tracker.notes[start:end],
        notes_pager=pager(k, m, urls.tracker_notes) if m > 1 else None,
        view="notes",
    )


def describe_topics(r: Renderer) -> PageSpec:
    """`/tasks/topics.js`: every topic group of a paged tracker and its page, for tasks.js."""
    tracker = r.tracker
    pages = page_of_group(paginate(tracker, r.cfg.tracker_page_items))
    rows = [[c.url, c.title, pages[g]] for g, (c, _) in enumerate(tracker.pages)]
    text = "window.mlnotesTaskTopics = " + safe_json(rows, compact=True) + ";\n"
    return PageSpec(urls.TRACKER_TOPICS, "", "", {"text": text}, make=lambda: text)


def describe(r: Renderer, what: tuple[str, int, tuple, int]) -> PageSpec:
    """One page of the tracker (see the module's docstring), built from the Site's Tracker."""
    kind, k, slices, count = what
    if kind == "notes":
        return describe_notes(r, k, slices, count)
    if kind == "topics":
        return describe_topics(r)
    return describe_page(r, k, slices, count)


EMITTER = Emitter("tracker", lambda site, made, cfg: page_urls(site, cfg.tracker_page_items), describe)
