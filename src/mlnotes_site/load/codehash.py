"""The hash of mlnotes' own code: the note cache and the build record are keyed on it.

A module of its own, importing nothing heavy, so that a build with nothing to do (the build
record, cache.py) can compute it without loading the Markdown parser."""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def tree_hash(roots: list[Path], pattern: str) -> str:
    """A hash of the paths and bytes of the files matching `pattern` under `roots`."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_hash() -> str:
    """A hash of every module of the package."""
    return tree_hash([PACKAGE], "*.py")
