"""Pair this checkout against an earlier commit of mlnotes on the same vaults, alternating.

    python benchmarks/compare_commits.py --base c666ada              # 1k build ×5, serve updates at 10k
    python benchmarks/compare_commits.py --base c666ada --sizes 1000 --serve-size 1000

The earlier commit is checked out (git worktree, detached) under benchmarks/work/ and both
trees are run from source (PYTHONPATH=<tree>/src) by this interpreter, so the comparison is
of the code alone. For each round the two trees run in alternating order:

- a full build of the vault (in a fresh process): wall time and the process's CPU time
  (user + system, from os.wait4);
- `mlnotes serve`'s update path (LiveSite, in a fresh process): start-up, then text,
  heading and new-note edits (benchmarks/serve_updates.py `edit`), median update time.

Reported: medians per tree and the median over rounds of head / base. This machine is shared and drifts, so
only the ratios of one run count.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from make_vault import write_vault  # noqa: E402

BUILD = r"""
import sys
from pathlib import Path
from mlnotes_site.build import build
from mlnotes_site.config import load_config
notes, out, cwd = (Path(a) for a in sys.argv[1:4])
report = build(load_config(None, notes=notes, out=out, cwd=cwd))
assert report.pages > 0
"""

SERVE = r"""
import json, random, shutil, statistics, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from serve_updates import edit
try:
    from mlnotes_site.serve.live import LiveSite
except ImportError:  # before the stage subpackages
    from mlnotes_site.live import LiveSite
from mlnotes_site.config import load_config
vault, work, edits = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
notes = work / "notes"
shutil.copytree(vault, notes)
live = LiveSite(load_config(None, notes=notes, out=work / "never-written", cwd=work))
t0 = time.perf_counter()
live.start()
found = {"start": time.perf_counter() - t0}
rng = random.Random(42)
rels = list(live.site.note_topics)
for kind in ("text", "heading", "new note"):
    times, n = [], 0
    while len(times) < edits:
        n += 1
        path = edit(kind, notes, rng.choice(rels), n)
        if path is None:
            continue
        t0 = time.perf_counter()
        live.update([path])
        times.append(time.perf_counter() - t0)
        while live.idle(0.05):
            pass
    found[kind] = statistics.median(times)
print(json.dumps(found))
"""


def checkout(rev: str) -> Path:
    """The source tree of `rev`, as a detached git worktree under benchmarks/work/."""
    path = HERE / "work" / f"base-{rev}"
    if not (path / "src").is_dir():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-f", str(path), rev], check=True)
    return path


def run(tree: Path, code: str, *args: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of `python -c code args` on `tree`'s sources."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE, cwd=tree)
    out = proc.stdout.read().decode() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{tree}: exit status {status}")
    return wall, usage.ru_utime + usage.ru_stime, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="git revision to compare against")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000], help="build vault sizes (default 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="alternating build rounds (default 5)")
    parser.add_argument("--serve-size", type=int, default=10000, help="vault size for serve updates (0: skip)")
    parser.add_argument("--serve-repeat", type=int, default=1, help="alternating serve rounds (default 1)")
    parser.add_argument("--edits", type=int, default=8, help="edits per kind (default 8)")
    args = parser.parse_args(argv)
    trees = {"base": checkout(args.base), "head": REPO}
    lines = [f"# compare: head ({REPO}) against {args.base}", ""]
    for size in args.sizes if args.repeat else ():
        vault = HERE / "work" / f"vault-{size}"
        write_vault(vault, size, 42)
        notes = vault / "mlnotes" / "notes"
        found: dict[str, list[tuple[float, float]]] = {"base": [], "head": []}
        for n in range(args.repeat):
            for name in ("base", "head") if n % 2 == 0 else ("head", "base"):
                with tempfile.TemporaryDirectory(dir=HERE / "work") as tmp:
                    wall, cpu, _ = run(trees[name], BUILD, str(notes), str(Path(tmp) / "site"), tmp)
                found[name].append((wall, cpu))
                print(f"build {size} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in found.items()}
        pairs = list(zip(found["base"], found["head"], strict=True))  # the two runs of one round
        wall_ratio = statistics.median(h[0] / b[0] for b, h in pairs)
        cpu_ratio = statistics.median(h[1] / b[1] for b, h in pairs)
        lines.append(
            f"build {size:,} notes: base {med['base'][0]:.2f} s wall / {med['base'][1]:.2f} s CPU, "
            f"head {med['head'][0]:.2f} s / {med['head'][1]:.2f} s; "
            f"head/base per round (median): wall {wall_ratio:.3f}, CPU {cpu_ratio:.3f}"
        )
    if args.serve_size:
        vault = HERE / "work" / f"vault-{args.serve_size}"
        write_vault(vault, args.serve_size, 42)
        results: dict[str, list[dict]] = {"base": [], "head": []}
        for n in range(args.serve_repeat):
            for name in ("base", "head") if n % 2 == 0 else ("head", "base"):
                with tempfile.TemporaryDirectory(dir=HERE / "work") as tmp:
                    *_, out = run(trees[name], SERVE, str(vault / "mlnotes" / "notes"), tmp, str(args.edits), str(HERE))
                results[name].append(json.loads(out))
                print(f"serve {args.serve_size} {name}: {results[name][-1]}", flush=True)
        for kind in ("start", "text", "heading", "new note"):
            base = statistics.median(r[kind] for r in results["base"])
            head = statistics.median(r[kind] for r in results["head"])
            lines.append(
                f"serve {args.serve_size:,} notes, {kind}: base {1000 * base:.0f} ms, head {1000 * head:.0f} ms, "
                f"head/base {head / base:.3f}"
            )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
