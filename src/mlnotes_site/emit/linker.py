"""Link look-ups for the Markdown renderer: what each link, wikilink, image and embed of a
page points to (see markdown/render_rules.py, which asks `env["linker"]`).

Nothing is resolved here: every link was resolved once, in the graph stage
(graph/links.py `resolve`), and the answers are in `Site.resolved`; a Linker looks them up.

A Linker can record every answer it gives (`lookups`); `mlnotes serve` keeps a rendered
page while the same questions still get the same answers from the new site (`still_true`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import unquote

from ..graph.links import is_image
from ..model import LinkKey, Note, Resolved, Site
from ..paths import fold, is_external, relative_url, tag_url

Lookup = tuple[str, str, str, tuple[tuple, dict], Any]  # (note rel, page URL, method, (args, kwargs), answer)


@dataclass(frozen=True)
class LinkResult:
    """How the renderer shows a link or image: href, CSS class, or broken with a reason."""

    href: str = ""
    css: str = ""
    external: bool = False
    broken: bool = False
    problem: str = ""  # the catalogue key of the broken link's title (link.broken, …)
    title: str = ""  # what the title names: the link's target as written


@dataclass(frozen=True)
class Embed:
    """What `![[page#heading]]` shows: tokens [start, end) of `note`, and a link to the source."""

    note: Note
    start: int
    end: int
    href: str  # relative to the embedding page
    title: str

    @property
    def key(self) -> tuple[str, int, int]:
        """Identity of the embedded range, for the cycle guard."""
        return (self.note.rel, self.start, self.end)


def page_range(site: Site, rel: str, url: str) -> tuple[int, int] | None:
    """Token range [start, end) of note `rel` shown as the body of the page at `url`."""
    for key in site.note_topics.get(rel, ()):
        topic = site.topics[key]
        if topic.url == url:
            return topic.token_start, topic.token_end
    page = site.note_pages.get(rel)
    if page is not None and page.url == url:
        tokens = site.notes[rel].tokens
        return (1 if tokens and tokens[0].type == "front_matter" else 0), page.token_end
    return None


def _recorded(method):
    """Record the method's answers in the Linker's `lookups` (when it keeps them)."""

    def ask(self: "Linker", *args: Any, **kwargs: Any) -> Any:
        answer = method(self, *args, **kwargs)
        if self.lookups is not None:
            self.lookups.append((self.note.rel, self.page_url, method.__name__, (args, kwargs), answer))
        return answer

    ask.__name__, ask.__doc__ = method.__name__, method.__doc__
    return ask


class Linker:
    """Answers the Markdown renderer's questions for one page (see markdown/render_rules.py).

    `relative` makes its relative links: `paths.relative_url`, or the Renderer's remembering
    one (emit/relative.py), which gives the same answers."""

    def __init__(
        self,
        site: Site,
        note: Note,
        page_url: str,
        lookups: list[Lookup] | None = None,
        relative: Callable[[str, str], str] = relative_url,
    ) -> None:
        self.site, self.note, self.page_url, self.lookups = site, note, page_url, lookups
        self.relative = relative

    def for_note(self, note: Note) -> "Linker":
        """A Linker for text of `note` shown on this page (embedded content)."""
        return Linker(self.site, note, self.page_url, self.lookups, self.relative)

    @staticmethod
    def is_image(name: str) -> bool:
        """True when `![[name]]` names an image file."""
        return is_image(name)

    def _resolved(self, key: LinkKey) -> Resolved:
        """The graph stage's answer for a link of this note (broken when it has none: every
        link the loader found was resolved, so a miss would be a loader/renderer mismatch)."""
        found = self.site.resolved.get(self.note.rel, {}).get(key)
        return found if found is not None else Resolved(None)

    @_recorded
    def embed(self, page: str, heading: str) -> Embed | None:
        """The content `![[page#heading]]` shows, or None when it is not a page or heading
        (a broken link, a file): the caller then renders a plain link."""
        index = self.site.index
        answer = self._resolved(("wiki", page, heading))
        target = answer.target
        if target is None or answer.missing_heading:  # no such section: a link to the note instead
            return None
        rel = index.url_note.get(target.url)
        bounds = page_range(self.site, rel, target.url) if rel else None
        if rel is None or bounds is None:
            return None
        note = self.site.notes[rel]
        start, end = bounds
        block = next((at for name, _, at in note.blocks if heading.startswith("^") and name == heading[1:]), None)
        if block is not None:  # `![[b#^name]]`: the block alone, open to close
            opener = note.tokens[block]
            close = block
            if opener.nesting == 1:  # (a code block or formula is one token)
                close = next(
                    (i for i in range(block + 1, len(note.tokens)) if note.tokens[i].level == opener.level), block
                )
            return Embed(note, block, close + 1, self.rel(target.href), target.title)
        if target.anchor:
            found = next((h for h in note.headings if index.heading_at.get((rel, h.token_index)) == target), None)
            if found is None or not found.top_level:
                return None
            start = found.token_index
            later = (
                h.token_index for h in note.headings if h.token_index > start and h.top_level and h.level <= found.level
            )
            end = min(end, next(later, end))
        return Embed(note, start, end, self.rel(target.href), target.title)

    def rel(self, url: str) -> str:
        """Relative URL from this page."""
        return self.relative(self.page_url, url)

    @_recorded
    def link(self, href: str, auto: bool = False) -> LinkResult:
        """A Markdown link: external ones are marked, internal ones resolved or shown broken."""
        if is_external(href):
            return LinkResult(href, "external" if href.startswith(("http:", "https:", "//")) else "", external=True)
        target = self._resolved(("link", unquote(href), "")).target
        if target is None:
            return LinkResult(broken=True, problem="link.broken", title=unquote(href))
        return LinkResult(self.rel(target.href), "internal")

    @_recorded
    def wiki(self, page: str, heading: str) -> LinkResult:
        """A wikilink `[[page#heading]]`."""
        target = self._resolved(("wiki", page, heading)).target
        if target is None:
            shown = page + (f"#{heading}" if heading else "")
            return LinkResult(broken=True, problem="link.broken_name", title=shown)
        return LinkResult(self.rel(target.href), "internal")

    @_recorded
    def image(self, src: str) -> LinkResult:
        """An image: remote ones load lazily, local ones point at their copy in /assets/."""
        if is_external(src) or src.startswith("data:"):
            return LinkResult(src, external=True)
        target = self._resolved(("image", unquote(src), "")).target
        if target is None:
            return LinkResult(broken=True, problem="link.missing_image", title=src)
        return LinkResult(self.rel(target.url))

    @_recorded
    def tag(self, tag: str) -> str:
        """URL of a tag's page (unique per tag, see Site.tag_urls)."""
        return self.rel(self.site.tag_urls.get(fold(tag)) or tag_url(tag))


def page_mentions(
    site: Site, note: Note, page_url: str, relative: Callable[[str, str], str] = relative_url
) -> dict[int, list[tuple[int, int, str, str]]]:
    """The page's mention links in `note`, keyed by the text token they are in (`relative`
    makes the links: see Linker)."""
    spans: dict[int, list[tuple[int, int, str, str]]] = {}
    for m in site.mentions.get(page_url, ()):
        if m.note_rel == note.rel:
            child = note.tokens[m.inline].children[m.child]
            spans.setdefault(id(child), []).append((m.start, m.end, relative(page_url, m.target.href), m.target.title))
    for found in spans.values():
        found.sort()
    return spans


def still_true(site: Site, lookups: list[Lookup]) -> bool:
    """Whether every recorded question gets the same answer from `site`."""
    for rel, page_url, method, (args, kwargs), answer in lookups:
        note = site.notes.get(rel)
        if note is None or getattr(Linker(site, note, page_url), method)(*args, **kwargs) != answer:
            return False
    return True
