"""`build(cfg)`: the stages in order. Read and index everything first, write after.

    discover  → the sorted list of note files (and other files notes may reference)
    load      → one Note per file (front matter, tokens, headings, links, tasks, tags)
    topics    → which parts of each note are pages, and every page's unique URL
    graph     → links resolved, backlinks, mentions, tags, files to copy (needs *all* topics)
    tracker   → every checklist item and question with the page that shows it
    render    → HTML for every page (needs the finished graph: backlinks, titles)
    write     → a temporary folder swapped in whole

The graph must be complete before any page is rendered, because a page shows links *to*
it from notes loaded after it.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field

import jinja2
from markdown_it import MarkdownIt

from .config import SiteConfig
from .emit.render import Page, Renderer
from .errors import ERROR, WARNING, Diagnostic, error, sort_diagnostics
from .graph.state import SiteState
from .graph.tracker import build_tracker
from .load.discover import discover
from .load.note import load_note
from .markdown import make_parser
from .model import Note, Site
from .output.disk import check_output_dir, write_site
from .progress import Progress
from .theme import theme_dirs


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
    return error(
        str(where),
        line,
        f"template error: {exc.message or exc}",
        "the site was not written; fix the template and build again",
    )


@dataclass
class BuildReport:
    """What a build did: counts, timings per stage and every diagnostic."""

    notes: int = 0
    drafts: int = 0
    topics: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    site: Site | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == WARNING]

    def summary(self) -> str:
        """The one line printed at the end of a build."""
        parts = [f"{self.notes} notes", f"{self.topics} topics", f"{self.pages} pages written"]
        if self.drafts:
            parts.append(f"{self.drafts} drafts skipped")
        parts.append(f"{len(self.warnings)} warnings")
        if self.errors:
            parts.append(f"{len(self.errors)} errors")
        return "Built " + ", ".join(parts) + f" in {self.seconds:.2f} s"


def load_site(
    cfg: SiteConfig, report: BuildReport, progress: Progress, md: MarkdownIt, state: SiteState | None = None
) -> Site:
    """Stages discover → load → topics → graph: the whole vault, indexed, in memory."""
    t0 = time.perf_counter()
    rels, files = discover(cfg.notes_dir, cfg.exclude, skip=(cfg.out_dir,))
    report.timings["discover"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    progress.begin("load", len(rels))
    notes: dict[str, Note] = {}
    for rel in rels:
        note = load_note(cfg.notes_dir, rel, md)
        report.diagnostics += note.diagnostics
        if note.draft and not cfg.drafts:
            report.drafts += 1
        else:
            notes[rel] = note
        progress.advance()
    report.timings["load"] = time.perf_counter() - t0

    state = state or SiteState(cfg.autolink)
    site = state.update(notes, frozenset(files))
    report.diagnostics += site.diagnostics
    report.timings.update(state.timings)
    report.notes, report.topics = len(notes), len(site.topics)
    return site


def _render(cfg: SiteConfig, site: Site, md: MarkdownIt, report: BuildReport, progress: Progress) -> list[Page] | None:
    """Stages tracker → render; None (and an error diagnostic) when a template is broken."""
    t0 = time.perf_counter()
    tracker = build_tracker(site)
    report.timings["tracker"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    renderer = Renderer(cfg, site, md, tracker)
    table = renderer.pages()
    progress.begin("render", len(table))
    try:
        pages = renderer.all_pages(progress.advance, table)
    except jinja2.TemplateError as exc:
        report.diagnostics = sort_diagnostics([*report.diagnostics, template_error(exc)])
        return None
    report.timings["render"] = time.perf_counter() - t0
    return pages


def build(cfg: SiteConfig, progress: Progress | None = None) -> BuildReport:
    """Build the site described by `cfg`; the returned report says what happened.

    Raises OutputError (nothing written) when the output folder cannot be used safely.
    Problems in notes never stop the build: they are diagnostics in the report.
    """
    progress = progress or Progress(enabled=False)
    report = BuildReport()
    start = time.perf_counter()
    check_output_dir(cfg.out_dir, cfg.notes_dir)
    md = make_parser()
    # The loaded vault (millions of token objects) lives until the end of the build: the
    # cycle collector is paused while loading, then told to leave those objects alone, so
    # full collections do not rescan them (they took a fifth of a 10,000-note build).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        site = load_site(cfg, report, progress, md)
        gc.freeze()
        if was_enabled:
            gc.enable()
        pages = _render(cfg, site, md, report, progress)
        if pages is None:  # a broken template: report it and keep the previous site
            report.seconds = time.perf_counter() - start
            return report
        t0 = time.perf_counter()
        report.files = write_site(cfg.out_dir, cfg.notes_dir, pages, site.assets, theme_dirs(cfg.project_dir, "static"))
        report.timings["write"] = time.perf_counter() - t0
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
        progress.finish()
    report.pages = len(pages)
    report.site = site
    report.diagnostics = sort_diagnostics(report.diagnostics)
    report.seconds = time.perf_counter() - start
    return report
