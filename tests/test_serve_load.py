"""`mlnotes serve` under load: 50 clients × 40 requests (pages, static files, graph.json, 404s)
and 20 open event streams while a note is edited 20 times (real file writes, the real watcher),
all over real HTTP on 127.0.0.1 with the server's default limits."""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import threading
import time
from pathlib import Path
from typing import Callable

from test_serve import Events, Running, vault  # noqa: F401 - `vault` is a fixture

CLIENTS, REQUESTS, STREAMS, EDITS = 50, 40, 20, 20
EDITED = "/part-one/"  # split.md's first part
PAGES = [
    "/",
    EDITED,
    "/part-two/",
    "/notes/split/",
    "/tags/",
    "/tags/%E4%BC%98%E5%8C%96/",
    "/tasks/",
    "/graph/",
    "/%E5%88%A9%E7%94%A8%E9%94%AE%E7%9B%98%E9%80%89%E5%AE%9A%E6%96%87%E6%9C%AC%E7%9A%84%E5%BF%AB%E6%8D%B7%E9%94%AE/",
]
STATIC = ["/static/style.css", "/static/graph-view.js", "/assets/img/curve.png", "/__mlnotes/live.js"]
MISSING = ["/no-such-page/", "/static/no-such.css", "/tags/no-such-tag/"]


def _request(n: int) -> tuple[str, int]:
    """The n-th request of a client: (path, expected status)."""
    kind = n % 4
    if kind == 0:
        return PAGES[n // 4 % len(PAGES)], 200
    if kind == 1:
        return STATIC[n // 4 % len(STATIC)], 200
    if kind == 2:
        return "/graph.json", 200
    return MISSING[n // 4 % len(MISSING)], 404


def _check(path: str, expected: int, status: int, headers: dict[str, str], body: bytes) -> str:
    """ "" when the answer is whole and as expected, else what is wrong."""
    if status != expected:
        return f"{path}: status {status}, expected {expected}"
    if headers.get("content-length") != str(len(body)):
        return f"{path}: Content-Length {headers.get('content-length')} for {len(body)} bytes"
    kind = headers.get("content-type", "")
    if kind.startswith("text/html") and not body.rstrip().endswith(b"</html>"):
        return f"{path}: truncated page ({len(body)} bytes, ends {body[-40:]!r})"
    if path == "/graph.json":
        data = json.loads(body)
        if not data["nodes"]:
            return f"{path}: no nodes"
    return ""


class Clients:
    """What the 50 clients saw: every problem and every request's time."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.errors: list[str] = []
        self.latencies: list[float] = []
        self.lock = threading.Lock()
        self.go = threading.Event()

    def run(self, c: int) -> None:
        self.go.wait()
        for n in range(REQUESTS):
            path, expected = _request(c + n)
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
                problem = _check(path, expected, resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
            except Exception as exc:  # every failure counts, whatever it is
                problem = f"{path}: {type(exc).__name__}: {exc}"
            finally:
                conn.close()
            with self.lock:
                self.latencies.append(time.perf_counter() - start)
                if problem:
                    self.errors.append(problem)


class Reloads:
    """The versions each event stream was told to reload to."""

    def __init__(self, count: int) -> None:
        self.seen: list[list[str]] = [[] for _ in range(count)]
        self.changed = threading.Condition()

    def read(self, stream: Events, i: int) -> None:
        try:
            while True:
                name, data = stream.next(timeout=60)
                if name == "reload":
                    with self.changed:
                        self.seen[i].append(data["version"])  # type: ignore[index]
                        self.changed.notify_all()
        except (EOFError, OSError):
            pass  # closed at the end

    def counts(self) -> list[int]:
        with self.changed:
            return [len(seen) for seen in self.seen]

    def wait(self, done: Callable[[list[list[str]]], bool], timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: done(self.seen), timeout)


def _edit(served: Running, reloads: Reloads) -> list[float]:
    """Edit the note EDITS times, each time until every stream reloads; the seconds each took."""
    text = (served.notes / "split.md").read_text(encoding="utf-8")
    seconds = []
    for n in range(1, EDITS + 1):
        before = reloads.counts()
        start = time.perf_counter()
        (served.notes / "split.md").write_text(text.replace("one\n", f"one, edit {n}\n"), encoding="utf-8")
        more = reloads.wait(lambda seen, b=before: all(len(s) > k for s, k in zip(seen, b, strict=True)), 30)
        assert more, f"edit {n}: some streams got no reload: {before} -> {reloads.counts()}"
        seconds.append(time.perf_counter() - start)
    return seconds


def test_fifty_clients_twenty_streams_twenty_edits(vault: Path) -> None:  # noqa: F811 - the fixture
    served = Running(vault)  # the default limits: 30 s request timeout, 128 connections
    clients, reloads = Clients(served.port), Reloads(STREAMS)
    streams = [Events(served.port, EDITED, served.preview.version(EDITED)) for _ in range(STREAMS)]
    readers = [threading.Thread(target=reloads.read, args=(s, i), daemon=True) for i, s in enumerate(streams)]
    threads = [threading.Thread(target=clients.run, args=(c,), daemon=True) for c in range(CLIENTS)]
    try:
        for thread in readers + threads:
            thread.start()
        start = time.perf_counter()
        clients.go.set()
        edit_seconds = _edit(served, reloads)
        for thread in threads:
            thread.join(120)
        total = time.perf_counter() - start
        assert not any(thread.is_alive() for thread in threads), "clients still running"
        final = served.preview.version(EDITED)
        status, _, body = served.get(EDITED)
        assert status == 200 and f"one, edit {EDITS}".encode() in body
        assert reloads.wait(lambda seen: all(s and s[-1] == final for s in seen), 10), "a stream missed the last edit"
    finally:
        for stream in streams:
            try:
                stream.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in readers:
            thread.join(5)
        for stream in streams:
            stream.close()
        served.close()

    latencies = sorted(clients.latencies)
    assert clients.errors == [], f"{len(clients.errors)} errors, e.g. {clients.errors[:5]}"
    assert len(latencies) == CLIENTS * REQUESTS
    assert min(reloads.counts()) >= EDITS, reloads.counts()
    assert total < 120, total
    print(
        f"\n{len(latencies)} requests in {total:.1f} s ({len(latencies) / total:.0f}/s), "
        f"latency median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms; "
        f"{EDITS} edits, save to reload on all {STREAMS} streams: median "
        f"{statistics.median(edit_seconds) * 1000:.0f} ms, max {max(edit_seconds) * 1000:.0f} ms; "
        f"reloads per stream {min(reloads.counts())}-{max(reloads.counts())}"
    )
