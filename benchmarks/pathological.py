"""Time `mlnotes build` on pathological notes: very long lines and very deep nesting.

    python benchmarks/pathological.py                 # every input, full size (about a minute)
    python benchmarks/pathological.py --quick         # a tenth of the sizes
    python benchmarks/pathological.py --only '[' words --limit 60

Each input is one note (`p.md`, under a `# P` heading) in a fresh temporary vault beside a
small ordinary note. The build runs as `python -m mlnotes_site build --quiet` in a child
process; reported are its CPU time (user + system, from `resource.getrusage(RUSAGE_CHILDREN)`),
its wall time, and the warning it printed, if any (a note over a limit of `markdown/limits.py`
is published as plain text with a warning). Inputs that do not finish within `--limit`
seconds are killed and reported as such. The goal: every input under 5 CPU seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
MB, KB = 1_000_000, 100_000  # "1 MB" and "100 KB" inputs


def repeat(unit: str) -> Callable[[int], str]:
    """`unit` repeated to about n bytes, on one line."""
    return lambda n: unit * max(1, n // len(unit)) + "\n"


def words(n: int) -> str:
    return repeat("lorem ipsum dolor sit amet ")(n)


def indented_list(depth: int) -> str:
    """A list nested `depth` deep, one item per line, two more spaces per level (≈ depth² bytes)."""
    return "".join("  " * i + f"- item {i}\n" for i in range(depth))


def quote_lines(depth: int) -> str:
    """Quotes nested `depth` deep, one line per level (`>`, `>>`, `>>>`, …)."""
    return "".join(">" * (i + 1) + f" q{i}\n" for i in range(depth))


def www_links(n: int) -> str:
    """Distinct bare `www.` links (`www.a0.com www.a1.com …`) on one line of about n bytes."""
    parts, size = [], 0
    while size < n:
        parts.append(f"www.a{len(parts)}.com ")
        size += len(parts[-1])
    return "".join(parts) + "\n"


# name -> (make, size): size is bytes for lines, levels for nesting
INPUTS: dict[str, tuple[Callable[[int], str], int]] = {
    "1 MB line of words": (words, MB),
    "1 MB line of `[`": (repeat("["), MB),
    "1 MB line of `www.aN.com` links": (www_links, MB),
    **{
        f"100 KB line of `` {unit.strip()} ``": (repeat(unit), KB)
        for unit in ["[", "*", "_", "`", "$", "<", "](", "[[", "![[", "\\(", "[^", "#tag ", "http://x "]
    },
    "10,000-deep list `- - - … x` (one line)": (lambda d: "- " * d + "x\n", 10_000),
    "10,000-deep list, one item per line (100 MB)": (indented_list, 10_000),
    "1,000-deep list, one item per line (1 MB)": (indented_list, 1_000),
    "10,000 nested quotes `> > … x` (one line)": (lambda d: "> " * d + "x\n", 10_000),
    "10,000 nested quotes, one per line (50 MB)": (quote_lines, 10_000),
}


def run(text: str, limit: float) -> tuple[float, float, str]:
    """(CPU s, wall s, first warning or "") of one build of a vault holding `text` as a note."""
    work = Path(tempfile.mkdtemp(prefix="mlnotes-patho-"))
    try:
        notes = work / "notes"
        notes.mkdir()
        (notes / "p.md").write_text("# P\n\n" + text, encoding="utf-8")
        (notes / "other.md").write_text("# Other\n\nAn ordinary note with a [[P]] link.\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        cmd = [sys.executable, "-m", "mlnotes_site", "build", "--notes", str(notes), "--out", str(work / "site")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd + ["--quiet"], env=env, cwd=work, capture_output=True, text=True, timeout=limit)
        except subprocess.TimeoutExpired:
            return float("inf"), float("inf"), f"killed after {limit:.0f} s"
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        lines = [line for line in (proc.stdout + proc.stderr).splitlines() if "warning" in line or "error" in line]
        if proc.returncode not in (0, 1):
            lines.insert(0, f"exit {proc.returncode}")
        return cpu, wall, lines[0] if lines else ""
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of every size")
    parser.add_argument("--only", nargs="*", help="inputs whose name contains one of these strings")
    parser.add_argument("--limit", type=float, default=120, help="kill a build after this many seconds (120)")
    args = parser.parse_args()
    print("| input | bytes | CPU s | wall s | warning |")
    print("|---|---:|---:|---:|---|")
    slow = []
    for name, (make, size) in INPUTS.items():
        if args.only and not any(part in name for part in args.only):
            continue
        text = make(max(1, size // 10) if args.quick else size)
        cpu, wall, warning = run(text, args.limit)
        shown = warning.split(": warning: ", 1)[-1][:90].replace("|", "\\|")
        size_shown = f"{len(text.encode()):,}"
        print(f"| {name} | {size_shown} | {cpu:.2f} | {wall:.2f} | {shown} |", flush=True)
        if cpu >= 5:
            slow.append(name)
    print(f"\n{len(slow)} inputs took 5 CPU seconds or more" + (f": {', '.join(slow)}" if slow else ""))


if __name__ == "__main__":
    main()
