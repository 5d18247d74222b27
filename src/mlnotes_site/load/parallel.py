"""Parse many notes: cached ones are loaded, the rest parsed on every core.

`parse_all(items, md, cache, jobs)` gives the Note of each (path, bytes), in order:

1. notes whose bytes the cache holds are loaded from it (note_cache.py);
2. the others are parsed: with `jobs` > 1 and enough of them, the process forks `jobs - 1`
   children; child k parses every `jobs`-th note from k, and sends back each note as its
   cache file's bytes (`dumps`), which the parent loads and writes to the cache unchanged.
   The parent parses share 0 meanwhile. Sending tokens costs a fifth of parsing them
   (pickled field by field: 0.7 ms to write and 0.8 ms to read a note, against ~4.6 ms to
   parse it), so two cores load a cold vault in about 60% of the time of one.

A child that fails in any way (killed, a bug in a parse) costs only time: the parent parses
its share itself, so a parse error surfaces exactly as it would in one process. Children
are forked only by `mlnotes build` (no threads run yet); `mlnotes serve` parses in-process.
"""

from __future__ import annotations

import os
import pickle
from typing import Callable

from markdown_it import MarkdownIt

from ..model import Note
from .note import parse_note
from .note_cache import NoteCache, dumps, loads

MIN_SHARE = 64  # fewer notes than this per process are parsed in one (a fork costs ~10 ms)

Items = list[tuple[str, bytes]]


def parse_all(
    items: Items,
    md: MarkdownIt,
    cache: NoteCache | None = None,
    jobs: int = 1,
    advance: Callable[[int], None] | None = None,
) -> list[Note]:
    """The Note of each (rel, bytes) of `items`, in order (see the module doc)."""
    advance = advance or (lambda n: None)
    found: dict[int, Note] = {}
    misses: list[int] = []
    for i, (rel, data) in enumerate(items):
        note = cache.get(rel, data) if cache is not None else None
        if note is None:
            misses.append(i)
        else:
            found[i] = note
            advance(1)
    jobs = max(1, min(jobs, len(misses) // MIN_SHARE))
    if jobs > 1 and hasattr(os, "fork"):
        found.update(_forked([(i, *items[i]) for i in misses], md, cache, jobs, advance))
    else:
        for i in misses:
            found[i] = _parse(*items[i], md, cache)
            advance(1)
    return [found[i] for i in range(len(items))]


def _parse(rel: str, data: bytes, md: MarkdownIt, cache: NoteCache | None) -> Note:
    note = parse_note(rel, data, md)
    if cache is not None:
        cache.put(rel, data, note)
    return note


def _forked(
    work: list[tuple[int, str, bytes]],
    md: MarkdownIt,
    cache: NoteCache | None,
    jobs: int,
    advance: Callable[[int], None],
) -> dict[int, Note]:
    children: list[tuple[int, int, list[tuple[int, str, bytes]]]] = []  # (pid, read end, share)
    try:
        for k in range(1, jobs):
            share = work[k::jobs]
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover (the child's coverage is not collected)
                os.close(read)
                _child(share, md, write)
            os.close(write)
            children.append((pid, read, share))
        found: dict[int, Note] = {}
        for i, rel, data in work[0::jobs]:
            found[i] = _parse(rel, data, md, cache)
            advance(1)
        while children:
            pid, read, share = children.pop(0)
            found.update(_collect(pid, read, share, md, cache, advance))
        return found
    finally:
        for pid, read, _ in children:  # this process failed: stop the others
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass
            os.close(read)


def _child(share: list[tuple[int, str, bytes]], md: MarkdownIt, out: int) -> None:
    """In a forked child: parse the share, send the notes' cache bytes to `out`, exit."""
    status = 1
    try:
        blobs = [dumps(parse_note(rel, data, md)) for _, rel, data in share]
        with os.fdopen(out, "wb") as pipe:
            pipe.write(pickle.dumps(blobs, protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)  # never back into the parent's code (and no interpreter teardown)


def _collect(
    pid: int,
    read: int,
    share: list[tuple[int, str, bytes]],
    md: MarkdownIt,
    cache: NoteCache | None,
    advance: Callable[[int], None],
) -> dict[int, Note]:
    """A child's notes; parsed here when the child did not deliver them."""
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    found: dict[int, Note] = {}
    try:
        blobs = pickle.loads(data) if status == 0 else None
        if not isinstance(blobs, list) or len(blobs) != len(share):
            raise ValueError("no result")
        for (i, rel, raw), blob in zip(share, blobs, strict=True):
            found[i] = loads(blob)
            if cache is not None:
                cache.put(rel, raw, blob)
            advance(1)
    except Exception:  # the child failed: its notes are parsed here (an error surfaces as in one process)
        for i, rel, raw in share:
            if i not in found:
                found[i] = _parse(rel, raw, md, cache)
                advance(1)
    return found
