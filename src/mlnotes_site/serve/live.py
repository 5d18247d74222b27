"""The preview behind `mlnotes serve`: the site in memory, brought up to date after edits.

    live = LiveSite(cfg)
    report = live.start()                 # first build
    report = live.update(paths)           # files changed, created, moved or deleted
    resp = live.response("/clip/")        # Response(status, content_type, body) or None
    live.version("/clip/")                # a hash of the page's current output
    live.output()                         # every output file: {"clip/index.html": b"…"}

Nothing is written to disk: the published output folder is never touched.

An update re-reads only the notes that changed (by their bytes), brings the Site up to date
through a kept SiteState (sitestate.py: text-only edits are patched in, structural ones
reassign URLs), and renders nothing. Pages are rendered when asked for: a page's cached
HTML is served again only while its description (`render.PageSpec`: template, title and
every value the template reads, with its Markdown by Note object and token range) is
equal to the new one and every link look-up its rendering made still gets the same answer
(`linker.still_true`). So backlinks, mentions and related lists are never stale, and
`output()` after any sequence of edits equals a clean build byte for byte
(tests/test_incremental.py).

A note whose new version has an error (invalid front matter, invalid UTF-8) keeps its
last good version until it is fixed; the error is still reported. A broken template keeps
the last good templates.
"""

from __future__ import annotations

import gc
import hashlib
import mimetypes
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import jinja2

from ..build import template_error
from ..config import SiteConfig
from ..emit.graph_json import GRAPH_URL, graph_json
from ..emit.linker import Lookup, still_true
from ..emit.render import Page, PageSpec, Renderer, make_environment
from ..errors import ERROR, ConfigError, Diagnostic, error, sort_diagnostics
from ..graph.state import SiteState
from ..load.discover import NOTE_SUFFIXES, discover
from ..load.note import parse_note
from ..markdown import make_parser
from ..model import Note, Site
from ..paths import output_file
from ..theme import theme_dirs


@dataclass(frozen=True)
class Response:
    """What the server sends for a path."""

    status: int
    content_type: str
    body: bytes


@dataclass
class UpdateReport:
    """What an update did: the vault's diagnostics, timing, and what it had to recompute."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    full: bool = True  # URLs were assigned again (a structural, template or config change)
    notes_changed: int = 0  # notes re-read with new content (or gone)
    rendered: int = 0  # pages rendered since the previous update

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == ERROR]


@dataclass
class _Cached:
    spec: PageSpec
    lookups: list[Lookup]
    text: str
    body: bytes


class LiveSite:
    """The site of `cfg`, kept in memory and brought up to date by `update`.

    `reload_config` (optional) reads the config again when the config file changes."""

    def __init__(self, cfg: SiteConfig, reload_config: Callable[[], SiteConfig] | None = None) -> None:
        self.cfg = cfg
        self.reload_config = reload_config
        self.md = make_parser()
        self._reset()
        self.report = UpdateReport()
        self.renders = 0  # pages rendered so far (tests use it to see what an edit cost)
        self.rendered_urls: list[str] = []  # … and which, since the last update

    def _reset(self) -> None:
        self.state = SiteState(self.cfg.autolink)
        self.raw: dict[str, bytes] = {}  # note rel -> the bytes last read
        self.parsed: dict[str, Note] = {}  # note rel -> its note as last read (drafts included)
        self.good: dict[str, Note] = {}  # note rel -> the version published (last one without errors)
        self.files: frozenset[str] = frozenset()
        self.rels: list[str] = []
        self.env = make_environment(self.cfg)
        self.template_errors: list[Diagnostic] = []
        self.files_stamp = 0  # changes with a static file, image or attachment (see update)
        self.site: Site | None = None
        self.renderer: Renderer | None = None
        self.table: dict[str, tuple[str, object]] = {}  # URL -> (kind, what): see Renderer.pages
        self.cache: dict[str, _Cached] = {}
        self._graph: tuple[Site, bytes] | None = None  # graph.json and the Site it was made from

    # -- what to watch ---------------------------------------------------------------
    def watch_roots(self) -> list[Path]:
        """Folders and files whose changes matter: the notes, the user's theme, the config."""
        roots = [self.cfg.notes_dir]
        roots += [d for d in (self.cfg.project_dir / "templates", self.cfg.project_dir / "static") if d.is_dir()]
        if self.cfg.config_file is not None:
            roots.append(self.cfg.config_file)
        return roots

    # -- building --------------------------------------------------------------------
    def start(self) -> UpdateReport:
        """The first build: read every note."""
        # as in build(): no cycle collection while millions of tokens are made, and the
        # loaded vault is left out of later collections (they would rescan it every time)
        was_enabled = gc.isenabled()
        gc.unfreeze()  # a restart (new config): the previous vault may be collected
        gc.disable()
        try:
            return self._refresh(set(), rescan=True)
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()

    def update(self, paths: Iterable[Path]) -> UpdateReport:
        """Bring the site up to date after `paths` changed (created, modified, moved or deleted)."""
        paths = {Path(p) for p in paths}
        theme = {kind for p in paths for kind in ("templates", "static") if _under(p, self.cfg.project_dir / kind)}
        if self.cfg.config_file is not None and any(p == self.cfg.config_file for p in paths):
            return self._config_changed()
        notes_dir = self.cfg.notes_dir
        # a page's version covers its HTML and the files it shows without rendering them (CSS,
        # scripts, the vault's images and attachments): when one of those changes, every page
        # gets a new version, so every open page reloads
        if "static" in theme or any(
            _under(p, notes_dir) and p.suffix.lower() not in ("", *NOTE_SUFFIXES) for p in paths
        ):
            self.files_stamp += 1
        if "templates" in theme:
            self._templates_changed()
        touched = {p.relative_to(notes_dir).as_posix() for p in paths if _under(p, notes_dir)}
        # plain edits of known notes need no walk of the folder; anything else does
        rescan = any(rel not in self.raw or not (notes_dir / rel).is_file() for rel in touched)
        return self._refresh(touched, rescan, full="templates" in theme)

    def _config_changed(self) -> UpdateReport:
        if self.reload_config is not None:
            try:
                cfg = self.reload_config()
            except ConfigError as exc:  # its text starts with the file (and line) it is about
                where, line, message = _config_problem(str(exc), str(self.cfg.config_file))
                report = UpdateReport(
                    sort_diagnostics(
                        [
                            *self.report.diagnostics,
                            error(where, line, message, "fix the config file; the preview keeps the last good config"),
                        ]
                    )
                )
                self.report = report
                return report
            self.cfg = cfg
        self._reset()
        return self.start()

    def _templates_changed(self) -> None:
        """New templates, unless one of them is broken: then the last good ones stay."""
        env = make_environment(self.cfg)
        errors = []
        for name in env.list_templates():
            try:
                env.get_template(name)
            except jinja2.TemplateError as exc:
                errors.append(template_error(exc))
        self.template_errors = errors
        if not errors:
            self.env = env
            self.cache.clear()

    def _read(self, rel: str) -> bool:
        """Read a note again; True when its bytes changed."""
        try:
            data = (self.cfg.notes_dir / rel).read_bytes()
        except OSError:
            return False
        if self.raw.get(rel) == data:
            return False
        self.raw[rel] = data
        note = parse_note(rel, data, self.md)
        self.parsed[rel] = note
        if not any(d.level == ERROR for d in note.diagnostics) or rel not in self.good:
            self.good[rel] = note
        return True

    def _refresh(self, touched: set[str], rescan: bool, full: bool = False) -> UpdateReport:
        start = time.perf_counter()
        changed = 0
        if rescan:
            rels, files = discover(self.cfg.notes_dir, self.cfg.exclude, skip=(self.cfg.out_dir,))
            for rel in set(self.raw) - set(rels):
                del self.raw[rel], self.parsed[rel], self.good[rel]
                changed += 1
            self.rels, self.files = rels, frozenset(files)
            touched = touched | {rel for rel in rels if rel not in self.raw}
        for rel in touched:
            if rel in self.raw or rel in self.rels:
                changed += self._read(rel)
        notes = {
            rel: self.good[rel]
            for rel in self.rels
            if rel in self.good and (self.cfg.drafts or not self.good[rel].draft)
        }
        site = self.state.update(notes, self.files)
        old, self.site = self.site, site
        self.renderer = Renderer(self.cfg, site, self.md, env=self.env)
        if self.state.structural or old is None or site.tags is not old.tags:  # else the same pages
            self.table = self.renderer.pages()
            for url in [u for u in self.cache if u not in self.table]:
                del self.cache[url]
        # every note's problems as last read (a held note's errors too), as a build reports them
        diagnostics = [d for rel in self.rels if rel in self.parsed for d in self.parsed[rel].diagnostics]
        diagnostics += [*site.diagnostics, *self.template_errors]
        self.report = UpdateReport(
            sort_diagnostics(diagnostics), time.perf_counter() - start, full or self.state.structural, changed
        )
        self.rendered_urls = []
        return self.report

    # -- pages -----------------------------------------------------------------------
    def _page(self, url: str) -> _Cached | None:
        """The page at `url`, rendered again only if its inputs changed."""
        entry = self.table.get(url)
        if entry is None or self.site is None or self.renderer is None:
            return None
        cached = self.cache.get(url)
        spec = self.renderer.describe(*entry)
        if cached is not None and cached.spec == spec and still_true(self.site, cached.lookups):
            return cached
        try:
            page: Page = self.renderer.render(spec)
        except jinja2.TemplateError as exc:
            problem = template_error(exc)
            if problem not in self.template_errors:
                self.template_errors.append(problem)
                self.report.diagnostics = sort_diagnostics([*self.report.diagnostics, problem])
            return cached  # the last good version, if any
        for body in spec.bodies:
            body.detach()
        self.renders += 1
        self.rendered_urls.append(url)
        cached = self.cache[url] = _Cached(spec, spec.lookups(), page.text, page.text.encode("utf-8"))
        return cached

    def idle(self, seconds: float) -> bool:
        """Use about `seconds` of idle time to compute what an update left stale (related
        topics), so that graph.json and the pages need not wait; True while work is left."""
        return self.site is not None and self.site.related.refresh(seconds)

    def graph_json(self) -> bytes | Callable[[], bytes]:
        """graph.json: its bytes when they are current, else a job that makes them from a
        snapshot of the site. The job touches nothing the next update changes (a Site is
        never changed after it is made; its related rows are copied here), so the server
        runs it without holding the lock that updates need."""
        site = self.site
        done = self._graph
        if site is None or (done is not None and done[0] is site):
            return done[1] if done is not None else b""
        snapshot = replace(site, related=dict(site.related.items()))

        def job() -> bytes:
            body = graph_json(snapshot).encode("utf-8")
            self._graph = (site, body)  # one assignment: atomic; `site` says which version it is
            return body

        return job

    def response(self, path: str) -> Response | None:
        """The file at URL path `path` (unquoted, starting with `/`), or None when there is none."""
        url = path[: -len("index.html")] if path.endswith("/index.html") else path
        if url == GRAPH_URL and self.site is not None:
            job = self.graph_json()
            return Response(200, _content_type("graph.json"), job if isinstance(job, bytes) else job())
        page = self._page(url)
        if page is not None:
            return Response(200, _content_type(output_file(url)), page.body)
        rel = output_file(path)
        if rel.startswith("static/"):
            for folder in theme_dirs(self.cfg.project_dir, "static"):
                found = _inside(folder, rel[len("static/") :])
                if found is not None:
                    return Response(200, _content_type(rel), found.read_bytes())
        if self.site is not None and "/" + rel in self.site.assets:
            found = _inside(self.cfg.notes_dir, self.site.assets["/" + rel])
            if found is not None:
                return Response(200, _content_type(rel), found.read_bytes())
        return None

    def version(self, url: str) -> str:
        """A short hash of what `url` shows now ("" when there is no such page)."""
        page = self._page(url)
        if page is None:
            return ""
        return hashlib.sha1(page.body + b"%d" % self.files_stamp).hexdigest()[:16]

    def output(self) -> dict[str, bytes]:
        """Every output file a build would write (pages, static files, assets), by output path."""
        out = {}
        for url in self.table:
            if url == GRAPH_URL:
                out[output_file(url)] = self.response(url).body
                continue
            page = self._page(url)
            if page is not None:
                out[output_file(url)] = page.body
        for folder in reversed(theme_dirs(self.cfg.project_dir, "static")):
            if folder.is_dir():
                for f in folder.rglob("*"):
                    if f.is_file():
                        out["static/" + f.relative_to(folder).as_posix()] = f.read_bytes()
        if self.site is not None:
            for url, source in self.site.assets.items():
                out[output_file(url)] = (self.cfg.notes_dir / source).read_bytes()
        return out


def _config_problem(text: str, config_file: str) -> tuple[str, int, str]:
    """(file, line, message) of a ConfigError's text `file[:line]: message`."""
    found = re.match(r"(?P<file>.+?)(?::(?P<line>\d+))?: (?P<message>.*)", text, re.S)
    if found and Path(found["file"]).name == Path(config_file).name:
        return found["file"], int(found["line"] or 0), found["message"]
    return config_file, 0, text


def _under(path: Path, folder: Path) -> bool:
    return folder == path or folder in path.parents


def _inside(root: Path, rel: str) -> Path | None:
    """`root/rel` when it is a file inside `root` (no `..` escapes), else None."""
    path = (root / rel).resolve()
    base = root.resolve()
    return path if base in path.parents and path.is_file() else None


def _content_type(rel: str) -> str:
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    return (
        kind + "; charset=utf-8"
        if kind.startswith("text/") or kind in ("application/json", "application/javascript", "application/xml")
        else kind
    )
