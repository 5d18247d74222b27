"""The TODO tracker page: totals, progress per page and note, the item tree, questions."""

from __future__ import annotations

from typing import Any

from .. import urls
from .render import Emitter, PageSpec, Renderer, one

STATUSES = ("open", "done", "in-progress", "cancelled", "question", "other")


def describe(r: Renderer, what: None) -> PageSpec:
    """The tracker page, built from the Site's Tracker (graph/tracker.py)."""
    tracker = r.tracker
    html = {t.task.id + t.note_rel: r.inline(t, urls.TRACKER) for t in tracker.tasks}
    groups = []
    for count, items in tracker.pages:
        nodes: dict[str, dict[str, Any]] = {
            t.task.id: {"item": t, "html": html[t.task.id + t.note_rel], "children": []} for t in items
        }
        roots: list[dict[str, Any]] = []
        for t in items:
            parent = nodes.get(t.task.parent) if t.task.parent else None
            (parent["children"] if parent else roots).append(nodes[t.task.id])
        groups.append({"count": count, "roots": roots, "tags": sorted({tag for t in items for tag in t.tags})})
    tags = sorted({tag for t in tracker.tasks for tag in t.tags}, key=str.casefold)
    statuses = [(s, tracker.by_status(s)) for s in STATUSES]
    return r.spec(
        "tasks.html",
        urls.TRACKER,
        "TODO tracker",
        tracker=tracker,
        groups=groups,
        html=html,
        tags=tags,
        statuses=[(s, n) for s, n in statuses if n or s in ("open", "done")],
    )


EMITTER = Emitter("tracker", one(urls.TRACKER), describe)
