"""Save-to-reload latency of `mlnotes serve`, with Hugo's dev server as the peer.

    python benchmarks/serve_latency.py                          # 1,000 and 10,000 notes, 2 rounds
    python benchmarks/serve_latency.py --sizes 1000 --edits 5 --repeat 1

Method. For each size N, make_vault.py's vault (cached in benchmarks/work/vault-N) is copied to
benchmarks/work/serve-N-*/ (only the copy is edited; it is deleted at the end). Each round starts each
tool's dev server as a user would, in its own process group: `python -m mlnotes_site serve --notes
<copy>/mlnotes/notes --port 0`, and `hugo server --port P --bind 127.0.0.1` (fast render mode, live-reload
script injected) on the Hugo layout of the same notes; start-up lasts until the server's ready line.
Round 1 runs mlnotes then Hugo, round 2 Hugo then mlnotes, and so on.

Per edit, headless Chromium (Playwright) opens a note's page and waits --settle seconds; the script
appends a paragraph with a unique marker word to the note's file (one in-place write, as an editor
saves) and the tool's live-reload script reloads the page. Latency runs from just before the write
(`time.time()`) until the page shows the marker, on the page's clock (`performance.timeOrigin` + `now()`,
the same wall clock): an init script checks every animation frame for a visible element holding the
marker, and "visible" is the later of that frame and the document's first contentful paint (Chromium
holds back a new document's paints until then). Playwright's `wait_for_selector` only ends the wait: its
polling backs off to 500 ms, so it sees the marker up to 0.5 s late. Split: write→reload ends where the
reload navigation starts; HTML is its `responseEnd` (request and server rendering); reload→visible the
rest. "server" is the tool's own logged update time (mlnotes "Updated in ... s", Hugo "Total in ... ms").
Every edit takes another note with a front-matter `title` (one page in either tool, the same bytes in
both layouts), spread over the vault; the first --warmups edits per server are not counted; a marker not
shown within --edit-timeout seconds is a failure with its reason. Report: stdout and
benchmarks/results/<date>-serve-latency.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import importlib.util
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin
from urllib.request import urlopen

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))

from make_vault import write_vault  # noqa: E402
from run import git_describe, hugo_binary  # noqa: E402

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
TOOLS = ("mlnotes", "hugo")
READY = {
    "mlnotes": re.compile(r"^Serving .* at (http://\S+)"),
    "hugo": re.compile(r"Web Server is available at (http://\S+)"),
}
UPDATE = {
    "mlnotes": (re.compile(r"^Updated in ([\d.]+) s"), 1000.0),
    "hugo": (re.compile(r"^Total in ([\d.]+) ms"), 1.0),
}
HOME_GROUP = re.compile(
    r'<h3><a href="([^"]+)">[^<]*</a> <span class="count">1</span> <span class="muted source">([^<]+)</span>'
)
FM_TITLE = re.compile(r"\A---\n(?:(?!---\n).*\n)*?title: .*\n")  # front matter with a title
PLAIN_PATH = re.compile(r"[a-z0-9_/-]+\.md")  # the same URL path in both tools
# In every document: the first animation frame in which a visible element (one with a box, as
# Playwright means it, not necessarily in the viewport) holds a marker.
SEEN_JS = """(() => {
  const seen = window.__mlnbench = {}, start = performance.now();
  function frame() {
    const body = document.body;
    for (const [m] of (body ? body.textContent : "").matchAll(/mlnbench[0-9a-f]{12}/g)) {
      const walk = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n && !(m in seen); n = walk.nextNode())
        if (n.data.includes(m) && n.parentElement.checkVisibility()) seen[m] = performance.now();
    }
    if (!Object.keys(seen).length && performance.now() - start < 30000) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();"""
TIMES_JS = """m => {
  const seen = window.__mlnbench && window.__mlnbench[m],
    paint = performance.getEntriesByName("first-contentful-paint")[0];
  if (seen === undefined || (!paint && performance.now() - seen < 2000)) return null;
  return [
    performance.timeOrigin,
    Math.max(seen, paint ? paint.startTime : 0),
    performance.getEntriesByType("navigation")[0].responseEnd,
  ];
}"""


@dataclass
class Sample:
    total_ms: float | None = None  # write -> marker visible
    reload_ms: float | None = None  # write -> reload navigation start
    html_ms: float | None = None  # reload navigation start -> its HTML received
    playwright_ms: float | None = None  # write -> wait_for_selector returned
    server_ms: float | None = None  # the tool's logged update time(s)
    updates: int = 0
    error: str = ""
    round: int = 0
    note: str = ""  # the edited file


@dataclass
class Series:
    tool: str
    size: int
    note: str = ""  # why nothing was measured
    startups: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    warmups: list[Sample] = field(default_factory=list)

    def ok(self, rnd: int | None = None) -> list[float]:
        return [s.total_ms for s in self.samples if not s.error and rnd in (None, s.round)]


class Server:
    """A dev server in its own process group; a thread collects its output lines."""

    def __init__(self, cmd: list[str], cwd: Path, ready: re.Pattern, timeout: float) -> None:
        self.lines: list[str] = []
        self.url, self._ready, self._seen = "", ready, threading.Event()
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        threading.Thread(target=self._read, daemon=True).start()
        try:
            if not self._seen.wait(timeout) or not self.url:
                raise RuntimeError(f"not ready after {time.perf_counter() - t0:.0f} s: {' | '.join(self.lines[-3:])}")
        except BaseException:  # Ctrl-C while waiting, too
            self.stop()
            raise
        self.startup = self.ready_at - t0

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            found = self._ready.search(line)
            if found and not self.url:
                self.ready_at, self.url = time.perf_counter(), found.group(1).replace("//localhost:", "//127.0.0.1:")
                self._seen.set()
        self._seen.set()  # it exited

    def rss_mb(self) -> float:
        return int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{self.proc.pid}/status").read_text()).group(1)) / 1024

    def stop(self) -> None:
        """Ctrl-C to the whole process group, then SIGTERM and SIGKILL if it lingers."""
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None:
                return
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def free_port() -> int:
    """A port the OS says is free (Hugo does not take `--port 0`; it moves on if the port got taken)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urlopen(quote(url, safe=":/%?=&#"), timeout=120) as reply:
        return reply.read().decode("utf-8", "replace")


def pick_notes(notes: Path, count: int) -> list[str]:
    """`count` notes with a front-matter title and a plain ASCII path, evenly spread over the vault."""
    rels = sorted(p.relative_to(notes).as_posix() for p in notes.rglob("*.md"))
    found = [r for r in rels if PLAIN_PATH.fullmatch(r) and FM_TITLE.match((notes / r).read_text(encoding="utf-8"))]
    if len(found) < count:
        raise SystemExit(f"only {len(found)} suitable notes for {count} edits: use fewer --edits or a larger size")
    return [found[i * len(found) // count] for i in range(count)]


def start(tool: str, copy: Path, timeout: float) -> tuple[Server, Path, dict[str, str]]:
    """The tool's server on the copy, its notes folder, and each note's page URL."""
    if tool == "mlnotes":
        notes = copy / "mlnotes" / "notes"
        server = Server(
            [sys.executable, "-m", "mlnotes_site", "serve", "--notes", str(notes), "--port", "0"],
            copy / "mlnotes",
            READY[tool],
            timeout,
        )
        groups = HOME_GROUP.findall(
            fetch(server.url)
        )  # the home page: a single-topic note is a group of one, with its file
        return server, notes, {html.unescape(src): urljoin(server.url, html.unescape(href)) for href, src in groups}
    notes = copy / "hugo" / "content"
    server = Server(
        [str(hugo_binary()), "server", "--port", str(free_port()), "--bind", "127.0.0.1"],
        copy / "hugo",
        READY[tool],
        timeout,
    )
    rels = [p.relative_to(notes).as_posix() for p in notes.rglob("*.md")]
    return server, notes, {rel: urljoin(server.url, rel[:-3] + "/") for rel in rels}


def one_edit(page, server: Server, tool: str, url: str | None, path: Path, args) -> Sample:
    """Open `url`, append a marker to `path` and time until the page shows it."""
    from playwright.sync_api import Error as PlaywrightError

    if server.proc.poll() is not None:
        return Sample(error=f"the server exited with status {server.proc.returncode}: {' | '.join(server.lines[-3:])}")
    if url is None:
        return Sample(error=f"{path.name}: no single-topic page on the home page")
    try:
        reply = page.goto(url, wait_until="load")
    except PlaywrightError as exc:
        return Sample(error=f"{url}: {str(exc).splitlines()[0]}")
    if reply is None or reply.status != 200:
        return Sample(error=f"{url}: HTTP {reply.status if reply else '?'}")
    time.sleep(args.settle)
    before, seen = page.evaluate("performance.timeOrigin"), len(server.lines)
    marker = "mlnbench" + uuid.uuid4().hex[:12]
    text = path.read_bytes() + f"\n\n{marker}\n".encode()
    wall, t0 = time.time() * 1000, time.perf_counter()
    path.write_bytes(text)
    try:
        page.wait_for_selector(f"text={marker}", timeout=args.edit_timeout * 1000)
        sample = Sample(playwright_ms=(time.perf_counter() - t0) * 1000)
        origin, shown, html_end = page.wait_for_function(TIMES_JS, arg=marker, timeout=5000).json_value()
        sample.total_ms = origin + shown - wall
        if origin != before:
            sample.reload_ms, sample.html_ms = origin - wall, html_end
    except PlaywrightError as exc:
        sample = Sample(error=f"{path.name}: {str(exc).splitlines()[0]}; {diagnose(page, before, url, marker)}")
    time.sleep(args.pause)  # two edits' debounce windows never merge; the server's log line is out by now
    pattern, scale = UPDATE[tool]
    times = [float(m.group(1)) * scale for m in map(pattern.match, server.lines[seen:]) if m]
    sample.server_ms, sample.updates = (sum(times) if times else None), len(times)
    sample.error += "; the server logged no update" if sample.error and not times else ""
    return sample


def diagnose(page, origin: float, url: str, marker: str) -> str:
    """Why a marker did not show: did the page reload, does the server's HTML have it?"""
    try:
        reloaded = "reloaded" if page.evaluate("performance.timeOrigin") != origin else "did not reload"
        served = "has" if marker in fetch(url) else "lacks"
        return f"the page {reloaded}; the server's HTML {served} the marker"
    except Exception as exc:  # noqa: BLE001 - a diagnosis must not fail
        return f"no diagnosis: {type(exc).__name__}: {exc}"


def measure(browser, tool: str, copy: Path, picks: list[str], rnd: int, series: Series, args) -> None:
    """One server, one round: start it, make the edits, stop it (always)."""
    server = context = None
    try:
        server, notes, urls = start(tool, copy, args.start_timeout)
        series.startups.append(server.startup)
        print(f"  {tool}: ready in {server.startup:.1f} s at {server.url}", flush=True)
        context = browser.new_context()
        context.add_init_script(SEEN_JS)
        page = context.new_page()
        for i, rel in enumerate(picks):
            sample = one_edit(page, server, tool, urls.get(rel), notes / rel, args)
            sample.round, sample.note = rnd, rel
            (series.warmups if i < args.warmups else series.samples).append(sample)
            print(
                f"    {'warm-up' if i < args.warmups else 'edit'} {rel}: "
                + (
                    sample.error
                    or (
                        f"{sample.total_ms:.0f} ms (reload at {fmt(sample.reload_ms)}, "
                        f"HTML +{fmt(sample.html_ms)}, server {fmt(sample.server_ms)}, "
                        f"Playwright saw it at {fmt(sample.playwright_ms)})"
                    )
                ),
                flush=True,
            )
        series.rss_mb.append(server.rss_mb())
    except RuntimeError as exc:
        series.note = f"failed to start: {exc}"
        print(f"  {tool}: {series.note}", flush=True)
    finally:
        if server is not None:
            server.stop()
        if context is not None:
            with contextlib.suppress(Exception):  # the browser may be gone already (Ctrl-C reaches it too)
                context.close()


def fmt(ms: float | None, unit: str = " ms") -> str:
    return "—" if ms is None else f"{ms:.0f}{unit}"


def med(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def row(series: Series, base: Series | None) -> str:
    ok = [s for s in series.samples if not s.error]
    if not ok:
        return f"| {series.size:,} | {series.tool} | {series.note or 'no successful edit'} |" + " |" * 12
    totals = sorted(s.total_ms for s in ok)
    p90 = statistics.quantiles(totals, n=10, method="inclusive")[-1] if len(totals) > 1 else totals[0]
    ratio = paired = "—"
    if base is not None and base.ok():
        ratio = f"{statistics.median(totals) / med(base.ok()):.2f}"
        pairs = [med(series.ok(r)) / med(base.ok(r)) for r in sorted({s.round for s in ok}) if base.ok(r)]
        paired = f"{statistics.median(pairs):.2f}" if pairs else "—"
    cells = [
        statistics.median(totals),
        p90,
        totals[0],
        totals[-1],
        med([s.reload_ms for s in ok]),
        med([s.html_ms for s in ok]),
        med([s.total_ms - s.reload_ms for s in ok if s.reload_ms is not None]),
        med([s.server_ms for s in ok]),
    ]
    return (
        f"| {series.size:,} | {series.tool} | {' / '.join(f'{s:.1f}' for s in series.startups)} "
        f"| {len(ok)}/{len(series.samples)} | "
        + " | ".join(fmt(c, "") for c in cells)
        + f" | {ratio} | {paired} | {fmt(max(series.rss_mb, default=None), ' MB')} |"
    )


def report(results: list[Series], facts: list[str]) -> str:
    lines = [
        f"# Save-to-reload latency, {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        *facts,
        "",
        "Milliseconds from just before the write to the marker visible in the reloaded page. "
        "start-up: seconds to the server's ready line, per round. "
        "write→reload: to the reload navigation's start; HTML: from there to the page's HTML received; "
        "reload→visible: from there to the marker shown. server: the tool's own logged update time. "
        "× mlnotes: Hugo's median over mlnotes' (above 1: mlnotes is faster); paired: median of the per-round ratios. "
        "RSS: the server process after the edits.",
        "",
        "| notes | tool | start-up s | ok | median | p90 | min | max "
        "| write→reload | HTML | reload→visible | server | × mlnotes | paired | RSS |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [row(s, next((b for b in results if b.size == s.size and b.tool == "mlnotes"), None)) for s in results]
    notes = [
        f"- {s.tool} {s.size:,}: warm-up edits (not counted) per round: "
        + " | ".join(
            ", ".join(w.error or f"{w.total_ms:.0f} ms" for w in s.warmups if w.round == r)
            for r in sorted({w.round for w in s.warmups})
        )
        for s in results
        if s.warmups
    ]
    notes += [
        f"- {s.tool} {s.size:,}: Playwright's wait_for_selector returned a median "
        f"{med([x.playwright_ms - x.total_ms for x in s.samples if not x.error]):.0f} ms after the marker was shown"
        for s in results
        if s.ok()
    ]
    notes += [
        f"- {s.tool} {s.size:,} round {x.round + 1}, slow edit of {x.note}: {x.total_ms:.0f} ms "
        f"(write→reload {fmt(x.reload_ms)}, server {fmt(x.server_ms)})"
        for s in results
        for x in s.samples
        if not x.error and x.total_ms > 2 * med(s.ok()) + 100
    ]
    notes += [
        f"- {s.tool} {s.size:,} round {x.round + 1} FAILED: {x.error}" for s in results for x in s.samples if x.error
    ]
    notes += [
        f"- {s.tool} {s.size:,} round {x.round + 1}: one edit caused {x.updates} server updates"
        for s in results
        for x in s.samples
        if x.updates > 1
    ]
    return "\n".join(lines + [""] + notes) + "\n"


def machine_facts(args, browser_version: str) -> list[str]:
    hugo = hugo_binary()
    hugo_v = (
        subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.split()[1].split("-")[0]
        if hugo
        else "not installed"
    )
    return [
        f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Chromium {browser_version} headless (`{' '.join(CHROMIUM_ARGS)}`), Hugo {hugo_v}",
        f"- mlnotes commit {git_describe(('src', 'static', 'templates'))}",
        f"- {args.edits} edits per server and round after {args.warmups} warm-ups, {args.repeat} rounds, settle "
        f"{args.settle:g} s, pause {args.pause:g} s, timeout {args.edit_timeout:g} s, seed {args.seed}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="vault sizes (default 1000 10000)")
    parser.add_argument("--edits", type=int, default=15, help="measured edits per server and round (default 15)")
    parser.add_argument("--warmups", type=int, default=2, help="edits before those, not counted (default 2)")
    parser.add_argument(
        "--repeat", type=int, default=2, help="rounds per size, alternating the tools' order (default 2)"
    )
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument(
        "--settle", type=float, default=0.5, help="seconds from a page's load to the write (default 0.5)"
    )
    parser.add_argument("--pause", type=float, default=0.5, help="seconds after an edit before the next (default 0.5)")
    parser.add_argument("--edit-timeout", type=float, default=10.0, help="seconds to wait for the marker (default 10)")
    parser.add_argument("--start-timeout", type=float, default=600.0, help="seconds to wait for a server (default 600)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, help="report file (default benchmarks/results/<date>-serve-latency.md)")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed (pip install playwright)", file=sys.stderr)
        return 2
    if not CHROMIUM:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    missing = {"mlnotes": not importlib.util.find_spec("mlnotes_site"), "hugo": hugo_binary() is None}
    results: list[Series] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for size in args.sizes:
                write_vault(WORK / f"vault-{size}", size, args.seed)
                series = {t: Series(t, size, "not installed" if missing[t] else "") for t in args.tools}
                results += series.values()
                copy = Path(tempfile.mkdtemp(prefix=f"serve-{size}-", dir=WORK))
                try:
                    shutil.copytree(WORK / f"vault-{size}" / "mlnotes", copy / "mlnotes")
                    shutil.copytree(
                        WORK / f"vault-{size}" / "hugo",
                        copy / "hugo",
                        ignore=shutil.ignore_patterns("public", "resources", ".hugo_build.lock"),
                    )
                    picks = pick_notes(copy / "mlnotes" / "notes", (args.warmups + args.edits) * args.repeat)
                    for rnd in range(args.repeat):
                        for tool in [t for t in (args.tools if rnd % 2 == 0 else args.tools[::-1]) if not missing[t]]:
                            print(f"{size:,} notes, round {rnd + 1}:", flush=True)
                            measure(browser, tool, copy, picks[rnd :: args.repeat], rnd, series[tool], args)
                finally:
                    shutil.rmtree(copy, ignore_errors=True)
            text = report(results, machine_facts(args, browser.version))
        finally:
            with contextlib.suppress(Exception):
                browser.close()
    print("\n" + text)
    out = args.out or HERE / "results" / f"{dt.date.today():%Y-%m-%d}-serve-latency.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers are stopped and the copy deleted by then
        sys.exit("interrupted")
