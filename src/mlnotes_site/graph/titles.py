"""Pages that share a title: which topics are one page, and what tells such pages apart.

H1 sections of collection notes whose titles are equal after `title_key` are one page (the
seed notes' repeated `？` questions); a whole note is always a page of its own, never merged.
Where several pages still share a title, each shows what tells it apart, `Intro (folder1)`,
and takes its URL below that folder (`paths.folder_url`): two `Intro.md` in two folders are
`/folder1/intro/` and `/folder2/intro/`, not `/intro/` and `/intro-2/`.
"""

from __future__ import annotations

import posixpath
from typing import Iterable, Sequence

from ..paths import title_key

Page = tuple[str, str]  # ("note", rel): a whole note's own page; ("title", title key): merged sections


def page_of(rel: str, collection: bool, title: str) -> Page:
    """The page a topic titled `title` of note `rel` is shown on."""
    return ("title", title_key(title)) if collection else ("note", rel)


def shared_titles(notes: Iterable[tuple[str, bool, Sequence[str]]]) -> dict[Page, str]:
    """What tells apart the pages that share a title, given each note (in vault order) as
    (rel, is a collection, its topic titles): the folder of the note showing each page (of its
    first place), or that note's path without `.md` when an earlier page of the title is in the
    same folder; "" (nothing shown) for the first such page at the top of the vault. Pages
    whose title no other page has are not in the result."""
    first: dict[Page, str] = {}  # page -> the note of its first place
    by_title: dict[str, list[Page]] = {}  # title key -> its pages, in vault order
    for rel, collection, titles in notes:
        for title in titles:
            page = page_of(rel, collection, title)
            if page not in first:
                first[page] = rel
                by_title.setdefault(title_key(title), []).append(page)
    found: dict[Page, str] = {}
    for pages in by_title.values():
        if len(pages) < 2:
            continue
        folders: set[str] = set()
        for page in pages:
            rel = first[page]
            folder = posixpath.dirname(rel)
            found[page] = folder if folder not in folders else posixpath.splitext(rel)[0]
            folders.add(folder)
    return found


def shown_title(title: str, qualifier: str) -> str:
    """A page's title as shown: `Intro (folder1)` where other pages are titled `Intro`."""
    return f"{title} ({qualifier})" if qualifier else title
