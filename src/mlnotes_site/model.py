"""Plain, frozen data passed between the stages: Note -> Topic -> Site. No I/O here.

**A new object is a new version; the same object means unchanged.** No stage ever changes
an object it was given: a Note, Topic, NotePage or Site is made once and then only read.
`mlnotes serve` relies on this to stay incremental: a note whose bytes did not change is
the very same Note object as before, so the graph stage finds what changed by identity
(`is`), and the page cache (pipeline.py) reuses a rendered page while its description is
equal, comparing the Markdown it shows by Note identity and token range.

The one part of a Site computed lazily is its related-topic rows: `RelatedRows` below
names that protocol. A row, once computed, is what a full computation would give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol

from .errors import Diagnostic


@dataclass(frozen=True)
class Heading:
    """A heading in a note; `line` is 1-based in the source file (front matter included)."""

    level: int
    text: str
    line: int
    token_index: int  # index of its heading_open token in Note.tokens
    top_level: bool  # not nested in a list or quote
    # only for a heading with a formula ("" otherwise): the heading as HTML (text escaped,
    # formulas as MathML) and as plain text (each formula's TeX without its `$`). `text`, with
    # the dollars, stays what links and ids match.
    math_html: str = ""
    math_plain: str = ""

    @property
    def plain(self) -> str:
        """The heading as plain text: its formulas without their `$` (for titles and search)."""
        return self.math_plain or self.text


@dataclass(frozen=True)
class Link:
    """A link written in a note. `kind` is "markdown", "wiki", "embed" or "external"."""

    kind: str
    target: str
    label: str
    line: int


@dataclass(frozen=True)
class Image:
    """An image reference (`![alt](src)`); `local` when it points to a file in the vault."""

    src: str
    alt: str
    line: int
    local: bool


@dataclass(frozen=True)
class Task:
    """A checklist item, as written: status, text, place in the outline, dates.

    `id` is its stable anchor (content-based, see markdown/tasks.py); `parent` is the id
    of the task it is nested under; `inline_index` points at its text in Note.tokens.
    """

    id: str
    mark: str  # the character between the brackets
    status: str  # open, done, in-progress, cancelled, question, other
    text: str
    line: int
    heading_path: tuple[str, ...]
    parent: str | None
    inline_index: int
    links: tuple[str, ...] = ()
    date: str | None = None  # YYYY-MM-DD: ✅ done date, else inferred from the outline
    date_source: str | None = None  # "emoji" or "outline"
    period: str | None = None  # YYYY-MM from the outline when no day is written
    due: str | None = None  # 📅
    scheduled: str | None = None  # ⏳
    start: str | None = None  # 🛫
    priority: str | None = None  # highest, high, medium, low, lowest

    @property
    def done(self) -> bool:
        """True for `[x]` and `[X]`."""
        return self.status == "done"


@dataclass(frozen=True)
class Question:
    """An open question: a heading starting with `？`/`?`, or a `[?]` item."""

    text: str  # without the leading question mark
    line: int
    heading_index: int | None  # token index of the heading, None for a `[?]` item
    task_id: str | None = None


@dataclass(frozen=True, order=True)
class Stamp:
    """A moment a note was written or changed: `epoch` (seconds since 1970, UTC) orders
    stamps; `iso` is how it was known, `2023-06-09T10:00:00+08:00` (the offset it was written
    in) or `2023-06-09` for a date alone (ordered as its midnight, UTC)."""

    epoch: float
    iso: str

    @property
    def day(self) -> str:
        """`YYYY-MM-DD` in the stamp's own offset (the day its author lived)."""
        return self.iso[:10]

    @property
    def rfc3339(self) -> str:
        """A full date-time, as Atom and sitemaps want it (a date alone is its midnight, UTC)."""
        return self.iso + "T00:00:00Z" if len(self.iso) == 10 else self.iso


@dataclass(frozen=True)
class NoteDates:
    """When a note was created and last updated, and where each date comes from: "front
    matter", "git" or "file" (its modification time). `updated` is never before `created`."""

    created: Stamp
    updated: Stamp
    created_from: str
    updated_from: str


@dataclass(frozen=True)
class LineDates:
    """When the lines of a file now were written: runs (first line, last line + 1, stamp),
    as `git blame` dates them; and where lines were deleted: (the line now before the place,
    or 1, stamp), newest first."""

    written: tuple[tuple[int, int, Stamp], ...]
    removed: tuple[tuple[int, Stamp], ...] = ()

    def span(self, first: int, last: int) -> tuple[Stamp | None, Stamp | None]:
        """The oldest date of the lines [first, last], and the newest of them and of the
        deletions among them (None: no line or deletion there is dated)."""
        written = [stamp for start, end, stamp in self.written if start <= last and end > first]
        touched = written + [stamp for line, stamp in self.removed if first <= line <= last]
        return min(written, default=None), max(touched, default=None)


@dataclass(frozen=True)
class FileTimes:
    """What a note's file and its git history say of its dates, front matter aside (found by
    the pipeline's load stage, combined with front matter by graph/dates.py). None: that
    source is off or knows nothing."""

    modified: Stamp | None = None  # the file's modification time
    git_created: Stamp | None = None  # its first commit
    git_updated: Stamp | None = None  # its last commit that changed it
    committed: bool = True  # its bytes are its last commit's (else the file's time is newer)
    lines: LineDates | None = None  # when each of its lines was written (load/history.py), if committed


@dataclass(frozen=True)
class Note:
    """One Markdown file as loaded: metadata, parsed tokens and what they contain.

    `tokens` are markdown-it tokens; later stages read them and never modify them.
    """

    rel: str  # posix path relative to the notes folder, e.g. "sub/a.md"
    stem: str  # file name without extension
    meta: dict[str, Any]  # front matter (empty when there is none)
    has_front_matter: bool
    title: str | None  # front-matter title
    tags: tuple[str, ...]  # front-matter tags
    aliases: tuple[str, ...]
    date: str | None  # front matter `date` as written
    permalink: str | None
    topics_mode: str | None  # front matter `topics: whole|split`
    draft: bool
    tokens: tuple[Any, ...] = field(repr=False)
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    images: tuple[Image, ...]
    tasks: tuple[Task, ...]
    questions: tuple[Question, ...]
    inline_tags: tuple[tuple[str, int], ...]  # (tag, line)
    line_count: int
    # block references `text ^name`: (name, id to link to, index of the block's open token)
    blocks: tuple[tuple[str, str, int], ...] = ()
    # ids its raw HTML gives (`<a id="ref-1"></a>`): (id, index of the token holding it)
    anchors: tuple[tuple[str, int], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    parse_env: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # footnotes live here
    # front matter's dates: `date`/`created`, and `updated`/`lastmod`/`modified`/`last_modified_at`
    created: Stamp | None = None
    updated: Stamp | None = None

    @property
    def folder(self) -> str:
        """The note's folder relative to the notes root ("" at the root)."""
        return self.rel.rpartition("/")[0]


@dataclass(frozen=True)
class Topic:
    """One topic page: a whole note, or one H1 section of a collection note."""

    key: str  # unique id: the slug
    url: str  # root-relative pretty URL
    title: str  # as shown: `Intro (folder1)` when another page has the title `Intro`
    name: str  # the title as written (what links and mentions use)
    note_rel: str
    index: int  # position among the note's topics
    token_start: int  # tokens [token_start, token_end) of the note make the page body
    token_end: int
    title_heading: Heading | None  # the H1 the topic is titled by (not repeated in the body)
    first_line: int
    last_line: int
    headings: tuple[Heading, ...]  # headings in the body, in order
    heading_ids: dict[int, str] = field(hash=False)  # token_index -> unique id on this page
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    tasks: tuple[Task, ...] = ()
    tags: tuple[str, ...] = ()
    is_whole_note: bool = False  # the note has exactly this one topic: its page is this page
    place_id: str = ""  # a later place of a merged topic: its anchor on the page ("" for the first)

    @property
    def title_math(self) -> str:
        """The title as HTML with its formulas as MathML when it is a heading that has any, else ""."""
        h = self.title_heading
        return h.math_html if h is not None and h.text == self.title else ""

    @property
    def plain_title(self) -> str:
        """The title as plain text: a heading's formulas without their `$` (`<title>`, search)."""
        h = self.title_heading
        return h.plain if h is not None and h.text == self.title else self.title


@dataclass(frozen=True)
class NotePage:
    """The page of a collection note: its preamble and the list of its topics."""

    note_rel: str
    url: str
    title: str
    token_end: int  # preamble tokens are [0, token_end)
    headings: tuple[Heading, ...]
    heading_ids: dict[int, str] = field(hash=False)
    topic_keys: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # front-matter tags and #tags written in the preamble


@dataclass(frozen=True)
class Target:
    """Where an internal link lands: a page URL and an optional heading id."""

    url: str
    anchor: str = ""
    title: str = ""

    @property
    def href(self) -> str:
        """Root-relative URL with the fragment."""
        return f"{self.url}#{self.anchor}" if self.anchor else self.url


@dataclass(frozen=True)
class Backlink:
    """A page that links to a topic: its URL, title, and the line of the link."""

    url: str
    title: str
    note_rel: str
    line: int


@dataclass(frozen=True)
class PageRef:
    """A short reference to a page, for lists (tag pages, backlinks)."""

    url: str
    title: str
    note_rel: str


@dataclass(frozen=True)
class Resolved:
    """What one link, wikilink, embed or image of a note points to, decided once at graph time
    (graph/links.py `resolve`): a page and heading, a file of the vault, or nothing (broken)."""

    target: Target | None
    asset: str = ""  # a file to copy: its path relative to the notes folder
    # found by name in several places: the candidates (the first is the one chosen), for a warning
    ambiguous: tuple[str, ...] = ()
    missing_heading: str = ""  # the note exists but has no such heading: the link opens the note
    shared_title: str = ""  # `ambiguous` are the notes of pages that share this title (a link by title)


# the question a link asks, as the renderer sees it: ("link", href, ""), ("wiki", page,
# heading) for wikilinks and embeds of pages, ("image", src, "") for images and image embeds
LinkKey = tuple[str, str, str]


@dataclass(frozen=True)
class Mention:
    """A linked mention: text at [start, end) of child `child` of inline token `inline` in note `note_rel`."""

    note_rel: str
    line: int
    inline: int
    child: int
    start: int
    end: int
    target: Target
    key: str  # the folded name that matched


@dataclass(frozen=True)
class Related:
    """A related topic and why: the reason shown to the reader, as the kind of reason (`why`:
    cite, tagged, text, text_terms; the page words it, catalogue key `related.<why>`) and
    what it names (`reason`: a URL, `#tags`, shared terms)."""

    url: str
    title: str
    score: float = field(compare=False)  # not shown on the page: equal lists render the same
    reason: str = ""
    why: str = ""


class RelatedRows(Protocol):
    """Topic URL -> its related topics, best first, as pages list them (no page in more than a
    quarter of the lists); rows are computed when first read (the lazy part of a Site:
    graph/related.py `Rows`). `candidates` are the rows before that cap (the graph's edges)."""

    def get(self, key: str, default: tuple[Related, ...], /) -> tuple[Related, ...]: ...

    def items(self) -> Iterable[tuple[str, tuple[Related, ...]]]: ...

    def candidates(self) -> Iterable[tuple[str, tuple[Related, ...]]]: ...

    def refresh(self, seconds: float) -> bool: ...


class NoRows:
    """RelatedRows of a Site that lists no related topics."""

    def get(self, key: str, default: tuple[Related, ...], /) -> tuple[Related, ...]:
        return default

    def items(self) -> Iterable[tuple[str, tuple[Related, ...]]]:
        return ()

    def candidates(self) -> Iterable[tuple[str, tuple[Related, ...]]]:
        return ()

    def refresh(self, seconds: float) -> bool:
        return False


class FixedRows:
    """RelatedRows already computed: a snapshot that no later update changes."""

    def __init__(
        self, rows: dict[str, tuple[Related, ...]], candidates: dict[str, tuple[Related, ...]] | None = None
    ) -> None:
        self.rows = rows
        self.best = rows if candidates is None else candidates

    def get(self, key: str, default: tuple[Related, ...], /) -> tuple[Related, ...]:
        return self.rows.get(key, default)

    def items(self) -> Iterable[tuple[str, tuple[Related, ...]]]:
        return self.rows.items()

    def candidates(self) -> Iterable[tuple[str, tuple[Related, ...]]]:
        return self.best.items()

    def refresh(self, seconds: float) -> bool:
        return False


class LinkTables(Protocol):
    """The parts of the link index (graph/links.py `LinkIndex`) that pages read: which note
    shows a page, note titles, and where each heading is shown."""

    @property
    def notes(self) -> Mapping[str, Note]: ...

    @property
    def note_title(self) -> Mapping[str, str]: ...

    @property
    def url_note(self) -> Mapping[str, str]: ...

    @property
    def heading_at(self) -> Mapping[tuple[str, int], Target]: ...


class SearchFiles(Protocol):
    """The search index's files as a Site holds them: `SearchData` below, or graph/search.py's
    `LazySearch`, which makes them when first read (an edit in `mlnotes serve` changes the
    documents of one page, and the files are made again only when a search asks for them)."""

    @property
    def meta(self) -> str: ...

    @property
    def groups(self) -> tuple[str, ...]: ...

    @property
    def shards(self) -> tuple[str, ...]: ...

    @property
    def docs(self) -> tuple[str, ...]: ...

    @property
    def layout(self) -> tuple[int, int, int]: ...


@dataclass(frozen=True)
class SearchData:
    """The search index as files under /search/ (graph/search.py makes it; the format is the
    search spec's): the text of meta.js, of each g/<i>.js, t/<k>.js and d/<j>.js. The same
    object while no document changed."""

    meta: str = ""
    groups: tuple[str, ...] = ()
    shards: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()

    @property
    def layout(self) -> tuple[int, int, int]:
        """How many files of each kind (the set of URLs changes only when this does)."""
        return len(self.groups), len(self.shards), len(self.docs)


@dataclass(frozen=True)
class Site:
    """The whole vault, indexed: everything the renderer needs, computed before any page."""

    notes: dict[str, Note]  # by rel
    topics: dict[str, Topic]  # by key, in vault order
    note_topics: dict[str, tuple[str, ...]]  # note rel -> topic keys in order
    note_pages: dict[str, NotePage]  # only collection notes have one
    index: LinkTables  # graph/links.py LinkIndex (read-only after the graph stage)
    resolved: Mapping[str, Mapping[LinkKey, Resolved]]  # note rel -> what each of its links points to
    backlinks: dict[str, tuple[Backlink, ...]]  # page url -> pages linking to it
    tags: dict[str, tuple[PageRef, ...]]  # tag -> pages (topics and collection pages)
    tag_urls: Mapping[str, str]  # folded tag -> its page URL, unique (see graph/views.py Tags)
    assets: dict[str, str]  # site URL -> source path (relative to notes root) of copied files
    mentions: Mapping[str, tuple[Mention, ...]] = field(default_factory=dict)  # page URL -> mentions linked on it
    mentioned_in: dict[str, tuple[Backlink, ...]] = field(default_factory=dict)  # page URL -> pages mentioning it
    related: RelatedRows = field(default_factory=NoRows)  # topic URL -> related topics, best first
    places: dict[str, tuple[str, ...]] = field(default_factory=dict)  # page URL -> topic keys shown on it
    search: SearchFiles = field(default_factory=SearchData)  # the search index's files
    language: str = "en"  # the notes' language, "zh-CN" when mostly Han text (graph/language.py)
    text_counts: tuple[int, int] = (0, 0)  # Han characters and Latin words of the published notes
    dates: Mapping[str, NoteDates] = field(default_factory=dict)  # note rel -> its dates (graph/dates.py)
    recent: tuple[str, ...] = ()  # the keys of the 100 topics updated last, newest first
    page_dates: Mapping[str, NoteDates] = field(default_factory=dict)  # page URL -> its dates (a topic's own)
    reading: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # topic key -> Han characters, words
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def topic_count(self) -> int:
        """How many topic pages there are (the places of a merged topic are one page)."""
        return sum(1 for t in self.topics.values() if not t.place_id)

    @property
    def home_note(self) -> str | None:
        """The note whose page is the home page `/` (its permalink is `/`), or None: then the
        home page is the list of topics."""
        return self.index.url_note.get("/")

    def note_url(self, rel: str) -> str:
        """URL of a note's own page (its topic page when the note is one topic)."""
        if rel in self.note_pages:
            return self.note_pages[rel].url
        return self.topics[self.note_topics[rel][0]].url
