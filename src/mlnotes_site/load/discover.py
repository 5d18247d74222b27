"""Find the notes: a sorted, deterministic walk of the notes folder."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

NOTE_SUFFIXES = (".md", ".markdown")


def is_excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    """True when `rel` (posix, relative to the notes root) or one of its folders matches a glob."""
    parts = rel.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(c, p) or fnmatch.fnmatch(c.rsplit("/", 1)[-1], p) for c in candidates for p in patterns)


def discover(
    notes_dir: Path, exclude: tuple[str, ...] = (), skip: tuple[Path, ...] = ()
) -> tuple[list[str], frozenset[str]]:
    """Posix paths (relative to `notes_dir`) of every note, sorted, and of every other file
    (images and attachments that notes may reference).

    Hidden files and folders (`.obsidian`, `.git`), folders listed in `skip` (the output
    folder when it sits inside the notes) and `exclude` globs are left out.
    """
    skip_resolved = {p.resolve() for p in skip}
    found: list[str] = []
    others: set[str] = set()
    for folder, dirs, files in os.walk(notes_dir):
        here = Path(folder)
        rel_folder = here.relative_to(notes_dir).as_posix()
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and (here / d).resolve() not in skip_resolved
            and not is_excluded(rel_folder + d, exclude)
        )
        for name in sorted(files):
            rel = rel_folder + name
            if name.startswith(".") or is_excluded(rel, exclude):
                continue
            if name.lower().endswith(NOTE_SUFFIXES):
                found.append(rel)
            else:
                others.add(rel)
    return sorted(found), frozenset(others)
