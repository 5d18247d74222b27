"""Notes -> topics: which parts of a note become pages, and the URL of each page.

`split_note` decides per note (pure, cacheable); `assign_pages` gives every page a unique,
stable URL across the vault (it needs all notes, so it runs once, after loading).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from .. import urls
from ..errors import Diagnostic, error, warning
from ..model import Heading, Note, NotePage, Topic
from ..paths import (
    folder_url,
    normalize_permalink,
    output_file,
    permalink_problem,
    slugify,
    title_key,
    unique_url,
)
from .titles import Page, page_of, shared_titles, shown_title

# ids the page templates use; a heading never takes one of them
TEMPLATE_IDS = frozenset({"content", "toc", "backlinks", "mentions", "related", "top", "main", "search"})
_PLACE_ID = re.compile(r"place-\d+")  # anchors of the places of a merged topic (see assign_pages)


@dataclass(frozen=True)
class TopicSpec:
    """A topic before it has a URL: its title and where its body is in the note's tokens."""

    title: str
    token_start: int
    token_end: int
    title_heading: Heading | None
    first_line: int
    last_line: int


@dataclass(frozen=True)
class NoteSplit:
    """How one note is published: as a single topic, or as a collection with a preamble."""

    collection: bool
    topics: tuple[TopicSpec, ...]
    preamble_end: int  # collection only: preamble tokens are [body_start, preamble_end)
    diagnostics: tuple[Diagnostic, ...] = ()  # a `title:` that keeps several H1s on one page


def body_start(note: Note) -> int:
    """Index of the first body token (after the front matter token, if any)."""
    return 1 if note.tokens and note.tokens[0].type == "front_matter" else 0


def split_note(note: Note) -> NoteSplit:
    """Decide the topics of one note (rules in the README: front matter title → one topic,
    no front matter and ≥2 H1 → one topic per H1, `topics: whole|split` overrides).

    A front-matter title equal to the H1 that opens the note is shown once (the H1 is not
    repeated in the body); a title on a note with several H1s is a warning."""
    h1s = [h for h in note.headings if h.level == 1 and h.top_level]
    start, end = body_start(note), len(note.tokens)
    if note.topics_mode == "split":
        collection = len(h1s) >= 1
    elif note.topics_mode == "whole" or note.title:
        collection = False
    else:
        collection = not note.has_front_matter and len(h1s) >= 2
    if not collection:
        first_is_h1 = bool(h1s) and h1s[0].token_index == start
        if note.title:
            same = first_is_h1 and title_key(h1s[0].text) == title_key(note.title)
            title_heading = h1s[0] if same else None
        else:
            title_heading = h1s[0] if len(h1s) == 1 or first_is_h1 else None
        title = note.title or (title_heading.text if title_heading else "") or note.stem
        # an H1 that opens the note is the page title: it is not repeated in the body
        body_from = start + 3 if title_heading is not None and first_is_h1 else start
        spec = TopicSpec(title, body_from, end, title_heading, 1, max(note.line_count, 1))
        diags = (_title_keeps_h1s(note, h1s),) if note.title and not note.topics_mode and len(h1s) >= 2 else ()
        return NoteSplit(False, (spec,), start, diags)
    specs = []
    for n, h1 in enumerate(h1s):
        stop = h1s[n + 1].token_index if n + 1 < len(h1s) else end
        last_line = h1s[n + 1].line - 1 if n + 1 < len(h1s) else max(note.line_count, h1.line)
        specs.append(TopicSpec(h1.text or "Untitled", h1.token_index + 3, stop, h1, h1.line, last_line))
    return NoteSplit(True, tuple(specs), h1s[0].token_index)


def _title_keeps_h1s(note: Note, h1s: list[Heading]) -> Diagnostic:
    """The warning for a note whose front-matter `title` makes its several H1s one page."""
    shown = ", ".join(f"'{h.text}'" for h in h1s[:3]) + (", …" if len(h1s) > 3 else "")
    return warning(
        note.rel,
        _meta_line(note, "title"),
        f"`title: {_printable(note.title or '')}` makes this note one topic: its {len(h1s)} H1 headings"
        f" ({shown}) are sections of that page, not topics of their own",
        "add `topics: split` to keep one page per H1, or `topics: whole` to keep one page without this warning",
    )


def heading_ids(
    headings: list[Heading], reserved: frozenset[str] = TEMPLATE_IDS, taken: set[str] | None = None
) -> dict[int, str]:
    """Unique ids for the headings of one page (CJK kept, duplicates get -2, -3, …).

    `taken` (updated) holds ids already used on the page: a merged topic's places share it."""
    taken = set(reserved) if taken is None else taken
    taken |= reserved
    ids: dict[int, str] = {}
    for h in headings:
        base = slugify(h.text, fallback="section")
        candidate, n = base, 1
        while candidate in taken or _PLACE_ID.fullmatch(candidate):
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        ids[h.token_index] = candidate
    return ids


def _in_range(items, first: int, last: int) -> tuple:
    return tuple(item for item in items if first <= item.line <= last)


def assign_pages(
    notes: list[Note],
    splits: dict[str, NoteSplit],
    keep: dict[str, Topic] | None = None,
    keep_pages: dict[str, NotePage] | None = None,
) -> tuple[dict[str, Topic], dict[str, tuple[str, ...]], dict[str, NotePage], list[Diagnostic]]:
    """Give every topic and collection page a unique URL; permalinks first, then slugs in
    vault order. Two notes claiming one permalink is an error naming both files.

    H1 sections of collection notes whose titles are equal after `title_key` are one page:
    the first place keeps its Topic as written; each later place is a Topic with the same
    URL, key `<url>#place-N` and `place_id` "place-N" (its anchor on the page). Heading ids
    are unique across all places of a page. A whole note is never merged: pages that share
    a title show their folder after it, `Intro (folder1)`, and take their URL below it,
    `/folder1/intro/` (see titles.py).

    `keep` and `keep_pages` hold pages of notes that have not changed since an earlier
    call (by key, by note): one that gets the same URL again is reused as it is."""
    keep, keep_pages = keep or {}, keep_pages or {}
    diags: list[Diagnostic] = []
    taken: set[str] = set()
    claimed: dict[str, str] = {}  # permalink url -> note rel
    claimed_files: dict[str, str] = {}  # output file of a permalink (`/a/` and `/a/index.html` are one) -> url
    folders: dict[str, str] = {}  # a folder the claimed permalinks need -> the first URL needing it
    for note in notes:
        if note.permalink:
            problem = permalink_problem(note.permalink)
            if problem:
                diags.append(
                    error(
                        note.rel,
                        _meta_line(note, "permalink"),
                        f"permalink `{_printable(note.permalink)}` is not a page URL of this site: {problem}",
                        "write a path such as /my-page/; the note is published at its ordinary URL",
                    )
                )
                continue
            url = normalize_permalink(note.permalink)
            if urls.reserved(url):
                diags.append(
                    error(
                        note.rel,
                        _meta_line(note, "permalink"),
                        f"permalink {url} is used by the site itself",
                        urls.reserved_hint(),
                    )
                )
                continue
            clash = _folder_clash(output_file(url), claimed_files, folders)
            if clash is not None:
                diags.append(
                    error(
                        note.rel,
                        _meta_line(note, "permalink"),
                        f"permalink {url} and {clash} of {claimed[clash]} cannot both exist:"
                        " one is a file where the other needs a folder",
                        f"give one of {claimed[clash]} and {note.rel} another permalink;"
                        f" {note.rel} is published at its ordinary URL",
                    )
                )
                continue
            same = claimed_files.get(output_file(url), url)
            if same in claimed:
                diags.append(
                    error(
                        note.rel,
                        _meta_line(note, "permalink"),
                        f"permalink {url} is already used by {claimed[same]}",
                        f"give one of {claimed[same]} and {note.rel} another permalink;"
                        f" {note.rel} is published at its ordinary URL",
                    )
                )
                continue
            claimed[url] = note.rel
            claimed_files[output_file(url)] = url
            parts = output_file(url).split("/")
            for n in range(1, len(parts)):
                folders.setdefault("/".join(parts[:n]), url)
            taken.add(url)
    owned = {rel: url for url, rel in claimed.items()}
    outlines = ((n.rel, splits[n.rel].collection, [t.title for t in splits[n.rel].topics]) for n in notes)
    qualifiers = shared_titles(outlines)
    topics: dict[str, Topic] = {}
    note_topics: dict[str, tuple[str, ...]] = {}
    note_pages: dict[str, NotePage] = {}
    page_url: dict[Page, str] = {}  # page (see titles.page_of) -> its URL
    page_ids: dict[str, set[str]] = {}  # URL -> heading ids used on it so far
    places: dict[str, int] = {}  # URL -> number of places merged into it
    for note in notes:
        split = splits[note.rel]
        own_url = owned.get(note.rel)
        keys = []
        for index, spec in enumerate(split.topics):
            key, place_id = "", ""
            page = page_of(note.rel, split.collection, spec.title)
            qualifier = qualifiers.get(page, "")
            title = shown_title(spec.title, qualifier)
            if page in page_url:  # a later place of a merged topic
                url = page_url[page]
                places[url] = places.get(url, 1) + 1
                place_id = f"place-{places[url]}"
                key = f"{url}#{place_id}"
            elif not split.collection and own_url:
                url = own_url
            else:
                url = folder_url(qualifier, slugify(spec.title, fallback="topic"), taken)
            page_url.setdefault(page, url)
            key = key or url
            before = keep.get(key)
            if (
                before is not None
                and not place_id
                and before.url == url
                and before.title == title
                and before.index == index
                and before.note_rel == note.rel
            ):
                page_ids.setdefault(url, set()).update(
                    before.heading_ids.values(), TEMPLATE_IDS
                )  # as heading_ids() would
                topics[key] = before
            else:
                body = _body_headings(note, spec)
                topics[key] = make_topic(
                    note,
                    split,
                    index,
                    key,
                    url,
                    place_id,
                    heading_ids(body, taken=page_ids.setdefault(url, set())),
                    title,
                )
            keys.append(key)
        note_topics[note.rel] = tuple(keys)
        if split.collection:
            url = own_url or unique_url(slugify(note.stem, fallback="note"), taken, prefix=urls.NOTES)
            before_page = keep_pages.get(note.rel)
            if before_page is not None and before_page.url == url and before_page.topic_keys == tuple(keys):
                note_pages[note.rel] = before_page
            else:
                note_pages[note.rel] = make_note_page(
                    note, split, url, heading_ids(_preamble_headings(note, split)), tuple(keys)
                )
    return topics, note_topics, note_pages, diags


def _folder_clash(path: str, files: dict[str, str], folders: dict[str, str]) -> str | None:
    """The claimed URL that output file `path` clashes with: `p.txt` is a file where `p.txt/q/`
    needs a folder (either way round); None when there is none."""
    if path in folders:
        return folders[path]
    parts = path.split("/")
    for n in range(1, len(parts)):
        above = "/".join(parts[:n])
        if above in files:
            return files[above]
    return None


def _body_headings(note: Note, spec: TopicSpec) -> list[Heading]:
    return [h for h in note.headings if spec.token_start <= h.token_index < spec.token_end]


def _preamble_headings(note: Note, split: NoteSplit) -> list[Heading]:
    start = body_start(note)
    return [h for h in note.headings if start <= h.token_index < split.preamble_end]


def make_topic(
    note: Note,
    split: NoteSplit,
    index: int,
    key: str,
    url: str,
    place_id: str,
    ids: dict[int, str],
    title: str = "",
) -> Topic:
    """The `index`-th topic of `note` at `url`, its headings' ids given; `title` is the one
    shown when it is not the title as written (pages sharing a title show their folder)."""
    spec = split.topics[index]
    line_tags = tuple(tag for tag, line in note.inline_tags if spec.first_line <= line <= spec.last_line)
    return Topic(
        key=key,
        url=url,
        title=title or spec.title,
        name=spec.title,
        note_rel=note.rel,
        index=index,
        token_start=spec.token_start,
        token_end=spec.token_end,
        title_heading=spec.title_heading,
        first_line=spec.first_line,
        last_line=spec.last_line,
        headings=tuple(_body_headings(note, spec)),
        heading_ids=ids,
        links=_in_range(note.links, spec.first_line, spec.last_line),
        images=_in_range(note.images, spec.first_line, spec.last_line),
        tasks=_in_range(note.tasks, spec.first_line, spec.last_line),
        tags=tuple(dict.fromkeys(note.tags + line_tags)),
        is_whole_note=not split.collection,
        place_id=place_id,
    )


def make_note_page(note: Note, split: NoteSplit, url: str, ids: dict[int, str], keys: tuple[str, ...]) -> NotePage:
    """The page of a collection note at `url`."""
    pre_last = split.topics[0].first_line - 1
    pre_tags = tuple(tag for tag, line in note.inline_tags if line <= pre_last)
    return NotePage(
        note.rel,
        url,
        note.title or note.stem,
        split.preamble_end,
        tuple(_preamble_headings(note, split)),
        ids,
        keys,
        tuple(dict.fromkeys(note.tags + pre_tags)),
    )


def outline(note: Note) -> tuple:
    """What URLs, page titles and link names depend on in a note. Two versions of a note
    with the same outline have the same pages at the same URLs, with the same heading ids."""
    return (
        note.stem,
        note.title,
        note.permalink,
        note.topics_mode,
        note.draft,
        note.has_front_matter,
        note.aliases,
        note.meta.get("autolink") if isinstance(note.meta, dict) else None,
        tuple((h.level, h.text, h.top_level) for h in note.headings),
    )


def shape(note: Note, split: NoteSplit) -> tuple:
    """How a note is cut into pages: topic titles and how many headings each page body
    holds (an H1 that stops being the first line joins the body), and on which page each
    block reference and raw HTML id is (links to them read the link index)."""
    pre = len(_preamble_headings(note, split)) if split.collection else 0

    starts = [spec.token_start - 3 for spec in split.topics]  # a topic's range includes its title H1

    def page(at: int) -> int:
        n = bisect_right(starts, at) - 1
        return n if n >= 0 and at < split.topics[n].token_end else -1

    return (
        split.collection,
        pre,
        tuple((spec.title, len(_body_headings(note, spec))) for spec in split.topics),
        tuple((name, anchor, page(at)) for name, anchor, at in note.blocks),
        tuple((anchor, page(at)) for anchor, at in note.anchors),
    )


def renew_pages(
    note: Note, split: NoteSplit, old: list[Topic], old_page: NotePage | None
) -> tuple[list[Topic], NotePage | None]:
    """The pages of a new version of a note whose `outline` and `shape` have not changed: the same keys,
    URLs, titles and heading ids as before, the rest (text, lines, links, tasks, tags) from `note`."""

    def same_ids(before: dict[int, str], headings: list[Heading]) -> dict[int, str]:
        return {h.token_index: i for h, i in zip(headings, before.values(), strict=False)}  # the ids in heading order

    topics = [
        make_topic(
            note,
            split,
            n,
            t.key,
            t.url,
            t.place_id,
            same_ids(t.heading_ids, _body_headings(note, split.topics[n])),
            t.title,
        )
        for n, t in enumerate(old)
    ]
    page = None
    if old_page is not None:
        page = make_note_page(
            note,
            split,
            old_page.url,
            same_ids(old_page.heading_ids, _preamble_headings(note, split)),
            old_page.topic_keys,
        )
    return topics, page


def _printable(text: str) -> str:
    """`text` with control characters written as escapes (`\\n`, `\\x00`), for a message."""
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) == "Cc" else ch for ch in text)


def _meta_line(note: Note, key: str) -> int:
    if not note.has_front_matter:
        return 1
    for n, line in enumerate(note.tokens[0].content.splitlines(), start=2):
        if line.startswith(f"{key}:"):
            return n
    return 1
