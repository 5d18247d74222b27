"""Which link-index entries a note's links read, and which entries an update changed.

After a structural edit (a title, a heading, a new or renamed note) the LinkIndex is built
again, but most notes' links still resolve exactly as before. `note_links` runs on a
`recording` view of the index that notes every entry it reads, as ("table", key). An
update then works out which entries changed (`index_changes`, from the notes whose names
or pages changed, without comparing the whole index) and resolves again only the notes
that read one of them.
"""

from __future__ import annotations

import copy
from typing import Any, Hashable

from ..model import Site, Topic
from ..paths import fold, title_key
from .links import LinkIndex, link_index

Entry = tuple[str, Hashable]  # (table name, key)
TABLES = (
    *("note_url", "note_title", "by_path", "exact", "folded", "headings", "page_urls", "files", "url_note"),
    "by_name",
    "blocks",
    "anchors",
    "homonyms",
)


class _Logged:
    """A read-only look-up table that notes every key asked for."""

    __slots__ = ("table", "name", "log")

    def __init__(self, table: Any, name: str, log: set[Entry]) -> None:
        self.table, self.name, self.log = table, name, log

    def get(self, key: Hashable, default: Any = None) -> Any:
        self.log.add((self.name, key))
        return self.table.get(key, default)

    def __getitem__(self, key: Hashable) -> Any:
        self.log.add((self.name, key))
        return self.table[key]

    def __contains__(self, key: Hashable) -> bool:
        self.log.add((self.name, key))
        return key in self.table


def recording(index: LinkIndex, log: set[Entry]) -> LinkIndex:
    """The same index, noting in `log` every entry a look-up reads."""
    logged = copy.copy(index)
    for name in TABLES:
        setattr(logged, name, _Logged(getattr(index, name), name, log))
    return logged


def _names(site: Site, rel: str) -> list[str]:
    """Every name note `rel` gives the index (see graph.build_index)."""
    index, note = link_index(site), site.notes[rel]
    names = [site.topics[k].name for k in site.note_topics.get(rel, ())]
    if rel in index.note_title:
        names += [index.note_title[rel], note.stem, *note.aliases]
    return names + [ref.text for ref in index.headings.get(rel, ()) if ref.anchor]


def _paths(rel: str) -> set[str]:
    plain = rel.rsplit(".", 1)[0]
    return {rel, plain, rel.casefold(), plain.casefold()}


def index_changes(old: Site, new: Site, affected: set[str]) -> set[Entry]:
    """Index entries that differ between two sites, given every note whose names or pages
    changed (`affected`, with notes added or removed): only those notes' entries can."""
    a, b = link_index(old), link_index(new)
    maybe: set[Entry] = set()
    for rel in affected:
        for site in (old, new):
            if rel in site.notes:
                names = _names(site, rel)
                maybe |= {("exact", n.strip()) for n in names} | {("folded", fold(n)) for n in names}
                maybe |= {("homonyms", title_key(n)) for n in names}
                maybe |= {("url_note", site.topics[k].url) for k in site.note_topics.get(rel, ())}
                if rel in site.note_pages:
                    maybe.add(("url_note", site.note_pages[rel].url))
        maybe |= {("note_url", rel), ("note_title", rel), ("headings", rel)}
        for site in (old, new):
            if rel in site.notes:
                maybe |= {("blocks", (rel, name)) for name, _, _ in site.notes[rel].blocks}
                maybe |= {("anchors", (rel, name)) for name, _ in site.notes[rel].anchors}
    for rel in old.notes.keys() ^ new.notes.keys():
        maybe |= {("by_path", p) for p in _paths(rel)}
        maybe.add(("by_name", rel.rpartition("/")[2].casefold()))
    changed = {(table, key) for table, key in maybe if getattr(a, table).get(key) != getattr(b, table).get(key)}
    changed |= {("page_urls", url) for url in a.page_urls ^ b.page_urls}
    return changed


def pages_changed(old: Site, new: Site, rel: str) -> bool:
    """Whether note `rel` is shown on other pages (URLs, titles, ranges) than before."""
    if rel not in old.note_topics:
        return True
    before: list[Topic] = [old.topics[k] for k in old.note_topics[rel]]
    after: list[Topic] = [new.topics[k] for k in new.note_topics[rel]]
    if len(before) != len(after) or any(
        x is not y and (x != y or x.heading_ids != y.heading_ids) for x, y in zip(before, after, strict=True)
    ):
        return True  # (a later place of a merged topic is made again, usually equal)
    page_before, page_after = old.note_pages.get(rel), new.note_pages.get(rel)
    if page_before is page_after:
        return False
    return (
        page_before is None
        or page_after is None
        or page_before.heading_ids != page_after.heading_ids
        or page_before != page_after
    )
