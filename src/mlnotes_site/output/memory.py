"""The memory sink: the site's files as a dict, by output path (what `mlnotes serve`
serves, and what tests compare with a build)."""

from __future__ import annotations

from typing import Iterable

from ..errors import OutputError
from . import checked


def collect(files: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """Every file by output path; two files for one path is an error, as on disk."""
    out: dict[str, bytes] = {}
    for rel, data in files:
        path = checked(rel)
        if path in out:
            raise OutputError(f"two files would be written to {path}")
        out[path] = data
    return out
