"""The renderer every emitter shares: a page is described (`PageSpec`), then rendered.

A `PageSpec` holds the template, title and context of one page, with its Markdown as
`Body` objects that render when the template needs them. The description is cheap and
compares equal exactly when the page's inputs are equal, which is how the pipeline's page
cache knows which pages an edit changed (see pipeline.py). Each page's context holds only
what that page shows; nothing grows with the size of the vault except the pages that list
the vault once (home, tags, tracker, sitemap, graph.json).

The emitters (one module per kind of output, registered in emit/__init__.py) say which
URLs they make and describe each; this module renders any description.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, TypeVar, cast

import jinja2
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markupsafe import Markup

from .. import urls
from ..config import SiteConfig
from ..graph.tracker import TrackedTask, Tracker, build_tracker
from ..i18n import Messages, messages
from ..markdown.mermaid import MARK as MERMAID
from ..model import Note, Site
from ..paths import fold, tag_url, with_index_html
from ..theme import theme_dirs
from .linker import Linker, Lookup, page_mentions
from .relative import RelativeUrls, place

T = TypeVar("T")


def _rendered(body: "Body") -> str:
    raise RuntimeError("a detached Body renders no more")


class Body:
    """Markdown of one note shown on one page, rendered when first needed.

    Equal to another Body with the same inputs: the same Note object, token range (or
    inline token), page, heading ids and mention links. What the rendering asked the
    Linker is kept in `lookups`."""

    def __init__(
        self,
        render: Callable[["Body"], str],
        note: Note,
        start: int,
        end: int,
        page_url: str,
        heading_ids: dict[int, str],
        mentions: tuple,
        inline: bool = False,
    ) -> None:
        self._render, self.note = render, note
        self.inputs = (start, end, page_url, heading_ids, mentions)
        self.inline = inline  # a line of text (a checklist item), never a block such as a diagram
        self.lookups: list[Lookup] = []
        self._html: Markup | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and self.note is other.note and self.inputs == other.inputs

    __hash__ = None  # type: ignore[assignment]

    def __html__(self) -> str:
        if self._html is None:
            self._html = Markup(self._render(self))
        return self._html

    def strip(self) -> str:
        """The HTML without surrounding white space (templates test for empty content)."""
        return self.__html__().strip()

    def detach(self) -> None:
        """Forget how to render (and so the Site it was made from); keep inputs and HTML."""
        self._render = _rendered


@dataclass
class PageSpec:
    """A page before rendering: equal specs render to the same text (for the same templates,
    config and Linker answers)."""

    url: str
    template: str  # a Jinja template, or "" when `make` writes the text (graph.json)
    title: str
    context: dict[str, Any]
    absolute: bool = False
    bodies: list[Body] = field(default_factory=list, compare=False)
    make: Callable[[], str] | None = field(default=None, compare=False)  # equal context: equal text
    topic_index: str = urls.HOME  # where the list of topics is (`/topics/` when a note is the home page)

    def lookups(self) -> list[Lookup]:
        """Every Linker question the rendering asked."""
        return [q for body in self.bodies for q in body.lookups]


def site_root(cfg: SiteConfig) -> str:
    """What goes before a site URL to make it absolute: config `base_url` without its last
    `/`; only the base path when `base_url` is not an http(s) address (the build warns)."""
    return cfg.site_url or cfg.base_path.rstrip("/")


def page_of_tag(site: Site, tag: str) -> str:
    """The URL of a tag's page (unique per tag: graph/views.py `unique_tag_urls`)."""
    return site.tag_urls.get(fold(tag)) or tag_url(tag)


_PLAIN_CALLABLES = (types.FunctionType, types.MethodType)


class _Context(jinja2.runtime.Context):
    """Jinja's template context, calling plain functions without Jinja's look-ups.

    Before each call (`t(…)`, `rel(…)`, `format_date(…)`: ~80 a page) Jinja's `call` looks
    at the callee and at its `__call__` for a `pass_context`-style mark; a function or
    bound method has a mark only as its own attribute, so one look-up tells, and then it is
    called as Jinja calls it. Anything else (macros, `loop`, marked functions) goes to
    Jinja. It takes about a tenth off a topic page's template time."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja does
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


def make_environment(cfg: SiteConfig) -> jinja2.Environment:
    """Jinja environment over the user's templates, then the shipped ones; autoescape on."""
    loader = jinja2.FileSystemLoader([str(d) for d in theme_dirs(cfg.project_dir, "templates")])
    env = jinja2.Environment(
        loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined
    )
    env.context_class = _Context
    env.filters["title_html"] = title_html
    env.filters["xml_text"] = xml_text
    return env


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: Any) -> str:
    """`text` without the characters XML 1.0 forbids (a note may hold a stray control
    character that HTML tolerates and a feed parser refuses)."""
    return _NOT_XML.sub("", str(text))


def title_html(page: Any) -> str:
    """A page's title to show in HTML: a topic titled by a heading with formulas shows them as
    MathML (`{{ topic|title_html }}`); any other title is text, escaped by the template."""
    math = getattr(page, "title_math", "")
    return Markup(math) if math else page.title


PREVIEW_SHARD_PAGES = 200  # pages per /previews/<k>.js file (emit/previews.py)


def previews_count(site: Site) -> int:
    """How many preview files a `file_urls` site has: one per PREVIEW_SHARD_PAGES pages."""
    return max(1, -(-(site.topic_count + len(site.note_pages)) // PREVIEW_SHARD_PAGES))


class Same:
    """Compares equal only to the very same object (a page that depends on a whole Site)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value

    __hash__ = None  # type: ignore[assignment]


class Renderer:
    """Describes and renders the pages of one Site; `tracker` is built when first needed.

    Its words are `messages`, in `language`: config `language:`, else the notes' language
    (Site.language). Templates get them as `t(key, **values)` (HTML-escaped; Markup values
    are kept), the Markdown rules through the render env (`env["messages"])."""

    def __init__(
        self,
        cfg: SiteConfig,
        site: Site,
        md: MarkdownIt,
        tracker: Tracker | None = None,
        env: jinja2.Environment | None = None,
    ) -> None:
        self.cfg, self.site, self.md = cfg, site, md
        self._tracker = tracker
        self.env = env or make_environment(cfg)
        self.language = cfg.language or site.language
        self.messages: Messages = messages(self.language)
        self._bodies: list[Body] = []  # Bodies made for the page being described
        self.relative = RelativeUrls()  # every page's links (templates and Markdown) go through it
        self._once: dict[str, Any] = {}  # see `once`
        self._fragments: dict[tuple, str] = {}  # see `_shared`
        self.topic_index = urls.topics_page(1, site.home_note is not None)

    @property
    def tracker(self) -> Tracker:
        if self._tracker is None:
            self._tracker = build_tracker(self.site)
        return self._tracker

    def once(self, name: str, make: Callable[[], T]) -> T:
        """`make()`, computed the first time `name` is asked for: what several pages of this
        Site show alike, made once instead of once a page. A Renderer serves one Site (and
        its Tracker), so the answer never goes stale."""
        if name not in self._once:
            self._once[name] = make()
        return cast(T, self._once[name])

    # -- helpers -----------------------------------------------------------------------
    def markdown(
        self,
        note: Note,
        start: int,
        end: int,
        page_url: str,
        heading_ids: dict[int, str],
        lookups: list[Lookup] | None = None,
    ) -> Markup:
        """HTML of the note's tokens [start, end) as shown on the page at `page_url`."""
        env = dict(note.parse_env)
        env.update(
            linker=Linker(self.site, note, page_url, lookups, self.relative),
            heading_ids=heading_ids,
            token_offset=start,
            embed_chain=((note.rel, start, end),),
            mentions=page_mentions(self.site, note, page_url, self.relative),
            messages=self.messages,
        )
        html = self.md.renderer.render(list(note.tokens[start:end]), self.md.options, env)
        return Markup(html)

    def body(self, note: Note, start: int, end: int, page_url: str, heading_ids: dict[int, str]) -> Body:
        mentions = tuple(m for m in self.site.mentions.get(page_url, ()) if m.note_rel == note.rel)
        body = Body(
            lambda b: self.markdown(note, start, end, page_url, heading_ids, b.lookups),
            note,
            start,
            end,
            page_url,
            heading_ids,
            mentions,
        )
        self._bodies.append(body)
        return body

    def inline(self, item: TrackedTask, page_url: str) -> Body:
        """The item's text as inline HTML (links resolved for the page at `page_url`)."""
        note = self.site.notes[item.note_rel]
        index = item.task.inline_index

        def render(body: Body) -> str:
            env = dict(note.parse_env)
            env["linker"] = Linker(self.site, note, page_url, body.lookups, self.relative)
            env["messages"] = self.messages
            children = note.tokens[index].children or []
            renderer = cast(RendererHTML, self.md.renderer)  # make_parser uses the default HTML renderer
            return renderer.renderInline(children[1:], self.md.options, env).strip()

        body = Body(render, note, index, index + 1, page_url, {}, (), inline=True)
        self._bodies.append(body)
        return body

    def _shared(self, url: str, absolute: bool) -> Callable[..., str]:
        """The templates' `shared(name, *values)` for the page at `url`.

        `{% call shared("header", topic_index) %}…{% endcall %}` renders its fragment for
        the first page that shows it and gives the same text to every later page that links
        alike to the site's own URLs (relative.place: the same depth, outside the site's
        folders) with equal `values`: the header and the scripts are the same on ~all pages.
        So a fragment may show only what is the same on every page of this Renderer's Site
        (words `t(…)`, `site`, links `rel(urls.…)`) and the `values` it names."""
        depth = None if absolute else place(url)

        def shared(name: str, *values: Any, caller: Callable[[], str]) -> str:
            if depth is None:
                return caller()
            key = (name, depth, values)
            found = self._fragments.get(key)
            if found is None:
                found = self._fragments[key] = caller()
            return found

        return shared

    def _common(self, url: str, title: str, absolute: bool = False) -> dict[str, Any]:
        base = self.cfg.base_path

        def rel(target: str) -> str:
            return (base.rstrip("/") + target) if absolute else self.relative(url, target)

        site_url = self.cfg.site_url
        return {
            "site": {"title": self.cfg.title, "description": self.cfg.description, "language": self.language},
            "page_url": url,
            "page_description": self.cfg.description,  # a topic page gives its own summary
            "page_absolute_url": site_url + url if site_url else "",  # Open Graph wants absolute URLs
            "og_type": "website",
            "file_urls": self.cfg.file_urls,  # scripts load data with <script>, not fetch (opened from disk)
            "previews": previews_count(self.site) if self.cfg.file_urls else 0,  # /previews/<k>.js files
            "page_title": title,
            "rel": rel,
            "urls": urls.as_context(),
            "tag_url": lambda tag: rel(page_of_tag(self.site, tag)),
            "mermaid": False,
            "explorer": None,  # a note's pages inline their part of the explorer (emit/explorer.py trail)
            "t": self.messages.html,
            "format_date": self.messages.date,
            "shared": self._shared(url, absolute),
        }

    def spec(self, template: str, url: str, title: str, absolute: bool = False, **context: Any) -> PageSpec:
        spec = PageSpec(url, template, title, context, absolute, self._bodies, topic_index=self.topic_index)
        self._bodies = []
        return spec

    def render(self, spec: PageSpec) -> str:
        """The page's text."""
        if spec.make is not None:
            return spec.make()
        ctx = self._common(spec.url, spec.title, spec.absolute)
        ctx["topic_index"] = spec.topic_index
        ctx.update(spec.context)
        # a page showing a diagram (its own or an embedded note's) loads the mermaid script
        ctx["mermaid"] = any(MERMAID in body.__html__() for body in spec.bodies if not body.inline)
        text = self.env.get_template(spec.template).render(**ctx)
        return with_index_html(text) if self.cfg.file_urls and spec.template.endswith(".html") else text

    def edit_url(self, note: Note) -> str:
        """The link to edit `note` (config `edit_url`), or ""."""
        return self.cfg.edit_url.replace("{path}", note.rel) if self.cfg.edit_url else ""


What = Any  # what an emitter's page shows: a topic key, a note rel, a tag name, or None


def pager(k: int, n: int, page_url: Callable[[int], str]) -> dict[str, Any]:
    """A pager's context for page `k` of `n` (paged lists: the tracker, the topic list)."""
    return {
        "number": k,
        "count": n,
        "prev": page_url(k - 1) if k > 1 else "",
        "next": page_url(k + 1) if k < n else "",
        "pages": [(i, page_url(i)) for i in range(1, n + 1)],
    }


@dataclass(frozen=True)
class Emitter:
    """One kind of output: the URLs it makes for a Site, and the description of each page.

    `urls(site, made, cfg)` yields (URL, what) for every page of this kind; `made` holds the
    URLs of the emitters before it (the sitemap lists them); `cfg` says how big a page may
    grow (paged lists). `describe(renderer, what)` returns the page's PageSpec."""

    kind: str
    urls: Callable[[Site, dict[str, tuple[str, What]], SiteConfig], Iterable[tuple[str, What]]]
    describe: Callable[[Renderer, What], PageSpec]


def one(url: str) -> Callable[[Site, dict[str, tuple[str, What]], SiteConfig], Iterable[tuple[str, What]]]:
    """`urls` of an emitter that makes exactly one page, at `url`."""
    return lambda site, made, cfg: ((url, None),)
