"""Notes -> Site: the topics and graph stages, kept between updates so an edit costs what it changes.

`GraphState().update(notes, files)` gives the Site of the notes; `mlnotes build` calls it
once, `mlnotes serve` again after every edit, with the new set of notes. Unchanged notes
are the same Note objects, so what changed is found by identity. The result is always
what a fresh GraphState would compute from the same notes (tests/test_incremental.py).

The steps, in order (each timed in `timings`; each later step needs the earlier ones):

    pages      which parts of each note are pages, their URLs and the link index
               - structural (notes came, went or moved, the vault's other files changed,
                 or a changed note's outline did, see `pages.outline`): URLs assigned
                 again, reusing the pages of unchanged notes; the LinkIndex built again
               - text only: the changed notes' pages renewed in place (same URLs and
                 heading ids), the LinkIndex patched
    links      every link of the notes that need it resolved once (links.resolve): the
               changed notes, and after a structural edit the notes whose links read an
               index entry that changed (indexdeps.py)
    views      backlinks, files to copy, tags and merged places (views.py)
    mentions   unlinked mentions and "Mentioned in", only for pages whose text changed or
               that name a name that came or went
    related    related-topic features of the pages that changed; rows marked stale are
               computed when read
    search     the search documents of the pages that changed, then the index files
               from every page's cached documents (search.py)
    language   the notes' language (Han characters against Latin words), recounted for
               the notes that changed (language.py)
    dates      each note's created and updated dates (front matter, git, file times), the
               topics updated last, and each topic's text counted for its reading time (dates.py)

Every view is one object with `update`; a full build is the same update with everything
changed.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import replace
from typing import Iterator, Mapping

from ..errors import Diagnostic
from ..model import FileTimes, Note, NotePage, Site, Target, Topic
from ..progress import peak_mib
from .dates import Dates, Reading
from .indexdeps import index_changes, pages_changed, recording
from .language import NotesLanguage
from .links import LinkIndex, NoteLinks, build_index, filled, has_text, link_index, mention_names, note_links
from .pages import NoteSplit, assign_pages, outline, renew_pages, shape, split_note
from .search import SearchIndex
from .views import Assets, Backlinks, MentionedIn, Mentions, PagesDelta, Places, Related, Tags

LinkChanges = dict[str, tuple[NoteLinks | None, NoteLinks | None]]


class GraphState:
    """The graph stage's memory: per-note results and every derived view."""

    def __init__(self, autolink: bool = True, dates: tuple[str, ...] = ("front_matter", "git", "file")) -> None:
        self.autolink = autolink
        self.site: Site | None = None
        self.files: frozenset[str] = frozenset()
        self.topic_diags: tuple[Diagnostic, ...] = ()
        self.splits: dict[str, tuple[Note, NoteSplit]] = {}
        self.links: dict[str, NoteLinks] = {}
        self.backlinks, self.assets, self.tags, self.places = Backlinks(), Assets(), Tags(), Places()
        self.mentions, self.mentioned, self.related = Mentions(autolink), MentionedIn(), Related()
        self.search = SearchIndex()
        self.language = NotesLanguage()
        self.dates, self.reading = Dates(dates), Reading()
        self.texts: dict[tuple[str, int, int], tuple[Note, bool]] = {}  # see _texty
        self.texts_kept = 1024
        self.timings: dict[str, float] = {}  # wall seconds per step of the last update
        self.cpu: dict[str, float] = {}  # process CPU seconds per step of the last update
        self.memory: dict[str, float] = {}  # peak resident MiB of the process at the end of each step
        self.structural = True  # what the last update did

    @contextmanager
    def _timed(self, step: str) -> Iterator[None]:
        t0, c0 = time.perf_counter(), time.process_time()
        yield
        self.timings[step] = time.perf_counter() - t0
        self.cpu[step] = time.process_time() - c0
        self.memory[step] = peak_mib()

    def update(
        self, notes: dict[str, Note], files: frozenset[str], times: Mapping[str, FileTimes] | None = None
    ) -> Site:
        """The Site of `notes` (in vault order), `files` (other files in the notes folder) and
        `times` (what each note's file and git history say of its dates)."""
        old = self.site
        with self._timed("pages"):
            delta, index, relink, pages = self._pages(old, notes, files)
        with self._timed("links"):
            changes = self._links(old, notes, delta, index, relink)
        with self._timed("views"):
            backlinks = self.backlinks.update(changes, self.links)
            assets = self.assets.update(changes)
            tags = self.tags.update(delta, frozenset(old.notes.keys() - notes.keys()) if old else frozenset())
            places = self.places.update(delta)
        with self._timed("mentions"):
            names = self._mention_names(old, notes, delta, index)
            mentions, mentions_changed = self.mentions.update(notes, delta, pages, names)
            mentioned_in = self.mentioned.update(delta, mentions_changed, mentions)
        with self._timed("related"):
            related = self.related.update(notes, delta, pages)
        with self._timed("search"):
            search = self.search.update(notes, delta.topics, delta.note_pages, pages)
        with self._timed("language"):
            language = self.language.update(notes, delta.changed)
        with self._timed("dates"):
            dates, page_dates, recent = self.dates.update(notes, delta, times or {})
            reading = self.reading.update(notes, delta)
        self.site = Site(
            notes=notes,
            topics=delta.topics,
            note_topics=delta.note_topics,
            note_pages=delta.note_pages,
            index=index,
            resolved={rel: self.links[rel].results for rel in notes},
            backlinks=backlinks,
            tags=tags,
            tag_urls=self.tags.urls,
            assets=assets,
            mentions=mentions,
            mentioned_in=mentioned_in,
            related=related,
            places=places,
            search=search,
            language=language,
            text_counts=(self.language.han, self.language.words),
            dates=dates,
            page_dates=page_dates,
            recent=recent,
            reading=reading,
            diagnostics=self.topic_diags
            + tuple(d for rel in notes for d in self.splits[rel][1].diagnostics)
            + tuple(d for rel in notes for d in self.links[rel].diagnostics),
        )
        return self.site

    def _pages(
        self, old: Site | None, notes: dict[str, Note], files: frozenset[str]
    ) -> tuple[PagesDelta, LinkIndex, list[str], set[str] | None]:
        """Pages and URLs of the new notes, the LinkIndex, the notes whose links must resolve
        again and the URLs of the pages showing notes that changed (None: all)."""
        changed = [rel for rel, note in notes.items() if old is None or old.notes.get(rel) is not note]
        old_splits = self.splits
        self.splits = {rel: old_splits[rel] for rel in notes if rel in old_splits}
        for rel in changed:
            self.splits[rel] = (notes[rel], split_note(notes[rel]))
        splits = {rel: split for rel, (_, split) in self.splits.items()}
        self.structural = self._is_structural(old, notes, files != self.files, splits, old_splits, changed)
        affected: set[str] | None
        if self.structural:
            same = set(notes) - set(changed) if old is not None else set()  # notes that did not change
            keep = {k: t for k, t in old.topics.items() if t.note_rel in same} if old is not None else None
            keep_pages = {rel: p for rel, p in old.note_pages.items() if rel in same} if old is not None else None
            topics, note_topics, note_pages, diags = assign_pages(list(notes.values()), splits, keep, keep_pages)
            self.topic_diags = tuple(diags)
            index = build_index(notes, topics, note_topics, note_pages, files)
            relink, affected = self._relink(old, notes, topics, note_topics, note_pages, index, changed, files)
        else:
            assert old is not None
            topics, note_pages, index = self._renew(old, notes, splits, changed)
            note_topics = old.note_topics
            relink, affected = changed, set(changed)
        pages = None if affected is None else self._pages_of(affected, old, topics, note_topics, note_pages)
        self.files = files
        delta = PagesDelta(
            topics,
            note_topics,
            note_pages,
            self.structural,
            frozenset(changed),
            None if affected is None else frozenset(affected),
            first=old is None,
        )
        return delta, index, relink, pages

    def _links(
        self, old: Site | None, notes: dict[str, Note], delta: PagesDelta, index: LinkIndex, relink: list[str]
    ) -> LinkChanges:
        """Resolve the links of the notes in `relink`; each note's links before and now."""
        changes: LinkChanges = {}
        for rel in relink:
            read: set = set()
            pages = [delta.topics[k] for k in delta.note_topics[rel]]
            found = note_links(recording(index, read), notes[rel], pages, delta.note_pages.get(rel))
            changes[rel] = (self.links.get(rel), found)
            self.links[rel] = replace(found, deps=frozenset(read))
        for rel in [r for r in self.links if r not in notes]:
            changes[rel] = (self.links.pop(rel), None)
        return changes

    def _mention_names(
        self, old: Site | None, notes: dict[str, Note], delta: PagesDelta, index: LinkIndex
    ) -> list[tuple[str, Target, str]] | None:
        """Every name a mention can use, when names may have come or gone (else None)."""
        if not (
            self.structural or self._targets_moved(old, notes, delta.topics, delta.note_topics, list(delta.changed))
        ):
            return None
        names = mention_names(index, delta.topics, self._texty)
        if len(self.texts) > 2 * self.texts_kept:  # forget the answers about old versions
            self.texts = {k: v for k, v in self.texts.items() if notes.get(k[0]) is v[0]}
            self.texts_kept = len(self.texts)
        return names

    def _is_structural(
        self,
        old: Site | None,
        notes: dict[str, Note],
        files_changed: bool,
        splits: dict[str, NoteSplit],
        old_splits: dict[str, tuple[Note, NoteSplit]],
        changed: list[str],
    ) -> bool:
        if old is None or files_changed or list(notes) != list(old.notes):
            return True
        problems = {d.path for d in self.topic_diags}  # a permalink clash: decided globally
        for rel in changed:
            before, after = old.notes[rel], notes[rel]
            if (
                rel in problems
                or outline(before) != outline(after)
                or shape(before, old_splits[rel][1]) != shape(after, splits[rel])
            ):
                return True
        return False

    def _texty(self, note: Note, start: int, end: int) -> bool:
        """graph.has_text, remembered per note version (mention_names asks for every page and
        section of the vault on each structural update)."""
        found = self.texts.get((note.rel, start, end))
        if found is None or found[0] is not note:
            found = self.texts[(note.rel, start, end)] = (note, has_text(note.tokens, start, end))
        return found[1]

    def _relink(
        self,
        old: Site | None,
        notes: dict[str, Note],
        topics: dict[str, Topic],
        note_topics: dict[str, tuple[str, ...]],
        note_pages: dict[str, NotePage],
        index: LinkIndex,
        changed: list[str],
        files: frozenset[str],
    ) -> tuple[list[str], set[str] | None]:
        """The notes whose links must resolve again after a structural edit: the changed
        ones, those shown on other pages now, and those whose links read an index entry
        that changed (see indexdeps.py); and the notes whose names or pages changed (None:
        everything may have, when the vault's other files changed)."""
        if old is None or files != self.files:
            return list(notes), None
        now = Site(
            notes=notes,
            topics=topics,
            note_topics=note_topics,
            note_pages=note_pages,
            index=index,
            resolved={},
            backlinks={},
            tags={},
            tag_urls={},
            assets={},
        )
        affected = (
            set(changed) | (old.notes.keys() ^ notes.keys()) | {rel for rel in notes if pages_changed(old, now, rel)}
        )
        delta = index_changes(old, now, affected)
        return [
            rel
            for rel in notes
            if rel in affected or rel not in self.links or not self.links[rel].deps.isdisjoint(delta)
        ], affected

    @staticmethod
    def _pages_of(
        rels: set[str],
        old: Site | None,
        topics: dict[str, Topic],
        note_topics: dict[str, tuple[str, ...]],
        note_pages: dict[str, NotePage],
    ) -> set[str]:
        """The URLs of the pages notes `rels` are shown on, before and now."""
        urls: set[str] = set()
        for keys, all_topics, pages in (
            (note_topics, topics, note_pages),
            (old.note_topics, old.topics, old.note_pages) if old else ({}, {}, {}),
        ):
            for rel in rels:
                urls.update(all_topics[k].url for k in keys.get(rel, ()))
                if rel in pages:
                    urls.add(pages[rel].url)
        return urls

    def _renew(
        self, old: Site, notes: dict[str, Note], splits: dict[str, NoteSplit], changed: list[str]
    ) -> tuple[dict[str, Topic], dict[str, NotePage], LinkIndex]:
        """Pages and LinkIndex for new versions of notes whose outlines did not change."""
        topics, note_pages = dict(old.topics), dict(old.note_pages)
        old_index = link_index(old)
        heading_at = dict(old_index.heading_at)
        for rel in changed:
            new_topics, page = renew_pages(
                notes[rel], splits[rel], [old.topics[k] for k in old.note_topics[rel]], old.note_pages.get(rel)
            )
            topics.update((t.key, t) for t in new_topics)
            if page is not None:
                note_pages[rel] = page
            moved = {}
            for before, after in zip(
                old.notes[rel].headings, notes[rel].headings, strict=True
            ):  # the same headings, maybe at new token indices
                target = heading_at.pop((rel, before.token_index), None)
                if target is not None:
                    moved[(rel, after.token_index)] = target
            heading_at.update(moved)
        return topics, note_pages, replace(old_index, notes=notes, heading_at=heading_at)

    def _targets_moved(
        self,
        old: Site | None,
        notes: dict[str, Note],
        topics: dict[str, Topic],
        note_topics: dict[str, tuple[str, ...]],
        changed: list[str],
    ) -> bool:
        """Whether a text-only edit emptied or filled a page or section (a mention target)."""
        assert old is not None
        return any(
            filled(old.notes[rel], [old.topics[k] for k in note_topics[rel]])
            != filled(notes[rel], [topics[k] for k in note_topics[rel]])
            for rel in changed
        )


def build_graph(
    notes: dict[str, Note],
    files: frozenset[str] = frozenset(),
    autolink: bool = True,
    times: Mapping[str, FileTimes] | None = None,
) -> Site:
    """The Site of `notes` in one go (a build that keeps nothing)."""
    return GraphState(autolink).update(notes, files, times)
