"""The derived views of the graph stage: each one object whose full build is `update` with
everything changed, and whose update after an edit costs what the edit touched.

Each `update` returns the view's current value: the very same object when nothing in it
changed (so later stages and the page cache see "unchanged" by identity), else a new one.
Vault order is the order of note paths (discover sorts them), so a view orders by `rel`
and never needs positions that move when a note is added.

    Backlinks    target URL -> pages linking to it          (per note: the targets it links)
    Assets       asset URL -> source file                   (per note: the files it shows)
    Tags         tag -> pages carrying it, sorted by tag     (per note: its pages' tags)
    Places       page URL -> topic keys of a merged topic    (structural updates only)
    Mentions     page URL -> mentions linked on it           (per page: its text; names)
    MentionedIn  target URL -> pages mentioning it           (per page: the mentions it links)
    Related      topic URL -> related topics, lazily         (per page: its rare features)

The link index and each note's resolved links (links.py, indexdeps.py) come before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..model import Backlink, Mention, Note, NotePage, PageRef, Target, Topic
from ..model import Related as RelatedTopic
from ..paths import fold, tag_url
from .links import NoteLinks
from .mentions import MentionIndex, mention_table, page_parts, page_text
from .related import Capped, RelatedIndex, Rows, page_features


@dataclass(frozen=True)
class PagesDelta:
    """What the pages stage (URLs, topics) changed: the input of the views' updates.

    `changed` are the notes with new content (or new, or gone); `affected` the notes whose
    pages are other pages than before (URL, title or range), None when every note may be."""

    topics: dict[str, Topic]
    note_topics: dict[str, tuple[str, ...]]
    note_pages: dict[str, NotePage]
    structural: bool
    changed: frozenset[str]
    affected: frozenset[str] | None
    first: bool = False  # a first build: every view starts empty

    def pages_of(self, rel: str) -> list[tuple[tuple[int, int], PageRef, tuple[str, ...]]]:
        """(order key, page, tags) of each page note `rel` has now: topics, then its own page."""
        found = []
        for n, key in enumerate(self.note_topics.get(rel, ())):
            t = self.topics[key]
            found.append(((0, n), PageRef(t.url, t.title, t.note_rel), t.tags))
        page = self.note_pages.get(rel)
        if page is not None:
            found.append(((1, 0), PageRef(page.url, page.title, page.note_rel), page.tags))
        return found


def _by_line(backlinks: Mapping[str, Backlink]) -> tuple[Backlink, ...]:
    return tuple(sorted(backlinks.values(), key=lambda b: (b.note_rel, b.line)))


class Backlinks:
    """Target page URL -> the pages linking to it: the first link from each page in vault
    order, listed by file and line. Update: O(links of the changed notes + the other links
    to the pages they link, before or now)."""

    def __init__(self) -> None:
        self.linkers: dict[str, set[str]] = {}  # target URL -> notes linking to it
        self.value: dict[str, tuple[Backlink, ...]] = {}

    def update(
        self, changed: Mapping[str, tuple[NoteLinks | None, NoteLinks | None]], links: Mapping[str, NoteLinks]
    ) -> dict[str, tuple[Backlink, ...]]:
        """`changed`: note -> (its links before, now), None for a note that is not (any more)."""
        targets: set[str] = set()
        for rel, (was, now) in changed.items():
            if was == now:
                continue
            for target, _ in was.backlinks if was else ():
                targets.add(target)
                self.linkers[target].discard(rel)
            for target, _ in now.backlinks if now else ():
                targets.add(target)
                self.linkers.setdefault(target, set()).add(rel)
        if not targets:
            return self.value
        value = dict(self.value)
        for target in sorted(targets):
            first: dict[str, Backlink] = {}
            for rel in sorted(self.linkers[target]):
                for t, backlink in links[rel].backlinks:
                    if t == target:
                        first.setdefault(backlink.url, backlink)
            if first:
                value[target] = _by_line(first)
            else:
                value.pop(target, None)
                del self.linkers[target]
        self.value = value
        return value


class Assets:
    """Asset URL -> the file of the vault it copies, sorted by URL. Update: O(changed notes'
    files), plus a sort of all assets when the set of files changed."""

    def __init__(self) -> None:
        self.users: dict[str, dict[str, str]] = {}  # asset URL -> {note: source path}
        self.value: dict[str, str] = {}

    def update(self, changed: Mapping[str, tuple[NoteLinks | None, NoteLinks | None]]) -> dict[str, str]:
        moved = False
        for rel, (was, now) in changed.items():
            before = dict(was.assets) if was else {}
            after = dict(now.assets) if now else {}
            if before == after:
                continue
            for url in before.keys() - after.keys():
                del self.users[url][rel]
                if not self.users[url]:
                    del self.users[url]
                    moved = True
            for url, source in after.items():
                users = self.users.setdefault(url, {})
                moved = moved or not users
                users[rel] = source
        if moved:
            self.value = {url: min(users.values()) for url, users in sorted(self.users.items())}
        return self.value


class Tags:
    """Tag -> the pages carrying it (topics before collection pages, each in vault order),
    tags sorted case-insensitively; a tag is spelled as where it is first met. Update:
    O(pages of the affected notes + pages of the tags they carry, before or now)."""

    def __init__(self) -> None:
        self.by_note: dict[str, list[tuple[tuple[int, int], PageRef, tuple[str, ...]]]] = {}
        self.holders: dict[str, set[str]] = {}  # folded tag -> notes whose pages carry it
        self.lists: dict[str, tuple[str, tuple[PageRef, ...]]] = {}  # folded tag -> (spelling, pages)
        self.value: dict[str, tuple[PageRef, ...]] = {}
        self.urls: dict[str, str] = {}  # folded tag -> its page URL

    def update(self, delta: PagesDelta, gone: frozenset[str]) -> dict[str, tuple[PageRef, ...]]:
        rels = (
            set(delta.note_topics) | set(self.by_note)
            if delta.affected is None
            else delta.affected | delta.changed | gone
        )
        touched: set[str] = set()
        for rel in rels:
            before = self.by_note.pop(rel, [])
            after = delta.pages_of(rel) if rel in delta.note_topics else []
            if [(o, r, t) for o, r, t in before if t] == [(o, r, t) for o, r, t in after if t]:
                if after:
                    self.by_note[rel] = after
                continue
            for _, _, tags in before:
                for tag in tags:
                    touched.add(fold(tag))
                    self.holders[fold(tag)].discard(rel)
            for _, _, tags in after:
                for tag in tags:
                    touched.add(fold(tag))
                    self.holders.setdefault(fold(tag), set()).add(rel)
            if after:
                self.by_note[rel] = after
        changed = False
        for key in touched:
            found = self._list(key)
            if found != self.lists.get(key):
                changed = True
                if found is None:
                    del self.lists[key], self.holders[key]
                else:
                    self.lists[key] = found
        if changed:
            self.value = {name: refs for _, (name, refs) in sorted(self.lists.items())}
            self.urls = unique_tag_urls(self.value)
        return self.value

    def _list(self, key: str) -> tuple[str, tuple[PageRef, ...]] | None:
        entries = sorted(
            (order[0], rel, order[1], ref, tag)
            for rel in self.holders.get(key, ())
            for order, ref, tags in self.by_note[rel]
            for tag in tags
            if fold(tag) == key
        )
        if not entries:
            return None
        first: dict[str, PageRef] = {}
        for *_, ref, _tag in entries:
            first.setdefault(ref.url, ref)  # the places of a merged topic are one page
        return entries[0][4], tuple(first.values())


def unique_tag_urls(tags: Mapping[str, object]) -> dict[str, str]:
    """Folded tag -> page URL, in tag order; two different tags whose slugs are equal (`a b`
    and `a-b`) get `-2`, `-3`, … on the later one, so no tag page hides another."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for name in tags:
        url, n = tag_url(name), 1
        while url in taken:
            n += 1
            url = f"{tag_url(name)[:-1]}-{n}/"
        taken.add(url)
        found[fold(name)] = url
    return found


class Places:
    """Page URL -> the keys of the topics shown on it, for pages showing more than one (a
    merged topic). Only a structural update can change it: O(topics) then, else O(1)."""

    def __init__(self) -> None:
        self.value: dict[str, tuple[str, ...]] = {}

    def update(self, delta: PagesDelta) -> dict[str, tuple[str, ...]]:
        if not delta.structural:
            return self.value
        places: dict[str, list[str]] = {}
        for topic in delta.topics.values():
            places.setdefault(topic.url, []).append(topic.key)
        value = {url: tuple(keys) for url, keys in places.items() if len(keys) > 1}
        if value != self.value:
            self.value = value
        return self.value


def page_titles(topics: dict[str, Topic], note_pages: dict[str, NotePage]) -> dict[str, str]:
    """Page URL -> title (a merged topic's first place names it)."""
    return {t.url: t.title for t in reversed(list(topics.values()))} | {p.url: p.title for p in note_pages.values()}


class MentionedIn:
    """Target page URL -> the pages that mention it (their first mention), by file and line.
    Update: O(mentions of the pages whose mentions or title changed + the other mentions of
    their targets)."""

    def __init__(self) -> None:
        self.titles: dict[str, str] = {}
        self.value: dict[str, tuple[Backlink, ...]] = {}

    def update(
        self, delta: PagesDelta, changed: Mapping[str, tuple[Mention, ...]], chosen: Mapping[str, tuple[Mention, ...]]
    ) -> dict[str, tuple[Backlink, ...]]:
        """`changed`: page URL -> the mentions it linked before; `chosen`: what each page links now."""
        before_of = dict(changed)
        if delta.structural:
            titles = page_titles(delta.topics, delta.note_pages)
            for url, title in titles.items():  # a renamed page lists itself again under its new title
                if self.titles.get(url, title) != title and url in chosen:
                    before_of.setdefault(url, chosen[url])
            self.titles = titles
        if not before_of:
            return self.value
        lists: dict[str, dict[str, Backlink]] = {}
        value = dict(self.value)
        for url, before in before_of.items():
            for m in before:
                lists.setdefault(m.target.url, {b.url: b for b in value.get(m.target.url, ())}).pop(url, None)
        for url in before_of:
            for m in chosen.get(url, ()):
                found = lists.setdefault(m.target.url, {b.url: b for b in value.get(m.target.url, ())})
                found[url] = Backlink(url, self.titles[url], m.note_rel, m.line)
        for target, found in lists.items():
            if found:
                value[target] = _by_line(found)
            else:
                value.pop(target, None)
        self.value = value
        return value


PagePart = tuple  # (note, first token, end token, …): what one place of a page is made of


def same_parts(a: tuple[PagePart, ...] | None, b: tuple[PagePart, ...] | None) -> bool:
    """Equal parts, comparing notes by identity (a re-read note is a new object)."""
    if a is None or b is None:
        return a is b
    return len(a) == len(b) and all(x[0] is y[0] and x[1:] == y[1:] for x, y in zip(a, b, strict=True))


class Mentions:
    """Page URL -> the mentions linked on it (graph/mentions.py `MentionIndex`). Update:
    rescans only pages whose text changed (`pages`), and rebuilds the name table only when
    names came or went (`names` given); O(text of those pages)."""

    def __init__(self, autolink: bool) -> None:
        self.autolink = autolink
        self.index = MentionIndex()
        self.parts: dict[str, tuple[PagePart, ...]] = {}
        self.memo: dict = {}  # see mentions.mention_table

    def update(
        self,
        notes: Mapping[str, Note],
        delta: PagesDelta,
        pages: set[str] | None,
        names: list[tuple[str, Target, str]] | None,
    ) -> tuple[dict[str, tuple[Mention, ...]], dict[str, tuple[Mention, ...]]]:
        """(mentions per page now, the pages whose mentions changed with what they had before)."""
        if names is not None:
            self.index.set_names(mention_table(names, dict(notes), self.autolink, self.memo))
        parts = page_parts(dict(notes), delta.topics, delta.note_pages, self.autolink, pages)
        gone = (
            [u for u in self.parts if u not in parts]
            if pages is None
            else [u for u in pages - parts.keys() if u in self.parts]
        )
        for url in gone:
            del self.parts[url]
            self.index.set_page(url, None)
        for url, found in parts.items():
            key = tuple(found)
            if not same_parts(self.parts.get(url), key):
                self.parts[url] = key
                self.index.set_page(url, page_text(key))
        mentions = self.index.mentions()
        return mentions, self.index.take_changed()


class Related:
    """Topic URL -> related topics (graph/related.py `RelatedIndex`, rows computed when read:
    the `RelatedRows` of a Site). Update: new features for the pages whose text, title or
    tags changed, and marks stale only the rows sharing a rare feature with them."""

    def __init__(self) -> None:
        self.index = RelatedIndex()
        self.rows: dict[str, tuple[RelatedTopic, ...]] = {}
        self.stale: set[str] = set()
        self.capped = Capped()
        self.parts: dict[str, tuple[str, tuple[PagePart, ...]]] = {}

    def update(self, notes: Mapping[str, Note], delta: PagesDelta, pages: set[str] | None) -> Rows:
        places: dict[str, list[Topic]] = {}
        for topic in delta.topics.values() if pages is None else (t for t in delta.topics.values() if t.url in pages):
            places.setdefault(topic.url, []).append(topic)
        dirty: set[str] | None = set() if self.index.pages else None  # None: every row (a first build)
        gone = [u for u in (self.parts if pages is None else pages) if u not in places and u in self.parts]
        for url in gone:
            del self.parts[url]
            self.rows.pop(url, None)
            self.stale.discard(url)
            found = self.index.set(url, None)
            dirty = None if found is None or dirty is None else dirty | found
        for url, topics in places.items():
            key = (topics[0].title, tuple((notes[t.note_rel], t.token_start, t.token_end, t.tags) for t in topics))
            before = self.parts.get(url)
            if before is not None and before[0] == key[0] and same_parts(before[1], key[1]):
                continue
            self.parts[url] = key
            features = page_features(url, key[0], [(notes[t.note_rel], t) for t in topics])
            found = self.index.set(url, features, track=dirty is not None)
            dirty = None if found is None or dirty is None else dirty | found
        self.stale |= set(self.index.pages) if dirty is None else dirty & self.index.pages.keys()
        if gone:
            self.capped.rows = None  # a row of a page that is gone (no row changes to say so)
        return Rows(self.index, self.rows, self.stale, self.capped)
