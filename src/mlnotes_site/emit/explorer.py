"""The explorer: a navigation of the vault beside the text of every page (static/sidebar.js).

Two parts, so that no page grows with the vault:

- `/explorer.js`, one data file for the whole site: every folder and every note (its page
  URL and title), in vault order. Pages load it with a `<script>` tag after their first
  frame (cached by the browser, and it works from `file://`); it changes only when a note
  comes, goes, moves or changes its title, so the page cache renders it again only then.
- `trail(...)`, inlined in each note's pages: the folders down to the note, the note, and
  the note's topics (the current page marked). It is the navigation without JavaScript, and
  the part of the tree the script does not know (a note's topics).
"""

from __future__ import annotations

from typing import Any

from .. import urls
from ..model import Site, Topic
from ..paths import encode_path, safe_json
from .render import Emitter, PageSpec, Renderer, one

Row = tuple[int, str, str]  # a note: (index of its folder, page URL, title)


def topic_href(topic: Topic) -> str:
    """The root-relative URL showing `topic` (a later place of a merged topic: its anchor)."""
    return topic.url + (f"#{topic.place_id}" if topic.place_id else "")


def note_entry(site: Site, rel: str) -> tuple[str, str]:
    """(URL, title) of a note in the explorer: a collection's own page, else its one topic."""
    page = site.note_pages.get(rel)
    if page is not None:
        return page.url, page.title
    keys = site.note_topics.get(rel, ())
    if not keys:
        return site.note_url(rel), rel.rpartition("/")[2]
    topic = site.topics[keys[0]]
    return topic_href(topic), topic.title


def folders_of(rel: str) -> list[str]:
    """The folders a note lies in, outermost first: `a/b/c.md` -> `a`, `a/b`."""
    parts = rel.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def tree(site: Site) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    """Every folder (the root "" first, each folder before its subfolders, sorted by name)
    and every note in vault order as (folder index, URL, title)."""
    rels = list(site.note_topics)
    folders = sorted({f for rel in rels for f in folders_of(rel)} | {""}, key=lambda f: f.split("/") if f else [])
    index = {f: n for n, f in enumerate(folders)}
    rows = tuple((index[rel.rpartition("/")[0]], *note_entry(site, rel)) for rel in rels)
    return tuple(folders), rows


def data_text(folders: tuple[str, ...], rows: tuple[Row, ...]) -> str:
    """The text of /explorer.js: `window.mlnotesExplorer = {"folders": […], "notes": […]};`,
    one note a line. URLs are root-relative and percent-encoded as in links; no raw `<`, `>`, `&`."""
    lines = [safe_json([folder, encode_path(url), title], compact=True) for folder, url, title in rows]
    head = 'window.mlnotesExplorer = {"folders": ' + safe_json(list(folders), compact=True) + ', "notes": [\n'
    return head + ",\n".join(lines) + "\n]};\n"


def describe(r: Renderer, what: None) -> PageSpec:
    """/explorer.js: its description is the tree it lists (equal tree, equal file)."""
    folders, rows = tree(r.site)
    return PageSpec(urls.EXPLORER, "", "", {"folders": folders, "rows": rows}, make=lambda: data_text(folders, rows))


def trail(site: Site, rel: str, page_url: str) -> dict[str, Any]:
    """What a page of note `rel` inlines of the explorer: its folders (name, path), the note
    (URL, title; `key` its URL as in /explorer.js) and, for a collection, its topics (URL,
    title); `current` is `page_url`."""
    url, title = note_entry(site, rel)
    topics = []
    if rel in site.note_pages:
        topics = [(topic_href(t), t.title) for t in (site.topics[k] for k in site.note_topics.get(rel, ()))]
    return {
        "folders": [(f.rpartition("/")[2], f) for f in folders_of(rel)],
        "note": (url, title),
        "key": encode_path(url),  # the note's URL as /explorer.js writes it
        "topics": topics,
        "current": page_url,
    }


EMITTER = Emitter("explorer", one(urls.EXPLORER), describe)
