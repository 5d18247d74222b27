"""Build time of the topic graph (issue 5), at about 1k and 10k topics and beyond.

    python benchmarks/graph_build.py                      # 400, 4,000 and 10,000 notes
    python benchmarks/graph_build.py --notes 400 --repeat 3

For each size the synthetic vault (make_vault.py, cached in benchmarks/work/) is loaded in a
fresh interpreter (parsing is not timed: it is the load stage, see run.py), then the graph
stages run once in-process, each timed on its own:

- topics: split notes into topics and assign every page its URL;
- links: the LinkIndex and every note's links and images resolved, backlinks merged;
- mentions: mention names, the name table, every page scanned, links chosen, "Mentioned in";
- related: every topic page's features and the index, then every related-topics row;
- graph.json: nodes, the five edge kinds, the build-time layout, the JSON text.

Times are the median of --repeat runs (each a new SiteState, so nothing is reused). The
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

STAGES = ["topics", "links", "mentions", "related", "graph.json"]

# Runs in a fresh interpreter: prints one JSON object of stage -> [seconds per repeat].
PROBE = r"""
import gc, json, sys, time
from pathlib import Path
from mlnotes_site.build import BuildReport
from mlnotes_site.load.discover import discover
from mlnotes_site.emit.graph_json import graph_json
from mlnotes_site.graph.links import build_index, mention_names, mentioned_in, merge_links, note_links, page_titles
from mlnotes_site.load.note import load_note
from mlnotes_site.markdown import make_parser
from mlnotes_site.graph.mentions import MentionIndex, mention_table, page_parts, page_text
from mlnotes_site.graph.related import related_index
from mlnotes_site.graph.state import SiteState
from mlnotes_site.graph.pages import assign_pages, split_note

notes_dir, repeat = Path(sys.argv[1]), int(sys.argv[2])
md = make_parser()
gc.disable()
rels, files = discover(notes_dir)
notes = {rel: load_note(notes_dir, rel, md) for rel in rels}
notes = {rel: n for rel, n in notes.items() if not n.draft}
gc.freeze()
gc.enable()
times = {k: [] for k in ("topics", "links", "mentions", "related", "graph.json")}
for _ in range(repeat):
    t = time.perf_counter()
    topics, note_topics, note_pages, _ = assign_pages(
        list(notes.values()), {rel: split_note(n) for rel, n in notes.items()}
    )
    times["topics"].append(time.perf_counter() - t)
    t = time.perf_counter()
    index = build_index(notes, topics, note_topics, note_pages, frozenset(files))
    merge_links([
        note_links(index, notes[rel], [topics[k] for k in keys], note_pages.get(rel), frozenset(files))
        for rel, keys in note_topics.items()
    ])
    times["links"].append(time.perf_counter() - t)
    t = time.perf_counter()
    mentions = MentionIndex()
    mentions.set_names(mention_table(mention_names(index, topics), notes))
    for url, parts in page_parts(notes, topics, note_pages).items():
        mentions.set_page(url, page_text(parts))
    mentioned_in(mentions.mentions(), page_titles(topics, note_pages))
    times["mentions"].append(time.perf_counter() - t)
    t = time.perf_counter()
    related = related_index(notes, topics)
    rows = [related.row(url) for url in related.pages]
    times["related"].append(time.perf_counter() - t)
    site = SiteState().update(notes, frozenset(files))  # untimed: the Site graph.json is made from
    dict(site.related.items())  # its related rows too (timed above)
    t = time.perf_counter()
    text = graph_json(site)
    times["graph.json"].append(time.perf_counter() - t)
data = json.loads(text)
print(json.dumps({"times": times, "notes": len(notes), "topics": len(topics), "pages": len(related.pages),
                  "nodes": len(data["nodes"]), "edges": len(data["edges"]), "with_related": sum(1 for r in rows if r)}))
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
