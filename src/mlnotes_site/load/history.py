"""The git history of the notes folder, read in one pass: each file's first and last commit.

    git -C <notes> log -z --raw --no-abbrev -M --relative --format=<date> -- .

is one process for the whole folder, however many notes and commits (not one `git log
--follow` per file, which Hugo and Quartz pay). The log runs newest first; a rename
(`R<similarity>`, found by `-M` per commit) hands the older history of its old path to the
file's current name, and an addition or deletion ends a path's history, so a name reused by
another file later does not lend it its dates. A pure rename (`R100`) is not an update: the
text did not change.

Dates are author dates (`%aI`, with the author's offset): they survive rebases and are what
`git log` shows. `blob` is the file's blob in HEAD, so the pipeline can tell a note edited
since its last commit (its bytes hash to another blob): its updated date is then the file's.

Not a git repository, no `git`, or an empty history: no dates from git, silently; a
repository git refuses to read (another owner's, a broken one) is a warning naming the folder.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, warning
from ..model import Stamp
from .stamps import from_git

_MARK = "\x02"  # starts each commit's date in the log (never in a path or a raw line)


@dataclass(frozen=True)
class GitDates:
    """A file's dates in git: its first commit, its last commit that changed its text, and
    its blob at that last commit (hex; SHA-1, or SHA-256 in such a repository)."""

    created: Stamp
    updated: Stamp
    blob: str


@dataclass(frozen=True)
class History:
    """rel (to the notes folder) -> GitDates of every file git knows there; `head` names the
    commit read ("" when there is no history)."""

    files: dict[str, GitDates]
    head: str = ""
    problem: Diagnostic | None = None


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


def read_history(notes_dir: Path) -> History:
    """Every file's GitDates, from one `git log` of the notes folder."""
    log = ("log", "-z", "--raw", "--no-abbrev", "-M", "--relative", f"--format={_MARK}%H %aI", "--", ".")
    done = _git(notes_dir, *log)
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
    return parse_log(done.stdout)


def parse_log(out: bytes) -> History:
    """The History of `git log -z --raw --no-abbrev -M --format=<_MARK>%H %aI` output."""
    # old path -> the current name of the file it was (None: a file that is gone)
    names: dict[str, str | None] = {}
    found: dict[str, list] = {}  # current name -> [created, updated or None, blob]
    parts = out.decode("utf-8", "surrogateescape").split("\0")
    date: Stamp | None = None
    top = ""
    i = 0
    while i < len(parts):
        part = parts[i].lstrip("\n")
        i += 1
        if part.startswith(_MARK):
            commit, _, iso = part[1:].partition(" ")
            top = top or commit
            date = from_git(iso.strip())
            continue
        if not part.startswith(":") or date is None:
            continue
        fields = part.split()
        blob, status = fields[3], fields[4]
        if status[0] in "RC":
            old, new = parts[i], parts[i + 1]
            i += 2
        else:
            old = new = parts[i]
            i += 1
        name = names.get(new, new)
        if status[0] == "D":  # older commits of this path are of a file that is gone
            names[new] = None
            continue
        if name is not None:
            entry = found.setdefault(name, [date, None, blob])
            entry[0] = date  # the oldest commit seen so far
            if entry[1] is None and status != "R100":
                entry[1] = date
        if status[0] == "R":
            names[new] = None
            names[old] = name
        elif status[0] == "A":
            names[new] = None
        # a copy (`C`) keeps its source's history with the source
    files = {
        rel: GitDates(created, max(created, updated or created), blob)
        for rel, (created, updated, blob) in found.items()
    }
    return History(files, top)
