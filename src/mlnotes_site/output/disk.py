"""The disk sink: the site's files -> the output folder, guarded and atomic.

The site is written to a hidden temporary folder beside the output folder and swapped in
whole, so a failed build never leaves a half-written site. A file whose bytes equal the
previous site's file at the same path is a hard link to it instead of a new copy: it keeps
its modification time, so only what changed looks changed to rsync, browsers and servers. Nothing is written outside
that folder: every page path is checked, and an output folder that is not an earlier
mlnotes output (and not empty) is never replaced.

Files the user put in the output folder survive the swap: every top-level dot-file and
dot-folder (`.git` of a GitHub Pages checkout) and every path matching a `keep` glob
(`CNAME`) is moved (renamed, never copied) into the new site, unless the new site writes
that same path. Temporary folders left by killed builds (`.<out>.mlnotes-tmp-<pid>`,
`.<out>.mlnotes-old-<pid>`, holding the marker, with no such process alive) are removed
by the next build.

The files may come as `Shares`: then each share is written by its own process (the parent
writes share 0, a forked child each other one), into the same temporary folder, and the
swap waits for all of them. A child makes its files itself (a page is rendered where it is
written) and sends back only a small result; see build.py.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import signal
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from ..config import DEFAULT_KEEP, bad_keep_pattern
from ..errors import OutputError
from . import checked

MARKER = ".mlnotes-site"
_MARKER_TEXT = "This folder is written by `mlnotes build` and replaced on every build.\n"


def check_output_dir(out_dir: Path, notes_dir: Path) -> None:
    """Refuse output folders whose replacement would destroy something that is not a site."""
    out, notes = out_dir.resolve(), notes_dir.resolve()
    if out == notes or out in notes.parents:
        raise OutputError(f"{out_dir}: the output folder contains the notes folder {notes_dir}; choose another --out")
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise OutputError(f"{out_dir}: refusing to use this folder as the output folder; choose another --out")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(
            f"{out_dir}: is not empty and was not written by mlnotes; "
            "refusing to replace it (empty it or choose another --out)"
        )


def _safe_path(root: Path, rel: str) -> Path:
    """`root/rel`, refused when `..` or a link would take it outside `root` (already resolved)."""
    path = Path(os.path.normpath(root / rel))
    if root not in path.parents:
        raise OutputError(f"refusing to write {rel}: it is outside the output folder")
    return path


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal exists too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError, OSError):
        return True  # not ours to judge: treated as alive, so its folder is never touched
    return True


def _holds_user_files(folder: Path, keep: Iterable[str]) -> bool:
    """Whether a leftover temporary folder holds anything `write_site` may have moved into it
    (a dot entry besides the marker, a `keep` match): then it is not deleted."""
    try:
        if any(p.name.startswith(".") and p.name != MARKER for p in folder.iterdir()):
            return True
        return any(any(folder.glob(pattern)) for pattern in keep)
    except OSError:
        return True


def remove_stale_temp(out: Path, keep: Iterable[str] = DEFAULT_KEEP) -> list[Path]:
    """Remove the temporary folders of killed builds beside `out` (resolved): siblings named
    `.<out>.mlnotes-tmp-<pid>` or `.<out>.mlnotes-old-<pid>` that hold the marker and whose
    process is not alive. Returns what was removed. Nothing else is touched: not a folder of a
    live process (ours included), not one without the marker, not one holding user files."""
    if os.name != "posix":  # os.kill(pid, 0) is no liveness test elsewhere
        return []
    name = re.compile(re.escape(f".{out.name}.mlnotes-") + r"(?:tmp|old)-([0-9]{1,10})")
    keep = tuple(keep)
    removed: list[Path] = []
    try:
        siblings = list(out.parent.iterdir())
    except OSError:
        return removed
    for path in siblings:
        match = name.fullmatch(path.name)
        if not match:
            continue
        pid = int(match.group(1))
        if pid <= 0 or pid == os.getpid() or _pid_alive(pid):
            continue
        if path.is_symlink() or not path.is_dir() or not (path / MARKER).is_file():
            continue
        if _holds_user_files(path, keep):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _kept(out: Path, tmp: Path, keep: Iterable[str]) -> list[tuple[Path, Path]]:
    """(path in the old site, path in the new one) for every entry to carry over: top-level
    dot entries except the marker, and `keep` matches; never one the new site writes, never
    one inside another kept entry, never one reached through a link out of `out`."""
    if not out.is_dir():
        return []
    found: set[Path] = {p for p in out.iterdir() if p.name.startswith(".") and p.name != MARKER}
    for pattern in keep:
        for path in out.glob(pattern):
            if path != out and path.name != MARKER:
                found.add(path)
    moves: list[tuple[Path, Path]] = []
    taken: list[Path] = []
    for path in sorted(found, key=lambda p: len(p.parts)):
        if any(t == path or t in path.parents for t in taken):
            continue  # inside a kept folder: it moves with it
        real_parent = Path(os.path.realpath(path.parent))
        if real_parent != out and out not in real_parent.parents:
            continue
        rel = path.relative_to(out)
        dest = tmp / rel
        between = [p for p in dest.parents if tmp in p.parents]
        if os.path.lexists(dest) or any(p.is_symlink() or (p.exists() and not p.is_dir()) for p in between):
            continue  # the new site writes this path (or a file where its folder would be): the new one wins
        taken.append(path)
        moves.append((path, dest))
    return moves


def _clear_own_leftovers(folders: Iterable[Path], keep: tuple[str, ...]) -> None:
    """Remove the temporary folders of an earlier build with our process id (ours, or a reused
    id), refusing any that mlnotes did not leave or that holds user files."""
    for leftover in folders:
        if os.path.lexists(leftover):
            if leftover.is_symlink() or not (leftover / MARKER).is_file() or _holds_user_files(leftover, keep):
                raise OutputError(f"{leftover}: is in the way and was not left by mlnotes; remove it")
            shutil.rmtree(leftover)


@dataclass(frozen=True)
class Shares:
    """A site's files in `count` shares written by `count` processes at once.

    `files(k)` yields share k's (output path, bytes); it runs in the process that writes
    them. `result()` runs in a child after its share and returns a small picklable value,
    which the parent hands to `collect` (the diagnostics the child's pages added)."""

    count: int
    files: Callable[[int], Iterable[tuple[str, bytes]]]
    result: Callable[[], Any]
    collect: Callable[[Any], None]


def _write_files(
    tmp: Path, files: Iterable[tuple[str, bytes]], written: set[Path] | None = None, previous: Path | None = None
) -> int:
    """Write every (output path, bytes) under `tmp`; returns the number of files. The paths
    written are added to `written`. A file whose bytes equal the same file of the `previous`
    site is a hard link to it (see `_unchanged`): its modification time stays that of the
    build that first wrote those bytes."""
    count = 0
    written = {tmp / MARKER} if written is None else written
    folders: set[Path] = {tmp}
    inside: dict[Path, bool] = {}  # folder of the previous site -> it really is inside it
    for rel, data in files:
        path = _safe_path(tmp, checked(rel))
        if path in written:
            raise OutputError(f"two files would be written to {rel}")
        written.add(path)
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        old = _unchanged(previous, rel, data, inside) if previous is not None else None
        if old is not None:
            try:
                os.link(old, path)
                count += 1
                continue
            except OSError:  # no hard links here (a file system without them): written anew
                pass
        path.write_bytes(data)
        count += 1
    return count


def _unchanged(previous: Path, rel: str, data: bytes, inside: dict[Path, bool]) -> Path | None:
    """The previous site's file `rel` when it holds exactly `data`: a regular file, not a link,
    in a folder that resolves to where it should (a folder the user replaced by a link to
    elsewhere is never linked from)."""
    old = Path(os.path.normpath(previous / rel))
    if previous not in old.parents:
        return None
    folder = old.parent
    if folder not in inside:
        inside[folder] = Path(os.path.realpath(folder)) == folder
    if not inside[folder]:
        return None
    try:
        st = os.lstat(old)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return None
        with open(old, "rb") as handle:
            return old if handle.read() == data else None
    except OSError:
        return None


def _child(tmp: Path, shares: Shares, k: int, out: int, previous: Path | None) -> None:
    """In a forked child: write share k, send (error or None, count, paths, result) to `out`, exit."""
    status = 1
    try:
        try:
            written: set[Path] = set()
            count = _write_files(tmp, shares.files(k), written, previous)
            message: tuple[Any, ...] = (None, count, written, shares.result())
            status = 0
        except BaseException as exc:  # sent to the parent, which raises it
            message = (exc, 0, set(), None)
        try:
            data = pickle.dumps(message)
        except Exception:  # an exception that does not pickle: its text
            data = pickle.dumps((OutputError(f"{type(message[0]).__name__}: {message[0]}"), 0, set(), None))
        with os.fdopen(out, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(status)  # never back into the parent's code (and no interpreter teardown)


def _write_shares(tmp: Path, shares: Shares, previous: Path | None) -> int:
    """Write the shares at once: children for shares 1…, this process for share 0."""
    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    try:
        for k in range(1, shares.count):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _child(tmp, shares, k, write, previous)
            os.close(write)
            children.append((pid, read))
        written: set[Path] = {tmp / MARKER}
        count = _write_files(tmp, shares.files(0), written, previous)
        problem: BaseException | None = None
        while children:
            pid, read = children[0]
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            children.pop(0)
            try:
                exc, n, paths, result = pickle.loads(data)
            except Exception:
                exc, n, paths, result = OutputError("a worker process ended without its result"), 0, set(), None
            if exc is not None:
                problem = problem or exc
                continue
            if paths & written:
                problem = problem or OutputError(f"two files would be written to {sorted(paths & written)[0]}")
            written |= paths
            count += n
            shares.collect(result)
        if problem is not None:
            raise problem
        return count
    finally:
        for pid, read in children:  # this process failed: stop the others before the folder goes
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
            os.close(read)


def write_site(
    out_dir: Path,
    notes_dir: Path,
    files: Iterable[tuple[str, bytes]] | Shares,
    keep: Iterable[str] = DEFAULT_KEEP,
) -> int:
    """Write every (output path, bytes) to a temporary folder, carry the user's files of the
    old site over (dot entries and `keep` globs), then swap it in; returns the number of files.
    An exception while the files are made leaves the old site in place, user files included.
    `Shares` are written by as many processes (fork; one process where there is no fork)."""
    check_output_dir(out_dir, notes_dir)
    keep = tuple(keep)
    for pattern in keep:
        why = bad_keep_pattern(pattern)
        if why:
            raise OutputError(f"keep pattern '{pattern}' {why}")
    out = out_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp(out, keep)
    tmp = out.parent / f".{out.name}.mlnotes-tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.mlnotes-old-{os.getpid()}"
    _clear_own_leftovers((tmp, old), keep)
    tmp.mkdir()
    tmp = tmp.resolve()
    # the marker first: a build killed from here on leaves a folder the next build may remove
    (tmp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    # the site being replaced: its files that stay the same are linked, not written again
    previous = out if out.is_dir() and not out.is_symlink() and (out / MARKER).is_file() else None
    moved: list[tuple[Path, Path]] = []
    try:
        if not isinstance(files, Shares):
            count = _write_files(tmp, files, previous=previous)
        elif files.count > 1 and hasattr(os, "fork"):
            count = _write_shares(tmp, files, previous)
        else:
            written = {tmp / MARKER}
            count = sum(_write_files(tmp, files.files(k), written, previous) for k in range(files.count))
        for src, dest in _kept(out, tmp, keep):
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.rename(src, dest)
            moved.append((src, dest))
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    except BaseException:
        if old.exists() and not out.exists():
            old.rename(out)
        lost = False
        for src, dest in reversed(moved):  # the user's files go back where they were
            try:
                os.rename(dest, src)
            except OSError:
                lost = True
        if not lost:  # else the temporary folder keeps them (and is never removed as stale)
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not (count >= BACKGROUND_AT and _remove_later(old, out)):
        shutil.rmtree(old, ignore_errors=True)
    return count


# a previous site of this many files or more is removed by a process of its own
BACKGROUND_AT = 2000


def _remove_later(old: Path, out: Path) -> bool:
    """Hand the previous site `old` to a detached process that removes it; False when that
    cannot be done here (then the caller removes it).

    Removing a site is mostly waiting for the disk: on a file system mounted with `discard`,
    each folder removed costs ~3 ms, so the 34,000 folders of a 10,000-note site took longer
    than building it. The remover is a grandchild (never a zombie of this process) with its
    own session and no terminal or pipes of ours, so `mlnotes build | tee` ends when the build
    does. It first receives the folder, renamed `.<out>.mlnotes-old-<its pid>`: a build
    started meanwhile leaves that folder alone while the remover lives, and removes it as
    stale if the remover was killed."""
    if not hasattr(os, "fork") or os.name != "posix":
        return False
    pid_pipe, go_pipe = os.pipe(), os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the forked processes)
        _remover(out, pid_pipe, go_pipe)
    os.close(pid_pipe[1])
    os.close(go_pipe[0])
    os.waitpid(child, 0)
    try:
        with os.fdopen(pid_pipe[0], "rb") as got:
            remover = int(got.read() or b"0")
        if remover <= 0:
            raise OSError("no remover")
        os.rename(old, out.parent / f".{out.name}.mlnotes-old-{remover}")
    except (OSError, ValueError):
        os.close(go_pipe[1])  # the remover reads end of file and exits
        return False
    with os.fdopen(go_pipe[1], "wb") as go:
        go.write(b"1")
    return True


def _remover(out: Path, pid_pipe: tuple[int, int], go_pipe: tuple[int, int]) -> None:  # pragma: no cover
    """In the forked child: fork the remover, say its pid, exit. The remover waits for the word
    that the parent renamed the old site `.<out>.mlnotes-old-<its pid>`, and removes it."""
    try:
        os.close(pid_pipe[0])
        os.close(go_pipe[1])
        os.setsid()
        remover = os.fork()
        if remover:
            os.write(pid_pipe[1], str(remover).encode())
            os._exit(0)
        os.close(pid_pipe[1])
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        with os.fdopen(go_pipe[0], "rb") as go:
            word = go.read(1)
        if word == b"1":
            shutil.rmtree(out.parent / f".{out.name}.mlnotes-old-{os.getpid()}", ignore_errors=True)
    finally:
        os._exit(0)
