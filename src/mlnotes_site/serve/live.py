"""The preview behind `mlnotes serve`: a Pipeline kept in memory, answering requests.

    live = LiveSite(cfg)
    report = live.start()                 # first build (Pipeline.load)
    report = live.update(paths)           # files changed, created, moved or deleted
    resp = live.response("/clip/")        # Response(status, content_type, body) or None
    live.version("/clip/")                # a hash of the page's current output
    live.output()                         # every output file: {"clip/index.html": b"…"}

Nothing is written to disk: the published output folder is never touched. The Pipeline
runs with `serve=True`: it renders a page when it is asked for, keeps it while its inputs
are unchanged, and keeps each note's last good version (see pipeline.py). `output()` after
any sequence of edits equals a clean build byte for byte (tests/test_incremental.py).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..config import SiteConfig
from ..model import Site
from ..output.memory import collect
from ..paths import output_file
from ..pipeline import Delta, Pipeline

UpdateReport = Delta  # what an update did, as the server reports it


@dataclass(frozen=True)
class Response:
    """What the server sends for a path."""

    status: int
    content_type: str
    body: bytes


class LiveSite:
    """The site of `cfg`, kept in memory by a Pipeline and brought up to date by `update`."""

    def __init__(self, cfg: SiteConfig, reload_config: Callable[[], SiteConfig] | None = None) -> None:
        self.pipeline = Pipeline(cfg, serve=True, reload_config=reload_config, cache=True)

    @property
    def cfg(self) -> SiteConfig:
        return self.pipeline.cfg

    @property
    def report(self) -> Delta:
        return self.pipeline.last

    @property
    def site(self) -> Site | None:
        """The Pipeline's current Site."""
        return self.pipeline.site

    @property
    def renders(self) -> int:
        return self.pipeline.renders

    @property
    def rendered_urls(self) -> list[str]:
        return self.pipeline.rendered_urls

    def watch_roots(self) -> list[Path]:
        """Folders and files whose changes matter."""
        return self.pipeline.watch_roots()

    def start(self) -> Delta:
        """The first build: read every note."""
        return self.pipeline.load()

    def update(self, paths: Iterable[Path]) -> Delta:
        """Bring the site up to date after `paths` changed."""
        return self.pipeline.update(paths)

    def idle(self, seconds: float) -> bool:
        """Compute what the last update left stale for about `seconds`; True while work is left."""
        return self.pipeline.idle(seconds)

    def response(self, path: str) -> Response | None:
        """The file at URL path `path` (unquoted, starting with `/`), or None when there is none."""
        url = path[: -len("index.html")] if path.endswith("/index.html") else path
        body = self.pipeline.render(url)
        if body is not None:
            return Response(200, _content_type(output_file(url)), body)
        rel = output_file(path)
        source = self.pipeline.manifest(pages=False).get(rel)  # a page was answered by render
        if source is None or source.kind == "page":
            return None
        data = self.pipeline.output(rel)
        return Response(200, _content_type(rel), data) if data is not None else None

    def prepare(self, path: str) -> Callable[[], bytes] | None:
        """A job that makes the page at `path` without the server's lock (Pipeline.prepare), or
        None when the page is ready, or is made the ordinary way."""
        url = path[: -len("index.html")] if path.endswith("/index.html") else path
        job = self.pipeline.prepare(url)
        return job if callable(job) else None

    def version(self, url: str) -> str:
        """A short hash of what `url` shows now ("" when there is no such page)."""
        return self.pipeline.version(url)

    def output(self) -> dict[str, bytes]:
        """Every output file a build would write, by output path (the memory sink)."""
        return collect(self.pipeline.outputs())


def _content_type(rel: str) -> str:
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    text = kind.startswith("text/") or kind in ("application/json", "application/javascript", "application/xml")
    return kind + "; charset=utf-8" if text else kind
