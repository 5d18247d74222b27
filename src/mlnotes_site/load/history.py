"""The git history of the notes folder, read in one pass: each file's first and last commit
and, for the files that may hold several topics, when each line was last written.

    git -C <notes> log --raw --no-abbrev --first-parent -m -M --relative --format=<date> -- .

is one process for the whole folder, however many notes and commits (not one `git log
--follow` or `git blame` per file, which Hugo and Quartz pay). The log runs newest first; a
rename (`R<similarity>`, found by `-M` per commit) hands the older history of its old path to
the file's current name, and an addition or deletion ends a path's history, so a name reused
by another file later does not lend it its dates. A pure rename (`R100`) is not an update: the
text did not change. `--first-parent -m` follows one line of history: a merge is one change
against its first parent (work merged from a branch is dated by its merge).

Dates are author dates (`%aI`, with the author's offset): they survive rebases and are what
`git log` shows. `blob` is the file's blob at its last commit, so the pipeline can tell a note
edited since (its bytes hash to another blob): its updated date is then the file's.

**Lines.** When some notes are asked for (`lines_for`: the pipeline asks for the committed
notes with two `# ` headings or more, a collection's topics), the same one process also
writes each commit's patch (`-p -U0`). For each file asked, a map from the lines of the
version being looked at to the lines of the file now is carried back through the history:
each commit's hunks (`@@ -a,b +c,d @@`) say which lines it wrote (those not yet dated get its
date: what `git blame` says, tests/test_dates.py compares them) and how the lines before
it moved; a deletion dates the place it was (the line now before it).

Not a git repository, no `git`, or an empty history: no dates from git, silently; a
repository git refuses to read (another owner's, a broken one) is a warning naming the folder.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, warning
from ..model import LineDates, Stamp
from .stamps import from_git

_MARK = "\x02"  # starts each commit's date in the log (a path holding one is written quoted)
END = 1 << 40  # past the last line of any file (runs' ends move with the lines before them)
_LAST = float("inf")
_LOG = ("log", "--no-abbrev", "--first-parent", "-m", "-M", "--relative", "--no-color", f"--format={_MARK}%H %aI")


@dataclass(frozen=True)
class GitDates:
    """A file's dates in git: its first commit, its last commit that changed its text, and
    its blob at that last commit (hex; SHA-1, or SHA-256 in such a repository)."""

    created: Stamp
    updated: Stamp
    blob: str


@dataclass(frozen=True)
class History:
    """rel (to the notes folder) -> GitDates of every file git knows there; `lines`: rel ->
    LineDates of the files asked for; `head` names the newest commit read ("": none)."""

    files: dict[str, GitDates]
    head: str = ""
    problem: Diagnostic | None = None
    lines: dict[str, LineDates] = field(default_factory=dict)


NO_HISTORY = History({})


def blob_id(data: bytes, length: int) -> str:
    """The git blob id of `data` (hex of `length` 40: SHA-1; 64: SHA-256)."""
    digest = hashlib.sha1() if length == 40 else hashlib.sha256()
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def _git(notes_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run(
            [git, "-c", "core.quotePath=false", "-c", "log.showSignature=false", *args],
            cwd=notes_dir,
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except OSError:
        return None


def head(notes_dir: Path) -> str:
    """The commit HEAD names in the notes folder's repository ("" when there is none)."""
    done = _git(notes_dir, "rev-parse", "-q", "--verify", "HEAD")
    return done.stdout.decode().strip() if done is not None and done.returncode == 0 else ""


def read_history(notes_dir: Path, lines_for: frozenset[str] = frozenset()) -> History:
    """Every file's GitDates, and the LineDates of the files `lines_for`: one `git log`."""
    patches = ("-p", "-U0", "--no-ext-diff", "--no-textconv") if lines_for else ()
    done = _git(notes_dir, *_LOG, "--raw", *patches, "--", ".")
    if done is None:
        return NO_HISTORY
    if done.returncode != 0:
        text = done.stderr.decode("utf-8", "replace").strip()
        if "not a git repository" in text or "does not have any commits" in text:
            return NO_HISTORY
        first = text.splitlines()[0] if text else f"git exited with {done.returncode}"
        why = warning(
            str(notes_dir),
            0,
            f"the git history of the notes folder cannot be read ({first[:200]})",
            "dates come from front matter and file times; fix the repository (or `git config --global"
            " --add safe.directory <folder>`) to date notes by their commits",
        )
        return History({}, problem=why)
    return parse_log(done.stdout.decode("utf-8", "surrogateescape").split("\n"), lines_for)


class _Files:
    """Each file's first and last commit, from the log's entries, newest first."""

    def __init__(self) -> None:
        # a path in older commits -> the current name of the file it was (None: one gone)
        self.names: dict[str, str | None] = {}
        self.found: dict[str, list] = {}  # current name -> [created, updated or None, blob]
        self.top = ""

    def entry(self, date: Stamp, status: str, old: str, new: str, blob: str) -> str | None:
        """One file's change in a commit (`status` as --raw writes it); the file's name now
        (None: a file that is gone, or older commits of a name another file took)."""
        name = self.names.get(new, new)
        if status[0] == "D":  # older commits of this path are of a file that is gone
            self.names[new] = None
            return None
        if name is not None:
            found = self.found.setdefault(name, [date, None, blob])
            found[0] = date  # the oldest commit seen so far
            if found[1] is None and status != "R100":
                found[1] = date
        if status[0] == "R":
            self.names[new] = None
            self.names[old] = name
        elif status[0] == "A":
            self.names[new] = None
        # a copy (`C`) keeps its source's history with the source
        return name

    def history(self, lines: dict[str, LineDates] | None = None) -> History:
        files = {
            rel: GitDates(created, max(created, updated or created), blob)
            for rel, (created, updated, blob) in self.found.items()
        }
        return History(files, self.top, lines=lines or {})


def parse_log(lines: list[str], wanted: frozenset[str] = frozenset()) -> History:
    """The History of `git log --raw` output (with `-p -U0`: the LineDates of `wanted` files)."""
    files = _Files()
    tracks: dict[str, _Track] = {}
    named: dict[str, str | None] = {}  # this commit's paths (after it) -> the file now, from its raw entries
    date: Stamp | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith(_MARK):
            commit, _, iso = line[1:].partition(" ")
            files.top = files.top or commit
            date = from_git(iso.strip())
            named = {}
        elif line.startswith(":") and date is not None:
            fields, _, paths = line.partition("\t")
            names = [_path(p, prefixed=False) for p in paths.split("\t")]
            old, new = names[0], names[-1]
            named[new] = files.entry(date, fields.split()[4], old, new, fields.split()[3])
        elif line.startswith("diff --git ") and date is not None:
            i, (_, new, kind, hunks) = _diff(lines, i, _same_path(line[11:]))
            name = named.get(new) if kind != "deleted" else None
            if name is not None and name in wanted:
                tracks.setdefault(name, _Track()).commit(hunks, date)
    return files.history({name: LineDates(_runs(t.dated), tuple(t.removed)) for name, t in tracks.items()})


@dataclass
class _Track:
    """A file followed back through the history: runs (old first, old end, now first)
    mapping the lines of the version being looked at to lines now, and the dates found."""

    runs: list[tuple[int, int, int]] = field(default_factory=lambda: [(1, END, 1)])
    dated: list[tuple[int, Stamp]] = field(default_factory=list)  # a line now, the commit that wrote it
    removed: list[tuple[int, Stamp]] = field(default_factory=list)

    def now(self, line: int) -> int | None:
        """The line now that line `line` of the version looked at is (None: it is gone)."""
        at = bisect.bisect_right(self.runs, (line, _LAST, _LAST)) - 1  # the last run starting at or before
        if at < 0:
            return None
        start, end, now = self.runs[at]
        return now + line - start if start <= line < end else None

    def commit(self, hunks: list[tuple[int, int, int, int]], stamp: Stamp) -> None:
        """A commit's hunks against this file (its lines after the commit are the version
        looked at): date the lines it wrote, then look at the version before it."""
        for _, _, new_start, new_count in hunks:
            if not new_count:  # lines deleted after line new_start
                now = self.now(max(new_start, 1))
                if now is not None:
                    self.removed.append((now, stamp))
            for line in range(new_start, new_start + new_count):
                now = self.now(line)
                if now is not None:  # (a line written here is not in older versions: dated once)
                    self.dated.append((now, stamp))
        runs: list[tuple[int, int, int]] = []
        for start, end, now in self.runs:
            # this run's lines, after the commit: cut out the lines it wrote, shift the rest
            pieces = [(start, end)]
            shift = 0
            out: list[tuple[int, int, int]] = []
            for _, old_count, new_start, new_count in hunks:
                added_from = new_start if new_count else new_start + 1
                added_to = added_from + new_count
                kept = []
                for a, b in pieces:
                    if b <= added_from:  # before the hunk: moved by the hunks before it only
                        out.append((a, b, shift))
                        continue
                    if a < added_from:
                        out.append((a, added_from, shift))
                    if b > added_to:
                        kept.append((max(a, added_to), b))
                pieces = kept
                shift += new_count - old_count
            out += [(a, b, shift) for a, b in pieces]
            for a, b, moved in out:
                runs.append((a - moved, b - moved, now + a - start))
        self.runs = sorted(r for r in runs if r[0] < r[1])


def _path(text: str, prefixed: bool = True) -> str:
    """A path as git's patch header writes it (`a/x`, `"a/q\\"uote"`, `/dev/null`), without
    its `a/`/`b/` (and the tab git adds after a name with a space); "" for /dev/null."""
    if text.endswith("\t"):
        text = text[:-1]
    if text.startswith('"') and text.endswith('"'):
        raw = codecs.escape_decode(text[1:-1].encode("utf-8", "surrogateescape"))[0]
        text = bytes(raw).decode("utf-8", "surrogateescape")
    if text == "/dev/null":
        return ""
    return text[2:] if prefixed and text[:2] in ("a/", "b/") else text


def _same_path(header: str) -> str:
    """The path of `diff --git a/P b/P` (a change that keeps the name), else ""."""
    half = (len(header) - 1) // 2
    a, b = header[:half], header[half + 1 :]
    return a[2:] if len(header) % 2 == 1 and a[2:] == b[2:] and a[:2] == "a/" and b[:2] == "b/" else ""


def _hunk(line: str) -> tuple[int, int, int, int]:
    """`@@ -a,b +c,d @@` as (a, b, c, d) (a count left out is 1)."""
    old, new = line.split(" ")[1:3]
    old_start, _, old_count = old[1:].partition(",")
    new_start, _, new_count = new[1:].partition(",")
    return int(old_start), int(old_count or 1), int(new_start), int(new_count or 1)


def _diff(lines: list[str], i: int, path: str) -> tuple[int, tuple[str, str, str, list[tuple[int, int, int, int]]]]:
    """One file's diff, from line `i` (after its `diff --git`): where it ends, and (old
    path, new path, "added", "deleted", "renamed" or "", hunks)."""
    old = new = path
    kind = ""
    hunks: list[tuple[int, int, int, int]] = []
    while i < len(lines) and not lines[i].startswith(("diff --git ", _MARK)):
        part = lines[i]
        i += 1
        if part.startswith("new file mode"):
            kind = "added"
        elif part.startswith("deleted file mode"):
            kind = "deleted"
        elif part.startswith("rename from "):
            old, kind = _path(part[12:], prefixed=False), "renamed"
        elif part.startswith("rename to "):
            new = _path(part[10:], prefixed=False)
        elif part.startswith("--- "):
            old = _path(part[4:]) or old
        elif part.startswith("+++ "):
            new = _path(part[4:]) or new
        elif part.startswith("@@ "):
            hunk = _hunk(part)
            hunks.append(hunk)
            skip = hunk[1] + hunk[3]  # its lines: skipped by count (a line may start with "+++")
            while skip and i < len(lines):
                if not lines[i].startswith("\\"):
                    skip -= 1
                i += 1
    return i, (old, new, kind, hunks)


def _runs(dated: list[tuple[int, Stamp]]) -> tuple[tuple[int, int, Stamp], ...]:
    """Lines and their dates as runs of consecutive lines of one date."""
    runs: list[tuple[int, int, Stamp]] = []
    for line, stamp in sorted(dated):
        if runs and runs[-1][1] == line and runs[-1][2] == stamp:
            runs[-1] = (runs[-1][0], line + 1, stamp)
        else:
            runs.append((line, line + 1, stamp))
    return tuple(runs)
