"""`build(cfg)`: the Pipeline (pipeline.py) sent to the disk sink (output/disk.py).

Every note is read and the graph completed before the first page is rendered (a page
shows links *to* it from notes read after it); the files then go to a temporary folder
that is swapped in whole, so a failed build never leaves a half-written site.

Pages are rendered and written by `jobs` processes (default: one per core). After the graph
stage the process forks; each child takes every `jobs`-th file of the manifest, renders and
writes it, and sends back only the diagnostics its pages added. The forked children share
the loaded vault (copy-on-write, frozen out of the garbage collector), so nothing is sent to
them, and a page's bytes do not depend on which process rendered it (tests/test_jobs.py).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cache import BuildRecord
from .config import CONFIG_NAME, SiteConfig
from .errors import ERROR, WARNING, Diagnostic, OutputError, sort_diagnostics, warning
from .model import Site
from .output.disk import Shares, check_output_dir, write_site
from .progress import Progress, cpu_seconds, peak_mib

if TYPE_CHECKING:  # the pipeline is imported when a build runs: a build with nothing to do skips its 0.3 s
    from .pipeline import Pipeline


@dataclass
class BuildReport:
    """What a build did: counts, timings per stage and every diagnostic."""

    notes: int = 0
    drafts: int = 0
    topics: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per step
    cpu: dict[str, float] = field(default_factory=dict)  # process CPU seconds per step
    memory: dict[str, float] = field(default_factory=dict)  # peak resident MiB at the end of each step
    diagnostics: list[Diagnostic] = field(default_factory=list)
    site: Site | None = None
    up_to_date: bool = False  # nothing changed since the recorded build: nothing was written
    language: str = ""  # the interface's language
    language_detected: bool = False  # chosen from the notes, config `language:` being unset

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == WARNING]

    def steps(self) -> list[str]:
        """A table of the steps: wall and CPU seconds and peak memory (`mlnotes build --timings`)."""
        lines = [f"{'step':<14} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}"]
        for step, wall in self.timings.items():
            lines.append(f"{step:<14} {wall:8.2f} {self.cpu.get(step, 0.0):8.2f} {self.memory.get(step, 0.0):9.0f}")
        peak = max(self.memory.values(), default=0.0)
        lines.append(f"{'total':<14} {self.seconds:8.2f} {sum(self.cpu.values()):8.2f} {peak:9.0f}")
        return lines

    def summary(self) -> str:
        """The one line printed at the end of a build."""
        parts = [f"{self.notes} notes", f"{self.topics} topics", f"{self.pages} pages written"]
        if self.drafts:
            parts.append(f"{self.drafts} drafts skipped")
        parts.append(f"{len(self.warnings)} warnings")
        if self.errors:
            parts.append(f"{len(self.errors)} errors")
        if self.up_to_date:
            parts[2] = f"{self.pages} pages"
            unchanged = "Up to date (nothing changed since the last build): "
            return unchanged + ", ".join(parts) + f" in {self.seconds:.2f} s"
        line = "Built " + ", ".join(parts) + f" in {self.seconds:.2f} s"
        if self.language_detected:
            line += f"; language: {self.language} (detected from the notes; set language: in mlnotes.yaml to choose)"
        return line


_COUNTS = ("notes", "drafts", "topics", "pages", "files")


def load(cfg: SiteConfig, progress: Progress | None = None, *, cache: bool = False, jobs: int = 1) -> Pipeline:
    """A Pipeline with the whole vault loaded (what `mlnotes todo` reads)."""
    from .pipeline import Pipeline

    pipeline = Pipeline(cfg, cache=cache, jobs=jobs)
    pipeline.load(progress)
    return pipeline


def default_jobs() -> int:
    """One process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def build(
    cfg: SiteConfig, progress: Progress | None = None, *, record: bool = False, jobs: int | None = None
) -> BuildReport:
    """Build the site described by `cfg`; the returned report says what happened.

    With `record`, a build record beside the output folder (cache.py) lets a build whose
    inputs and output are unchanged return at once, replaying the recorded report, and a
    build with changes loads the notes it parsed before from the note cache
    (load/note_cache.py) instead of parsing them again. `jobs` processes parse the other
    notes (load/parallel.py) and render and write the pages (default: one per core; see the
    module docstring).

    Raises OutputError (nothing written) when the output folder cannot be used safely.
    Problems in notes never stop the build: they are diagnostics in the report.
    """
    progress = progress or Progress(enabled=False)
    start = time.perf_counter()
    check_output_dir(cfg.out_dir, cfg.notes_dir)
    memo = BuildRecord.open(cfg) if record else None
    if memo is not None:
        replay = memo.up_to_date()
        if replay is not None:
            report = BuildReport(up_to_date=True, diagnostics=list(replay.diagnostics))
            for name in _COUNTS:
                setattr(report, name, replay.counts[name])
            report.seconds = time.perf_counter() - start
            return report
    from .pipeline import TemplateFailed

    jobs = jobs or default_jobs()
    try:
        pipeline = load(cfg, progress, cache=record, jobs=jobs)
        delta = pipeline.last
        report = BuildReport(delta.notes, delta.drafts, delta.topics, site=pipeline.site)
        report.language, report.language_detected = delta.language, delta.language_detected
        pipeline.settle()
        rels = list(pipeline.manifest())
        count = max(1, min(jobs, len(rels)))
        progress.begin("render", len(rels))
        before = set(pipeline.last.diagnostics)

        def share(k: int):
            for rel in rels[k::count]:
                data = pipeline.output(rel)
                if k == 0:  # this process draws the bar; the others go as fast
                    progress.advance(count)
                if data is not None:
                    yield rel, data

        def collect(added: list[Diagnostic]) -> None:
            pipeline.last.diagnostics.extend(d for d in added if d not in pipeline.last.diagnostics)

        def added() -> list[Diagnostic]:
            return [d for d in pipeline.last.diagnostics if d not in before]

        shares = Shares(count, share, added, collect)
        t0, c0 = time.perf_counter(), cpu_seconds()
        try:
            report.files = write_site(cfg.out_dir, cfg.notes_dir, shares, keep=cfg.keep)
        except TemplateFailed as failed:  # a broken template: report it and keep the previous site
            pipeline.last.diagnostics.append(failed.diagnostic)
        except OSError as exc:  # a full or read-only disk, a folder that went away: one clear line
            where = f": {exc.filename}" if exc.filename else ""
            reason = f"{exc.strerror or exc}{where}"
            raise OutputError(f"{cfg.out_dir}: cannot write the site ({reason}); the previous site is kept") from exc
        else:
            report.pages = len(pipeline.table)
        pipeline.timings["render+write"] = time.perf_counter() - t0
        pipeline.cpu["render+write"] = cpu_seconds() - c0
        pipeline.memory["render+write"] = max(peak_mib(), peak_mib(children=True))  # the largest process
    finally:
        progress.finish()
    report.timings = dict(pipeline.timings)
    report.cpu = dict(pipeline.cpu)
    report.memory = dict(pipeline.memory)
    report.diagnostics = sort_diagnostics(pipeline.last.diagnostics)
    if not cfg.site_url:  # a preview needs none: only builds say it
        report.diagnostics.append(no_base_url(cfg))
    if memo is not None:
        report.diagnostics += _remember(report, memo, pipeline)
    report.seconds = time.perf_counter() - start
    return report


def no_base_url(cfg: SiteConfig) -> Diagnostic:
    """The one warning of a site without an absolute `base_url`."""
    return warning(
        str(cfg.config_file or cfg.project_dir / CONFIG_NAME),
        0,
        "base_url is not set to an http(s) address: feed.xml and sitemap.xml link pages by their path only,"
        " which feed readers and search engines cannot follow",
        "set `base_url: https://you.example/notes/` in the config file",
    )


def _remember(report: BuildReport, memo: BuildRecord, pipeline: Pipeline) -> list[Diagnostic]:
    """Record a build whose site is in place (a failed template keeps the old site, and its
    record) and drop the note cache's entries of notes changed or gone since; the warnings."""
    saved = None
    if report.pages:
        saved = memo.save({k: getattr(report, k) for k in _COUNTS}, report.diagnostics)
        if pipeline.note_cache is not None:
            pipeline.note_cache.prune()
    return [d for d in (memo.problem, saved) if d is not None]
