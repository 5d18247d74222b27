"""The preview behind `mlnotes serve`: the site in memory, updated when files change.

Interface used by serve.py (and by tests):

    live = LiveSite(cfg)
    report = live.start()                 # first build
    report = live.update(paths)           # files changed, created, moved or deleted
    resp = live.response("/clip/")        # Response(status, content_type, body) or None
    live.version("/clip/")                # a hash of the page's current output
    live.output()                         # every output file: {"clip/index.html": b"…"}

Nothing is written to disk: the published output folder is never touched.

This first version rebuilds everything in memory on every update (correct, slow on big
vaults); the incremental engine replaces `_rebuild` behind the same interface.
"""

from __future__ import annotations

import hashlib
import mimetypes
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .build import BuildReport, _render, load_site
from .config import SiteConfig
from .errors import ERROR, Diagnostic, sort_diagnostics
from .markdown import make_parser
from .paths import output_file
from .progress import Progress
from .theme import theme_dirs


@dataclass(frozen=True)
class Response:
    """What the server sends for a path."""

    status: int
    content_type: str
    body: bytes


@dataclass
class UpdateReport:
    """What an update did: its diagnostics (the whole vault's), timing, and what it re-rendered."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    full: bool = True  # everything was recomputed (a template, config or structural change)
    rendered: int = 0  # pages rendered by this update

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == ERROR]


class LiveSite:
    """The site of `cfg`, kept in memory and brought up to date by `update`."""

    def __init__(self, cfg: SiteConfig) -> None:
        self.cfg = cfg
        self.md = make_parser()
        self.files: dict[str, bytes] = {}  # output path -> bytes (pages only; static and assets are read from disk)
        self.assets: dict[str, str] = {}  # output path -> source path under the notes folder
        self.report = UpdateReport()

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
        """The first build."""
        return self._rebuild()

    def update(self, paths: Iterable[Path]) -> UpdateReport:
        """Bring the site up to date after `paths` changed (created, modified, moved or deleted)."""
        return self._rebuild()

    def _rebuild(self) -> UpdateReport:
        start = time.perf_counter()
        build_report = BuildReport()
        site = load_site(self.cfg, build_report, Progress(enabled=False), self.md)
        pages = _render(self.cfg, site, self.md, build_report, Progress(enabled=False))
        report = UpdateReport(sort_diagnostics(build_report.diagnostics), full=True)
        if pages is not None:  # a broken template keeps the last good pages
            self.files = {output_file(p.url): p.text.encode("utf-8") for p in pages}
            self.assets = {output_file(url): source for url, source in site.assets.items()}
            report.rendered = len(pages)
        report.seconds = time.perf_counter() - start
        self.report = report
        return report

    # -- serving ---------------------------------------------------------------------
    def response(self, path: str) -> Response | None:
        """The file at URL path `path` (unquoted, starting with `/`), or None when there is none."""
        rel = output_file(path)
        if rel in self.files:
            return Response(200, _content_type(rel), self.files[rel])
        if rel.startswith("static/"):
            for folder in theme_dirs(self.cfg.project_dir, "static"):
                found = _inside(folder, rel[len("static/"):])
                if found is not None:
                    return Response(200, _content_type(rel), found.read_bytes())
        if rel in self.assets:
            found = _inside(self.cfg.notes_dir, self.assets[rel])
            if found is not None:
                return Response(200, _content_type(rel), found.read_bytes())
        return None

    def version(self, url: str) -> str:
        """A short hash of what `url` shows now ("" when there is no such page)."""
        body = self.files.get(output_file(url))
        return hashlib.sha1(body).hexdigest()[:16] if body is not None else ""

    def output(self) -> dict[str, bytes]:
        """Every output file a build would write (pages, static files, assets), by output path."""
        out = dict(self.files)
        for folder in reversed(theme_dirs(self.cfg.project_dir, "static")):
            if folder.is_dir():
                for f in folder.rglob("*"):
                    if f.is_file():
                        out["static/" + f.relative_to(folder).as_posix()] = f.read_bytes()
        for rel, source in self.assets.items():
            out[rel] = (self.cfg.notes_dir / source).read_bytes()
        return out


def _inside(root: Path, rel: str) -> Path | None:
    """`root/rel` when it is a file inside `root` (no `..` escapes), else None."""
    path = (root / rel).resolve()
    base = root.resolve()
    return path if base in path.parents and path.is_file() else None


def _content_type(rel: str) -> str:
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith("text/") or kind in ("application/json", "application/javascript", "application/xml") else kind
