"""Every URL the site defines itself, in one place: emitters, templates (as `urls`), the
reserved-permalink check and the slug rules read them from here.

Site URLs are root-relative and pretty (`/tags/`); pages link to each other with relative
URLs (see paths.relative_url), so a site works under any base path.
"""

from __future__ import annotations

HOME = "/"
TAGS = "/tags/"  # the tag index; one page per tag below it
TRACKER = "/tasks/"  # page 1 of the TODO tracker; tracker_page(k) for the others
GRAPH_PAGE = "/graph/"
GRAPH_JSON = "/graph.json"
# the same data as a script, for a site opened from disk (config file_urls); graph-data.js adds ".js"
GRAPH_JS = GRAPH_JSON + ".js"
PREVIEWS = "/previews/"  # link previews as scripts, for a site opened from disk (config file_urls)
EXPLORER = "/explorer.js"  # the explorer's tree of folders and notes (emit/explorer.py)
NOTES = "/notes/"  # collection notes' own pages
ASSETS = "/assets/"  # the vault's images and files, at their path in the notes folder
STATIC = "/static/"  # the theme's CSS and scripts
MESSAGES = STATIC + "messages.js"  # the scripts' words, made from the message catalogue (emit/messages.py)
MERMAID_DIR = STATIC + "vendor/mermaid/"  # copied only into a site with a diagram (pipeline.manifest)
NOT_FOUND = "/404.html"
SITEMAP = "/sitemap.xml"
RECENT = "/recent/"  # the topics updated last, by day (emit/recent.py)
FEED = "/feed.xml"  # Atom feed of the topics updated last (emit/recent.py)
SEARCH = "/search/"  # the search page; the index files (meta.js, g/, t/, d/) below it
# the list of topics goes on at topics_page(2), … in a big vault; it starts here when a note owns HOME
TOPICS = "/topics/"

# URLs a note's permalink may not take: the generated pages and the folders the site fills
SECTIONS = (TAGS, TRACKER, GRAPH_PAGE, NOTES, ASSETS, STATIC, SEARCH, TOPICS, PREVIEWS)
GENERATED = (HOME, TAGS, TRACKER, GRAPH_PAGE, GRAPH_JSON, GRAPH_JS, EXPLORER, NOT_FOUND, SITEMAP, SEARCH, RECENT, FEED)

# top-level URL segments a topic slug never takes
RESERVED_SLUGS = frozenset({u.strip("/") for u in (*SECTIONS, *GENERATED) if u != HOME} | {"404", "index.html"})


def tracker_page(k: int) -> str:
    """The URL of page `k` (from 1) of the TODO tracker: `/tasks/`, `/tasks/2/`, `/tasks/3/`, …"""
    if k < 1:
        raise ValueError(f"tracker pages count from 1, got {k}")
    return TRACKER if k == 1 else f"{TRACKER}{k}/"


# a paged tracker's other files (below TRACKER, so reserved with it)
TRACKER_NOTES = TRACKER + "notes/"  # "Progress by note"; tracker_notes(k) for its page k
TRACKER_TOPICS = TRACKER + "topics.js"  # every topic and its page, for the Topic filter


def tracker_notes(k: int) -> str:
    """The URL of page `k` (from 1) of a paged tracker's "Progress by note": `/tasks/notes/`, `/tasks/notes/2/`, …"""
    if k < 1:
        raise ValueError(f"tracker pages count from 1, got {k}")
    return TRACKER_NOTES if k == 1 else f"{TRACKER_NOTES}{k}/"


def topics_page(k: int, home_note: bool = False) -> str:
    """The URL of page `k` (from 1) of the list of topics: the home page, `/topics/2/`, …;
    with `home_note` (a note's permalink is `/`: it is the home page) `/topics/`, `/topics/2/`, …"""
    if k < 1:
        raise ValueError(f"topic list pages count from 1, got {k}")
    if k == 1:
        return TOPICS if home_note else HOME
    return f"{TOPICS}{k}/"


def reserved(url: str) -> bool:
    """Whether a permalink URL is one the site uses itself (or lies in one of its folders).
    HOME is not: a note may own it (Jekyll's and Obsidian Publish's home note), and the list
    of topics moves to TOPICS."""
    return url != HOME and (url in GENERATED or url.strip("/").split("/")[0] in RESERVED_SLUGS)


def reserved_hint() -> str:
    """How to fix a permalink on a reserved URL (the list comes from the URLs above)."""
    folders = ", ".join(SECTIONS)
    return (
        f"choose a permalink that does not start with {folders} and is not another generated page"
        f" ({HOME} is allowed: that note becomes the home page); the note is published at its ordinary URL"
    )


def as_context() -> dict[str, str]:
    """The URLs by name, for templates (`urls.tags`, `urls.static`, …)."""
    names = (
        *("HOME", "TAGS", "TRACKER", "GRAPH_PAGE", "GRAPH_JSON", "NOTES", "ASSETS", "STATIC", "NOT_FOUND", "SITEMAP"),
        *("SEARCH", "TRACKER_NOTES", "TRACKER_TOPICS", "MERMAID_DIR", "EXPLORER", "MESSAGES", "RECENT", "FEED"),
    )
    return {name.lower(): globals()[name] for name in names}
