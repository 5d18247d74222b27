"""Topics -> Site: resolve every link, collect backlinks, tags and the files to copy.

Everything a page shows about other pages is computed here, once, before any page is
rendered. The LinkIndex is built in one pass over all titles, so resolving a link is a
dictionary look-up, never a scan of all titles.
"""

from __future__ import annotations

import posixpath
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote

from .. import urls
from ..errors import Diagnostic, warning
from ..model import Backlink, Heading, Link, LinkKey, Note, NotePage, Resolved, Site, Target, Topic
from ..paths import asset_url, fold, media_kind, normalize_permalink, slugify, source_relative, title_key
from .mentions import name_variants


@dataclass(frozen=True)
class HeadingRef:
    """Where a heading of a note is shown: page URL and id ("" for a topic's own title)."""

    text: str
    url: str
    anchor: str
    page_title: str


@dataclass
class LinkIndex:
    """Look-up tables from names to pages; built once by `build_index`, then only read."""

    notes: dict[str, Note]
    note_url: dict[str, str]  # note rel -> its own page
    note_title: dict[str, str]
    by_path: dict[str, str] = field(default_factory=dict)  # "a/b.md", "a/b" -> rel
    exact: dict[str, Target] = field(default_factory=dict)
    folded: dict[str, Target] = field(default_factory=dict)
    headings: dict[str, list[HeadingRef]] = field(default_factory=dict)  # note rel -> headings
    page_urls: set[str] = field(default_factory=set)
    files: frozenset[str] = frozenset()
    url_note: dict[str, str] = field(default_factory=dict)  # page url -> note rel
    blocks: dict[tuple[str, str], Target] = field(default_factory=dict)  # (note rel, block name) -> where it is
    anchors: dict[tuple[str, str], Target] = field(default_factory=dict)  # (note rel, raw HTML id) -> where it is
    # file name (case-folded) -> the notes and the other files of the vault with that name
    by_name: dict[str, list[str]] = field(default_factory=dict)
    heading_at: dict[tuple[str, int], Target] = field(default_factory=dict)  # (rel, token index) -> place
    # a title several pages share (its `title_key`) -> (note rel, page) of each, in vault order
    homonyms: dict[str, tuple[tuple[str, Target], ...]] = field(default_factory=dict)

    def add_name(self, name: str, target: Target) -> None:
        """Register a name; the first registration of a name wins (callers go by priority)."""
        if name:
            self.exact.setdefault(name.strip(), target)
            self.folded.setdefault(fold(name), target)

    def find_page(self, name: str, note: Note | None = None) -> tuple[Target | None, str | None, tuple[str, ...]]:
        """(target, note rel, candidates) for a wikilink page name: a note's path first, then
        names exact, then case-insensitive. A title several pages share picks the page in
        `note`'s folder, else the shortest path (as `by_file_name`); `candidates` are then
        their notes, the chosen first (else empty)."""
        name = name.strip()
        rel = self._find_path(name, note)
        if rel is not None:
            return Target(self.note_url[rel], "", self.note_title[rel]), rel, ()
        target = self.exact.get(name) or self.folded.get(fold(name))
        if target is None:
            return None, None, ()
        shared = self.homonyms.get(title_key(name))
        if shared and any(page == target for _, page in shared):  # the name is the title they share
            folder = note.folder if note is not None else ""
            ranked = sorted(shared, key=lambda c: _closeness(folder, c[0]))
            return ranked[0][1], ranked[0][0], tuple(rel for rel, _ in ranked)
        return target, self.url_note.get(target.url), ()

    def _find_path(self, name: str, note: Note | None) -> str | None:
        candidates = [name, name + ".md"]
        if note is not None and note.folder:
            candidates += [posixpath.join(note.folder, c) for c in candidates]
        for c in candidates:
            rel = self.by_path.get(c) or self.by_path.get(c.casefold())
            if rel:
                return rel
        return None

    def find_heading(self, rel: str, heading: str, prefer_url: str = "") -> Target | None:
        """A heading of note `rel` by its text (exact, then case-insensitive) or its id; a
        path `One#Two#Three` (Obsidian's nested headings) is the last heading that lies under
        the ones before it."""
        if "#" in heading.strip("#"):
            return self._heading_path(rel, [p for p in heading.split("#") if p.strip()])
        refs = self.headings.get(rel, [])
        want, want_folded, want_slug = heading.strip(), fold(heading), slugify(heading, fallback="")
        for test in (
            lambda r: r.text == want,
            lambda r: fold(r.text) == want_folded,
            lambda r: r.anchor == heading or (want_slug and r.anchor == want_slug),
        ):
            matches = [r for r in refs if test(r)]
            if matches:
                best = next((r for r in matches if r.url == prefer_url), matches[0])
                return Target(best.url, best.anchor, best.page_title)
        return self.anchors.get((rel, heading.strip()))  # an id the note's raw HTML gives (`<a id="ref-1">`)

    def _heading_path(self, rel: str, parts: list[str]) -> Target | None:
        note = self.notes.get(rel)
        if note is None or not self.headings.get(rel):  # (read, so serve relinks when they change)
            return None
        want = [fold(p) for p in parts]
        stack: list[tuple[int, str]] = []  # (level, folded text) of the headings above
        for h in note.headings:
            while stack and stack[-1][0] >= h.level:
                stack.pop()
            text = fold(h.text)
            if text == want[-1] and _in_order(want[:-1], [t for _, t in stack]):
                found = self.heading_at.get((rel, h.token_index))
                if found is not None:
                    return found
            stack.append((h.level, text))
        return None

    def resolve_wiki(self, note: Note, page: str, heading: str) -> Target | None:
        """Target of `[[page#heading]]` (or of block `[[page#^name]]`) written in `note`, or
        None when it is broken."""
        return self.wiki(note, page, heading)[0]

    def wiki(self, note: Note, page: str, heading: str) -> tuple[Target | None, tuple[str, ...]]:
        """`resolve_wiki`, with the notes of the pages that share the title `page` names (the
        chosen one first; empty when the name is not such a title)."""
        if heading.startswith("^"):
            _, rel, shared = self.find_page(page, note) if page else (None, note.rel, ())
            return (self.blocks.get((rel, heading[1:])) if rel is not None else None), shared
        if not page:
            return self.find_heading(note.rel, heading), ()
        target, rel, shared = self.find_page(page, note)
        if target is None or not heading:
            return target, shared
        if rel is None:
            return None, ()
        return self.find_heading(rel, heading, prefer_url=target.url), shared

    def resolve_href(self, note: Note, href: str) -> Target | None:
        """Target of a Markdown link `[x](href)` to a note, a site page or a vault file."""
        path, _, fragment = href.partition("#")
        if not path:
            return self.find_heading(note.rel, fragment) if fragment else None
        if path.startswith("/"):
            url = normalize_permalink(path)
            if url in self.page_urls or url in urls.GENERATED or (url == urls.TOPICS and urls.HOME in self.page_urls):
                return Target(url, fragment)  # a note's page or one the site makes (`/`, `/tags/`, `/topics/`)
            rel = self.by_path.get(path.lstrip("/"))
            if rel is None:
                return self._file_target(path.lstrip("/"))
            path, note_dir = path.lstrip("/"), ""
        else:
            note_dir = note.folder
        rel_path = source_relative(note_dir, path)
        if rel_path is None:
            return None
        rel = self.by_path.get(rel_path)
        if rel is None:
            return self._file_target(rel_path)
        if fragment:
            return self.find_heading(rel, fragment)
        return Target(self.note_url[rel], "", self.note_title[rel])

    def _file_target(self, rel_path: str) -> Target | None:
        if rel_path in self.files:
            return Target(asset_url("", rel_path))
        return None

    def by_file_name(self, note: Note, path: str) -> tuple[str, ...]:
        """Notes and files a path that is not where it says could mean, as Obsidian resolves
        it ("shortest path when possible"): those whose path ends with it (`cat.png`,
        `deep/cat.png`, `b.md`, `sub/b`), the best first: in the note's folder, then the
        shortest path, then by name. Empty when none is."""
        path = unquote(path).strip().replace("\\", "/").lstrip("/")
        while path.startswith("./"):
            path = path[2:]
        if not path or path.startswith("../"):
            return ()
        name = path.rpartition("/")[2].casefold()
        wanted = path.casefold()
        found = [
            rel
            for key in (name, name + ".md")
            for rel in self.by_name.get(key, ())
            if ("/" + rel.casefold()).endswith("/" + wanted)
            or ("/" + rel.casefold().rsplit(".", 1)[0]).endswith("/" + wanted)
        ]
        return tuple(sorted(dict.fromkeys(found), key=lambda rel: _closeness(note.folder, rel)))

    def target_of(self, rel: str) -> Target:
        """The page of note `rel`, or the copy of vault file `rel`."""
        if rel in self.note_url:
            return Target(self.note_url[rel], "", self.note_title[rel])
        return Target(asset_url("", rel))


def _closeness(folder: str, rel: str) -> tuple[bool, int, int, str]:
    """Sort key of the notes or files a name could mean, the best first: in `folder` (the
    linking note's), then the fewest folders, then the shortest path, then by path."""
    return posixpath.dirname(rel) != folder, rel.count("/"), len(rel), rel


def _in_order(wanted: list[str], seen: list[str]) -> bool:
    """Whether `wanted` occur in `seen` in this order (not necessarily next to each other)."""
    found = iter(seen)
    return all(any(w == s for s in found) for w in wanted)


def link_index(site: Site) -> LinkIndex:
    """The LinkIndex of a Site made by the graph stage (Site types it by what pages read)."""
    assert isinstance(site.index, LinkIndex)
    return site.index


def line_lookup(topics: list[Topic], note_page: NotePage | None) -> Callable[[int], tuple[str, str]]:
    """A function from a line of one note to (URL, title) of the page showing it (bisect, not a scan)."""
    starts = [t.first_line for t in topics]

    def lookup(line: int) -> tuple[str, str]:
        i = bisect_right(starts, line) - 1
        if i >= 0 and line <= topics[i].last_line:
            return topics[i].url, topics[i].title
        if note_page is not None:  # the preamble of a collection
            return note_page.url, note_page.title
        return topics[0].url, topics[0].title

    return lookup


def page_lookup(site: Site, rel: str) -> Callable[[int], tuple[str, str]]:
    """`line_lookup` for note `rel` of a finished Site."""
    return line_lookup([site.topics[k] for k in site.note_topics[rel]], site.note_pages.get(rel))


def build_index(
    notes: dict[str, Note],
    topics: dict[str, Topic],
    note_topics: dict[str, tuple[str, ...]],
    note_pages: dict[str, NotePage],
    files: frozenset[str],
) -> LinkIndex:
    """All names a link can use, by priority: topic titles, note titles and file names,
    aliases, then headings. One pass over the vault."""
    note_url = {
        rel: (note_pages[rel].url if rel in note_pages else topics[keys[0]].url) for rel, keys in note_topics.items()
    }
    note_title = {
        rel: (note_pages[rel].title if rel in note_pages else topics[keys[0]].title)
        for rel, keys in note_topics.items()
    }
    index = LinkIndex(notes, note_url, note_title, files=files)
    for rel in (*note_topics, *sorted(files)):
        index.by_name.setdefault(rel.rpartition("/")[2].casefold(), []).append(rel)
    for rel in note_topics:
        index.by_path[rel] = rel
        index.by_path[rel.rsplit(".", 1)[0]] = rel
        index.by_path.setdefault(rel.casefold(), rel)
        index.by_path.setdefault(rel.rsplit(".", 1)[0].casefold(), rel)
        index.url_note[note_url[rel]] = rel
    shared: dict[str, dict[str, tuple[str, Target]]] = {}  # title key -> page URL -> (note, page)
    for topic in topics.values():
        index.url_note.setdefault(topic.url, topic.note_rel)  # a merged topic: its first place
        index.page_urls.add(topic.url)
        index.add_name(topic.name, Target(topic.url, "", topic.title))
        pages = shared.setdefault(title_key(topic.name), {})
        pages.setdefault(topic.url, (topic.note_rel, Target(topic.url, "", topic.title)))
    index.homonyms = {name: tuple(pages.values()) for name, pages in shared.items() if len(pages) > 1}
    for page in note_pages.values():
        index.page_urls.add(page.url)
    for rel, note in notes.items():
        if rel in note_topics:
            index.add_name(note_title[rel], Target(note_url[rel], "", note_title[rel]))
            index.add_name(note.stem, Target(note_url[rel], "", note_title[rel]))
    for rel, note in notes.items():
        if rel in note_topics:
            for alias in note.aliases:
                index.add_name(alias, Target(note_url[rel], "", note_title[rel]))
    for rel, keys in note_topics.items():
        owners = [topics[k] for k in keys]
        refs = _heading_refs(notes[rel], owners, note_pages.get(rel), index.heading_at)
        index.headings[rel] = refs
        for name, anchor, at in notes[rel].blocks:
            shown = _owner(owners, at) or note_pages.get(rel) or owners[0]
            index.blocks.setdefault((rel, name), Target(shown.url, anchor, shown.title))
        for anchor, at in notes[rel].anchors:
            shown = _owner(owners, at) or note_pages.get(rel) or owners[0]
            index.anchors[(rel, anchor)] = Target(shown.url, anchor, shown.title)
        for ref in refs:
            if ref.anchor:
                index.add_name(ref.text, Target(ref.url, ref.anchor, ref.page_title))
    return index


def _owner(owners: list[Topic], token_index: int) -> Topic | None:
    """The topic whose token range holds `token_index` (None: the note's preamble)."""
    for topic in owners:
        if topic.token_start - 3 <= token_index < topic.token_end:
            return topic
    return None


def _heading_refs(
    note: Note, owners: list[Topic], page: NotePage | None, heading_at: dict[tuple[str, int], Target]
) -> list[HeadingRef]:
    """Where each heading of `note` is shown (its pages are `owners` and `page`), also
    recorded in `heading_at` by (note, token index)."""
    refs: list[HeadingRef] = []
    owner_starts = [t.token_start - 3 for t in owners]  # a topic's range includes its title H1
    for h in note.headings:
        i = bisect_right(owner_starts, h.token_index) - 1
        owner = owners[i] if i >= 0 and h.token_index < owners[i].token_end else None
        if owner is not None and owner.title_heading is not None and owner.title_heading.token_index == h.token_index:
            refs.append(HeadingRef(h.text, owner.url, owner.place_id, owner.title))
        elif owner is not None and h.token_index in owner.heading_ids:
            refs.append(HeadingRef(h.text, owner.url, owner.heading_ids[h.token_index], owner.title))
        elif page is not None and h.token_index in page.heading_ids:
            refs.append(HeadingRef(h.text, page.url, page.heading_ids[h.token_index], page.title))
        else:
            continue
        heading_at[(note.rel, h.token_index)] = Target(refs[-1].url, refs[-1].anchor, refs[-1].page_title)
    return refs


def _link_label(link: Link) -> str:
    return f"[[{link.target}]]" if link.kind in ("wiki", "embed") else f"({link.target})"


def has_text(tokens, start: int, end: int) -> bool:
    """Whether tokens [start, end) hold any text, code or HTML (not only blank lines)."""
    return any(t.content.strip() for t in tokens[start:end] if t.type != "front_matter")


def sections(note: Note) -> list[tuple[Heading, int, int]]:
    """Each top-level heading with the token range of its section: from after the heading to
    the next heading of the same or a higher level."""
    heads = [h for h in note.headings if h.top_level]
    found = []
    for n, h in enumerate(heads):
        end = next((later.token_index for later in heads[n + 1 :] if later.level <= h.level), len(note.tokens))
        found.append((h, h.token_index + 3, end))
    return found


def filled(note: Note, topics: list[Topic]) -> tuple[bool, ...]:
    """Which of a note's topics and heading sections have text: what, besides its outline,
    decides the note's mention targets (see `mention_names`)."""
    ranges = [(t.token_start, t.token_end) for t in topics] + [(start, end) for _, start, end in sections(note)]
    return tuple(has_text(note.tokens, start, end) for start, end in ranges)


def _has_text(note: Note, start: int, end: int) -> bool:
    return has_text(note.tokens, start, end)


def mention_names(
    index: LinkIndex, topics: dict[str, Topic], texty: Callable[[Note, int, int], bool] = _has_text
) -> list[tuple[str, Target, str]]:
    """Names a mention can use, by priority: topic titles, aliases, then headings.

    A page or heading section with no text of its own (`# learning` followed by the next
    topic, `## PPO` with nothing under it) is not a target: a link there leads nowhere.
    `texty(note, start, end)` says whether tokens [start, end) of a note hold text (a
    caller may remember the answers per note)."""
    filled: dict[str, bool] = {}
    for t in topics.values():
        filled[t.url] = filled.get(t.url, False) or texty(index.notes[t.note_rel], t.token_start, t.token_end)
    names = [
        (name, Target(t.url, "", t.title), t.note_rel)
        for t in topics.values()
        if filled[t.url]
        for name in name_variants(t.name)
    ]
    for rel, note in index.notes.items():
        if rel in index.note_url and filled.get(index.note_url[rel], True):
            names += [(alias, Target(index.note_url[rel], "", index.note_title[rel]), rel) for alias in note.aliases]
    for rel, note in index.notes.items():
        for h, start, end in sections(note):
            target = index.heading_at.get((rel, h.token_index))
            if target is None or not target.anchor or target.anchor.startswith("place-"):
                continue
            if texty(note, start, end):
                names += [(name, target, rel) for name in name_variants(h.text)]
    return names


def is_image(name: str) -> bool:
    """True when `![[name]]` shows the file itself: an image, a PDF, audio or video."""
    return media_kind(name) != ""


def resolve(index: LinkIndex, note: Note, key: LinkKey) -> Resolved:
    """The one link resolver: what link `key` written in `note` points to.

    ("wiki", page, heading): `[[page#heading]]` and `![[page#heading]]` by title, file name,
    alias or heading, else (no heading) a file of the vault, as `[[pic.png]]`;
    ("link", href, ""): a Markdown link to a note, a site page or a file;
    ("image", src, ""): an image (or other shown file) or `![[image.png]]`, relative to the
    note's folder. A note or file that is not at the path written is found by its name
    anywhere in the vault (`LinkIndex.by_file_name`), as Obsidian does."""
    kind, name, heading = key
    shared: tuple[str, ...] = ()
    if kind == "wiki":
        target, shared = index.wiki(note, name, heading)
        if target is None and name and not heading:
            target = index.resolve_href(note, name)
    elif kind == "link":
        target = index.resolve_href(note, name)
    else:
        path = name.split("#", 1)[0].split("?", 1)[0]
        rel_path = source_relative("" if path.startswith("/") else note.folder, path.lstrip("/"))
        target = Target(asset_url("", rel_path)) if rel_path is not None and rel_path in index.files else None
    ambiguous: tuple[str, ...] = ()
    missing = ""
    if target is None and kind in ("wiki", "link"):  # a note that exists, a heading that does not
        page, fragment = (name, heading) if kind == "wiki" else name.partition("#")[::2]
        if fragment and not fragment.startswith("^"):
            target = (
                (index.find_page(page, note)[0] if page else None)
                if kind == "wiki"
                else (index.resolve_href(note, page) if page else None)
            )
            missing = fragment if target is not None else ""
    if target is None and name and not (kind == "wiki" and heading):
        path = name if kind == "wiki" else name.split("#", 1)[0].split("?", 1)[0]
        candidates = index.by_file_name(note, path)
        if kind == "image":
            candidates = tuple(c for c in candidates if c in index.files)
        if candidates:
            target, ambiguous = index.target_of(candidates[0]), candidates if len(candidates) > 1 else ()
            fragment = name.partition("#")[2] if kind == "link" else ""
            if fragment and candidates[0] in index.note_url:
                target = index.find_heading(candidates[0], fragment) or target
    if target is not None and target.url.startswith(urls.ASSETS):
        return Resolved(target, target.url[len(urls.ASSETS) :], ambiguous)
    if target is not None and len(shared) > 1:
        return Resolved(target, ambiguous=shared, missing_heading=missing, shared_title=name.strip())
    return Resolved(target, ambiguous=ambiguous, missing_heading=missing)


def link_key(link: Link) -> LinkKey:
    """The question a link of `note.links` asks (as the renderer asks it)."""
    if link.kind in ("wiki", "embed"):
        page, _, heading = link.target.partition("#")
        if link.kind == "embed" and page and is_image(page):  # `![[icon.svg#icon]]`: the fragment is the image's
            return ("image", unquote(page), "")
        return ("wiki", page, heading)
    return ("link", link.target, "")


@dataclass(frozen=True)
class NoteLinks:
    """What one note's links and images resolve to: the answer to each, the backlinks it
    gives, the files it needs copied and its warnings. Depends on the note, its pages and
    the LinkIndex only."""

    results: dict[LinkKey, Resolved] = field(default_factory=dict)
    backlinks: tuple[tuple[str, Backlink], ...] = ()  # (target URL, backlink), in link order
    assets: tuple[tuple[str, str], ...] = ()  # (asset URL, source path)
    diagnostics: tuple[Diagnostic, ...] = ()
    deps: frozenset = field(default=frozenset(), compare=False)  # index entries read (indexdeps.py)


def _broken(rel: str, link: Link) -> Diagnostic:
    if not link.target.strip():
        return warning(
            rel, link.line, "empty link target", "write the URL or note between the parentheses, or remove the link"
        )
    return warning(
        rel,
        link.line,
        f"broken link {_link_label(link)}: no note, topic, alias, heading or file by that name",
        "check the spelling; links match titles, file names and aliases",
    )


def _ambiguous(rel: str, line: int, label: str, candidates: tuple[str, ...]) -> Diagnostic:
    others = ", ".join(candidates[1:3]) + (" …" if len(candidates) > 3 else "")
    return warning(
        rel,
        line,
        f"link {label} could mean {len(candidates)} files: using {candidates[0]}, not {others}",
        "write the folder too (`folder/name`) to choose one",
    )


def _shared_title(index: LinkIndex, rel: str, line: int, label: str, found: Resolved) -> Diagnostic:
    """The warning for a link by a title several pages share (`found.ambiguous` are their notes)."""
    candidates, title = found.ambiguous, found.shared_title
    others = ", ".join(candidates[1:3]) + (" …" if len(candidates) > 3 else "")
    other = candidates[1]
    page = next((p for r, p in index.homonyms.get(title_key(title), ()) if r == other), None)
    path = posixpath.splitext(other)[0]
    choose = f"[[{path}]]" if page is None or index.note_url.get(other) == page.url else f"[[{path}#{title}]]"
    return warning(
        rel,
        line,
        f"link {label} could mean {len(candidates)} pages titled '{title}': using {candidates[0]}, not {others}",
        f"the page in this note's folder wins, then the shortest path; write the note's path to choose"
        f" another: `{choose}`",
    )


def note_links(index: LinkIndex, note: Note, topics: list[Topic], note_page: NotePage | None) -> NoteLinks:
    """Resolve every link and local image of one note, once (its pages are `topics` and `note_page`)."""
    rel = note.rel
    page_at = line_lookup(topics, note_page)
    results: dict[LinkKey, Resolved] = {}
    diags: list[Diagnostic] = []
    backlinks: list[tuple[str, Backlink]] = []
    assets: list[tuple[str, str]] = []
    for link in note.links:
        if link.kind == "external":
            continue
        key = link_key(link)
        found = results.get(key) or results.setdefault(key, resolve(index, note, key))
        if found.ambiguous:
            if found.shared_title:
                diags.append(_shared_title(index, rel, link.line, _link_label(link), found))
            else:
                diags.append(_ambiguous(rel, link.line, _link_label(link), found.ambiguous))
        if found.missing_heading:
            diags.append(
                warning(
                    rel,
                    link.line,
                    f"link {_link_label(link)}: the note has no heading '{found.missing_heading}'; it opens the note",
                    "check the heading's spelling (it may have been renamed)",
                )
            )
        if found.target is None:
            diags.append(_broken(rel, link))
        elif found.asset:
            assets.append((found.target.url, found.asset))
        else:
            source_url, source_title = page_at(link.line)
            if source_url != found.target.url:
                backlinks.append((found.target.url, Backlink(source_url, source_title, rel, link.line)))
    for image in note.images:
        if not image.local:
            continue
        key = ("image", image.src, "")
        found = results.get(key) or results.setdefault(key, resolve(index, note, key))
        if found.ambiguous:
            diags.append(_ambiguous(rel, image.line, f"({image.src})", found.ambiguous))
        if found.target is None:
            diags.append(
                warning(
                    rel,
                    image.line,
                    f"missing image '{image.src}'",
                    "the file does not exist in the notes folder; it is shown as a placeholder",
                )
            )
        else:
            assets.append((found.target.url, found.asset))
    return NoteLinks(results, tuple(backlinks), tuple(assets), tuple(diags))
