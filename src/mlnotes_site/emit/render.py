"""Site -> pages: every page's HTML, rendered from the frozen Site with Jinja templates.

Each page's context holds only what that page shows (its own topic, its backlinks, its
tags): nothing grows with the size of the vault except the home, tag and sitemap pages,
which list the vault once.

A page is first described (`PageSpec`: template, title and context, with its Markdown as
`Body` objects that render when the template needs them), then rendered. The description
is cheap and compares equal exactly when the page's inputs are equal, which is how
`mlnotes serve` knows which pages an edit changed (see live.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable
from xml.sax.saxutils import escape as xml_escape

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..config import SiteConfig
from ..graph.tracker import TRACKER_URL, TrackedTask, Tracker, build_tracker
from ..model import Note, Site, Topic
from ..paths import relative_url, tag_url
from ..theme import theme_dirs
from .graph_json import GRAPH_URL, graph_json
from .linker import Linker, Lookup, page_mentions


@dataclass(frozen=True)
class Page:
    """One output file: its site URL and its text."""

    url: str
    text: str


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
    ) -> None:
        self._render, self.note = render, note
        self.inputs = (start, end, page_url, heading_ids, mentions)
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
    template: str
    title: str
    context: dict[str, Any]
    absolute: bool = False
    bodies: list[Body] = field(default_factory=list, compare=False)

    def lookups(self) -> list[Lookup]:
        """Every Linker question the rendering asked."""
        return [q for body in self.bodies for q in body.lookups]


def make_environment(cfg: SiteConfig) -> jinja2.Environment:
    """Jinja environment over the user's templates, then the shipped ones; autoescape on."""
    loader = jinja2.FileSystemLoader([str(d) for d in theme_dirs(cfg.project_dir, "templates")])
    env = jinja2.Environment(
        loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined
    )
    return env


class Same:
    """Compares equal only to the very same object (a page that depends on a whole Site)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value

    __hash__ = None  # type: ignore[assignment]


class Renderer:
    """Describes and renders the pages of one Site; `tracker` is built when first needed."""

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
        self._bodies: list[Body] = []  # Bodies made for the page being described

    @property
    def tracker(self) -> Tracker:
        if self._tracker is None:
            self._tracker = build_tracker(self.site)
        return self._tracker

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
            linker=Linker(self.site, note, page_url, lookups),
            heading_ids=heading_ids,
            token_offset=start,
            embed_chain=((note.rel, start, end),),
            mentions=page_mentions(self.site, note, page_url),
        )
        html = self.md.renderer.render(list(note.tokens[start:end]), self.md.options, env)
        return Markup(html)

    def _body(self, note: Note, start: int, end: int, page_url: str, heading_ids: dict[int, str]) -> Body:
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

    def _inline(self, item: TrackedTask, page_url: str) -> Body:
        """The item's text as inline HTML (links resolved for the page at `page_url`)."""
        note = self.site.notes[item.note_rel]
        index = item.task.inline_index

        def render(body: Body) -> str:
            env = dict(note.parse_env)
            env["linker"] = Linker(self.site, note, page_url, body.lookups)
            children = note.tokens[index].children or []
            return self.md.renderer.renderInline(children[1:], self.md.options, env).strip()

        body = Body(render, note, index, index + 1, page_url, {}, ())
        self._bodies.append(body)
        return body

    def _common(self, url: str, title: str, absolute: bool = False) -> dict[str, Any]:
        base = self.cfg.base_path

        def rel(target: str) -> str:
            return (base.rstrip("/") + target) if absolute else relative_url(url, target)

        return {
            "site": {"title": self.cfg.title, "description": self.cfg.description, "language": self.cfg.language},
            "page_url": url,
            "page_title": title,
            "rel": rel,
            "tag_url": lambda tag: rel(tag_url(tag)),
        }

    def _spec(self, template: str, url: str, title: str, absolute: bool = False, **context: Any) -> PageSpec:
        spec = PageSpec(url, template, title, context, absolute, self._bodies)
        self._bodies = []
        return spec

    def render(self, spec: PageSpec) -> Page:
        """The page's text."""
        if spec.template == GRAPH_URL:
            return Page(spec.url, graph_json(spec.context["site"].value))
        if spec.template == "sitemap.xml":
            return self._sitemap(spec.context["urls"])
        ctx = self._common(spec.url, spec.title, spec.absolute)
        ctx.update(spec.context)
        return Page(spec.url, self.env.get_template(spec.template).render(**ctx))

    def _edit_url(self, note: Note) -> str:
        return self.cfg.edit_url.replace("{path}", note.rel) if self.cfg.edit_url else ""

    # -- pages -------------------------------------------------------------------------
    def topic_page(self, topic: Topic) -> PageSpec:
        """A topic: its content, table of contents, tags, backlinks, source and neighbours.

        A merged topic (same title in several places) shows each place under a header
        naming its source file and line."""
        site, note = self.site, self.site.notes[topic.note_rel]
        keys = site.note_topics[note.rel]
        # neighbours in the note, skipping later places of this same topic
        others = [site.topics[k] for k in keys if site.topics[k].url != topic.url or k == topic.key]
        at = others.index(topic)
        prev_topic = others[at - 1] if at > 0 else None
        next_topic = others[at + 1] if at + 1 < len(others) else None
        note_page = site.note_pages.get(note.rel)
        parts = [site.topics[k] for k in site.places.get(topic.url, (topic.key,))]
        toc = [
            {"level": h.level, "text": h.text, "id": p.heading_ids[h.token_index]}
            for p in parts
            for h in p.headings
            if h.level <= 3
        ]
        counted = [t for p in parts for t in p.tasks if t.status != "cancelled"]
        places = []
        for p in parts:
            places.append(
                {
                    "id": p.place_id,
                    "source": f"{p.note_rel}:{p.first_line}",
                    "note_url": site.note_url(p.note_rel),
                    "content": self._body(site.notes[p.note_rel], p.token_start, p.token_end, topic.url, p.heading_ids),
                }
            )
        return self._spec(
            "topic.html",
            topic.url,
            topic.title,
            topic=topic,
            note=note,
            note_page=note_page,
            content=places[0]["content"] if len(places) == 1 else Markup(""),
            places=places if len(places) > 1 else [],
            toc=toc if len(toc) >= 2 else [],
            tags=tuple(dict.fromkeys(tag for p in parts for tag in p.tags)),
            backlinks=site.backlinks.get(topic.url, ()),
            mentioned_in=site.mentioned_in.get(topic.url, ()),
            related=site.related.get(topic.url, ()),
            source=f"{note.rel}:{topic.first_line}" if not topic.is_whole_note else note.rel,
            edit_url=self._edit_url(note),
            prev_topic=prev_topic,
            next_topic=next_topic,
            tasks_done=sum(1 for t in counted if t.done),
            tasks_total=len(counted),
            date=note.date,
        )

    def note_page(self, rel: str) -> PageSpec:
        """A collection note: its preamble and its topics in order."""
        site, note = self.site, self.site.notes[rel]
        page = site.note_pages[rel]
        start = 1 if note.tokens and note.tokens[0].type == "front_matter" else 0
        topics = [site.topics[k] for k in page.topic_keys]
        return self._spec(
            "note.html",
            page.url,
            page.title,
            note=note,
            content=self._body(note, start, page.token_end, page.url, page.heading_ids),
            topics=topics,
            backlinks=site.backlinks.get(page.url, ()),
            edit_url=self._edit_url(note),
            tags=page.tags,
            date=note.date,
        )

    def home_page(self) -> PageSpec:
        """Every topic grouped by note, with counts and the tag list."""
        site = self.site
        groups = []
        for rel, keys in site.note_topics.items():
            note_page = site.note_pages.get(rel)
            groups.append(
                {
                    "rel": rel,
                    "page": note_page,
                    "title": note_page.title if note_page else None,
                    "topics": [site.topics[k] for k in keys],
                }
            )
        tasks = self.tracker.tasks
        return self._spec(
            "home.html",
            "/",
            self.cfg.title,
            groups=groups,
            counts={
                "notes": len(site.note_topics),
                "topics": len(site.topics),
                "tags": len(site.tags),
                "tasks": len(tasks),
                "open": self.tracker.by_status("open"),
                "questions": len(self.tracker.questions),
            },
            tracker_url=TRACKER_URL,
            tags=[(name, len(keys)) for name, keys in site.tags.items()],
        )

    def tags_page(self) -> PageSpec:
        """The tags index."""
        return self._spec(
            "tags.html", "/tags/", "Tags", tags=[(name, len(keys)) for name, keys in self.site.tags.items()]
        )

    def tag_page(self, name: str) -> PageSpec:
        """The pages carrying one tag."""
        return self._spec("tag.html", tag_url(name), f"#{name}", tag=name, topics=list(self.site.tags[name]))

    def tracker_page(self) -> PageSpec:
        """The TODO tracker: totals, progress per page and note, the item tree, questions."""
        tracker = self.tracker
        html = {t.task.id + t.note_rel: self._inline(t, TRACKER_URL) for t in tracker.tasks}
        groups = []
        for count, items in tracker.pages:
            nodes = {t.task.id: {"item": t, "html": html[t.task.id + t.note_rel], "children": []} for t in items}
            roots = []
            for t in items:
                parent = nodes.get(t.task.parent) if t.task.parent else None
                (parent["children"] if parent else roots).append(nodes[t.task.id])
            groups.append({"count": count, "roots": roots, "tags": sorted({tag for t in items for tag in t.tags})})
        tags = sorted({tag for t in tracker.tasks for tag in t.tags}, key=str.casefold)
        statuses = [
            (s, tracker.by_status(s)) for s in ("open", "done", "in-progress", "cancelled", "question", "other")
        ]
        return self._spec(
            "tasks.html",
            TRACKER_URL,
            "TODO tracker",
            tracker=tracker,
            groups=groups,
            html=html,
            tags=tags,
            statuses=[(s, n) for s, n in statuses if n or s in ("open", "done")],
        )

    def not_found_page(self) -> PageSpec:
        """404.html: served for any missing URL, so its links are absolute under the base path."""
        return self._spec("404.html", "/404.html", "Not found", absolute=True)

    def _sitemap(self, urls: list[str]) -> Page:
        """sitemap.xml; absolute when `base_url` is set, root-relative otherwise."""
        prefix = (
            self.cfg.base_url.rstrip("/") if self.cfg.base_url.startswith("http") else self.cfg.base_path.rstrip("/")
        )
        entries = "".join(f"  <url><loc>{xml_escape(prefix + u)}</loc></url>\n" for u in urls)
        text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
        return Page("/sitemap.xml", text)

    def pages(self) -> dict[str, tuple[str, Any]]:
        """Every page of the site, in a fixed order: URL -> (kind, what it shows), for `describe`."""
        site = self.site
        found: dict[str, tuple[str, Any]] = {"/": ("home", None)}
        for topic in site.topics.values():
            if not topic.place_id:  # later places of a merged topic are shown on its page
                found[topic.url] = ("topic", topic.key)
        for rel, page in site.note_pages.items():
            found[page.url] = ("note", rel)
        found["/tags/"] = ("tags", None)
        for name in site.tags:
            found[tag_url(name)] = ("tag", name)
        found[TRACKER_URL] = ("tracker", None)
        found["/404.html"] = ("404", None)
        found[GRAPH_URL] = ("graph.json", None)
        found["/graph/"] = ("graph", None)
        found["/sitemap.xml"] = ("sitemap", tuple(url for url in found if url.endswith("/")))
        return found

    def describe(self, kind: str, what: Any) -> PageSpec:
        """The PageSpec of one entry of `pages()`."""
        if kind == "topic":
            return self.topic_page(self.site.topics[what])
        if kind == "note":
            return self.note_page(what)
        if kind == "tag":
            return self.tag_page(what)
        if kind == "graph.json":
            return self._spec(GRAPH_URL, GRAPH_URL, "", site=Same(self.site))
        if kind == "graph":
            return self._spec("graph.html", "/graph/", "Graph")
        if kind == "sitemap":
            return self._spec("sitemap.xml", "/sitemap.xml", "", urls=what)
        pages = {
            "home": self.home_page,
            "tags": self.tags_page,
            "tracker": self.tracker_page,
            "404": self.not_found_page,
        }
        return pages[kind]()

    def all_pages(
        self, progress: Callable[[int], None] = lambda n: None, table: dict[str, tuple[str, Any]] | None = None
    ) -> list[Page]:
        """Every page of the site, in a fixed order."""
        pages = []
        for kind, what in (table or self.pages()).values():
            pages.append(self.render(self.describe(kind, what)))
            progress(1)
        return pages
