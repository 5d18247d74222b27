"""Dates and reading counts, two derived views of the graph stage.

`Dates`: note rel -> NoteDates, and the topics updated last. Each note's dates come from
its sources in the configured order (config `dates`, default front matter, git, file): the
first source that knows a date gives it, for `created` and `updated` separately.

    front_matter   `date`/`created` and `updated`/`lastmod`/`modified`/`last_modified_at`
    git            the note's first commit, and its last commit that changed it; a note
                   edited since its last commit is not dated by that commit (the file is)
    file           the file's modification time, for both

A collection's topics (a note of several) whose note git dates take the dates of their own
lines instead (load/history.py: each line's last commit), within the note's.

A note with only one of its dates gets it for both; when `updated` is before `created`, the
date from the source tried first stands for both (front matter `updated: 2023-06-01` on a
file made today: both are 2023-06-01). Update: O(pages of the notes whose front matter,
file times or pages changed), and O(topics) to choose the last 100 when a date did.

`Reading`: topic key -> (Han characters, Latin words) of its text, for reading time.
Update: O(text of the notes whose pages changed).
"""

from __future__ import annotations

import heapq
from typing import Mapping

from ..i18n import text_counts
from ..model import FileTimes, Note, NoteDates, Stamp
from .views import PagesDelta

RECENT = 100  # topics kept in `Dates.recent`: /recent/ lists them, the feed and the home page fewer

_NONE = FileTimes()


def note_dates(note: Note, times: FileTimes, sources: tuple[str, ...]) -> NoteDates | None:
    """A note's dates from its front matter and file times (None: no source knows one)."""
    created: tuple[Stamp, str] | None = None
    updated: tuple[Stamp, str] | None = None
    for source in sources:
        if source == "front_matter":
            c, u = note.created, note.updated
        elif source == "git":
            c, u = times.git_created, times.git_updated if times.committed else None
        else:
            c = u = times.modified
        if created is None and c is not None:
            created = (c, source)
        if updated is None and u is not None:
            updated = (u, source)
    if updated is None and times.git_updated is not None and "git" in sources:
        updated = (times.git_updated, "git")  # edited since, but the file's time is not a source
    if created is None and updated is None:
        return None
    created = created or updated
    updated = updated or created
    assert created is not None and updated is not None
    if updated[0] < created[0]:  # the sources disagree: the one tried first wins
        if sources.index(created[1]) <= sources.index(updated[1]):
            updated = created
        else:
            created = updated
    return NoteDates(created[0], updated[0], _name(created[1]), _name(updated[1]))


def _name(source: str) -> str:
    return source.replace("_", " ")


class Dates:
    """Note rel -> its NoteDates; page URL -> its dates (`pages`: a note's pages take its
    dates, a collection's topics those of their own lines); the keys of the topics updated
    last (`recent`)."""

    def __init__(self, sources: tuple[str, ...]) -> None:
        self.sources = sources
        self.inputs: dict[str, tuple[Note, FileTimes]] = {}
        self.value: dict[str, NoteDates] = {}
        self.by_note: dict[str, dict[str, NoteDates]] = {}  # note rel -> its pages' dates
        self.pages: dict[str, NoteDates] = {}
        self.recent: tuple[str, ...] = ()
        self.recent_urls: set[str] = set()
        self.pages_floor = 0.0  # the updated date of the last of a full recent list

    def update(
        self, notes: Mapping[str, Note], delta: PagesDelta, times: Mapping[str, FileTimes]
    ) -> tuple[dict[str, NoteDates], dict[str, NoteDates], tuple[str, ...]]:
        redo: set[str] = set(delta.changed) if delta.affected is None else set(delta.affected | delta.changed)
        if delta.affected is None:
            redo |= set(notes)
        redo |= self._note_dates(notes, times)
        before, after = self._page_dates(notes, delta, redo)
        if delta.structural or self._may_enter(before, after):
            recent = self._recent(delta)
            if recent != self.recent:
                self.recent = recent
            self.recent_urls = {delta.topics[k].url for k in recent}
        return self.value, self.pages, self.recent

    def _note_dates(self, notes: Mapping[str, Note], times: Mapping[str, FileTimes]) -> set[str]:
        """Each note's dates again where its note or file times changed; those notes (and the gone)."""
        redo: set[str] = set()
        value = None
        for rel in [r for r in self.inputs if r not in notes]:
            del self.inputs[rel]
            redo.add(rel)
            if rel in self.value:
                value = value if value is not None else dict(self.value)
                del value[rel]
        for rel, note in notes.items():
            now = (note, times.get(rel, _NONE))
            was = self.inputs.get(rel)
            if was is not None and was[0] is now[0] and was[1] == now[1]:
                continue
            self.inputs[rel] = now
            redo.add(rel)
            found = note_dates(note, now[1], self.sources)
            if found != self.value.get(rel):
                value = value if value is not None else dict(self.value)
                if found is None:
                    del value[rel]
                else:
                    value[rel] = found
        if value is not None:
            self.value = value
        return redo

    def _page_dates(
        self, notes: Mapping[str, Note], delta: PagesDelta, redo: set[str]
    ) -> tuple[dict[str, NoteDates], dict[str, NoteDates]]:
        """The dates of the pages of notes `redo` again; (pages changed -> dates before, after)."""
        before: dict[str, NoteDates] = {}
        after: dict[str, NoteDates] = {}
        for rel in redo:
            pages = self._pages_of(rel, delta) if rel in notes else {}
            had = self.by_note.get(rel, {})
            if pages != had:
                before.update(had)
                after.update(pages)
                if pages:
                    self.by_note[rel] = pages
                else:
                    self.by_note.pop(rel, None)
        if before or after:
            merged = dict(self.pages)
            for url in before:
                merged.pop(url, None)
            merged.update(after)
            self.pages = merged
        return before, after

    def _may_enter(self, before: Mapping[str, NoteDates], after: Mapping[str, NoteDates]) -> bool:
        """Whether pages whose dates changed may change the recent list: one of them is in
        it, or is now newer than its last (a text edit elsewhere in a big vault: neither)."""
        if not before and not after:
            return False
        if len(self.recent) < RECENT:
            return True
        floor = self.pages_floor
        return any(url in self.recent_urls for url in before) or any(
            d.updated.epoch >= floor for d in after.values()
        )

    def _pages_of(self, rel: str, delta: PagesDelta) -> dict[str, NoteDates]:
        """The dates of note `rel`'s pages: its own page's are the note's; a topic's are its
        lines' when git dates the note and knows them (else the note's)."""
        dates = self.value.get(rel)
        if dates is None:
            return {}
        found: dict[str, NoteDates] = {}
        page = delta.note_pages.get(rel)
        if page is not None:
            found[page.url] = dates
        times = self.inputs[rel][1]
        keys = delta.note_topics.get(rel, ())
        for key in keys:
            topic = delta.topics[key]
            if topic.place_id:
                continue
            found[topic.url] = dates
            if times.lines is not None and len(keys) > 1:
                found[topic.url] = _own_dates(dates, times.lines.span(topic.first_line, topic.last_line))
        return found

    def _recent(self, delta: PagesDelta) -> tuple[str, ...]:
        """The keys of the RECENT topics updated last, newest first; ties in vault order."""
        dated = (
            (self.pages[topic.url].updated.epoch, topic.key)
            for topic in delta.topics.values()
            if not topic.place_id and topic.url in self.pages
        )
        # nlargest is a stable sort's first n: equal dates keep vault order
        found = heapq.nlargest(RECENT, dated, key=lambda pair: pair[0])
        self.pages_floor = found[-1][0] if found else 0.0
        return tuple(key for _, key in found)


def _own_dates(note: NoteDates, span: tuple[Stamp | None, Stamp | None]) -> NoteDates:
    """A topic's dates from its lines' (`span`), where git gave its note's, within them."""
    oldest, newest = span
    created, updated = note.created, note.updated
    if note.created_from == "git" and oldest is not None:
        created = min(max(oldest, note.created), note.updated)
    if note.updated_from == "git" and newest is not None:
        updated = max(min(newest, note.updated), created)
    return NoteDates(created, updated, note.created_from, note.updated_from)


class Reading:
    """Topic key -> (Han characters, Latin words) of the topic's text (i18n.text_counts)."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, ...]] = {}  # note rel -> its topics' keys, as counted
        self.value: dict[str, tuple[int, int]] = {}

    def update(self, notes: Mapping[str, Note], delta: PagesDelta) -> dict[str, tuple[int, int]]:
        rels = (
            set(notes) | set(self.keys) if delta.affected is None else set(delta.affected | delta.changed)
        )
        if not rels:
            return self.value
        value = dict(self.value)
        for rel in rels:  # first every key they had (a key may have moved to another of them)
            for key in self.keys.pop(rel, ()):
                value.pop(key, None)
        for rel in rels:
            note = notes.get(rel)
            if note is None:
                continue
            keys = delta.note_topics.get(rel, ())
            for key in keys:
                topic = delta.topics[key]
                value[key] = text_counts(note.tokens[topic.token_start : topic.token_end])
            self.keys[rel] = keys
        if value != self.value:
            self.value = value
        return self.value
