"""Site -> Tracker: every checklist item and open question of the vault, on one page.

Built once from the finished Site (it needs every page's URL and tags), in one pass
over the notes' tasks: nothing here grows faster than the number of tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Site, Task
from ..paths import fold
from .links import page_lookup

RECENT = 30  # how many recently completed items the page lists


@dataclass(frozen=True)
class TrackedTask:
    """A task with the page it is shown on."""

    task: Task
    note_rel: str
    page_url: str
    page_title: str
    tags: tuple[str, ...]

    @property
    def href(self) -> str:
        """Root-relative URL of the item's anchor on its page."""
        return f"{self.page_url}#{self.task.id}"


@dataclass(frozen=True)
class Place:
    """One place a question is written."""

    note_rel: str
    line: int
    url: str  # with the anchor
    page_title: str


@dataclass(frozen=True)
class QuestionGroup:
    """One open question and every place it is written (the same text twice is one question)."""

    text: str
    places: tuple[Place, ...]


@dataclass(frozen=True)
class Count:
    """Progress of a page or a note: done of total (cancelled items are not counted)."""

    url: str
    title: str
    done: int
    total: int


@dataclass(frozen=True)
class Tracker:
    """Everything the tracker page and `mlnotes todo` show."""

    tasks: tuple[TrackedTask, ...]
    pages: tuple[tuple[Count, tuple[TrackedTask, ...]], ...]  # per page, in vault order
    notes: tuple[Count, ...]
    questions: tuple[QuestionGroup, ...]
    recent: tuple[TrackedTask, ...]  # done, newest date first
    due: tuple[TrackedTask, ...]  # not done, with a due date, soonest first

    @property
    def done(self) -> int:
        return sum(1 for t in self.tasks if t.task.status == "done")

    @property
    def total(self) -> int:
        return sum(1 for t in self.tasks if t.task.status != "cancelled")

    def by_status(self, status: str) -> int:
        """How many tasks have this status."""
        return sum(1 for t in self.tasks if t.task.status == status)


def _count(url: str, title: str, tasks: list[TrackedTask]) -> Count:
    counted = [t for t in tasks if t.task.status != "cancelled"]
    return Count(url, title, sum(1 for t in counted if t.task.status == "done"), len(counted))


def build_tracker(site: Site) -> Tracker:
    """Collect tasks and questions of every published note, in vault order."""
    page_tags: dict[str, tuple[str, ...]] = {}
    for t in site.topics.values():  # a merged topic's page carries the tags of every place
        page_tags[t.url] = tuple(dict.fromkeys(page_tags.get(t.url, ()) + t.tags))
    page_tags.update({p.url: p.tags for p in site.note_pages.values()})
    tracked: list[TrackedTask] = []
    by_page: dict[str, list[TrackedTask]] = {}
    titles: dict[str, str] = {}
    notes: list[Count] = []
    questions: dict[str, list[Place]] = {}
    question_text: dict[str, str] = {}
    for rel in site.note_topics:
        note = site.notes[rel]
        page_at = page_lookup(site, rel)
        note_tasks = []
        for task in note.tasks:
            url, title = page_at(task.line)
            item = TrackedTask(task, rel, url, title, page_tags.get(url, ()))
            note_tasks.append(item)
            by_page.setdefault(url, []).append(item)
            titles[url] = title
        tracked += note_tasks
        if note_tasks:
            notes.append(_count(site.note_url(rel), site.index.note_title[rel], note_tasks))
        for q in note.questions:
            if q.heading_index is not None:
                target = site.index.heading_at.get((rel, q.heading_index))
                if target is None:
                    continue
                place = Place(rel, q.line, target.href, target.title)
            else:
                url, title = page_at(q.line)
                place = Place(rel, q.line, f"{url}#{q.task_id}", title)
            key = fold(q.text)
            question_text.setdefault(key, q.text)
            questions.setdefault(key, []).append(place)
    recent = sorted(
        (t for t in tracked if t.task.status == "done" and t.task.date), key=lambda t: t.task.date or "", reverse=True
    )
    due = sorted(
        (t for t in tracked if t.task.status not in ("done", "cancelled") and t.task.due),
        key=lambda t: t.task.due or "",
    )
    return Tracker(
        tasks=tuple(tracked),
        pages=tuple((_count(url, titles[url], items), tuple(items)) for url, items in by_page.items()),
        notes=tuple(notes),
        questions=tuple(QuestionGroup(question_text[k], tuple(places)) for k, places in questions.items()),
        recent=tuple(recent[:RECENT]),
        due=tuple(due),
    )
