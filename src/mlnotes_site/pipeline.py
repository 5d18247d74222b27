"""`Pipeline(cfg)`: the one orchestrator. `mlnotes build` and `mlnotes serve` both drive it.

    pipeline = Pipeline(cfg)
    delta = pipeline.load()             # discover, read and parse every note; the graph stage
    delta = pipeline.update(paths)      # files changed: re-read only those, update the graph
    pipeline.manifest()                 # every output file -> what it is made from
    pipeline.render("/clip/")           # a page's bytes (None: no such page)
    pipeline.output("static/style.css") # any output file's bytes

The stages, in order; each needs the whole of the one before it:

    discover → the sorted note files and the vault's other files          (load/discover.py)
    read     → each note's bytes and file times; a file that cannot be read is an error (`_read`)
    history  → the notes folder's git history, one `git log` for all      (load/history.py)
    parse    → one Note per file                                           (load/note.py)
    graph    → pages and URLs, links resolved once, every derived view      (graph/state.py)
    emit     → a description of each page, rendered when asked for          (emit/)

The graph is complete before any page is described, because a page shows links *to* it
from notes read after it. `build.py` sends `output()` of every manifest entry to the disk
sink; serve keeps the Pipeline and asks for pages as browsers do. With `serve=True` the
pipeline keeps rendered pages (reused while their description is equal and every link
look-up they made still gets the same answer) and each note's last good version (a note
whose new version has an error keeps being shown as it was).
"""

from __future__ import annotations

import gc
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import jinja2

from . import urls
from .config import SiteConfig
from .emit import Table, describe, page_table
from .emit import tracker as emit_tracker
from .emit.linker import Lookup, still_true
from .emit.render import PageSpec, Renderer, make_environment
from .errors import ERROR, WARNING, ConfigError, Diagnostic, error, sort_diagnostics, warning
from .graph.state import GraphState
from .load.discover import NOTE_SUFFIXES, discover
from .load.history import NO_HISTORY, History, blob_id, read_history
from .load.note_cache import NoteCache
from .load.parallel import parse_all
from .load.stamps import from_mtime
from .markdown import make_parser
from .model import FileTimes, Note, Site
from .paths import output_file
from .progress import Progress, cpu_seconds, peak_mib
from .theme import theme_dirs

# what a preview's page table leaves out until asked for (_table_now): the search index files and
# the tracker's pages (each takes a pass over the vault); the sitemap lists the tracker's pages
LATER = ("search-index", "tracker")
LATER_URLS = (urls.SEARCH, urls.TRACKER, urls.SITEMAP)


@dataclass(frozen=True)
class Source:
    """What an output file is made from: a page (`url`), or a file copied (`file`)."""

    kind: str  # "page", "static" or "asset"
    url: str
    file: Path | None = None


@dataclass
class Delta:
    """What `load` or `update` did: every diagnostic of the vault, timing, and how much changed."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    full: bool = True  # URLs were assigned again (a structural, template or config change)
    notes_changed: int = 0  # notes read with new content, or gone
    notes: int = 0  # notes published
    drafts: int = 0  # notes skipped as drafts
    topics: int = 0
    language: str = ""  # the interface's language
    language_detected: bool = False  # chosen from the notes (config `language:` is unset)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == WARNING]


class TemplateFailed(Exception):
    """A template could not render a page (and no earlier version of it is kept)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple[type, tuple[Diagnostic]]:  # a render worker sends it to the parent
        return TemplateFailed, (self.diagnostic,)


def template_error(exc: jinja2.TemplateError) -> Diagnostic:
    """A Jinja error as a diagnostic at the template's file and line."""
    where = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    line = getattr(exc, "lineno", None) or 0
    if not getattr(exc, "filename", None):
        # runtime errors carry the template position in the traceback only
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".xml")):
                where, line = name, tb.tb_lineno
            tb = tb.tb_next
    message = f"template error: {getattr(exc, 'message', None) or exc}"
    return error(str(where), line, message, "the site was not written; fix the template and build again")


@dataclass
class _Cached:
    spec: PageSpec
    lookups: list[Lookup]
    body: bytes


class Pipeline:
    """The site of `cfg`: loaded once, then kept up to date by `update`.

    `serve=True` keeps rendered pages and last good notes (see the module docstring);
    `reload_config` reads the config again when the config file changes; with `cache`, notes
    parsed before are loaded from the note cache (load/note_cache.py); the others are parsed
    by `jobs` processes (load/parallel.py)."""

    def __init__(
        self,
        cfg: SiteConfig,
        *,
        serve: bool = False,
        reload_config: Callable[[], SiteConfig] | None = None,
        cache: bool = False,
        jobs: int = 1,
    ) -> None:
        self.cfg = cfg
        self.serve = serve
        self.reload_config = reload_config
        self.note_cache = NoteCache.open(cfg) if cache else None
        self.jobs = jobs
        self.dropped = 0  # notes known before that could not be read now (see _read)
        self.md = make_parser(cfg.raw_html, cfg.max_parse_steps, cfg.max_note_bytes, cfg.breaks)
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}  # process CPU seconds per step
        self.memory: dict[str, float] = {}  # peak resident MiB at the end of each step
        self.renders = 0  # pages rendered so far (tests use it to see what an edit cost)
        self.rendered_urls: list[str] = []  # … and which, since the last update
        self.last = Delta()
        self.config_error: Diagnostic | None = None  # the config file is broken: the last good one is used
        self.good_bytes: dict[str, bytes] = {}  # note rel -> the bytes of its published version (kept on a restart)
        self.good_times: dict[str, FileTimes] = {}  # … and what its file said of its dates then
        self._reset()

    def _reset(self) -> None:
        self.graph = GraphState(self.cfg.autolink, self.cfg.dates)
        self.history: History | None = None  # read by the next refresh (load reads it again)
        self.times: dict[str, FileTimes] = {}  # note rel -> what its file and git said of the version shown
        self.pending: dict[str, FileTimes] = {}  # … of a version read and not yet taken (see _accept)
        self.raw: dict[str, bytes] = {}  # note rel -> the bytes last read
        self.parsed: dict[str, Note] = {}  # note rel -> its note as last read (drafts included)
        self.good: dict[str, Note] = {}  # note rel -> the version published
        self.unreadable: dict[str, Diagnostic] = {}  # note rel -> why it cannot be read
        self.outside: dict[str, Diagnostic] = {}  # a symlink out of the notes folder -> the warning
        self.files: frozenset[str] = frozenset()
        self.rels: list[str] = []
        self.env = make_environment(self.cfg)
        self.template_errors: list[Diagnostic] = []
        self.cache_problems: list[Diagnostic] = []  # damaged note-cache entries, said by the next refresh
        self.files_stamp = 0  # changes with a static file, image or attachment (see update)
        self.site: Site | None = None
        self.renderer: Renderer | None = None
        self.table: Table = {}
        self.cache: dict[str, _Cached] = {}
        self.search_layout: tuple[int, int, int] = (0, 0, 0)  # the search files in the table
        self.table_stale = False  # the search files or tracker pages may differ from the table's (_table_now)
        self.table_complete = True  # the table has them (see _new_table)
        self._manifest: tuple[tuple[object, ...], dict[str, Source]] | None = None
        self.mermaid = False  # a published note has a ```mermaid fence: the site needs the vendored script

    # -- what to watch -----------------------------------------------------------------
    def watch_roots(self) -> list[Path]:
        """Folders and files whose changes matter: the notes, the user's theme, the config."""
        roots = [self.cfg.notes_dir]
        roots += [d for d in (self.cfg.project_dir / "templates", self.cfg.project_dir / "static") if d.is_dir()]
        if self.cfg.config_file is not None:
            roots.append(self.cfg.config_file)
        return roots

    # -- loading and updating ----------------------------------------------------------
    def load(self, progress: Progress | None = None) -> Delta:
        """The first build: read every note."""
        # no cycle collection while millions of tokens are made, and the loaded vault is left
        # out of later collections (full collections rescanning it took a fifth of a build)
        was_enabled = gc.isenabled()
        gc.unfreeze()  # a restart (new config): the previous vault may be collected
        gc.disable()
        try:
            return self._refresh(set(), rescan=True, progress=progress)
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()

    def update(self, paths: Iterable[Path]) -> Delta:
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

    def _config_changed(self) -> Delta:
        if self.reload_config is not None:
            try:
                cfg = self.reload_config()
            except ConfigError as exc:  # its text starts with the file (and line) it is about
                where, line, message = _config_problem(str(exc), str(self.cfg.config_file))
                hint = "fix the config file; the preview keeps the last good config"
                self.config_error = error(where, line, message, hint)
                kept = [d for d in self.last.diagnostics if d.path != where]
                self.last = Delta(sort_diagnostics([*kept, self.config_error]), full=False)
                return self.last
            self.cfg = cfg  # the config decides how notes parse
            self.md = make_parser(cfg.raw_html, cfg.max_parse_steps, cfg.max_note_bytes, cfg.breaks)
            if self.note_cache is not None:  # … so parses under the old settings are another key's
                self.note_cache = NoteCache.open(cfg)
        self.config_error = None
        self._reset()
        return self.load()

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

    def _read(self, rel: str) -> bytes | None:
        """A note's bytes when they changed since last read (None: unchanged, or not read).

        The one place notes are read: a file that cannot be read (vanished, unreadable, a
        dangling or looping symlink) is an error naming it, and the rest of the site is built;
        such a note that was known counts as changed (`self.dropped`)."""
        path = self.cfg.notes_dir / rel
        outside = self._outside(rel)
        if outside is not None:  # it was re-pointed since the folder was read
            self.outside[rel] = outside
            self.rels = [r for r in self.rels if r != rel]
            self.dropped += self.raw.pop(rel, None) is not None
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            if not path.exists() and not path.is_symlink():  # gone since the folder was read
                return None
            reason = (
                "it is a symbolic link to a missing file"
                if path.is_symlink() and not path.exists()
                else exc.strerror or str(exc)
            )
            self.unreadable[rel] = error(
                rel, 0, f"cannot read this note: {reason}", "fix or remove the file; the other notes are published"
            )
            self.dropped += rel in self.raw
            self.raw.pop(rel, None)
            self.parsed.pop(rel, None)
            self.good.pop(rel, None)
            self.times.pop(rel, None)
            return None
        self.unreadable.pop(rel, None)
        if self.raw.get(rel) != data:
            if self.history is not None:  # (a load dates the notes it read once git has answered)
                self.pending[rel] = self._times(rel, path, data)
            return data
        if self.good_bytes.get(rel) == data:  # touched: new file times of the version shown
            self.times[rel] = self.good_times[rel] = self._times(rel, path, data)
        return None

    def _times(self, rel: str, path: Path, data: bytes) -> FileTimes:
        """What note `rel`'s file (bytes `data`) and its git history say of its dates."""
        modified = None
        if "file" in self.cfg.dates:
            try:
                modified = from_mtime(path.stat().st_mtime_ns)
            except OSError:  # gone since it was read: the next event says so
                pass
        git = self.history.files.get(rel) if self.history is not None else None
        if git is None:
            return FileTimes(modified)
        committed = blob_id(data, len(git.blob)) == git.blob
        lines = self.history.lines.get(rel) if committed and self.history is not None else None
        return FileTimes(modified, git.created, git.updated, committed, lines)

    def _read_history(self, fresh: list[tuple[str, bytes]]) -> None:
        """The notes folder's git history (load/history.py), once per load: one `git log`,
        with each line's date for the notes that may hold several topics (two lines or more
        starting with `# `), so a collection's topics get their own dates. Then what git says
        of each note just read."""
        t0, c0 = time.perf_counter(), cpu_seconds()  # with git's CPU
        if "git" in self.cfg.dates:
            wanted = frozenset(rel for rel, data in fresh if data.startswith(b"# ") + data.count(b"\n# ") >= 2)
            self.history = read_history(self.cfg.notes_dir, wanted)
        else:
            self.history = NO_HISTORY
        for rel, data in fresh:
            self.pending[rel] = self._times(rel, self.cfg.notes_dir / rel, data)
        self.timings["history"] = time.perf_counter() - t0
        self.cpu["history"] = cpu_seconds() - c0
        self.memory["history"] = peak_mib()

    def _accept(self, rel: str, data: bytes, note: Note) -> None:
        """Take a note's new version (with `serve`, a version with errors is shown as the last
        good one, with that version's dates)."""
        self.raw[rel] = data
        self.parsed[rel] = note
        times = self.pending.pop(rel, FileTimes())
        if not self.serve or not any(d.level == ERROR for d in note.diagnostics):
            self.good[rel], self.good_bytes[rel], self.good_times[rel] = note, data, times
            self.times[rel] = times
        elif rel not in self.good:  # a broken note: its last good version, even from before a restart
            kept = self.good_bytes.get(rel)
            if kept is not None:
                self.good[rel] = parse_all([(rel, kept)], self.md, self.note_cache)[0]
                self.times[rel] = self.good_times.get(rel, times)
            else:
                self.good[rel], self.times[rel] = note, times

    def _outside(self, rel: str) -> Diagnostic | None:
        """The warning for `rel` when it is a symbolic link to a file outside the notes folder."""
        path = self.cfg.notes_dir / rel
        if path.is_symlink() and path.exists() and self.cfg.notes_dir.resolve() not in path.resolve().parents:
            message = "is a symbolic link to a file outside the notes folder; it is not read"
            return warning(rel, 0, message, "copy the file into the notes folder to publish it")
        return None

    def _inside_notes(self, rels: list[str], files: frozenset[str]) -> tuple[list[str], frozenset[str]]:
        """The notes and files that really are in the notes folder: a symbolic link whose
        target lies outside it is never read (a warning names it), so a build cannot publish
        `/etc/passwd` through `pw.png -> /etc/passwd`."""
        self.outside = {}
        for rel in [*rels, *files]:
            problem = self._outside(rel)
            if problem is not None:
                self.outside[rel] = problem
        if not self.outside:
            return rels, files
        return [r for r in rels if r not in self.outside], frozenset(f for f in files if f not in self.outside)

    def _refresh(self, touched: set[str], rescan: bool, full: bool = False, progress: Progress | None = None) -> Delta:
        start = time.perf_counter()
        changed = 0
        if rescan:
            t0, c0 = time.perf_counter(), time.process_time()
            rels, files = self._inside_notes(*discover(self.cfg.notes_dir, self.cfg.exclude, skip=(self.cfg.out_dir,)))
            for rel in (set(self.raw) | set(self.unreadable)) - set(rels):
                self.raw.pop(rel, None), self.parsed.pop(rel, None), self.good.pop(rel, None)
                self.times.pop(rel, None)
                self.good_bytes.pop(rel, None)
                self.good_times.pop(rel, None)
                self.unreadable.pop(rel, None)
                changed += 1
            self.rels, self.files = rels, frozenset(files)
            touched = touched | {rel for rel in rels if rel not in self.raw}
            self.timings["discover"] = time.perf_counter() - t0
            self.cpu["discover"] = time.process_time() - c0
            self.memory["discover"] = peak_mib()
        t0, c0 = time.perf_counter(), cpu_seconds()  # with the parse workers' CPU
        self.dropped = 0
        fresh: list[tuple[str, bytes]] = []  # the notes whose bytes changed
        for rel in sorted(touched):
            data = self._read(rel) if rel in self.raw or rel in self.rels else None
            if data is not None:
                fresh.append((rel, data))
        if self.history is None:
            self._read_history(fresh)
            t0, c0 = t0 + self.timings["history"], c0 + self.cpu["history"]  # "load" leaves it out
        if progress is not None:
            progress.begin("load", len(fresh))
        advance = progress.advance if progress is not None else None
        for (rel, data), note in zip(
            fresh, parse_all(fresh, self.md, self.note_cache, self.jobs, advance), strict=True
        ):
            self._accept(rel, data, note)
        changed += len(fresh) + self.dropped
        if self.note_cache is not None and self.note_cache.problems:
            self.cache_problems += self.note_cache.problems
            self.note_cache.problems = []
        self.timings["load"] = time.perf_counter() - t0
        self.cpu["load"] = cpu_seconds() - c0
        self.memory["load"] = peak_mib()
        published = [rel for rel in self.rels if rel in self.good]
        notes = {rel: self.good[rel] for rel in published if self.cfg.drafts or not self.good[rel].draft}
        self.mermaid = any(note.parse_env.get("mermaid") for note in notes.values())
        old, self.site = self.site, self.graph.update(notes, self.files, self.times)
        self.timings.update(self.graph.timings)
        self.cpu.update(self.graph.cpu)
        self.memory.update(self.graph.memory)
        site = self.site
        was = self.renderer
        self.renderer = Renderer(self.cfg, site, self.md, env=self.env)
        if was is not None and was.language != self.renderer.language:
            self.cache.clear()  # the notes' language flipped: every page says everything in the other one
        if self.graph.structural or old is None or site.tags is not old.tags:
            self._new_table(complete=not self.serve)
        elif self.serve:  # the search files and the tracker's pages are checked when asked for
            self.table_stale = True
        elif site.search is not old.search or self._paged_anew():
            self._new_table()
        # every note's problems as last read (a held note's errors too), as a build reports them
        diagnostics = [d for rel in self.rels if rel in self.parsed for d in self.parsed[rel].diagnostics]
        diagnostics += [*self.unreadable.values(), *self.outside.values(), *site.diagnostics, *self.template_errors]
        diagnostics += self.cache_problems
        self.cache_problems = []
        if self.history is not None and self.history.problem is not None:
            diagnostics.append(self.history.problem)
        if self.config_error is not None:
            diagnostics.append(self.config_error)
        self.last = Delta(
            sort_diagnostics(diagnostics),
            time.perf_counter() - start,
            full or self.graph.structural,
            changed,
            notes=len(notes),
            drafts=len(published) - len(notes),
            topics=site.topic_count,
            language=self.renderer.language,
            language_detected=not self.cfg.language,
        )
        self.rendered_urls = []
        return self.last

    # -- output ------------------------------------------------------------------------
    def _new_table(self, complete: bool = True) -> None:
        """The page table of the Site; not `complete` (a preview): without the search files
        and the tracker's pages, which `_table_now` adds when they are asked for."""
        assert self.site is not None
        self.table = page_table(self.site, self.cfg, () if complete else LATER)
        self.table_complete, self.table_stale = complete, not complete
        if complete:
            self.search_layout = self.site.search.layout
        for url in [u for u in self.cache if u not in self.table]:
            del self.cache[url]

    def _paged_anew(self) -> bool:
        """Whether the search files or the tracker's pages are others than the table's."""
        assert self.site is not None and self.renderer is not None
        return self.site.search.layout != self.search_layout or emit_tracker.table_layout(
            self.table
        ) != emit_tracker.layout(self.renderer)

    def _table_now(self, url: str | None = None) -> None:
        """With `serve`, an edit leaves the search index files unmade (graph/search.py
        LazySearch: at 10,000 notes they take seconds) and the tracker unbuilt, so the
        edited page reloads at once. The first request under LATER_URLS (or for the
        manifest: `url` None) completes the table, or checks whether they have other files now."""
        if not self.table_stale or (url is not None and not url.startswith(LATER_URLS)):
            return
        self.table_stale = False
        if not self.table_complete or self._paged_anew():
            self._new_table()

    def manifest(self, pages: bool = True) -> dict[str, Source]:
        """Every output file, by output path, in a fixed order: pages, static files, assets.
        `pages=False`: for a static file or asset only, so the pages may be as the last
        update left them (see _table_now)."""
        if pages:
            self._table_now()
        key = (id(self.table), id(self.site.assets) if self.site else 0, self.files_stamp, self.mermaid)
        if self._manifest is not None and self._manifest[0] == key:
            return self._manifest[1]
        found = {output_file(url): Source("page", url) for url in self.table}
        static: dict[str, Path] = {}
        for folder in reversed(theme_dirs(self.cfg.project_dir, "static")):  # the user's files win
            if folder.is_dir():
                static.update((f.relative_to(folder).as_posix(), f) for f in folder.rglob("*") if f.is_file())
        prefix = urls.STATIC.strip("/") + "/"
        vendored = urls.MERMAID_DIR[len(urls.STATIC) :]
        found.update(
            (prefix + rel, Source("static", urls.STATIC + rel, f))
            for rel, f in sorted(static.items())
            if self.mermaid or not rel.startswith(vendored)  # 5.7 MB of script only for a site with a diagram
        )
        for url, source in (self.site.assets if self.site else {}).items():
            found[output_file(url)] = Source("asset", url, self.cfg.notes_dir / source)
        self._manifest = (key, found)
        return found

    def page_urls(self) -> Iterable[str]:
        """The URL of every page, in the manifest's order."""
        self._table_now()
        return self.table.keys()

    def render(self, url: str) -> bytes | None:
        """The page at `url` (None when there is none). With `serve`, a page is rendered
        again only if its inputs changed, and a template error keeps the last good version;
        else a template error raises TemplateFailed."""
        self._table_now(url)
        entry = self.table.get(url)
        if entry is None or self.site is None or self.renderer is None:
            return None
        return self._render(url, describe(self.renderer, *entry))

    def _render(self, url: str, spec: PageSpec) -> bytes | None:
        assert self.site is not None and self.renderer is not None
        cached = self.cache.get(url)
        if cached is not None and cached.spec == spec and still_true(self.site, cached.lookups):
            return cached.body
        try:
            body = self.renderer.render(spec).encode("utf-8")
        except jinja2.TemplateError as exc:
            problem = template_error(exc)
            if not self.serve:
                raise TemplateFailed(problem) from exc
            if problem not in self.template_errors:
                self.template_errors.append(problem)
                self.last.diagnostics = sort_diagnostics([*self.last.diagnostics, problem])
            return cached.body if cached is not None else None  # the last good version, if any
        self.renders += 1
        if self.serve:
            for part in spec.bodies:
                part.detach()
            self.rendered_urls.append(url)
            self.cache[url] = _Cached(spec, spec.lookups(), body)
        return body

    def settle(self) -> None:
        """Compute now what pages compute when first read and share: the related-topic rows
        (graph.json reads them all) and the tracker (home and tracker pages). Called before
        pages are rendered by several processes, which would each compute them."""
        if self.site is None or self.renderer is None:
            return
        t0, c0 = time.perf_counter(), time.process_time()
        self.site.related.refresh(float("inf"))
        assert self.renderer.tracker is not None
        self.timings["related rows"] = time.perf_counter() - t0
        self.cpu["related rows"] = time.process_time() - c0
        self.memory["related rows"] = peak_mib()

    def prepare(self, url: str) -> bytes | Callable[[], bytes] | None:
        """Like `render`, but a page whose text is made from frozen data (its description has
        `make`: graph.json, the search files) is returned as a job that makes it, keeps it and
        returns it. It touches nothing an update changes, so `mlnotes serve` runs it without
        holding its lock: graph.json takes seconds at 10,000 notes, and saves need not wait."""
        self._table_now(url)
        entry = self.table.get(url)
        if entry is None or self.renderer is None or not self.serve:
            return self.render(url)
        cached = self.cache.get(url)
        spec = describe(self.renderer, *entry)
        if spec.make is None or (cached is not None and cached.spec == spec):
            return self._render(url, spec)
        make = spec.make

        def job() -> bytes:
            body = make().encode("utf-8")
            self.cache[url] = _Cached(spec, [], body)  # one assignment; a later Site's description differs
            self.renders += 1
            return body

        return job

    def output(self, rel: str) -> bytes | None:
        """The bytes of output file `rel` (a manifest path), or None when there is none (or a
        copied file cannot be read: that is an error diagnostic, and the rest goes on)."""
        source = self.manifest().get(rel)
        if source is None:
            return None
        if source.kind == "page":
            return self.render(source.url)
        assert source.file is not None
        try:  # (the vault's files were checked to be inside the notes folder: `_inside_notes`)
            return source.file.read_bytes()
        except OSError as exc:
            shown = (
                source.file.relative_to(self.cfg.notes_dir).as_posix() if source.kind == "asset" else str(source.file)
            )
            problem = error(
                shown,
                0,
                f"cannot read this file: {getattr(exc, 'strerror', None) or exc}",
                "it is left out of the site",
            )
            if problem not in self.last.diagnostics:
                self.last.diagnostics = sort_diagnostics([*self.last.diagnostics, problem])
            return None

    def outputs(self) -> Iterable[tuple[str, bytes]]:
        """Every output file's (path, bytes), in manifest order (files that cannot be read left out)."""
        for rel in list(self.manifest()):
            data = self.output(rel)
            if data is not None:
                yield rel, data

    def version(self, url: str) -> str:
        """A short hash of what `url` shows now ("" when there is no such page)."""
        body = self.render(url)
        if body is None:
            return ""
        return hashlib.sha1(body + b"%d" % self.files_stamp).hexdigest()[:16]

    def idle(self, seconds: float) -> bool:
        """Use about `seconds` of idle time to compute what an update left stale (related
        topics), so that pages need not wait; True while work is left."""
        return self.site is not None and self.site.related.refresh(seconds)


def _config_problem(text: str, config_file: str) -> tuple[str, int, str]:
    """(file, line, message) of a ConfigError's text `file[:line]: message`."""
    found = re.match(r"(?P<file>.+?)(?::(?P<line>\d+))?: (?P<message>.*)", text, re.S)
    if found and Path(found["file"]).name == Path(config_file).name:
        return found["file"], int(found["line"] or 0), found["message"]
    return config_file, 0, text


def _under(path: Path, folder: Path) -> bool:
    return folder == path or folder in path.parents
