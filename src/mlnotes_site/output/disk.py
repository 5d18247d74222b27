"""The disk sink: the site's files -> the output folder, guarded and atomic.

The site is written to a hidden temporary folder beside the output folder and swapped in
whole, so a failed build never leaves a half-written site. Nothing is written outside
that folder: every page path is checked, and an output folder that is not an earlier
mlnotes output (and not empty) is never replaced.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterable

from ..errors import OutputError
from . import checked

MARKER = ".mlnotes-site"


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


def write_site(out_dir: Path, notes_dir: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write every (output path, bytes) to a temporary folder, then swap it in; returns the
    number of files. An exception while the files are made leaves the old site in place."""
    check_output_dir(out_dir, notes_dir)
    out = out_dir.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.mlnotes-tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.mlnotes-old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    tmp = tmp.resolve()
    count = 0
    try:
        written: set[Path] = set()
        folders: set[Path] = {tmp}
        for rel, data in files:
            path = _safe_path(tmp, checked(rel))
            if path in written:
                raise OutputError(f"two files would be written to {rel}")
            written.add(path)
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_bytes(data)
            count += 1
        (tmp / MARKER).write_text(
            "This folder is written by `mlnotes build` and replaced on every build.\n", encoding="utf-8"
        )
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return count
