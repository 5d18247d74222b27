"""Watching the notes for `mlnotes serve`: watchdog events → debounced batches of changed paths.

An editor's save is several events (a swap file, a rename, a write, a close), and a build
reads every note (open and close events): the watcher drops what cannot change the site,
waits until the events stop for a moment, and reports each batch once.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    EVENT_TYPE_OPENED,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

# The events worth subscribing to: on Linux this also keeps inotify from reporting every
# file the build opens and closes. Folder "modified" events only echo their children's.
WATCHED_EVENTS = [
    FileCreatedEvent,
    DirCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileMovedEvent,
    DirMovedEvent,
]

# Files editors write beside the real one while saving (vim's write test `4913`, swap and
# backup files, Emacs autosaves, JetBrains safe-write copies) and desktop litter.
_TEMP_NAMES = frozenset({"4913", "Thumbs.db"})
_TEMP_NAME = re.compile(
    r"""
      .*~               # backups: note.md~
    | .*\.sw[a-px]      # vim swap files: .note.md.swp, .swo, …, .swx
    | \#.*\#            # Emacs autosave: #note.md#
    | .*___jb_(tmp|old)___
""",
    re.VERBOSE,
)


def is_ignored(parts: Iterable[str]) -> bool:
    """True for a path (its parts below a watched folder) that the site never reads.

    Hidden names (`.git/`, `.obsidian/`, `.#note.md`, `.DS_Store`) are skipped by the
    build too; the rest are editor temp and swap files.
    """
    return any(p.startswith(".") or p in _TEMP_NAMES or _TEMP_NAME.fullmatch(p) for p in parts)


@dataclass(frozen=True)
class Scope:
    """What the watcher reports: paths under `folders` (recursively), exactly `files`, never `skip`."""

    folders: tuple[Path, ...]
    files: tuple[Path, ...] = ()
    skip: tuple[Path, ...] = ()

    @classmethod
    def of(cls, roots: Iterable[Path], skip: Iterable[Path] = ()) -> Scope:
        """Split watch roots into folders and single files (a config file)."""
        roots = [Path(r) for r in roots]
        return cls(tuple(r for r in roots if r.is_dir()), tuple(r for r in roots if not r.is_dir()), tuple(skip))

    def accepts(self, path: Path) -> bool:
        """True when a change at `path` may change the site."""
        if any(path == s or s in path.parents for s in self.skip):
            return False
        if path in self.files:
            return True
        return any(path == f or (f in path.parents and not is_ignored(path.relative_to(f).parts)) for f in self.folders)

    def schedules(self) -> list[tuple[Path, bool]]:
        """(folder, recursive) pairs to observe; a single file is observed through its folder."""
        pairs = [(f, True) for f in self.folders] + [(f.parent, False) for f in self.files]
        return list(dict.fromkeys(pairs))


def event_paths(event: FileSystemEvent, scope: Scope) -> set[Path]:
    """The paths a watchdog event says changed (both ends of a move), filtered by `scope`."""
    if event.event_type in (EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE):
        return set()  # reads, e.g. by the build itself
    if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
        return set()  # a folder's listing changed: its children's own events say how
    ends = [event.src_path, event.dest_path] if event.event_type == EVENT_TYPE_MOVED else [event.src_path]
    paths = {Path(os.fsdecode(p)) for p in ends if p}
    return {p for p in paths if scope.accepts(p)}


class Debouncer:
    """Collects paths and calls `flush(paths)` once they stop coming for `quiet` seconds,
    or `cap` seconds after the first of a steady stream. Flushes run one at a time, on
    the debouncer's own thread; changes arriving meanwhile form the next batch."""

    def __init__(self, flush: Callable[[set[Path]], object], quiet: float = 0.05, cap: float = 1.0) -> None:
        self._flush = flush
        self._quiet, self._cap = quiet, cap
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._first = self._last = 0.0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="mlnotes-debounce", daemon=True)

    def start(self) -> None:
        """Start the flushing thread."""
        self._thread.start()

    def add(self, paths: Iterable[Path]) -> None:
        """Record changed paths (thread-safe)."""
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.update(paths)
            self._last = now
            self._cond.notify()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop flushing (a flush in progress finishes first, up to `timeout`); pending paths are dropped."""
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._stopped)
                while not self._stopped:
                    now = time.monotonic()
                    due = min(self._last + self._quiet, self._first + self._cap)
                    if now >= due:
                        break
                    self._cond.wait(due - now)
                if self._stopped:
                    return
                batch, self._pending = self._pending, set()
            self._flush(batch)


class _Handler(FileSystemEventHandler):
    def __init__(self, scope: Scope, debouncer: Debouncer) -> None:
        self.scope, self.debouncer = scope, debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = event_paths(event, self.scope)
        if paths:
            self.debouncer.add(paths)


class Watcher:
    """Watches `roots` (folders recursively, files through their folder) and calls
    `on_change(paths)` with each debounced batch of relevant changes."""

    def __init__(
        self,
        roots: Iterable[Path],
        on_change: Callable[[set[Path]], object],
        *,
        skip: Iterable[Path] = (),
        quiet: float = 0.05,
        cap: float = 1.0,
    ) -> None:
        self.scope = Scope.of(roots, skip)
        self._debouncer = Debouncer(on_change, quiet, cap)
        self._observer = Observer()
        handler = _Handler(self.scope, self._debouncer)
        for folder, recursive in self.scope.schedules():
            self._observer.schedule(handler, str(folder), recursive=recursive, event_filter=WATCHED_EVENTS)

    def start(self) -> None:
        """Begin watching; changes from now on are reported."""
        self._debouncer.start()
        self._observer.start()

    def stop(self) -> None:
        """Stop watching and wait for the threads (an update in progress finishes first)."""
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(5)
        self._debouncer.stop()

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
