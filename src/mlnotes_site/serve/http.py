"""The HTTP side of `mlnotes serve`: URL paths, the live-reload script tag, Server-Sent
Events, and the threaded server whose handler asks its `preview` (serve.Preview) what to send.

Each request runs on its own daemon thread; an event stream keeps its thread until the
browser closes it (checked every `preview.poll` seconds) or the preview closes.
"""

from __future__ import annotations

import html
import json
import select
import socket
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator
from urllib.parse import parse_qs, unquote, urlsplit

PREFIX = "/__mlnotes/"  # the preview's own URLs, outside any site path
EVENTS = PREFIX + "events"


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, type, body and, for a redirect, where to."""

    status: int
    content_type: str
    body: bytes
    location: str = ""


def site_path(raw: str) -> str | None:
    """The percent-decoded URL path, or None when it tries to leave the site (`..`, `\\`, NUL)."""
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return None
    return None if any(part in (".", "..") for part in path.split("/")) else path


def inject(body: bytes, page: str, version: str) -> bytes:
    """The page with the live-reload script before its last `</body>` (served copies only)."""
    tag = (
        f'<script src="{PREFIX}live.js" data-page="{html.escape(page)}" '
        f'data-version="{html.escape(version)}"></script>\n'
    ).encode()
    at = body.rfind(b"</body>")
    return body + tag if at < 0 else body[:at] + tag + body[at:]


@dataclass
class Updates:
    """What the event streams wait on: a counter bumped by every update, and its errors."""

    generation: int = 0
    errors: list[dict] = field(default_factory=list)
    closed: bool = False
    streams: int = 0  # open event streams
    cond: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, errors: list[dict]) -> None:
        """Announce an update and the errors it left (JSON-ready)."""
        with self.cond:
            self.generation += 1
            self.errors = errors
            self.cond.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, list[dict], bool]:
        """Block until a generation other than `seen` (or close, or timeout); the state then:
        (generation, errors, closed)."""
        with self.cond:
            self.cond.wait_for(lambda: self.generation != seen or self.closed, timeout)
            return self.generation, self.errors, self.closed

    def close(self) -> None:
        """Wake and end every stream."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    @contextmanager
    def counted(self) -> Iterator[None]:
        """Count a stream while it is open."""
        with self.cond:
            self.streams += 1
        try:
            yield
        finally:
            with self.cond:
                self.streams -= 1


def event(name: str, data: object) -> bytes:
    """One Server-Sent Event (JSON data on one line)."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def peer_closed(sock: socket.socket) -> bool:
    """True when the client has closed its end (an event stream never sends anything else)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "mlnotes"

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._answer(with_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # one line per request would drown the rebuild messages

    def _answer(self, with_body: bool) -> None:
        target = urlsplit(self.path)
        if target.path == EVENTS and with_body:
            query = parse_qs(target.query)
            return self._events(query.get("page", ["/"])[0], query.get("v", [""])[0])
        reply = self.server.preview.reply(target.path, target.query)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-store")  # an edited stylesheet must show on reload
        if reply.location:
            self.send_header("Location", reply.location)
        self.end_headers()
        if with_body:
            self.wfile.write(reply.body)

    def _events(self, page: str, seen: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

        def send(data: bytes) -> None:
            self.wfile.write(data)
            self.wfile.flush()

        try:
            self.server.preview.stream(page, seen, send, lambda: peer_closed(self.connection))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded


class PreviewServer(ThreadingHTTPServer):
    """A threaded HTTP server for a preview; `preview` is set by its owner before serving."""

    daemon_threads = True  # open event streams must not keep the process alive
    preview: Any

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that went away; let other errors be reported as usual."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)
