"""`mlnotes serve`: a real server on 127.0.0.1 over a temporary copy of the basic vault,
real HTTP requests, real event streams, real file edits (and the command in a subprocess)."""

from __future__ import annotations

import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

from conftest import BASIC_VAULT
from mlnotes_site.config import load_config
from mlnotes_site.errors import error, warning
from mlnotes_site.serve.http import allowed_hosts, site_path
from mlnotes_site.serve.live import UpdateReport
from mlnotes_site.serve.preview import Preview, ServeError, crash_diagnostic, report_lines

BAD_FRONT_MATTER = "---\ntitle: [unclosed\n---\n\nbody\n"


# --- a preview in a thread ----------------------------------------------------------------


class Running:
    """A started Preview served from a thread, with what it printed."""

    def __init__(self, root: Path, **options) -> None:
        self.root = root
        self.notes = root / "notes"
        self.lines: list[str] = []
        config = root / "mlnotes.yaml"
        self.cfg = load_config(config if config.exists() else None, notes=self.notes, out=root / "site", cwd=root)
        reload = (
            (lambda: load_config(config, notes=self.notes, out=root / "site", cwd=root)) if config.exists() else None
        )
        self.preview = Preview(self.cfg, port=0, log=self.lines.append, reload_config=reload, poll=0.1, **options)
        self.preview.start()
        self.thread = threading.Thread(target=self.preview.serve_forever, daemon=True)
        self.thread.start()
        self.port = self.preview.server.server_address[1]

    def close(self) -> None:
        self.preview.close()
        self.thread.join(5)
        assert not self.thread.is_alive()

    def get(self, path: str, method: str = "GET", host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send `path` as it is (no normalising), return status, headers and body; `host`: the
        Host header instead of `127.0.0.1:PORT`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request(method, path, headers={} if host is None else {"Host": host})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def edit(self, rel: str, text: str) -> None:
        (self.notes / rel).write_text(text, encoding="utf-8")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    shutil.copytree(BASIC_VAULT, tmp_path / "notes")
    return tmp_path


@pytest.fixture
def running(vault: Path) -> Iterator[Running]:
    served = Running(vault)
    try:
        yield served
    finally:
        served.close()
        assert not (vault / "site").exists(), "serve must never write the output folder"


class Events:
    """One event stream, read line by line from a raw socket."""

    def __init__(self, port: int, page: str, version: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        query = f"page={quote(page, safe='')}&v={version}"
        self.sock.sendall(f"GET /__mlnotes/events?{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        status = self.file.readline()
        assert b" 200 " in status, status
        while self.file.readline() not in (b"\r\n", b"\n", b""):
            pass

    def next(self, timeout: float = 5.0) -> tuple[str, object]:
        """The next event as (name, data), or ("comment", text) for a `: comment`."""
        self.sock.settimeout(timeout)
        name, data = "message", None
        while True:
            raw = self.file.readline()
            if not raw:
                raise EOFError("the event stream closed")
            line = raw.decode().rstrip("\r\n")
            if line.startswith(":"):
                return "comment", line[1:].strip()
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data = line[len("data: ") :]
            elif line == "" and data is not None:
                return name, json.loads(data)

    def until(self, wanted: str, timeout: float = 5.0) -> list[tuple[str, object]]:
        """Events up to and including the first named `wanted` ("update": the comment after each update)."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            item = self.next(max(0.1, deadline - time.monotonic()))
            seen.append(item)
            if item[0] == wanted or (wanted == "update" and item[0] == "comment" and str(item[1]).startswith("update")):
                return seen

    def close(self) -> None:
        self.file.close()
        self.sock.close()


@pytest.fixture
def streams(running: Running) -> Iterator:
    opened: list[Events] = []

    def open_stream(page: str, version: str | None = None) -> Events:
        with running.preview.lock:
            current = running.preview.live.version(page)
        stream = Events(running.port, page, current if version is None else version)
        opened.append(stream)
        return stream

    yield open_stream
    for stream in opened:
        stream.close()


# --- pure parts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("/", "/"),
        ("/clip/", "/clip/"),
        ("/%E5%88%A9%E7%94%A8/", "/利用/"),
        ("/a%20b/", "/a b/"),
        ("/../etc/passwd", None),
        ("/static/../../x", None),
        ("/%2e%2e/x", None),
        ("/static/..%2f..%2fx", None),
        ("/static/%2E%2E/x", None),
        ("/./x", None),
        ("/a\\..\\b", None),
        ("/%00", None),
        ("/%ff/", None),  # not UTF-8
        ("relative", None),
        ("/a..b/", "/a..b/"),
    ],
)
def test_site_path(raw: str, expected: str | None) -> None:
    assert site_path(raw) == expected


def test_report_lines(tmp_path: Path) -> None:
    cfg = load_config(None, notes=tmp_path / "notes", out=tmp_path / "site", cwd=tmp_path)
    old = warning("a.md", 3, "broken link")
    new = warning("b.md", 1, "missing image")
    bad = error("c.md", 2, "invalid front matter")
    report = UpdateReport([old, new, bad], 0.123)
    lines = report_lines(report, UpdateReport([old]), {cfg.notes_dir / "sub" / "c.md"}, cfg)
    assert lines == ["Updated in 0.12 s: sub/c.md changed, 1 error, 2 warnings", new.format(), bad.format()]
    assert report_lines(UpdateReport([old], 1.5, notes_changed=3), UpdateReport(), None, cfg) == [
        "Read 3 notes in 1.50 s, 1 warning",
        old.format(),
    ]
    many = {cfg.notes_dir / f"{n}.md" for n in "abcd"}
    assert report_lines(UpdateReport(), UpdateReport(), many, cfg) == [
        "Updated in 0.00 s: 4 files (a.md, b.md, c.md, …) changed"
    ]


def test_crash_diagnostic_names_the_failing_line() -> None:
    try:
        {}["missing"]
    except KeyError as exc:
        diag = crash_diagnostic(exc)
    assert diag.path == __file__ and diag.line > 0 and diag.level == "error"
    assert "KeyError" in diag.message


# --- HTTP ------------------------------------------------------------------------------------


def test_pages_static_files_and_graph(running: Running) -> None:
    status, headers, body = running.get("/part-one/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    version = running.preview.version("/part-one/")
    assert (
        f'<script src="/__mlnotes/live.js" data-page="/part-one/" data-version="{version}"></script>\n</body>'.encode()
        in body
    )
    assert b"__mlnotes" not in running.preview.live.output()["part-one/index.html"], "the built output has no script"
    assert running.get("/")[0] == 200
    status, headers, body = running.get("/static/style.css")
    assert status == 200 and headers["content-type"].startswith("text/css") and b"__mlnotes" not in body
    status, headers, body = running.get("/graph.json")
    assert status == 200 and "nodes" in json.loads(body)
    status, headers, _ = running.get("/assets/img/curve.png")
    assert status == 200 and headers["content-type"] == "image/png"
    status, headers, body = running.get("/__mlnotes/live.js")
    assert status == 200 and "javascript" in headers["content-type"] and b"EventSource" in body
    assert headers["cache-control"] == "no-store"


def test_cjk_pages_and_head(running: Running) -> None:
    path = (
        "/%E5%88%A9%E7%94%A8%E9%94%AE%E7%9B%98%E9%80%89%E5%AE%9A%E6%96%87%E6%9C%AC%E7%9A%84%E5%BF%AB%E6%8D%B7%E9%94%AE/"
    )
    status, _, body = running.get(path)
    assert status == 200 and "利用键盘选定文本的快捷键".encode() in body
    status, headers, body = running.get(path, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000


def test_missing_page_is_404_with_the_site_404_page(running: Running) -> None:
    status, headers, body = running.get("/no-such-page/")
    assert status == 404 and headers["content-type"].startswith("text/html")
    page = running.preview.live.response("/404.html").body
    assert (
        body.replace(b'<script src="/__mlnotes/live.js" data-page="/no-such-page/" data-version=""></script>\n', b"")
        == page
    )


def test_folder_urls_redirect_to_the_slash(running: Running) -> None:
    status, headers, _ = running.get("/part-one?x=1")
    assert status == 302 and headers["location"] == "/part-one/?x=1"
    status, headers, _ = running.get(
        "/%E5%88%A9%E7%94%A8%E9%94%AE%E7%9B%98%E9%80%89%E5%AE%9A%E6%96%87%E6%9C%AC%E7%9A%84%E5%BF%AB%E6%8D%B7%E9%94%AE"
    )
    assert status == 302 and headers["location"].endswith("%E5%BF%AB%E6%8D%B7%E9%94%AE/")
    assert running.get("/no-such-page")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/assets/..%2f..%2f..%2fetc%2fpasswd",
    ],
)
def test_path_traversal_is_refused(running: Running, path: str) -> None:
    status, _, body = running.get(path)
    assert status == 400 and b"root:" not in body and b"[project]" not in body


# --- live reload -----------------------------------------------------------------------------


def test_an_edit_reloads_its_page_and_no_other(running: Running, streams) -> None:
    edited, other = streams("/part-one/"), streams("/tags/lonely-tag/")
    assert edited.next() == ("ok", {}) and other.next() == ("ok", {})
    running.edit("split.md", (running.notes / "split.md").read_text().replace("one\n", "one, edited\n"))
    events = edited.until("reload")
    assert events[-1] == ("reload", {"version": running.preview.version("/part-one/")})
    assert [e for e in other.until("update") if e[0] == "reload"] == []
    assert b"one, edited" in running.get("/part-one/")[2]
    assert any(line.startswith("Updated in ") and "split.md changed" in line for line in running.lines)


def test_a_stale_page_reloads_at_once(running: Running, streams) -> None:
    stream = streams("/part-one/", version="0123456789abcdef")
    assert stream.next() == ("ok", {})
    assert stream.next()[0] == "reload"


def test_a_missing_page_reloads_when_it_appears(running: Running, streams) -> None:
    stream = streams("/brand-new/", version="")
    assert stream.next() == ("ok", {})
    running.edit("brand new.md", "# Brand New\n\ntext\n")
    assert stream.until("reload")[-1][0] == "reload"


def test_a_changed_image_reloads_every_page(running: Running, streams) -> None:
    a, b = streams("/part-one/"), streams("/tags/lonely-tag/")
    (running.notes / "img" / "curve.png").write_bytes((running.notes / "img" / "curve.png").read_bytes() + b"\0")
    assert a.until("reload")[-1][0] == "reload" and b.until("reload")[-1][0] == "reload"


def test_bad_front_matter_shows_an_error_until_fixed(running: Running, streams) -> None:
    stream = streams("/part-one/")
    assert stream.next() == ("ok", {})
    good = (running.notes / "whole.md").read_text()
    running.edit("whole.md", BAD_FRONT_MATTER)
    name, errors = stream.until("errors")[-1]
    assert [(e["path"], e["line"]) for e in errors] == [("whole.md", 2)]
    assert "front matter" in errors[0]["message"] and errors[0]["hint"]
    assert any(line.startswith("whole.md:2: error: invalid front matter") for line in running.lines)
    assert running.get("/part-one/")[0] == 200, "the server keeps serving"
    late = streams("/tags/")  # a page opened while the error stands sees it at once
    assert late.next()[0] == "errors"
    running.edit("whole.md", good)
    assert stream.until("ok")[-1] == ("ok", {})
    assert late.until("ok")[-1] == ("ok", {})


def test_closed_streams_are_cleaned_up(running: Running) -> None:
    stream = Events(running.port, "/", running.preview.version("/"))
    assert stream.next() == ("ok", {})
    assert running.preview.updates.streams == 1
    stream.close()
    deadline = time.monotonic() + 3
    while running.preview.updates.streams and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.preview.updates.streams == 0


def test_idle_streams_get_keep_alive_comments(vault: Path) -> None:
    served = Running(vault, keepalive=0.2)
    try:
        stream = Events(served.port, "/", served.preview.version("/"))
        assert stream.next() == ("ok", {})
        assert stream.next(timeout=2) == ("comment", "keep-alive")
        stream.close()
    finally:
        served.close()


def test_config_edits_rebuild_and_bad_config_is_an_error(vault: Path) -> None:
    config = vault / "mlnotes.yaml"
    config.write_text("title: First Title\n", encoding="utf-8")
    served = Running(vault)
    try:
        stream = Events(served.port, "/", served.preview.version("/"))
        assert stream.next() == ("ok", {})
        config.write_text("title: Second Title\n", encoding="utf-8")
        stream.until("reload")
        assert b"Second Title" in served.get("/")[2]
        config.write_text("title: Third\nbogus: 1\n", encoding="utf-8")
        errors = stream.until("errors")[-1][1]
        assert errors[0]["path"] == str(config) and "bogus" in errors[0]["message"]
        config.write_text("title: Third\n", encoding="utf-8")
        assert stream.until("ok")[-1] == ("ok", {})
        stream.close()
    finally:
        served.close()


def test_a_base_path_from_the_config_is_served(vault: Path) -> None:
    (vault / "mlnotes.yaml").write_text("base_url: https://me.example/kb/\n", encoding="utf-8")
    served = Running(vault)
    try:
        assert served.preview.url.endswith("/kb/")
        status, headers, _ = served.get("/")
        assert status == 302 and headers["location"] == "/kb/"
        assert served.get("/kb/part-one/")[0] == 200
        assert served.get("/part-one/")[0] == 404
    finally:
        served.close()


# --- Host header (DNS rebinding) -----------------------------------------------------------------


def test_allowed_hosts() -> None:
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert "mybox.lan:8000" in allowed_hosts("192.168.1.5", 8000, ["MyBox.lan"])
    assert "192.168.1.5:8000" in allowed_hosts("192.168.1.5", 8000, ["MyBox.lan"])
    assert {"localhost", "localhost:80"} <= allowed_hosts("127.0.0.1", 80)
    assert allowed_hosts("0.0.0.0", 8000) is None, "--host 0.0.0.0 shares the preview: any name"


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}"])
def test_this_machines_names_are_served(running: Running, host: str) -> None:
    status, _, body = running.get("/part-one/", host=host.format(port=running.port))
    assert status == 200 and body.rstrip().endswith(b"</html>")


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1",  # the port is part of the name a browser sends
        "127.0.0.1:{other}",
        "localhost.evil.example:{port}",
        "127.0.0.1.nip.io:{port}",
        "",
    ],
)
def test_other_host_names_are_refused(running: Running, host: str) -> None:
    host = host.format(port=running.port, other=running.port + 1)
    for path, method in [("/part-one/", "GET"), ("/graph.json", "GET"), ("/static/style.css", "HEAD")]:
        status, headers, body = running.get(path, method=method, host=host)
        assert status == 403 and headers["content-type"].startswith("text/plain"), (path, status)
        assert body == (b"mlnotes serve: unknown Host header\n" if method == "GET" else b"")
    status, _, body = running.get("/__mlnotes/events?page=%2F&v=", host=host)
    assert status == 403 and b"event:" not in body and running.preview.updates.streams == 0


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_a_missing_or_repeated_host_is_refused(running: Running) -> None:
    assert _raw(running.port, b"GET /part-one/ HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 403 ")
    twice = f"GET /part-one/ HTTP/1.1\r\nHost: 127.0.0.1:{running.port}\r\nHost: evil.example\r\n\r\n"
    assert _raw(running.port, twice.encode()).startswith(b"HTTP/1.0 403 ")
    once = f"GET /part-one/ HTTP/1.1\r\nHost: 127.0.0.1:{running.port}\r\n\r\n"
    assert _raw(running.port, once.encode()).startswith(b"HTTP/1.0 200 ")


def test_any_host_when_shared(running: Running) -> None:
    running.preview.server.hosts = None  # what binding 0.0.0.0 sets (not bound here: tests stay on 127.0.0.1)
    assert running.get("/part-one/", host="my-laptop.lan:8000")[0] == 200


# --- idle and excess connections ------------------------------------------------------------------


@pytest.fixture
def limited(vault: Path) -> Iterator[Running]:
    served = Running(vault, request_timeout=0.5, max_connections=3, keepalive=0.2)
    try:
        yield served
    finally:
        served.close()


def _closed_after(sock: socket.socket, limit: float = 5.0) -> float:
    """Seconds until the server closes `sock` (reading whatever it sends)."""
    start = time.monotonic()
    sock.settimeout(limit)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    return time.monotonic() - start


def _wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("sent", [b"", b"GET /part-one/ HT", b"GET /part-one/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"])
def test_a_silent_or_partial_request_is_dropped(limited: Running, sent: bytes) -> None:
    with socket.create_connection(("127.0.0.1", limited.port), timeout=5) as sock:
        sock.sendall(sent)
        assert 0.3 < _closed_after(sock) < 3
    _wait_for(lambda: limited.preview.server.connections == 0)
    assert limited.get("/part-one/")[0] == 200


def test_a_trickling_request_is_dropped_at_the_deadline(limited: Running) -> None:
    """One header line every 0.1 s: each read is quick, the request as a whole is not."""
    with socket.create_connection(("127.0.0.1", limited.port), timeout=5) as sock:
        start = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\n")
        closed = False
        while not closed and time.monotonic() - start < 5:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                readable, _, _ = select.select([sock], [], [], 0.1)
                closed = bool(readable) and sock.recv(65536) == b""
            except (BrokenPipeError, ConnectionResetError):
                closed = True
        assert closed and 0.3 < time.monotonic() - start < 3


def test_over_the_cap_a_connection_gets_503(limited: Running) -> None:
    idle = [socket.create_connection(("127.0.0.1", limited.port), timeout=5) for _ in range(3)]
    try:
        _wait_for(lambda: limited.preview.server.connections == 3)
        status, headers, body = limited.get("/part-one/")
        assert status == 503 and body == b"too many connections, retry\r\n" and headers["retry-after"] == "1"
        with socket.create_connection(("127.0.0.1", limited.port), timeout=5) as sock:  # sends nothing
            assert sock.recv(65536).startswith(b"HTTP/1.0 503 Service Unavailable\r\n")
    finally:
        for sock in idle:
            sock.close()
    _wait_for(lambda: limited.preview.server.connections == 0)
    assert limited.get("/part-one/")[0] == 200


def test_event_streams_outlive_the_request_timeout(limited: Running) -> None:
    stream = Events(limited.port, "/part-one/", limited.preview.version("/part-one/"))
    try:
        assert stream.next() == ("ok", {})
        start = time.monotonic()
        while time.monotonic() - start < 1.5:  # three request timeouts
            assert stream.next(timeout=2) == ("comment", "keep-alive")
        limited.edit("split.md", (limited.notes / "split.md").read_text().replace("one\n", "one, later\n"))
        assert stream.until("reload")[-1] == ("reload", {"version": limited.preview.version("/part-one/")})
        assert limited.preview.updates.streams == 1
    finally:
        stream.close()


# --- ports -------------------------------------------------------------------------------------


def test_busy_ports(vault: Path) -> None:
    cfg = load_config(None, notes=vault / "notes", out=vault / "site", cwd=vault)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=rf"port {port} is already in use.*--port \d+"):
            Preview(cfg, port=port, port_explicit=True)
        preview = Preview(cfg, port=port, port_explicit=False)
        try:
            assert preview.server.server_address[1] > port
        finally:
            preview.close()


# --- the command -------------------------------------------------------------------------------


def _mlnotes(*args: str, cwd: Path, **env_vars: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **env_vars}
    return subprocess.Popen(
        [sys.executable, "-m", "mlnotes_site", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_command_serves_and_stops_on_ctrl_c(vault: Path) -> None:
    opened = vault / "opened.txt"  # --open runs $BROWSER: a command that writes down the URL
    browser = f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write(sys.argv[2])\" {opened} %s"
    proc = _mlnotes("serve", "--notes", "notes", "--port", "0", "--open", cwd=vault, BROWSER=browser)
    try:
        lines = []
        while not lines or not lines[-1].startswith("Serving "):
            line = proc.stdout.readline()
            assert line, f"exited early: {lines} {proc.stderr.read()}"
            lines.append(line)
        assert lines[0].startswith("Reading ") and re.match(r"Read \d+ notes in ", lines[1]), lines
        url = lines[-1].split(" at ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and lines[-1].rstrip().endswith("(Ctrl-C to stop)")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/part-one/")
        assert conn.getresponse().status == 200
        conn.close()
        deadline = time.monotonic() + 5
        while not (opened.exists() and opened.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text() == url
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Stopped." in out
    assert not (vault / "site").exists()


def test_the_command_refuses_a_busy_explicit_port(vault: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _mlnotes("serve", "--notes", "notes", "--port", str(port), cwd=vault)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 1
    assert f"port {port} is already in use" in err and "--port" in err and "Traceback" not in err
