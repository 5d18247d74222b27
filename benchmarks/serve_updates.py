"""How long `mlnotes serve` takes to update after one edit, by kind of edit, without a browser.

    python benchmarks/serve_updates.py                    # 1,000 and 10,000 notes, 8 edits per kind
    python benchmarks/serve_updates.py --sizes 4000 --edits 4

For each size a copy of the synthetic vault (make_vault.py, cached in benchmarks/work/) is
read by `LiveSite` (the engine behind `mlnotes serve`) in this process. Then, for each kind
of edit, one note at a time is changed on disk and `LiveSite.update([path])` is timed, plus
rendering that note's first page afterwards (what the browser asks for next):

- text: a line appended to a note (the usual save while writing: the fast path);
- heading: the text of a note's first `## ` heading changed (URLs stay, names change:
  the structural path);
- new note: a note created with a title and a wikilink (the structural path).

Medians and maxima in ms, and the median of each graph step (GraphState.timings).
serve_latency.py measures the same edits end to end in Chromium.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_vault import write_vault  # noqa: E402


def edit(kind: str, notes: Path, rel: str, n: int) -> Path | None:
    """Make one edit of `kind`; the path changed, or None when this note does not allow it."""
    path = notes / rel
    text = path.read_text(encoding="utf-8")
    if kind == "text":
        path.write_text(text + f"\n新的一行 {n}, with a few words.\n", encoding="utf-8")
        return path
    if kind == "heading":
        lines = text.splitlines()
        at = next((i for i, line in enumerate(lines) if line.startswith("## ")), None)
        if at is None:
            return None
        lines[at] += f" 改{n}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    new = notes / f"bench-new-{n}.md"
    new.write_text(f"# 新笔记 {n}\n\n见 [[{Path(rel).stem}]]，梯度下降。\n", encoding="utf-8")
    return new


STEPS = ("pages", "links", "views", "mentions", "related")  # the graph stage's timed steps (graph/state.py)


def measure(
    size: int, edits: int, seed: int
) -> tuple[dict[str, list[tuple[float, float]]], dict[str, dict[str, list[float]]]]:
    from mlnotes_site.config import load_config
    from mlnotes_site.serve.live import LiveSite

    vault = HERE / "work" / f"vault-{size}"
    write_vault(vault, size, seed)
    work = Path(tempfile.mkdtemp(prefix=f"updates-{size}-", dir=HERE / "work"))
    try:
        notes = work / "notes"
        shutil.copytree(vault / "mlnotes" / "notes", notes)
        live = LiveSite(load_config(None, notes=notes, out=work / "never-written", cwd=work))
        t0 = time.perf_counter()
        live.start()
        print(f"  read {size:,} notes in {time.perf_counter() - t0:.1f} s", flush=True)
        rng = random.Random(seed)
        rels = list(live.site.note_topics)
        found: dict[str, list[tuple[float, float]]] = {}
        steps: dict[str, dict[str, list[float]]] = {}
        for kind in ("text", "heading", "new note"):
            times = found.setdefault(kind, [])
            n = 0
            while len(times) < edits:
                n += 1
                rel = rng.choice(rels)
                path = edit(kind, notes, rel, n)
                if path is None:
                    continue
                t0 = time.perf_counter()
                live.update([path])
                t1 = time.perf_counter()
                for step in STEPS:
                    steps.setdefault(kind, {}).setdefault(step, []).append(1000 * live.pipeline.timings[step])
                site = live.site
                shown = path.relative_to(notes).as_posix() if kind == "new note" else rel
                live.response(site.topics[site.note_topics[shown][0]].url)
                times.append((1000 * (t1 - t0), 1000 * (time.perf_counter() - t1)))
                while live.idle(0.05):  # as the server does between edits
                    pass
        return found, steps
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=8, help="edits per kind (default 8)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    rows = [
        "| notes | edit | update median | update max | page render median | " + " | ".join(STEPS) + " |",
        "|---:|---|---:|---:|---:|" + "---:|" * len(STEPS),
    ]
    for size in args.sizes:
        print(f"[{size:,} notes]", flush=True)
        found, steps = measure(size, args.edits, args.seed)
        for kind, times in found.items():
            updates, renders = [u for u, _ in times], [r for _, r in times]
            per_step = " | ".join(f"{statistics.median(steps[kind][step]):.1f} ms" for step in STEPS)
            rows.append(
                f"| {size:,} | {kind} | {statistics.median(updates):.0f} ms | {max(updates):.0f} ms "
                f"| {statistics.median(renders):.0f} ms | {per_step} |"
            )
            print(rows[-1], flush=True)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
