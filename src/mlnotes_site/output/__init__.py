"""Output stage: sinks that take the site's files as (output path, bytes) and put them
somewhere: `disk` (guarded, atomic; `mlnotes build`) or `memory` (`mlnotes serve`, tests).
Sinks know nothing of pages or notes."""

from __future__ import annotations

import posixpath

from ..errors import OutputError


def checked(rel: str) -> str:
    """An output path (posix, relative), refused when it would leave the output folder."""
    norm = posixpath.normpath(rel)
    if rel.startswith("/") or norm == ".." or norm.startswith("../") or norm == ".":
        raise OutputError(f"refusing to write {rel}: it is outside the output folder")
    return norm
