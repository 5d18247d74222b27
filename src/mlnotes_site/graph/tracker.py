"""Site -> Tracker: every checklist item and open question of the vault, and how the
tracker pages share them out (`paginate`).

Built once from the finished Site (it needs every page's URL and tags), in one pass
over the notes' tasks: nothing here grows faster than the number of tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Site, Task
from ..paths import fold
from .links import page_lookup

RECENT = 30  # how many recently completed items the page lists


# every status a checklist item can have, in the order the tracker and `mlnotes todo` name them
STATUSES = ("open", "done", "in-progress", "cancelled", "question", "other")


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


@dataclass(frozen=True)
class Slice:
    """Items [start, end) of group `group` (an index into Tracker.pages) as shown on one
    tracker page: the whole group, or part `part` of `parts` of one bigger than a page."""

    group: int
    start: int
    end: int
    part: int = 1
    parts: int = 1


Layout = tuple[tuple[Slice, ...], ...]  # per tracker page (from page 1), its slices in vault order


def _split(g: int, items: tuple[TrackedTask, ...], budget: int) -> list[Slice]:
    """A group bigger than `budget` in parts of about `budget` items, cut before a top-level
    item (one whose parent is not in the group) so a subtree stays whole, unless a subtree
    alone reaches twice the budget."""
    ids = {(t.note_rel, t.task.id) for t in items}
    cuts = [0]
    for i, t in enumerate(items):
        top = not t.task.parent or (t.note_rel, t.task.parent) not in ids
        if i - cuts[-1] >= 2 * budget or (i - cuts[-1] >= budget and top):
            cuts.append(i)
    cuts.append(len(items))
    n = len(cuts) - 1
    return [Slice(g, cuts[k], cuts[k + 1], k + 1, n) for k in range(n)]


def paginate(tracker: Tracker, budget: int) -> Layout:
    """The tracker's groups (one per topic page, in vault order) on pages of at most about
    `budget` items: a group is never split unless alone it holds more than `budget` (then it
    is cut into parts, see `_split`). Always at least one page; a vault of at most `budget`
    items has exactly one, holding every group."""
    if budget < 1:
        raise ValueError(f"a tracker page holds at least one item, got {budget}")
    pages: list[list[Slice]] = [[]]
    size = 0
    for g, (_, items) in enumerate(tracker.pages):
        for part in _split(g, items, budget) if len(items) > budget else [Slice(g, 0, len(items))]:
            n = part.end - part.start
            if pages[-1] and size + n > budget:
                pages.append([])
                size = 0
            pages[-1].append(part)
            size += n
    return tuple(tuple(page) for page in pages)


def page_of_group(layout: Layout) -> dict[int, int]:
    """Group index -> the number (from 1) of the tracker page showing it (its first part)."""
    found: dict[int, int] = {}
    for k, page in enumerate(layout, 1):
        for part in page:
            found.setdefault(part.group, k)
    return found
