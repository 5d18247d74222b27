"""Frame times of the graph views in Chromium, on synthetic vaults of about 1k and 10k topics.

    python benchmarks/graph_frames.py                        # 400 and 4,000 notes (~1k and ~10k topics)
    python benchmarks/graph_frames.py --notes 400 --frames 60
    python benchmarks/graph_frames.py --reuse-site           # skip the build when the site exists

For each size the vault is generated (make_vault.py, cached under benchmarks/work/) and built
with mlnotes into benchmarks/work/graph-site-N/, then served over HTTP on 127.0.0.1 and
opened in headless Chromium (the browser tests' launch arguments). Measured:

- the graph page /graph/: time to first draw (fetch, parse and index graph.json, first
  draw; median of --loads fresh browser contexts, so graph.json is never cached), then
  --frames animation frames of programmatic pan and zoom, and as many hovering a different
  node each (window.mlnGraph.measure);
- the local graph of the topic with the most edges, at depth 1 and 2: time from the section
  scrolling into view to its first draw, the time to switch to depth 2, and the same pan/zoom
  and hover frames (window.mlnLocalGraph.measure).

"draw" is the JavaScript time of a frame's work (for hover: hit test and draw); Chromium
rasterises the canvas inside it, because the view copies its cached frame each time.
"frame" is the interval between two requestAnimationFrame callbacks (16.7 ms at 60 fps).
The report is printed and written to benchmarks/results/<date>-graph-frames.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Browser, Page, sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from make_vault import write_vault  # noqa: E402
from run import git_describe  # noqa: E402
from serving import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
SETTLE_S = 0.4  # the views redraw with their larger edge budget 200 ms after the last move


def build_site(notes: int, seed: int, reuse: bool) -> Path:
    """The vault of `notes` notes built with mlnotes (out of process, like `mlnotes build`)."""
    vault = HERE / "work" / f"vault-{notes}"
    write_vault(vault, notes, seed)
    site = HERE / "work" / f"graph-site-{notes}"
    if reuse and (site / "graph.json").is_file():
        return site
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mlnotes_site",
            "build",
            "--notes",
            str(vault / "mlnotes" / "notes"),
            "--out",
            str(site),
            "--quiet",
        ],
        check=True,
    )
    print(f"  built {site.relative_to(REPO)} in {time.perf_counter() - t0:.0f} s", flush=True)
    return site


def busiest_topic(graph: dict) -> tuple[str, int]:
    """The topic with the most edges, and how many."""
    degree = {n["id"]: 0 for n in graph["nodes"] if n["kind"] == "topic"}
    for e in graph["edges"]:
        for end in (e["source"], e["target"]):
            if end in degree:
                degree[end] += 1
    return max(degree.items(), key=lambda item: (item[1], item[0]))


def summary(values: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def frames(page: Page, hook: str, count: int) -> dict[str, tuple[float, float]]:
    """Pan/zoom and hover frames through `window.<hook>.measure`: {"pan draw": (median, p95), ...}."""
    out = {}
    for mode in ("pan", "hover"):
        time.sleep(SETTLE_S)
        result = page.evaluate(f"([n, mode]) => window.{hook}.measure(n, mode)", [count, mode])
        assert len(result["drawMs"]) == count and len(result["frameMs"]) == count
        out[f"{mode} draw"] = summary(result["drawMs"])
        out[f"{mode} frame"] = summary(result["frameMs"])
    return out


def global_view(browser: Browser, base: str, args: argparse.Namespace) -> dict:
    loads = []
    for _ in range(args.loads):
        context = browser.new_context(viewport=args.viewport)
        page = context.new_page()
        page.goto(base + "graph/")
        page.wait_for_selector("#graph[data-ready='1']", timeout=120_000)
        loads.append(page.evaluate("window.mlnGraph.timing"))
        if len(loads) < args.loads:
            context.close()
    result = {k: statistics.median(load[k] for load in loads) for k in loads[0]}
    result.update(frames(page, "mlnGraph", args.frames))
    context.close()
    return result


def local_view(browser: Browser, base: str, topic: str, args: argparse.Namespace) -> dict:
    context = browser.new_context(viewport=args.viewport)
    page = context.new_page()
    page.goto(base + quote(topic.lstrip("/")))
    page.locator(".local-graph").scroll_into_view_if_needed()
    page.wait_for_selector(".local-graph[data-ready='1']", timeout=120_000)
    result = dict(page.evaluate("window.mlnLocalGraph.timing"))
    result["depth 1 nodes"] = len(page.evaluate("window.mlnLocalGraph.nodes()"))
    result.update({f"depth 1 {k}": v for k, v in frames(page, "mlnLocalGraph", args.frames).items()})
    result["depth 2 switch ms"] = page.evaluate("""() => { const t0 = performance.now();
        document.querySelector('.local-graph input[name=depth][value="2"]').click();
        return performance.now() - t0; }""")
    result["depth 2 nodes"] = len(page.evaluate("window.mlnLocalGraph.nodes()"))
    result.update({f"depth 2 {k}": v for k, v in frames(page, "mlnLocalGraph", args.frames).items()})
    context.close()
    return result


def ms(value: float) -> str:
    return f"{value:.1f}"


def pair(values: tuple[float, float]) -> str:
    return f"{values[0]:.1f} / {values[1]:.1f}"


def report(args: argparse.Namespace, runs: list[dict], chromium: str) -> str:
    lines = [f"# Graph view frame times, {dt.datetime.now():%Y-%m-%d %H:%M}", ""]
    lines.append(
        f"- machine: {platform.platform()}, {os.cpu_count()} CPUs; {chromium} headless, `{' '.join(CHROMIUM_ARGS)}`"
    )
    lines.append(f"- mlnotes commit: {git_describe(('src', 'static', 'templates'))}")
    lines.append(
        f"- load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(other work on the machine slows the frames)"
    )
    lines.append(
        f"- viewport {args.viewport['width']}×{args.viewport['height']}, device pixel ratio 1; {args.frames} frames "
        f"per measurement; first draw: median of {args.loads} loads without cache; seed {args.seed}"
    )
    lines += [
        "",
        "Times in ms, as median / p95. draw = JavaScript time of the frame's work (hover: hit test and draw), "
        "canvas rasterisation included; frame = requestAnimationFrame interval (16.7 at 60 fps).",
        "",
    ]
    lines += [
        "## Graph page /graph/",
        "",
        "| notes | topics | nodes | edges | graph.json | first draw (fetch + parse + draw) "
        "| pan draw | pan frame | hover draw | hover frame |",
        "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in runs:
        g = r["global"]
        lines.append(
            f"| {r['notes']:,} | {r['topics']:,} | {r['nodes']:,} | {r['edges']:,} | {r['mb']:.1f} MB "
            f"| {ms(g['firstDrawMs'])} ({ms(g['fetchMs'])} + {ms(g['parseMs'])} + {ms(g['drawMs'])}) "
            f"| {pair(g['pan draw'])} | {pair(g['pan frame'])} | {pair(g['hover draw'])} | {pair(g['hover frame'])} |"
        )
    lines += [
        "",
        "## Local graph (topic page, the topic with the most edges)",
        "",
        "| notes | topic (edges) | first draw (fetch + parse + layout and draw) | depth | nodes "
        "| pan draw | pan frame | hover draw | hover frame |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        loc = r["local"]
        first = f"{ms(loc['firstDrawMs'])} ({ms(loc['fetchMs'])} + {ms(loc['parseMs'])} + {ms(loc['layoutAndDrawMs'])})"
        for depth in (1, 2):
            d = f"depth {depth} "
            label = first if depth == 1 else f"switch to depth 2: {ms(loc['depth 2 switch ms'])}"
            lines.append(
                f"| {r['notes']:,} | `{r['topic']}` ({r['topic_edges']}) | {label} | {depth} | {loc[d + 'nodes']} "
                f"| {pair(loc[d + 'pan draw'])} | {pair(loc[d + 'pan frame'])} "
                f"| {pair(loc[d + 'hover draw'])} | {pair(loc[d + 'hover frame'])} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--notes", type=int, nargs="+", default=[400, 4000], help="vault sizes in notes (default 400 4000)"
    )
    parser.add_argument("--frames", type=int, default=120, help="frames per measurement (default 120)")
    parser.add_argument("--loads", type=int, default=3, help="page loads for the time to first draw (default 3)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--reuse-site", action="store_true", help="do not rebuild a site that is already in benchmarks/work/"
    )
    parser.add_argument("--out", type=Path, help="report file (default benchmarks/results/<date>-graph-frames.md)")
    args = parser.parse_args(argv)
    args.viewport = {"width": 1280, "height": 900}
    if not CHROMIUM:
        parser.error("chromium not found (apt-get install -y chromium)")

    runs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        chromium = f"Chromium {browser.version}"
        for notes in args.notes:
            print(f"[{notes:,} notes]", flush=True)
            site = build_site(notes, args.seed, args.reuse_site)
            graph = json.loads((site / "graph.json").read_text(encoding="utf-8"))
            topic, topic_edges = busiest_topic(graph)
            server, base = serve(site)
            try:
                run = {
                    "notes": notes,
                    "topics": sum(n["kind"] == "topic" for n in graph["nodes"]),
                    "nodes": len(graph["nodes"]),
                    "edges": len(graph["edges"]),
                    "mb": (site / "graph.json").stat().st_size / 1e6,
                    "topic": topic,
                    "topic_edges": topic_edges,
                }
                run["global"] = global_view(browser, base, args)
                print(f"  graph page: {run['global']}", flush=True)
                run["local"] = local_view(browser, base, topic, args)
                print(f"  local graph: {run['local']}", flush=True)
                runs.append(run)
            finally:
                server.shutdown()
                server.server_close()
        browser.close()

    text = report(args, runs, chromium)
    out = args.out or HERE / "results" / f"{dt.date.today().isoformat()}-graph-frames.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"(written to {out.relative_to(REPO) if out.is_relative_to(REPO) else out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
