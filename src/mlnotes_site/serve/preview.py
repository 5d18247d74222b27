"""`mlnotes serve`: the site in memory (LiveSite over a Pipeline), served over HTTP, rebuilt when files change.

    watcher (watch.py) ─ batch of paths → Preview.rebuild → LiveSite.update → Updates.publish
    HTTP thread per request ─ Preview.reply → LiveSite.response (+ the live-reload script)
    HTTP thread per open page ─ Preview.stream: Server-Sent Events `reload`, `errors`, `ok`

LiveSite is not thread-safe: every call to it holds `Preview.lock`. Nothing is written to
disk; the printing is done by the `log` callback that cli.py passes in.
"""

from __future__ import annotations

import errno
import html
import socket
import threading
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from ..config import SiteConfig
from ..errors import Diagnostic, error
from .http import (
    MAX_CONNECTIONS,
    PREFIX,
    TIMEOUT,
    PreviewServer,
    Reply,
    Updates,
    allowed_hosts,
    event,
    inject,
    site_path,
)
from .live import LiveSite, UpdateReport
from .watch import Watcher

SCRIPT = Path(__file__).with_name("livereload.js")
SEARCH = 20  # ports tried after a busy default port
IDLE_DELAY = 0.3  # seconds after an update before idle work starts (the pages reload first)
IDLE_SLICE = 0.02  # seconds of idle work per hold of the lock


class ServeError(Exception):
    """The preview cannot start (port busy, bad host, folders that cannot be watched)."""


def crash_diagnostic(exc: BaseException) -> Diagnostic:
    """An unexpected exception as an error at the line of code that raised it."""
    tb, where, line = exc.__traceback__, "mlnotes", 0
    while tb is not None:
        where, line, tb = tb.tb_frame.f_code.co_filename, tb.tb_lineno, tb.tb_next
    return error(
        where,
        line,
        f"mlnotes failed: {type(exc).__name__}: {exc}",
        "a bug in mlnotes, please report it; the preview keeps serving the last good pages",
    )


class Preview:
    """The site of `cfg`, built in memory, served on `host:port` and rebuilt on every change.

    `port_explicit=False` takes the next free port when `port` is busy. `reload_config`
    re-reads the config file when it changes (with the command line's overrides); LiveSite
    calls it. Requests must name this machine or `host` in their `Host` header (any name when
    `host` is 0.0.0.0); `request_timeout` and `max_connections` bound idle and excess clients
    (see http.py).
    """

    def __init__(
        self,
        cfg: SiteConfig,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        port_explicit: bool = True,
        log: Callable[[str], None] = lambda line: None,
        reload_config: Callable[[], SiteConfig] | None = None,
        quiet: float = 0.05,
        poll: float = 0.5,
        keepalive: float = 15.0,
        request_timeout: float = TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.live = LiveSite(cfg, reload_config)
        self.lock = threading.Lock()  # every LiveSite call holds it
        self.updates = Updates()
        self.log = log
        self.poll, self.keepalive = poll, keepalive  # seconds: closed-stream checks, keep-alive comments
        self.report = UpdateReport()
        self.watcher = Watcher(self.live.watch_roots(), self.rebuild, skip=(cfg.out_dir,), quiet=quiet)
        # last: nothing to clean up when it fails
        self.server = _bind(host, port, port_explicit, request_timeout=request_timeout, max_connections=max_connections)
        self.server.preview = self
        self.server.hosts = allowed_hosts(str(self.server.server_address[0]), self.server.server_address[1], [host])
        self._serving = False
        self._updated, self._closing = threading.Event(), threading.Event()
        self._idler = threading.Thread(target=self._idle, name="mlnotes-idle", daemon=True)

    @property
    def cfg(self) -> SiteConfig:
        """The config in use (LiveSite reloads it when the config file changes)."""
        return self.live.cfg

    @property
    def url(self) -> str:
        """Where the site is served, e.g. `http://127.0.0.1:8000/`."""
        host, port = str(self.server.server_address[0]), self.server.server_address[1]
        host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        return f"http://{host}:{port}{quote(self.cfg.base_path)}"

    # -- building ----------------------------------------------------------------------
    def start(self) -> UpdateReport:
        """The first build; the watcher starts first so that no edit made meanwhile is lost."""
        with self.lock:
            try:
                self.watcher.start()
            except OSError as exc:  # e.g. inotify's limit on watched folders
                raise ServeError(f"cannot watch {self.cfg.notes_dir}: {exc}") from exc
            report = self._guarded(self.live.start)
        self._idler.start()
        self._announce(report, None)
        return report

    def rebuild(self, paths: set[Path]) -> UpdateReport:
        """Bring the site up to date after `paths` changed; never raises."""
        with self.lock:
            report = self._guarded(lambda: self.live.update(paths))
        self._announce(report, paths)
        return report

    def _idle(self) -> None:
        """After each update, once the open pages have reloaded, finish in small slices what
        the update left for later (related topics), holding the lock only a moment at a time."""
        while not self._closing.is_set():
            if not self._updated.wait(0.5):
                continue
            self._updated.clear()
            self._closing.wait(IDLE_DELAY)
            more = True
            while more and not self._closing.is_set():
                with self.lock:
                    try:
                        more = self.live.idle(IDLE_SLICE)
                    except Exception as exc:  # not worth stopping the preview for: pages compute it on demand
                        self.log(crash_diagnostic(exc).format())
                        more = False
                time.sleep(0.001)  # let a waiting request take the lock

    def _guarded(self, step: Callable[[], UpdateReport]) -> UpdateReport:
        start = time.perf_counter()
        try:
            return step()
        except Exception as exc:  # a bug must not stop the preview: show it, keep the last pages
            return UpdateReport([crash_diagnostic(exc)], time.perf_counter() - start)

    def _announce(self, report: UpdateReport, paths: set[Path] | None) -> None:
        self.updates.publish([_as_json(d) for d in report.errors])
        self._updated.set()
        for line in report_lines(report, self.report, paths, self.cfg):
            self.log(line)
        self.report = report

    # -- serving -----------------------------------------------------------------------
    def reply(self, raw_path: str, query: str = "") -> Reply:
        """The answer to GET `raw_path` (still percent-encoded) of the site."""
        path = site_path(raw_path)
        if path is None:
            return Reply(400, "text/plain; charset=utf-8", b"bad path\n")
        if path == PREFIX + "live.js":
            return Reply(200, "text/javascript; charset=utf-8", SCRIPT.read_bytes())
        base = self.cfg.base_path
        if base != "/" and path in ("/", base[:-1]):
            return Reply(302, "text/plain; charset=utf-8", b"", _location(base, query))
        page = "/" + path[len(base) :] if path.startswith(base) else None
        with self.lock:
            job = self.live.prepare(page) if page is not None else None
        if job is not None:  # a page made from a snapshot (graph.json): made without the lock
            try:
                job()
            except Exception as exc:  # reported below when the page is asked for again
                self.log(crash_diagnostic(exc).format())
        with self.lock:
            try:
                return self._page(page, path, query)
            except Exception as exc:  # pages render on demand: a bug there must not stop the preview
                diag = crash_diagnostic(exc)
                self.log(diag.format())
                text = (
                    f"<!doctype html><title>mlnotes: error</title><body><pre>{html.escape(diag.format())}</pre></body>"
                )
                return Reply(500, "text/html; charset=utf-8", inject(text.encode(), page or path, ""))

    def _page(self, page: str | None, path: str, query: str) -> Reply:
        """The site's answer for site path `page` (None: outside the base path); holds the lock."""
        found = self.live.response(page) if page is not None else None
        if found is not None and page is not None:
            body = found.body
            if found.content_type.startswith("text/html"):
                body = inject(body, page, self.live.version(page))
            return Reply(found.status, found.content_type, body)
        if page is not None and not page.endswith("/") and self.live.version(page + "/"):
            return Reply(302, "text/plain; charset=utf-8", b"", _location(path + "/", query))
        missing = self.live.response("/404.html")
        if missing is None:
            return Reply(404, "text/plain; charset=utf-8", b"not found\n")
        return Reply(404, missing.content_type, inject(missing.body, page or path, ""))  # reloads once the page exists

    def version(self, page: str) -> str:
        """The current version of `page` ("" when there is none, or when rendering it fails)."""
        with self.lock:
            try:
                return self.live.version(page)
            except Exception:  # reply() reports it; the stream reloads once the page renders again
                return ""

    def stream(self, page: str, seen: str, send: Callable[[bytes], None], gone: Callable[[], bool]) -> None:
        """Events for one open page until the client goes (`gone()`) or the preview closes:
        the errors (`errors` or `ok`) at once and whenever they change, `reload` when the page
        is no longer the version `seen` that the browser shows."""
        updates = self.updates
        with updates.counted():
            generation, errors, closed = updates.wait(-1, 0)  # the current state, without waiting
            send(b"retry: 1000\n\n" + _state(errors))
            current = self.version(page)
            if current != seen:  # changed between loading the page and connecting, or while hidden
                send(event("reload", {"version": current}))
                seen = current
            pinged = time.monotonic()
            while True:
                latest, now_errors, closed = updates.wait(generation, self.poll)
                if closed or gone():
                    return
                if latest != generation:
                    if now_errors != errors:
                        send(_state(now_errors))
                    current = self.version(page)
                    if current != seen:
                        send(event("reload", {"version": current}))
                        seen = current
                    send(f": update {latest}\n\n".encode())  # lets tests see an update that reloads nothing
                    generation, errors, pinged = latest, now_errors, time.monotonic()
                elif time.monotonic() - pinged >= self.keepalive:
                    send(b": keep-alive\n\n")
                    pinged = time.monotonic()

    # -- running -----------------------------------------------------------------------
    def serve_forever(self) -> None:
        """Answer requests until `close()` (or Ctrl-C in the calling thread)."""
        self._serving = True
        self.server.serve_forever(poll_interval=0.05)  # how long close() may wait

    def close(self) -> None:
        """Stop watching, end every event stream and stop the server."""
        self._closing.set()
        self.watcher.stop()
        self.updates.close()
        if self._idler.is_alive():
            self._idler.join(timeout=5)
        if self._serving:
            self.server.shutdown()
        self.server.server_close()


def report_lines(report: UpdateReport, previous: UpdateReport, paths: set[Path] | None, cfg: SiteConfig) -> list[str]:
    """What to print after an update: one summary line, then every error and each new warning."""
    warnings = [d for d in report.diagnostics if d.level != "error"]
    counts = [_count(len(report.errors), "error"), _count(len(warnings), "warning")]
    if paths is None:
        head = f"Read {_count(report.notes_changed, 'note') or '0 notes'} in {report.seconds:.2f} s"
        new = report.diagnostics
    else:
        names = sorted(_shown(p, cfg) for p in paths)
        what = (
            names[0]
            if len(names) == 1
            else f"{len(names)} files ({', '.join(names[:3])}{', …' if len(names) > 3 else ''})"
        )
        head = f"Updated in {report.seconds:.2f} s: {what} changed"
        old = set(previous.diagnostics)
        new = [d for d in report.diagnostics if d.level == "error" or d not in old]
    return [", ".join([head, *filter(None, counts)])] + [d.format() for d in new]


def _count(n: int, noun: str) -> str:
    return "" if n == 0 else f"{n} {noun}" + ("s" if n > 1 else "")


def _state(errors: list[dict]) -> bytes:
    return event("errors", errors) if errors else event("ok", {})


def _as_json(diag: Diagnostic) -> dict:
    return {"path": diag.path, "line": diag.line, "message": diag.message, "hint": diag.hint}


def _shown(path: Path, cfg: SiteConfig) -> str:
    for root in (cfg.notes_dir, cfg.project_dir):
        if root in path.parents:
            return path.relative_to(root).as_posix()
    return path.name


def _location(path: str, query: str) -> str:
    return quote(path, safe="/!$&'()*+,;=:@~") + (f"?{query}" if query else "")


def _bind(host: str, port: int, explicit: bool, **limits: Any) -> PreviewServer:
    """A listening server on `host:port`; a busy default port moves on to the next free one."""
    candidates = [port] if explicit or port == 0 else range(port, port + SEARCH)
    for candidate in candidates:
        try:
            return PreviewServer((host, candidate), **limits)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise ServeError(f"cannot listen on {host}:{candidate}: {exc.strerror or exc}") from exc
    if explicit:
        raise ServeError(
            f"port {port} is already in use on {host}; choose another with --port {_free_port(host, port)}"
        )
    raise ServeError(f"ports {port}-{port + SEARCH - 1} are all in use on {host}; choose one with --port")


def _free_port(host: str, after: int) -> int:
    for candidate in range(after + 1, after + 1 + SEARCH):
        with socket.socket() as probe:
            try:
                probe.bind((host, candidate))
                return candidate
            except OSError:
                continue
    return 0
