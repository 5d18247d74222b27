"""What reading note dates from git history costs a cold build: the same vault built with and without git.

    PYTHONPATH=src python benchmarks/git_dates.py                     # 1,000 notes, 3 rounds
    PYTHONPATH=src python benchmarks/git_dates.py --size 30 --rounds 1   # smoke test, seconds
    PYTHONPATH=src python benchmarks/git_dates.py --size 1000 --rounds 3 \\
        --write benchmarks/results/2026-12-06-git-dates-1000.md

Every build runs this checkout's `src/` (the script puts it first on the builds' PYTHONPATH).

1. `benchmarks/make_vault.py N --out benchmarks/work/git-dates-N/vault --layouts mlnotes` writes the
   synthetic notes (a stamp makes a second call a no-op).
2. Two copies go to a fresh folder under /tmp (outside every git repository):
   `plain/notes`, no git at all, and `git/notes`, the top of a git repository whose history has
   exactly 3 commits per note, imported with ONE `git fast-import` stream: commit 1 adds the note's
   first third (in bytes, cut at a line end), commit 2 its first two thirds, commit 3 the whole text.
   The commits of different notes interleave (3 round-robin passes over the notes in a seeded order),
   dated 2021-2024, strictly increasing (author and committer). About 5% of the notes are created as `old-<name>.md` and
   renamed to their final name in their third commit (a `D` + `M` pair, for git's rename detection).
   HEAD is then checked out; the working tree must equal the plain copy byte for byte, and every file
   gets the same mtime in both copies, so git is the only difference.
3. `--rounds K` alternating rounds (plain, git, then git, plain, ...) of a cold build of each copy:
   `python -m mlnotes_site build --notes <copy>/notes --out <copy>/site --no-cache --timings`, the output
   folder and any `.mlnotes-cache` beside it removed first; wall time from perf_counter, CPU time
   (user + system, the build's children such as `git log` and parser processes included) from os.wait4.
4. The `--timings` table each build prints is parsed; its `history` step (the git pass), when the
   checkout has one, is reported too.

The report gives the median wall and CPU seconds per copy, the median of the per-round differences
git - plain and its ratio, each round's pair, and whether the extra time meets the target (under 1 s).
Build logs are kept in benchmarks/work/git-dates-N/logs/.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import filecmp
import itertools
import os
import platform
import posixpath
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SRC = REPO / "src"
TARGET_S = 1.0  # the acceptance: extra wall time of the git copy under 1 s at 1,000 notes
FIRST_TIME = calendar.timegm((2021, 1, 1, 0, 0, 0))
LAST_TIME = calendar.timegm((2024, 12, 31, 23, 59, 59))
AUTHOR = "Note Taker <notes@example.com>"
RENAMED_SHARE = 0.05
DATETIME = re.compile(r'datetime="([^"]+)"')
STEP_LINE = re.compile(r"^(\S.*?)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)\s+(-?\d+)\s*$")


# ---------------------------------------------------------------- the two copies


@dataclass
class Vault:
    notes: dict[str, bytes]  # posix path inside the notes folder -> the final text
    renamed: dict[str, str]  # final path -> the path the note was created under
    commits: int = 0
    import_s: float = 0.0  # git fast-import wall seconds
    checkout_s: float = 0.0
    renames_detected: int = 0  # R lines in `git log -M --name-status`
    follow_ok: int = 0  # renamed notes whose `git log --follow` shows all 3 commits
    log_s: float = 0.0  # one `git log -M --name-status` over the whole repository, for reference
    log_cpu: float = 0.0
    fm_dates: int = 0  # notes with a `date:` in their front matter (those never need git)
    commit_times: set[str] = field(default_factory=set)  # every commit's date as the site would write it (UTC)
    shown: dict[str, int] = field(default_factory=dict)  # copy -> distinct commit dates in its last site's HTML


def generate(n: int, seed: int, work: Path) -> Path:
    """The synthetic notes under `work/vault/mlnotes/notes` (make_vault.py skips the work when its stamp matches)."""
    out = work / "vault"
    cmd = [sys.executable, str(HERE / "make_vault.py"), str(n), "--out", str(out), "--layouts", "mlnotes"]
    subprocess.run([*cmd, "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return out / "mlnotes" / "notes"


def read_notes(folder: Path) -> dict[str, bytes]:
    notes = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            notes[path.relative_to(folder).as_posix()] = path.read_bytes()
    return notes


def has_fm_date(text: bytes) -> bool:
    if not text.startswith(b"---\n"):
        return False
    end = text.find(b"\n---", 4)
    return any(line.startswith(b"date:") for line in text[4:end].splitlines())


def stages(text: bytes) -> tuple[bytes, bytes, bytes]:
    """The note after its first, second and third commit: its first third of lines, two thirds, all.

    Thirds are counted in bytes and cut at line ends (a paragraph is one line, so lines differ a lot in
    length): the second version then holds about two thirds of the final text, and git's rename
    detection (50% similar by default) can see the renamed notes.
    """
    lines = text.splitlines(keepends=True)
    k = len(lines)
    if k < 3:  # a note of one or two lines: thirds of its characters
        chars = text.decode("utf-8")
        third = max(1, len(chars) // 3)
        return chars[:third].encode(), chars[: 2 * third].encode(), text
    ends = list(itertools.accumulate(len(line) for line in lines))
    a = next(i + 1 for i, end in enumerate(ends) if 3 * end >= len(text))
    b = next(i + 1 for i, end in enumerate(ends) if 3 * end >= 2 * len(text))
    a = min(a, k - 2)
    b = min(max(b, a + 1), k - 1)
    return b"".join(lines[:a]), b"".join(lines[:b]), text


def quote(path: str) -> str:
    """A path for a fast-import command, C-quoted (UTF-8 passes through unchanged)."""
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def history_stream(vault: Vault, seed: int) -> bytes:
    """One fast-import stream: 3 commits per note, 3 round-robin passes, strictly increasing dates."""
    rng = random.Random(seed)
    order = sorted(vault.notes)
    rng.shuffle(order)
    total = 3 * len(order)
    step = (LAST_TIME - FIRST_TIME) // total
    assert step >= 2, "too many commits for the 2021-2024 range"
    chunks: list[bytes] = []
    i = 0
    for rnd in range(3):
        for rel in order:
            text = stages(vault.notes[rel])[rnd]
            when = FIRST_TIME + i * step + rng.randrange(step // 2)  # stays below the next slot: increasing
            old = vault.renamed.get(rel)
            if old is None:
                path, ops = rel, b""
                message = ["add", "expand", "finish"][rnd] + f" {rel}"
            elif rnd < 2:
                path, ops = old, b""
                message = ["add", "expand"][rnd] + f" {old}"
            else:
                path, ops = rel, f"D {quote(old)}\n".encode()
                message = f"rename {old} to {rel} and finish it"
            chunks.append(b"commit refs/heads/main\n")
            chunks.append(f"author {AUTHOR} {when} +0000\ncommitter {AUTHOR} {when} +0000\n".encode())
            chunks.append(data(message.encode()))
            chunks.append(ops + f"M 100644 inline {quote(path)}\n".encode() + data(text) + b"\n")
            i += 1
    vault.commits = i
    return b"".join(chunks)


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=True)
    return proc.stdout.decode("utf-8", "replace")


def make_git_copy(repo: Path, vault: Vault, seed: int) -> None:
    """`repo` becomes a repository with the history of `history_stream`, HEAD checked out."""
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    stream = history_stream(vault, seed)
    t0 = time.perf_counter()
    git(repo, "fast-import", "--quiet", "--date-format=raw", stdin=stream)
    vault.import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    git(repo, "reset", "-q", "--hard", "HEAD")
    vault.checkout_s = time.perf_counter() - t0
    assert git(repo, "rev-list", "--count", "HEAD").strip() == str(vault.commits)
    assert git(repo, "status", "--porcelain") == "", "the working tree differs from HEAD"

    # git's own view of the history: one pass over the whole repository, renames followed
    cmd = ["git", "-C", str(repo), "log", "-M", "--name-status", "--format=%H %at %ct", "--", "."]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        vault.log_s = time.perf_counter() - t0
        vault.log_cpu = usage.ru_utime + usage.ru_stime
        assert os.waitstatus_to_exitcode(status) == 0
        out.seek(0)
        log = out.read().decode("utf-8", "replace")
    vault.renames_detected = sum(1 for line in log.splitlines() if line.startswith("R"))
    stamps = [line.split()[1:] for line in log.splitlines() if re.fullmatch(r"[0-9a-f]{40} \d+ \d+", line)]
    assert len(stamps) == vault.commits and all(a == c for a, c in stamps), "author and committer dates differ"
    times = [int(a) for a, _ in reversed(stamps)]
    vault.commit_times = {time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)) for t in times}
    assert all(x < y for x, y in itertools.pairwise(times)), "commit dates are not strictly increasing"
    for rel in vault.renamed:
        follow = git(repo, "log", "--follow", "--format=%H", "--", rel).split()
        vault.follow_ok += len(follow) == 3


def same_trees(a: Path, b: Path) -> None:
    """Assert that two folders hold the same files with the same bytes (`.git` aside)."""

    def files(root: Path) -> set[str]:
        return {
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and ".git" not in p.relative_to(root).parts
        }

    fa, fb = files(a), files(b)
    assert fa == fb, f"different files: {sorted(fa ^ fb)[:5]}"
    _, mismatch, errors = filecmp.cmpfiles(a, b, sorted(fa), shallow=False)
    assert not mismatch and not errors, f"different bytes: {(mismatch + errors)[:5]}"


def same_mtimes(source: Path, copies: list[Path], rels: list[str]) -> None:
    """Every file (and folder) gets its source's mtime in every copy."""
    for rel in rels:
        st = (source / rel).stat()
        for copy in copies:
            os.utime(copy / rel, ns=(st.st_mtime_ns, st.st_mtime_ns))
    folders = {str(parent) for rel in rels for parent in Path(rel).parents}  # "." is the notes folder itself
    for folder in sorted(folders, key=len, reverse=True):
        st = (source / folder).stat()
        for copy in copies:
            os.utime(copy / folder, ns=(st.st_mtime_ns, st.st_mtime_ns))


def prepare(args: argparse.Namespace, work: Path, root: Path) -> Vault:
    t0 = time.perf_counter()
    source = generate(args.size, args.seed, work)
    notes = read_notes(source)
    print(f"vault: {len(notes):,} notes in {source} ({time.perf_counter() - t0:.1f} s)", flush=True)
    rng = random.Random(args.seed + 1)
    renamed_count = max(1, round(len(notes) * RENAMED_SHARE))
    renamed = {}
    for rel in sorted(rng.sample(sorted(notes), renamed_count)):
        old = posixpath.join(posixpath.dirname(rel), "old-" + posixpath.basename(rel))
        assert old not in notes
        renamed[rel] = old
    vault = Vault(notes, renamed, fm_dates=sum(has_fm_date(t) for t in notes.values()))

    plain = root / "plain" / "notes"
    shutil.copytree(source, plain)
    make_git_copy(root / "git" / "notes", vault, args.seed)
    print(
        f"git: {vault.commits:,} commits imported in {vault.import_s:.2f} s (checkout {vault.checkout_s:.2f} s); "
        f"`git log -M --name-status` {vault.log_s:.2f} s, {vault.renames_detected} of {len(renamed)} renames "
        f"detected, --follow finds all 3 commits for {vault.follow_ok}",
        flush=True,
    )
    same_trees(plain, root / "git" / "notes")
    same_mtimes(source, [plain, root / "git" / "notes"], sorted(notes))
    git(root / "git" / "notes", "update-index", "-q", "--refresh")  # the index knows the new mtimes, as usual
    proc = subprocess.run(["git", "-C", str(plain), "rev-parse", "--git-dir"], capture_output=True)
    assert proc.returncode != 0, f"the plain copy is inside a git repository: {plain}"
    return vault


# ---------------------------------------------------------------- builds


@dataclass
class Run:
    copy: str
    wall: float
    cpu: float
    rc: int
    steps: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # step -> wall, CPU, peak MiB
    summary: str = ""

    def history(self) -> tuple[str, float, float] | None:
        """The git pass among the `--timings` steps: its name, wall and CPU seconds."""
        names = [s for s in self.steps if s == "history"] or [s for s in self.steps if "history" in s or "git" in s]
        if not names:
            return None
        wall, cpu, _ = self.steps[names[0]]
        return names[0], wall, cpu


def build_cmd(notes: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "mlnotes_site", "build", "--notes", str(notes), "--out", str(out), "--no-cache"] + [
        "--timings"
    ]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(SRC), env.get("PYTHONPATH", "")] if p)
    return env


def parse_steps(text: str) -> dict[str, tuple[float, float, float]]:
    steps: dict[str, tuple[float, float, float]] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.split()[:1] == ["step"] and "peak MiB" in line:
            for row in lines[i + 1 :]:
                m = STEP_LINE.match(row)
                if not m:
                    break
                steps[m.group(1)] = (float(m.group(2)), float(m.group(3)), float(m.group(4)))
    return steps


def measure(copy: str, root: Path, log: Path) -> Run:
    """One cold build of `root/notes` into `root/site`: wall and CPU seconds, the --timings table."""
    out = root / "site"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(root / ".mlnotes-cache", ignore_errors=True)
    with open(log, "w+b") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            build_cmd(root / "notes", out), cwd=root, stdout=fh, stderr=subprocess.STDOUT, env=child_env()
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = rc = os.waitstatus_to_exitcode(status)
        fh.seek(0)
        text = fh.read().decode("utf-8", "replace")
    summary = next((line for line in text.splitlines() if line.startswith("Built ")), "")
    run = Run(copy, wall, usage.ru_utime + usage.ru_stime, rc, parse_steps(text), summary)
    if rc != 0:
        print(f"  {copy} build FAILED (exit {rc}); log {log}\n{text[-1500:]}", flush=True)
    return run


def rounds(args: argparse.Namespace, root: Path, logs: Path) -> list[dict[str, Run]]:
    for i in range(args.warmup):  # untimed: the file cache
        for copy in ("plain", "git"):
            measure(copy, root / copy, logs / f"warmup{i + 1}-{copy}.txt")
    results = []
    for rnd in range(args.rounds):
        pair: dict[str, Run] = {}
        for copy in ("plain", "git") if rnd % 2 == 0 else ("git", "plain"):
            run = measure(copy, root / copy, logs / f"round{rnd + 1}-{copy}.txt")
            pair[copy] = run
            hist = run.history()
            extra = f"  {hist[0]} {hist[1]:.2f} s (CPU {hist[2]:.2f} s)" if hist else ""
            print(
                f"  round {rnd + 1}/{args.rounds}  {copy:5}  {run.wall:6.2f} s  CPU {run.cpu:6.2f} s{extra}", flush=True
            )
        results.append(pair)
    return results


# ---------------------------------------------------------------- report


def med(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "—"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def step_table(ok: list[dict[str, Run]]) -> list[str]:
    """The `--timings` steps side by side: median wall (and CPU) seconds per copy, and git - plain."""
    names: list[str] = []
    for pair in ok:
        for copy in ("plain", "git"):
            names += [n for n in pair[copy].steps if n not in names]
    if not names:
        return []
    lines = [
        "Where the time goes: each `--timings` step's median over the rounds (the build's own counts; its CPU "
        "includes parse workers and git where the build says so).",
        "",
        "| step | plain wall s | git wall s | git − plain wall | plain CPU s | git CPU s | git − plain CPU |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        cells = []
        for i in (0, 1):
            plain = med([pair["plain"].steps[name][i] for pair in ok if name in pair["plain"].steps])
            gitc = med([pair["git"].steps[name][i] for pair in ok if name in pair["git"].steps])
            diff = None if plain is None or gitc is None else gitc - plain
            cells += [fmt(plain), fmt(gitc), fmt(diff, True)]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def commit_dates_shown(site: Path, commit_times: set[str]) -> int:
    """How many distinct commit times the HTML pages under `site` carry in `datetime` attributes."""
    found: set[str] = set()
    for path in site.rglob("*.html"):
        found.update(DATETIME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return len(found & commit_times)


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def checkout_describe() -> str:
    try:
        head = git(REPO, "rev-parse", "--short", "HEAD").strip()
        dirty = git(REPO, "status", "--porcelain", "--", "src").strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + (" + uncommitted changes in src/" if dirty else "")


def report(args: argparse.Namespace, vault: Vault, results: list[dict[str, Run]]) -> str:
    ok = [pair for pair in results if all(r.rc == 0 for r in pair.values())]
    lines: list[str] = []
    add = lines.append
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    has_history = (SRC / "mlnotes_site" / "load" / "history.py").is_file()
    add(f"# Note dates from git: cold build of {args.size:,} notes with and without git history")
    add("")
    add(f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}")
    add(
        f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {git_version}; "
        f"load average {args.load_before} before the builds, {load_average()} after (shared machine)"
    )
    add(f"- mlnotes commit: {checkout_describe()} ({'has' if has_history else 'no'} src/mlnotes_site/load/history.py)")
    add(f"- command: `{' '.join(['python', 'benchmarks/git_dates.py', *sys.argv[1:]])}`")
    add(
        "- each build: `python -m mlnotes_site build --notes <copy>/notes --out <copy>/site --no-cache --timings` "
        "in `<copy>`, output and `.mlnotes-cache` removed first; default --jobs (one per core)"
    )
    add(
        f"- {args.rounds} round(s), order alternating (plain, git / git, plain), after {args.warmup} untimed warm-up "
        "build(s) of each copy; CPU = user + system of the build and its children (wait4)"
    )
    add("")
    add("## Vault")
    add("")
    add(
        f"- {len(vault.notes):,} notes from `benchmarks/make_vault.py {args.size} --seed {args.seed}` "
        f"({sum(len(t) for t in vault.notes.values()) / 1e6:.1f} MB); {vault.fm_dates:,} have a front-matter `date:`"
    )
    add(
        f"- git copy: {vault.commits:,} commits (3 per note, 3 interleaved passes, dated 2021-01-01 to 2024-12-31, "
        f"strictly increasing); {len(vault.renamed)} notes renamed from `old-<name>.md` in their third commit"
    )
    add(
        f"- one `git fast-import` stream: {vault.import_s:.2f} s; checkout of HEAD {vault.checkout_s:.2f} s; "
        "working tree = plain copy byte for byte, same mtimes"
    )
    add(
        f"- `git log -M --name-status` over the repository: {vault.log_s:.2f} s wall, {vault.log_cpu:.2f} s CPU; "
        f"{vault.renames_detected} of {len(vault.renamed)} renames detected (R lines); `git log --follow` finds all "
        f"3 commits of {vault.follow_ok} of {len(vault.renamed)} renamed notes"
    )
    add("")
    add("## Builds")
    add("")
    if not ok:
        add("No round had two successful builds; see the logs in " + f"benchmarks/work/git-dates-{args.size}/logs/.")
        return "\n".join(lines) + "\n"
    add("| copy | median wall s | median CPU s | history step: median wall s | median CPU s |")
    add("|---|---:|---:|---:|---:|")
    for copy in ("plain", "git"):
        runs = [pair[copy] for pair in ok]
        hist = [h for h in (r.history() for r in runs) if h]
        add(
            f"| {copy} | {fmt(med([r.wall for r in runs]))} | {fmt(med([r.cpu for r in runs]))} "
            f"| {fmt(med([h[1] for h in hist]))} | {fmt(med([h[2] for h in hist]))} |"
        )
    d_wall = [pair["git"].wall - pair["plain"].wall for pair in ok]
    d_cpu = [pair["git"].cpu - pair["plain"].cpu for pair in ok]
    r_wall = [pair["git"].wall / pair["plain"].wall for pair in ok]
    r_cpu = [pair["git"].cpu / pair["plain"].cpu for pair in ok]
    add(
        f"| git − plain (median of the per-round differences) | {fmt(med(d_wall), True)} | {fmt(med(d_cpu), True)} "
        "| | |"
    )
    add(f"| git / plain (median of the per-round ratios) | {med(r_wall):.3f} | {med(r_cpu):.3f} | | |")
    add("")
    add(
        "| round | order | plain wall s | git wall s | git − plain wall | plain CPU s | git CPU s | git − plain CPU "
        "| git history wall s (CPU s) |"
    )
    add("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for i, pair in enumerate(results, 1):
        p, g = pair["plain"], pair["git"]
        order = " → ".join(pair)
        hist = g.history()
        hcell = f"{hist[1]:.2f} ({hist[2]:.2f})" if hist else "—"
        bad = "" if pair in ok else " (failed)"
        add(
            f"| {i}{bad} | {order} | {p.wall:.2f} | {g.wall:.2f} | {g.wall - p.wall:+.2f} | {p.cpu:.2f} | {g.cpu:.2f} "
            f"| {g.cpu - p.cpu:+.2f} | {hcell} |"
        )
    add("")
    hist_runs = [r.history() for pair in ok for r in pair.values()]
    names = sorted({h[0] for h in hist_runs if h})
    if names:
        add(f"- `--timings` step(s) for the git pass: {', '.join(f'`{n}`' for n in names)}")
    else:
        add("- no history step (feature not in this checkout): the `--timings` tables have no `history` step")
    if vault.shown:
        add(
            f"- commit dates on the pages (`datetime` attributes equal to a commit's time), last build of each copy: "
            f"{vault.shown.get('git', 0):,} distinct in the git copy's site, {vault.shown.get('plain', 0):,} in the "
            "plain copy's (the git copy's builds did read the history when the first is above 0)"
        )
    summaries = {
        copy: {re.sub(r" in \d+\.\d+ s|;.*| → .*", "", pair[copy].summary) for pair in ok} for copy in ("plain", "git")
    }
    if summaries["plain"] == summaries["git"]:
        add(f"- both copies: {' / '.join(sorted(summaries['plain']))}")
    else:
        add(f"- plain: {' / '.join(sorted(summaries['plain']))}; git: {' / '.join(sorted(summaries['git']))}")
    add("")
    lines += step_table(ok)
    add("")
    extra = statistics.median(d_wall)
    verdict = "met" if extra < TARGET_S else "NOT met"
    add(
        f"**Target: the git copy's extra wall time under {TARGET_S:.0f} s at 1,000 notes. "
        f"Median of the paired differences: {extra:+.3f} s wall ({fmt(med(d_cpu), True)} s CPU): {verdict}"
        + ("" if args.size == 1000 else f" (this run has {args.size:,} notes, not 1,000)")
        + ".**"
    )
    add("")
    plains = [pair["plain"].wall for pair in ok]
    add(
        f"Noise: the per-round differences range from {min(d_wall):+.2f} to {max(d_wall):+.2f} s wall "
        f"({min(d_cpu):+.2f} to {max(d_cpu):+.2f} s CPU), and the plain copy alone from {min(plains):.2f} to "
        f"{max(plains):.2f} s; the fastest git build less the fastest plain one: "
        f"{min(pair['git'].wall for pair in ok) - min(plains):+.2f} s"
        + (
            f"; a spread above the {TARGET_S:.0f} s target makes the whole-build difference inconclusive on its own."
            if max(d_wall) - min(d_wall) > TARGET_S
            else "."
        )
    )
    git_hist = [h for h in (pair["git"].history() for pair in ok) if h]
    if git_hist:
        h_wall, h_cpu = med([h[1] for h in git_hist]), med([h[2] for h in git_hist])
        add("")
        add(
            f"The build's own `{git_hist[0][0]}` step, the git pass measured inside the git copy's builds, takes a "
            f"median {fmt(h_wall)} s wall ({fmt(h_cpu)} s CPU as the build counts it; range "
            f"{min(h[1] for h in git_hist):.2f} to {max(h[1] for h in git_hist):.2f} s wall): "
            f"{'under' if h_wall is not None and h_wall < TARGET_S else 'NOT under'} the {TARGET_S:.0f} s target."
        )
    else:
        add("")
        add(
            "This checkout has no git pass yet, so the difference is noise: it measures the benchmark, not the feature."
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="notes in the vault (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the two builds (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed builds of each copy first (default 1)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--write", type=Path, metavar="PATH", help="also write the Markdown report to PATH")
    parser.add_argument("--keep", action="store_true", help="keep the two copies in /tmp (printed at the end)")
    args = parser.parse_args(argv)

    work = HERE / "work" / f"git-dates-{args.size}"
    logs = work / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    root = Path(tempfile.mkdtemp(prefix="mlnotes-git-dates-", dir="/tmp"))
    try:
        vault = prepare(args, work, root)
        args.load_before = load_average()
        results = rounds(args, root, logs)
        vault.shown = {copy: commit_dates_shown(root / copy / "site", vault.commit_times) for copy in ("plain", "git")}
        text = report(args, vault, results)
    finally:
        if args.keep:
            print(f"copies kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    if args.write:  # before printing: a closed stdout (`| head`) must not lose the report
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(text, encoding="utf-8")
    print()
    print(text, end="")
    if args.write:
        print(f"\n(written to {args.write})")
    return 0 if all(r.rc == 0 for pair in results for r in pair.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
