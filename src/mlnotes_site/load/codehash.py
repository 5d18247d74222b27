"""The hash of mlnotes' own code: the note cache and the build record are keyed on it.

A module of its own, importing nothing heavy, so that a build with nothing to do (the build
record, cache.py) can compute it without loading the Markdown parser."""

from __future__ import annotations

import hashlib
from pathlib import Path

_CODE = Path(__file__).resolve().parent.parent  # the package


def code_hash() -> str:
    """A hash of every module of the package."""
    digest = hashlib.sha256()
    for path in sorted(p for p in _CODE.rglob("*.py") if "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(_CODE)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
