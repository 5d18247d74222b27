"""Site -> pages: every page's HTML, rendered from the frozen Site with Jinja templates.

Each page's context holds only what that page shows (its own topic, its backlinks, its
tags): nothing grows with the size of the vault except the home, tag and sitemap pages,
which list the vault once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import unquote
from xml.sax.saxutils import escape as xml_escape

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from .config import SiteConfig
from .export import GRAPH_URL, graph_json
from .model import Note, Site, Topic
from .paths import asset_url, is_external, relative_url, source_relative, tag_url
from .theme import theme_dirs
from .tracker import TRACKER_URL, Tracker, TrackedTask


@dataclass(frozen=True)
class Page:
    """One output file: its site URL and its text."""

    url: str
    text: str


@dataclass(frozen=True)
class LinkResult:
    """How the renderer shows a link or image: href, CSS class, or broken with a reason."""

    href: str = ""
    css: str = ""
    external: bool = False
    broken: bool = False
    title: str = ""


IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "avif", "ico"})


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


class Linker:
    """Answers the Markdown renderer's questions for one page (see markdown/render_rules.py)."""

    def __init__(self, site: Site, note: Note, page_url: str) -> None:
        self.site, self.note, self.page_url = site, note, page_url

    def for_note(self, note: Note) -> "Linker":
        """A Linker for text of `note` shown on this page (embedded content)."""
        return Linker(self.site, note, self.page_url)

    @staticmethod
    def is_image(name: str) -> bool:
        """True when `![[name]]` names an image file."""
        return name.rpartition(".")[2].casefold() in IMAGE_EXTENSIONS and "." in name

    def embed(self, page: str, heading: str) -> Embed | None:
        """The content `![[page#heading]]` shows, or None when it is not a page or heading
        (a broken link, a file): the caller then renders a plain link."""
        index = self.site.index
        target = index.resolve_wiki(self.note, page, heading)
        if target is None:
            return None
        rel = index.url_note.get(target.url)
        bounds = page_range(self.site, rel, target.url) if rel else None
        if rel is None or bounds is None:
            return None
        note = self.site.notes[rel]
        start, end = bounds
        if target.anchor:
            found = next((h for h in note.headings if index.heading_at.get((rel, h.token_index)) == target), None)
            if found is None or not found.top_level:
                return None
            start = found.token_index
            later = (h.token_index for h in note.headings if h.token_index > start and h.top_level and h.level <= found.level)
            end = min(end, next(later, end))
        return Embed(note, start, end, self.rel(target.href), target.title)

    def rel(self, url: str) -> str:
        """Relative URL from this page."""
        return relative_url(self.page_url, url)

    def link(self, href: str, auto: bool = False) -> LinkResult:
        """A Markdown link: external ones are marked, internal ones resolved or shown broken."""
        if is_external(href):
            return LinkResult(href, "external" if href.startswith(("http:", "https:", "//")) else "", external=True)
        target = self.site.index.resolve_href(self.note, unquote(href))
        if target is None:
            return LinkResult(broken=True, title=f"Broken link: {unquote(href)}")
        return LinkResult(self.rel(target.href), "internal")

    def wiki(self, page: str, heading: str) -> LinkResult:
        """A wikilink `[[page#heading]]`."""
        target = self.site.index.resolve_wiki(self.note, page, heading)
        if target is None and page and not heading:
            target = self.site.index.resolve_href(self.note, page)
        if target is None:
            shown = page + (f"#{heading}" if heading else "")
            return LinkResult(broken=True, title=f"Broken link: no note or heading called '{shown}'")
        return LinkResult(self.rel(target.href), "internal")

    def image(self, src: str) -> LinkResult:
        """An image: remote ones load lazily, local ones point at their copy in /assets/."""
        if is_external(src) or src.startswith("data:"):
            return LinkResult(src, external=True)
        path = unquote(src).split("#", 1)[0].split("?", 1)[0]
        rel_path = source_relative("" if path.startswith("/") else self.note.folder, path.lstrip("/"))
        url = asset_url("", rel_path) if rel_path else ""
        if url not in self.site.assets:
            return LinkResult(broken=True, title=f"Missing image: {src}")
        return LinkResult(self.rel(url))

    def tag(self, tag: str) -> str:
        """URL of a tag's page."""
        return self.rel(tag_url(tag))


def page_mentions(site: Site, note: Note, page_url: str) -> dict[int, list[tuple[int, int, str, str]]]:
    """The page's mention links in `note`, keyed by the text token they are in."""
    spans: dict[int, list[tuple[int, int, str, str]]] = {}
    for m in site.mentions.get(page_url, ()):
        if m.note_rel == note.rel:
            child = note.tokens[m.inline].children[m.child]
            spans.setdefault(id(child), []).append((m.start, m.end, relative_url(page_url, m.target.href), m.target.title))
    for found in spans.values():
        found.sort()
    return spans


def make_environment(cfg: SiteConfig) -> jinja2.Environment:
    """Jinja environment over the user's templates, then the shipped ones; autoescape on."""
    loader = jinja2.FileSystemLoader([str(d) for d in theme_dirs(cfg.project_dir, "templates")])
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return env


class Renderer:
    """Renders every page of a Site; one instance per build."""

    def __init__(self, cfg: SiteConfig, site: Site, md: MarkdownIt, tracker: Tracker) -> None:
        self.cfg, self.site, self.md, self.tracker = cfg, site, md, tracker
        self.env = make_environment(cfg)

    # -- helpers -----------------------------------------------------------------------
    def markdown(self, note: Note, start: int, end: int, page_url: str, heading_ids: dict[int, str]) -> Markup:
        """HTML of the note's tokens [start, end) as shown on the page at `page_url`."""
        env = dict(note.parse_env)
        env.update(linker=Linker(self.site, note, page_url), heading_ids=heading_ids, token_offset=start, embed_chain=((note.rel, start, end),), mentions=page_mentions(self.site, note, page_url))
        html = self.md.renderer.render(list(note.tokens[start:end]), self.md.options, env)
        return Markup(html)

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

    def _page(self, template: str, url: str, title: str, absolute: bool = False, **context: Any) -> Page:
        ctx = self._common(url, title, absolute)
        ctx.update(context)
        return Page(url, self.env.get_template(template).render(**ctx))

    def _edit_url(self, note: Note) -> str:
        return self.cfg.edit_url.replace("{path}", note.rel) if self.cfg.edit_url else ""

    # -- pages -------------------------------------------------------------------------
    def topic_page(self, topic: Topic) -> Page:
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
        toc = [{"level": h.level, "text": h.text, "id": p.heading_ids[h.token_index]} for p in parts for h in p.headings if h.level <= 3]
        counted = [t for p in parts for t in p.tasks if t.status != "cancelled"]
        places = []
        for p in parts:
            p_note = site.notes[p.note_rel]
            places.append({
                "id": p.place_id,
                "source": f"{p.note_rel}:{p.first_line}",
                "note_url": site.note_url(p.note_rel),
                "content": self.markdown(p_note, p.token_start, p.token_end, topic.url, p.heading_ids),
            })
        return self._page(
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

    def note_page(self, rel: str) -> Page:
        """A collection note: its preamble and its topics in order."""
        site, note = self.site, self.site.notes[rel]
        page = site.note_pages[rel]
        start = 1 if note.tokens and note.tokens[0].type == "front_matter" else 0
        topics = [site.topics[k] for k in page.topic_keys]
        return self._page(
            "note.html",
            page.url,
            page.title,
            note=note,
            content=self.markdown(note, start, page.token_end, page.url, page.heading_ids),
            topics=topics,
            backlinks=site.backlinks.get(page.url, ()),
            edit_url=self._edit_url(note),
            tags=page.tags,
            date=note.date,
        )

    def home_page(self) -> Page:
        """Every topic grouped by note, with counts and the tag list."""
        site = self.site
        groups = []
        for rel, keys in site.note_topics.items():
            note_page = site.note_pages.get(rel)
            groups.append({"rel": rel, "page": note_page, "title": note_page.title if note_page else None, "topics": [site.topics[k] for k in keys]})
        tasks = self.tracker.tasks
        return self._page(
            "home.html",
            "/",
            self.cfg.title,
            groups=groups,
            counts={"notes": len(site.note_topics), "topics": len(site.topics), "tags": len(site.tags), "tasks": len(tasks), "open": self.tracker.by_status("open"), "questions": len(self.tracker.questions)},
            tracker_url=TRACKER_URL,
            tags=[(name, len(keys)) for name, keys in site.tags.items()],
        )

    def tag_pages(self) -> list[Page]:
        """The tags index and one page per tag."""
        site = self.site
        pages = [self._page("tags.html", "/tags/", "Tags", tags=[(name, len(keys)) for name, keys in site.tags.items()])]
        for name, keys in site.tags.items():
            pages.append(self._page("tag.html", tag_url(name), f"#{name}", tag=name, topics=list(keys)))
        return pages

    def task_html(self, item: TrackedTask, page_url: str) -> Markup:
        """The item's text as inline HTML (links resolved for the page at `page_url`)."""
        note = self.site.notes[item.note_rel]
        env = dict(note.parse_env)
        env["linker"] = Linker(self.site, note, page_url)
        children = note.tokens[item.task.inline_index].children or []
        return Markup(self.md.renderer.renderInline(children[1:], self.md.options, env).strip())

    def tracker_page(self) -> Page:
        """The TODO tracker: totals, progress per page and note, the item tree, questions."""
        tracker = self.tracker
        html = {t.task.id + t.note_rel: self.task_html(t, TRACKER_URL) for t in tracker.tasks}
        groups = []
        for count, items in tracker.pages:
            nodes = {t.task.id: {"item": t, "html": html[t.task.id + t.note_rel], "children": []} for t in items}
            roots = []
            for t in items:
                parent = nodes.get(t.task.parent) if t.task.parent else None
                (parent["children"] if parent else roots).append(nodes[t.task.id])
            groups.append({"count": count, "roots": roots, "tags": sorted({tag for t in items for tag in t.tags})})
        tags = sorted({tag for t in tracker.tasks for tag in t.tags}, key=str.casefold)
        statuses = [(s, tracker.by_status(s)) for s in ("open", "done", "in-progress", "cancelled", "question", "other")]
        return self._page(
            "tasks.html",
            TRACKER_URL,
            "TODO tracker",
            tracker=tracker,
            groups=groups,
            html=html,
            tags=tags,
            statuses=[(s, n) for s, n in statuses if n or s in ("open", "done")],
        )

    def not_found_page(self) -> Page:
        """404.html: served for any missing URL, so its links are absolute under the base path."""
        return self._page("404.html", "/404.html", "Not found", absolute=True)

    def sitemap(self, urls: list[str]) -> Page:
        """sitemap.xml; absolute when `base_url` is set, root-relative otherwise."""
        prefix = self.cfg.base_url.rstrip("/") if self.cfg.base_url.startswith("http") else self.cfg.base_path.rstrip("/")
        entries = "".join(f"  <url><loc>{xml_escape(prefix + u)}</loc></url>\n" for u in urls)
        text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
        return Page("/sitemap.xml", text)

    def all_pages(self, progress: Callable[[int], None] = lambda n: None) -> list[Page]:
        """Every page of the site, in a fixed order."""
        pages = [self.home_page()]
        for topic in self.site.topics.values():
            if not topic.place_id:  # later places of a merged topic are shown on its page
                pages.append(self.topic_page(topic))
            progress(1)
        for rel in self.site.note_pages:
            pages.append(self.note_page(rel))
            progress(1)
        pages += self.tag_pages()
        pages.append(self.tracker_page())
        pages.append(self.not_found_page())
        pages.append(Page(GRAPH_URL, graph_json(self.site)))
        pages.append(self._page("graph.html", "/graph/", "Graph"))
        pages.append(self.sitemap([p.url for p in pages if p.url.endswith("/")]))
        return pages
