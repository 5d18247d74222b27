"""Notes -> Site: the topics and graph stages, kept between builds so an edit costs what it changes.

A build calls `SiteState().update(notes, files)` once. `mlnotes serve` keeps the SiteState
and calls `update` again with the new set of notes after every edit; unchanged notes are
the same Note objects, so what changed is found by identity. The result is always what a
fresh SiteState would compute from the same notes (tests/test_incremental.py checks it).

Two paths:
- **structural**: notes came, went or moved, the vault's other files changed, or a changed
  note's outline (titles, headings, aliases, permalink, …; see `topics.outline`) changed.
  URLs are assigned again, the LinkIndex is rebuilt and every note's links resolve again.
- **text only**: the changed notes' pages are renewed in place (same URLs, same heading
  ids), the LinkIndex is patched, and only those notes' links resolve again.
In both, mentions and related topics are updated per page (`MentionIndex`, `RelatedIndex`):
only pages whose text changed, or that name a name that came or went, are scanned again,
and only the related-topic rows an edit can change are marked stale, to be computed again
when a page reads them.
"""

from __future__ import annotations

import time
from dataclasses import replace

from ..errors import Diagnostic
from ..model import Backlink, Note, NotePage, Site, Topic
from .indexdeps import index_changes, pages_changed, recording
from .links import (
    LinkIndex,
    NoteLinks,
    build_index,
    collect_places,
    collect_tags,
    filled,
    has_text,
    mention_names,
    mentioned_in,
    merge_links,
    note_links,
    page_titles,
)
from .mentions import MentionIndex, mention_table, page_parts, page_text
from .pages import NoteSplit, assign_pages, outline, renew_pages, shape, split_note
from .related import Related, RelatedIndex, Rows, page_features

PagePart = tuple  # (note, first token, end token, …): what one place of a page is made of


def _same(a: tuple[PagePart, ...] | None, b: tuple[PagePart, ...] | None) -> bool:
    """Equal parts, comparing notes by identity (a re-read note is a new object)."""
    if a is None or b is None:
        return a is b
    return len(a) == len(b) and all(x[0] is y[0] and x[1:] == y[1:] for x, y in zip(a, b))


class SiteState:
    """The graph stage's memory: per-note results and the mention and related indexes."""

    def __init__(self, autolink: bool = True) -> None:
        self.autolink = autolink
        self.site: Site | None = None
        self.files: frozenset[str] = frozenset()
        self.topic_diags: tuple[Diagnostic, ...] = ()
        self.splits: dict[str, tuple[Note, NoteSplit]] = {}
        self.links: dict[str, NoteLinks] = {}
        self.mentions = MentionIndex()
        self.related = RelatedIndex()
        self.rows: dict[str, tuple[Related, ...]] = {}  # computed when read (see related.Rows)
        self.stale: set[str] = set()  # rows an edit may have changed
        self.mention_parts: dict[str, tuple[PagePart, ...]] = {}
        self.related_parts: dict[str, tuple[str, tuple[PagePart, ...]]] = {}
        self.order: dict[str, int] = {}  # note rel -> its place in the vault
        self.linkers: dict[str, set[str]] = {}  # page URL -> notes linking to it
        self.titles: dict[str, str] = {}  # page URL -> title
        self.mentioned: dict = {}  # page URL -> "Mentioned in" backlinks
        self.texts: dict[tuple[str, int, int], tuple[Note, bool]] = {}  # see _texty
        self.texts_kept = 1024
        self.table_memo: dict = {}  # see mentions.mention_table
        self.timings: dict[str, float] = {}
        self.structural = True  # what the last update did

    def _split(self, note: Note) -> NoteSplit:
        cached = self.splits.get(note.rel)
        if cached is None or cached[0] is not note:
            cached = self.splits[note.rel] = (note, split_note(note))
        return cached[1]

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

    def update(self, notes: dict[str, Note], files: frozenset[str]) -> Site:
        """The Site of `notes` (in vault order) and `files` (other files in the notes folder)."""
        t0 = time.perf_counter()
        old = self.site
        changed = [rel for rel, note in notes.items() if old is None or old.notes.get(rel) is not note]
        old_splits = self.splits
        self.splits = {rel: old_splits[rel] for rel in notes if rel in old_splits}
        for rel in changed:
            self.splits[rel] = (notes[rel], split_note(notes[rel]))
        splits = {rel: split for rel, (_, split) in self.splits.items()}
        self.structural = self._is_structural(old, notes, files != self.files, splits, old_splits, changed)
        if self.structural:
            same = set(notes) - set(changed) if old is not None else set()  # notes that did not change
            keep = {k: t for k, t in old.topics.items() if t.note_rel in same} if old is not None else None
            keep_pages = {rel: p for rel, p in old.note_pages.items() if rel in same} if old is not None else None
            topics, note_topics, note_pages, diags = assign_pages(list(notes.values()), splits, keep, keep_pages)
            self.topic_diags = tuple(diags)
            index = build_index(notes, topics, note_topics, note_pages, files)
            relink, affected = self._relink(old, notes, topics, note_topics, note_pages, index, changed, files)
            pages = None if affected is None else self._pages_of(affected, old, topics, note_topics, note_pages)
        else:
            assert old is not None
            topics, note_pages, index = self._renew(old, notes, splits, changed)
            note_topics = old.note_topics
            relink, affected = changed, set(changed)
            pages = self._pages_of(affected, None, topics, note_topics, note_pages)
        self.files = files
        self.timings["topics"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        before = {rel: self.links.get(rel) for rel in relink}
        for rel in relink:
            read: set = set()
            found = note_links(
                recording(index, read), notes[rel], [topics[k] for k in note_topics[rel]], note_pages.get(rel), files
            )
            self.links[rel] = replace(found, deps=frozenset(read))
        if self.structural:
            self.links = {rel: self.links[rel] for rel in notes}
            self.order = {rel: n for n, rel in enumerate(notes)}
            backlinks, assets = merge_links(list(self.links.values()))
            self._index_backlinks()
        else:
            backlinks, assets = self._patch_links(old, before)
        if self.structural or self._targets_moved(old, notes, topics, note_topics, changed):
            self.mentions.set_names(
                mention_table(mention_names(index, topics, self._texty), notes, self.autolink, self.table_memo)
            )
            if len(self.texts) > 2 * self.texts_kept:  # forget the answers about old versions
                self.texts = {k: v for k, v in self.texts.items() if notes.get(k[0]) is v[0]}
                self.texts_kept = len(self.texts)
        self._update_mentions(notes, topics, note_pages, pages)
        mentions = self.mentions.mentions()
        if self.structural:
            self.titles = page_titles(topics, note_pages)
            self.mentioned = mentioned_in(mentions, self.titles)
            self.mentions.take_changed()
        else:
            self._patch_mentioned()
        self._update_related(notes, topics, pages)
        site = Site(
            notes=notes,
            topics=topics,
            note_topics=note_topics,
            note_pages=note_pages,
            index=index,
            backlinks=backlinks,
            tags=collect_tags(topics, note_pages)
            if self._tags_moved(old, topics, note_topics, note_pages, changed, affected)
            else old.tags,
            assets=assets,
            mentions=mentions,
            mentioned_in=self.mentioned,
            related=Rows(self.related, self.rows, self.stale),
            places=collect_places(topics) if self._places_moved(old, topics, note_topics, affected) else old.places,
            diagnostics=self.topic_diags + tuple(d for rel in notes for d in self.links[rel].diagnostics),
        )
        self.site = site
        self.timings["graph"] = time.perf_counter() - t0
        return site

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
            backlinks={},
            tags={},
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
        urls = set()
        for keys, all_topics, pages in (
            (note_topics, topics, note_pages),
            (old.note_topics, old.topics, old.note_pages) if old else ({}, {}, {}),
        ):
            for rel in rels:
                urls.update(all_topics[k].url for k in keys.get(rel, ()))
                if rel in pages:
                    urls.add(pages[rel].url)
        return urls

    def _index_backlinks(self) -> None:
        """Which notes give each page its backlinks (for `_patch_links`)."""
        self.linkers: dict[str, set[str]] = {}
        for rel, found in self.links.items():
            for target, _ in found.backlinks:
                self.linkers.setdefault(target, set()).add(rel)

    def _patch_links(self, old: Site, before: dict[str, NoteLinks | None]) -> tuple[dict, dict[str, str]]:
        """Backlinks and files to copy after a text-only edit of the notes in `before`: only
        the pages those notes link to (before or now) get their backlinks again, merged in
        vault order exactly as `merge_links` does."""
        backlinks = dict(old.backlinks)
        targets: set[str] = set()
        for rel, was in before.items():
            now = self.links[rel]
            if was == now:
                continue
            for target, _ in was.backlinks if was else ():
                targets.add(target)
                self.linkers[target].discard(rel)
            for target, _ in now.backlinks:
                targets.add(target)
                self.linkers.setdefault(target, set()).add(rel)
        for target in targets:
            first: dict[str, Backlink] = {}
            for rel in sorted(self.linkers[target], key=self.order.__getitem__):
                for t, backlink in self.links[rel].backlinks:
                    if t == target:
                        first.setdefault(backlink.url, backlink)
            if first:
                backlinks[target] = tuple(sorted(first.values(), key=lambda b: (b.note_rel, b.line)))
            else:
                backlinks.pop(target, None)
                del self.linkers[target]
        moved = any(was is None or was.assets != self.links[rel].assets for rel, was in before.items())
        assets = (
            merge_links([NoteLinks(assets=found.assets) for found in self.links.values()])[1] if moved else old.assets
        )
        return backlinks, assets

    def _patch_mentioned(self) -> None:
        """ "Mentioned in" lists after a text-only edit: only the pages whose links changed
        are taken out of and put into their targets' lists (titles did not change)."""
        mentioned = dict(self.mentioned)
        targets: dict[str, dict[str, Backlink]] = {}
        for url, links in self.mentions.take_changed().items():
            for m in links:
                targets.setdefault(m.target.url, {b.url: b for b in mentioned.get(m.target.url, ())}).pop(url, None)
            for m in self.mentions.chosen.get(url, ()):
                targets.setdefault(m.target.url, {b.url: b for b in mentioned.get(m.target.url, ())})[url] = Backlink(
                    url, self.titles[url], m.note_rel, m.line
                )
        for target, found in targets.items():
            if found:
                mentioned[target] = tuple(sorted(found.values(), key=lambda b: (b.note_rel, b.line)))
            else:
                mentioned.pop(target, None)
        self.mentioned = mentioned

    def _renew(
        self, old: Site, notes: dict[str, Note], splits: dict[str, NoteSplit], changed: list[str]
    ) -> tuple[dict[str, Topic], dict[str, NotePage], LinkIndex]:
        """Pages and LinkIndex for new versions of notes whose outlines did not change."""
        topics, note_pages = dict(old.topics), dict(old.note_pages)
        heading_at = dict(old.index.heading_at)
        for rel in changed:
            new_topics, page = renew_pages(
                notes[rel], splits[rel], [old.topics[k] for k in old.note_topics[rel]], old.note_pages.get(rel)
            )
            topics.update((t.key, t) for t in new_topics)
            if page is not None:
                note_pages[rel] = page
            moved = {}
            for before, after in zip(
                old.notes[rel].headings, notes[rel].headings
            ):  # the same headings, maybe at new token indices
                target = heading_at.pop((rel, before.token_index), None)
                if target is not None:
                    moved[(rel, after.token_index)] = target
            heading_at.update(moved)
        return topics, note_pages, replace(old.index, notes=notes, heading_at=heading_at)

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

    def _tags_moved(
        self,
        old: Site | None,
        topics: dict[str, Topic],
        note_topics: dict[str, tuple[str, ...]],
        note_pages: dict[str, NotePage],
        changed: list[str],
        affected: set[str] | None,
    ) -> bool:
        """Whether the tag pages may list other pages: a text-only edit changed some tags, or
        a structural one touched a note with tags (before or now)."""
        if old is None or affected is None:
            return True
        if not self.structural:
            return any(
                any(old.topics[k].tags != topics[k].tags for k in old.note_topics[rel])
                or (rel in note_pages and note_pages[rel].tags != old.note_pages[rel].tags)
                for rel in changed
            )
        for site_topics, site_note_topics, pages in (
            (topics, note_topics, note_pages),
            (old.topics, old.note_topics, old.note_pages),
        ):
            for rel in affected:
                if any(site_topics[k].tags for k in site_note_topics.get(rel, ())) or (
                    rel in pages and pages[rel].tags
                ):
                    return True
        return False

    def _places_moved(
        self,
        old: Site | None,
        topics: dict[str, Topic],
        note_topics: dict[str, tuple[str, ...]],
        affected: set[str] | None,
    ) -> bool:
        """Whether a structural edit may have merged or split same-title topics."""
        if not self.structural:
            return False
        if old is None or affected is None:
            return True
        for site_topics, site_note_topics in ((topics, note_topics), (old.topics, old.note_topics)):
            for rel in affected:
                if any(
                    site_topics[k].place_id or site_topics[k].url in old.places for k in site_note_topics.get(rel, ())
                ):
                    return True
        return False

    def _update_mentions(
        self, notes: dict[str, Note], topics: dict[str, Topic], note_pages: dict[str, NotePage], pages: set[str] | None
    ) -> None:
        """Give the mention index the text of every page whose text may have changed."""
        parts = page_parts(notes, topics, note_pages, self.autolink, pages)
        if pages is None:  # pages that are gone, or no longer link mentions
            for url in [u for u in self.mention_parts if u not in parts]:
                del self.mention_parts[url]
                self.mentions.set_page(url, None)
        else:
            for url in pages - parts.keys():
                if self.mention_parts.pop(url, None) is not None:
                    self.mentions.set_page(url, None)
        for url, found in parts.items():
            key = tuple(found)
            if not _same(self.mention_parts.get(url), key):
                self.mention_parts[url] = key
                self.mentions.set_page(url, page_text(key))

    def _update_related(self, notes: dict[str, Note], topics: dict[str, Topic], pages: set[str] | None) -> None:
        """Give the related index every topic page whose features may have changed; mark the
        rows that can change stale."""
        places: dict[str, list[Topic]] = {}
        for topic in topics.values() if pages is None else (t for t in topics.values() if t.url in pages):
            places.setdefault(topic.url, []).append(topic)
        dirty: set[str] | None = set() if self.related.pages else None  # None: every row (a first build)
        gone = [
            u for u in (self.related_parts if pages is None else pages) if u not in places and u in self.related_parts
        ]
        for url in gone:
            del self.related_parts[url]
            self.rows.pop(url, None)
            self.stale.discard(url)
            found = self.related.set(url, None)
            dirty = None if found is None or dirty is None else dirty | found
        for url, parts in places.items():
            key = (parts[0].title, tuple((notes[t.note_rel], t.token_start, t.token_end, t.tags) for t in parts))
            before = self.related_parts.get(url)
            if before is not None and before[0] == key[0] and _same(before[1], key[1]):
                continue
            self.related_parts[url] = key
            found = self.related.set(
                url, page_features(url, key[0], [(notes[t.note_rel], t) for t in parts]), track=dirty is not None
            )
            dirty = None if found is None or dirty is None else dirty | found
        self.stale |= set(self.related.pages) if dirty is None else dirty & self.related.pages.keys()


def build_graph(notes: dict[str, Note], files: frozenset[str] = frozenset(), autolink: bool = True) -> Site:
    """The Site of `notes` in one go (a build that keeps nothing)."""
    return SiteState(autolink).update(notes, files)
