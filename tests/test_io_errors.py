"""Notes that cannot be read (I/O errors, not bad content): a dangling symlink, a symlink
loop (ELOOP, unreadable even for root) and a file without read permission (skipped as root,
who can read it anyway).

`mlnotes build` reports `name.md: error: …` (the form `path[:line]: error: message`), prints
no traceback, exits 1 and still writes every other note's page. `mlnotes serve` serves the
other notes, prints the same kind of line on stdout, and stops with status 0 on Ctrl-C.

Everything goes through the command in a subprocess (and `build_vault` for the report); the
vaults are made in tmp_path, symlinks included.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from conftest import REPO, build_vault


def dangling_symlink(path: Path) -> None:
    path.symlink_to("does-not-exist.md")


def symlink_loop(path: Path) -> None:
    path.symlink_to(path.name)


def no_read_permission(path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading (the symlink loop covers it)")
    path.write_text("# Secret\n\nunreadable\n", encoding="utf-8")
    path.chmod(0)
    try:
        path.read_bytes()
    except PermissionError:
        return
    pytest.skip("this file system lets us read a chmod-000 file")


CASES = [
    pytest.param("gone.md", dangling_symlink, id="dangling-symlink"),
    pytest.param("loop.md", symlink_loop, id="symlink-loop"),
    pytest.param("secret.md", no_read_permission, id="no-read-permission"),
]
OTHER_PAGES = ["index.html", "alpha/index.html", "beta/index.html"]


@pytest.fixture
def vault(request, tmp_path: Path):
    """tmp_path/notes with two good notes (Alpha links Beta) and the bad one; returns (root, bad name)."""
    name, make = request.param
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# Alpha\n\nsee [[Beta]]\n", encoding="utf-8")
    (notes / "b.md").write_text("# Beta\n\nbody of beta\n", encoding="utf-8")
    make(notes / name)
    yield tmp_path, name
    if (notes / name).exists() and not (notes / name).is_symlink():
        (notes / name).chmod(0o644)  # let pytest clean tmp_path up


def parametrize_cases(test: Callable) -> Callable:
    return pytest.mark.parametrize("vault", [c.values for c in CASES], ids=[c.id for c in CASES], indirect=True)(test)


def error_line(name: str) -> re.Pattern[str]:
    """`name: error: message` or `name:line: error: message`, the file first."""
    return re.compile(rf"^{re.escape(name)}(:\d+)?: error: \S")


def mlnotes(*args: str, cwd: Path, **kwargs) -> subprocess.Popen:
    src = str(REPO / "src")
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}
    return subprocess.Popen(
        [sys.executable, "-m", "mlnotes_site", *args], cwd=cwd, env=env, text=True, encoding="utf-8", **kwargs
    )


# --- build ------------------------------------------------------------------------------------


@parametrize_cases
def test_build_reports_the_file_and_writes_the_other_pages(vault) -> None:
    root, name = vault
    proc = mlnotes(
        "build", "--notes", "notes", "--out", "site", cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = proc.communicate(timeout=60)
    lines = (out + err).splitlines()
    problems = []
    if "Traceback" in out + err:
        problems.append(f"a traceback was printed: {(out + err).strip().splitlines()[-1]}")
    if not any(error_line(name).match(line) for line in lines):
        problems.append(f"no line '{name}[:line]: error: …'")
    if proc.returncode != 1:
        problems.append(f"exit status {proc.returncode}, not 1")
    missing = [p for p in OTHER_PAGES if not (root / "site" / p).is_file()]
    if missing:
        problems.append(f"pages of the other notes not written: {missing}")
    assert problems == [], "\n".join(problems + ["--- stdout:", out, "--- stderr:", err])


@parametrize_cases
def test_build_report_has_an_error_for_the_file(vault) -> None:
    root, name = vault
    report = build_vault(root / "notes", root / "site")
    errors = [d for d in report.diagnostics if d.level == "error"]
    assert [d.path for d in errors] == [name], [d.format() for d in report.diagnostics]
    assert error_line(name).match(errors[0].format())
    assert all((root / "site" / p).is_file() for p in OTHER_PAGES)


# --- serve ------------------------------------------------------------------------------------


class Served:
    """`mlnotes serve --port 0` in a subprocess; its stdout read line by line in a thread."""

    def __init__(self, root: Path) -> None:
        self.stderr_file = (root / "serve-stderr.txt").open("w+", encoding="utf-8")
        self.proc = mlnotes(
            "serve", "--notes", "notes", "--port", "0", cwd=root, stdout=subprocess.PIPE, stderr=self.stderr_file
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, test: Callable[[str], bool], timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if test(line):
                    return line
            if self.proc.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.05)
        return None

    def stop(self) -> int | None:
        """Ctrl-C; the exit status (None if it did not stop within 10 s: then it is killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        self.reader.join(5)
        return code

    def stderr(self) -> str:
        self.stderr_file.seek(0)
        return self.stderr_file.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.stderr_file.close()


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


@parametrize_cases
def test_serve_serves_the_other_notes_and_prints_the_error(vault) -> None:
    root, name = vault
    served = Served(root)
    try:
        serving = served.wait_for(lambda line: line.startswith("Serving "), timeout=30)
        assert serving, f"the server did not start: {served.lines}\n{served.stderr()}"
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", serving).group(1))
        statuses = {path: get(port, path) for path in ("/", "/alpha/", "/beta/")}
        reported = served.wait_for(error_line(name).match, timeout=5)
        code = served.stop()
        err = served.stderr()
    finally:
        served.close()
    problems = []
    if any(status != 200 for status in statuses.values()):
        problems.append(f"statuses: {statuses}")
    if not reported:
        problems.append(f"no line '{name}[:line]: error: …' on stdout")
    if code != 0:
        problems.append(f"exit status after Ctrl-C: {code}, not 0")
    if "Traceback" in err:
        problems.append("a traceback on stderr")
    if (root / "site").exists():
        problems.append("serve wrote the output folder")
    assert problems == [], "\n".join(problems + ["--- stdout:", *served.lines, "--- stderr:", err])
