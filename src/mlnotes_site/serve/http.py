"""The HTTP side of `mlnotes serve`: URL paths, the live-reload script tag, Server-Sent
Events, and the threaded server whose handler asks its `preview` (serve.Preview) what to send.

Each request runs on its own daemon thread; an event stream keeps its thread until the
browser closes it (checked every `preview.poll` seconds) or the preview closes.

Limits: a request whose `Host` header names another site is refused (403: DNS rebinding,
where a web page's own host name is made to point at 127.0.0.1); a client gets
`request_timeout` seconds in all to send its request line and headers, and each write to it may take as
long; beyond `max_connections` open connections (event streams included) a new one is
answered 503 and closed at once, on the accepting thread.
"""

from __future__ import annotations

import html
import io
import json
import select
import socket
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable, Iterator
from urllib.parse import parse_qs, unquote, urlsplit

PREFIX = "/__mlnotes/"  # the preview's own URLs, outside any site path
EVENTS = PREFIX + "events"
TIMEOUT = 30.0  # seconds for a request's line and headers, and for each write
MAX_CONNECTIONS = 128  # open at once, event streams included
ANY_HOST = ("0.0.0.0", "::", "")  # bound to every interface: the user chose to share the preview
BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 29\r\nConnection: close\r\nRetry-After: 1\r\n\r\ntoo many connections, retry\r\n"
)


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


def allowed_hosts(bound: str, port: int, names: Iterable[str] = ()) -> frozenset[str] | None:
    """The `Host` header values (lower case) a preview on `bound:port` answers: this machine's
    names (`127.0.0.1`, `localhost`, `[::1]`), the bound address and `names` (what `--host`
    said), each with the port (also without it on port 80). None: any host (bound to all)."""
    if bound in ANY_HOST:
        return None
    hosts = {"127.0.0.1", "localhost", "::1", bound, *names}
    authorities = {f"[{h}]" if ":" in h else h for h in hosts if h}
    allowed = {f"{a}:{port}" for a in authorities} | (authorities if port == 80 else set())
    return frozenset(a.lower() for a in allowed)


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


def _drain(sock: socket.socket) -> None:
    """Read what a non-blocking socket has received so far (a bounded amount)."""
    for _ in range(16):
        try:
            if not sock.recv(65536):
                return
        except (BlockingIOError, InterruptedError):
            return


def peer_closed(sock: socket.socket) -> bool:
    """True when the client has closed its end (an event stream never sends anything else)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class _Deadline(io.RawIOBase):
    """The reading side of a connection: every read must end by `deadline` (time.monotonic);
    the socket's own timeout (for writes) is restored after each read."""

    def __init__(self, sock: socket.socket, timeout: float) -> None:
        self.sock, self.timeout, self.deadline = sock, timeout, time.monotonic() + timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long")
        self.sock.settimeout(left)
        try:
            return self.sock.recv_into(buffer)
        finally:
            self.sock.settimeout(self.timeout)


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "mlnotes"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.request_timeout)
        self._reader = _Deadline(self.connection, self.server.request_timeout)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        self._reader.deadline = time.monotonic() + self.server.request_timeout  # per request, were there several
        super().handle_one_request()

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._answer(with_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # one line per request would drown the rebuild messages

    def _answer(self, with_body: bool) -> None:
        target = urlsplit(self.path)
        if not self._host_allowed():
            reply = Reply(403, "text/plain; charset=utf-8", b"mlnotes serve: unknown Host header\n")
        elif target.path == EVENTS and with_body:
            query = parse_qs(target.query)
            return self._events(query.get("page", ["/"])[0], query.get("v", [""])[0])
        else:
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

    def _host_allowed(self) -> bool:
        allowed = self.server.hosts
        hosts = self.headers.get_all("Host") or []
        return allowed is None or (len(hosts) == 1 and hosts[0].strip().lower() in allowed)

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
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the tab was closed or reloaded, or stopped reading


class PreviewServer(ThreadingHTTPServer):
    """A threaded HTTP server for a preview; `preview` is set by its owner before serving, and
    `hosts` (see allowed_hosts; None: any) by its owner or here from the bound address."""

    daemon_threads = True  # open event streams must not keep the process alive
    request_queue_size = 64  # the listen backlog: a burst of connections waits instead of retrying SYNs
    preview: Any

    def __init__(
        self,
        address: tuple[str, int],
        *,
        request_timeout: float = TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        super().__init__(address, _Handler)
        self.request_timeout, self.max_connections = request_timeout, max_connections
        self.connections = 0  # open now (each on its thread)
        self._count = threading.Lock()
        self.hosts = allowed_hosts(str(self.server_address[0]), self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread for the connection, or 503 when `max_connections` are open."""
        with self._count:
            full = self.connections >= self.max_connections
            self.connections += not full
        if full:
            return self._refuse(request)
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started: nothing else will count it out
            self._release()
            self.shutdown_request(request)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._release()

    def _release(self) -> None:
        with self._count:
            self.connections -= 1

    def _refuse(self, request: socket.socket) -> None:
        """Answer 503 without waiting for the client (what it sent already is read first, so
        closing does not reset the connection before the answer is read)."""
        try:
            request.setblocking(False)
            _drain(request)
            request.sendall(BUSY)
        except OSError:
            pass
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that went away; let other errors be reported as usual."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)
