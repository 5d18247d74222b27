"""Build time of the topic graph (issue 5), at about 1k and 10k topics and beyond.

    python benchmarks/graph_build.py                      # 400, 4,000 and 10,000 notes
    python benchmarks/graph_build.py --notes 400 --repeat 3

For each size the synthetic vault (make_vault.py, cached in benchmarks/work/) is loaded in a
fresh interpreter (parsing is not timed: it is the load stage, see run.py), then the graph
stages run once in-process, each timed on its own:

- pages: split notes into topics, assign every page its URL, build the LinkIndex;
- links: every note's links and images resolved once (graph/links.py `resolve`);
- views: backlinks, files to copy, tags, merged places (graph/views.py);
- mentions: mention names, the name table, every page scanned, links chosen, "Mentioned in";
- related: every topic page's features and the index; related rows: every row computed;
- graph.json: nodes, the edge kinds, the build-time layout, the JSON text (Pipeline.render).

The steps are the Pipeline's own (GraphState keeps a timing per step). Times are the median
of --repeat runs (each a new GraphState, so nothing is reused). The
per-topic column should stay flat as the vault grows: every stage is linear.
The report is printed and written to benchmarks/results/<date>-graph-build.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from make_vault import write_vault  # noqa: E402
from run import git_describe  # noqa: E402

STAGES = ["pages", "links", "views", "mentions", "related", "related rows", "graph.json"]

# Runs in a fresh interpreter: prints one JSON object of stage -> [seconds per repeat]. The
# vault is loaded once by the Pipeline (parsing is not timed here); each repeat runs the graph
# stage anew (a fresh GraphState: nothing reused) and reads the timings it keeps per step.
PROBE = r"""
import json, sys, time
from pathlib import Path
from mlnotes_site.config import load_config
from mlnotes_site.graph.state import GraphState
from mlnotes_site.pipeline import Pipeline

notes_dir, repeat = Path(sys.argv[1]), int(sys.argv[2])
cfg = load_config(None, notes=notes_dir, out=notes_dir.parent / "never-written", cwd=notes_dir.parent)
pipeline = Pipeline(cfg)
pipeline.load()
notes, files = pipeline.site.notes, pipeline.files
times = {k: [] for k in ("pages", "links", "views", "mentions", "related", "related rows", "graph.json")}
for _ in range(repeat):
    graph = GraphState(cfg.autolink)
    site = graph.update(notes, files)
    for step in ("pages", "links", "views", "mentions", "related"):
        times[step].append(graph.timings[step])
    t = time.perf_counter()
    rows = dict(site.related.items())
    times["related rows"].append(time.perf_counter() - t)
t = time.perf_counter()
text = pipeline.render("/graph.json").decode()
times["graph.json"] = [time.perf_counter() - t] * repeat
data = json.loads(text)
pages = sum(1 for t in site.topics.values() if not t.place_id)
print(json.dumps({"times": times, "notes": len(notes), "topics": len(site.topics), "pages": pages,
                  "nodes": len(data["nodes"]), "edges": len(data["edges"]), "with_related": len(rows)}))
"""


def measure(notes: int, seed: int, repeat: int) -> dict:
    """Stage times for the vault of `notes` notes, from a fresh interpreter."""
    vault = HERE / "work" / f"vault-{notes}"
    write_vault(vault, notes, seed)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(vault / "mlnotes" / "notes"), str(repeat)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["median"] = {stage: statistics.median(result["times"][stage]) for stage in STAGES}
    return result


def report(runs: list[dict], args: argparse.Namespace) -> str:
    lines = [
        f"# Graph build time, {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- machine: {platform.platform()}, {len(__import__('os').sched_getaffinity(0))} CPUs, "
        f"Python {platform.python_version()}",
        f"- mlnotes commit: {git_describe()}; seed {args.seed}; median of {args.repeat} run(s) per size",
        "",
        "Seconds per stage (ms per topic page in brackets); parsing the notes is not included.",
        "",
        "| notes | topics | graph.json nodes / edges | " + " | ".join(STAGES) + " | total | pages with related |",
        "|---:|---:|---:|" + "---:|" * (len(STAGES) + 2),
    ]
    for run in runs:
        med = run["median"]
        total = sum(med.values())
        cells = [f"{med[s]:.2f} ({1000 * med[s] / run['pages']:.3f})" for s in STAGES]
        lines.append(
            f"| {run['notes']:,} | {run['topics']:,} | {run['nodes']:,} / {run['edges']:,} | "
            + " | ".join(cells)
            + f" | {total:.2f} ({1000 * total / run['pages']:.3f}) | {run['with_related']:,} of {run['pages']:,} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[400, 4000, 10000], help="vault sizes in notes")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, help="report file (default benchmarks/results/<date>-graph-build.md)")
    args = parser.parse_args(argv)
    runs = []
    for notes in args.notes:
        print(f"[{notes:,} notes]", flush=True)
        runs.append(measure(notes, args.seed, args.repeat))
        print(f"  {runs[-1]['median']}", flush=True)
    text = report(runs, args)
    out = args.out or HERE / "results" / f"{dt.date.today().isoformat()}-graph-build.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
