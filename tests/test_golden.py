"""End to end over the basic fixture vault, compared with a reviewed golden copy.

Regenerate after an intended change with:
    MLNOTES_UPDATE_GOLDEN=1 pytest tests/test_golden.py
and review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import TESTS

GOLDEN = TESTS / "golden" / "basic"


def _pages(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".xml", ".json")
    }


def test_basic_vault_matches_golden(basic_site):
    out, report = basic_site
    built = _pages(out)
    if os.environ.get("MLNOTES_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    golden = _pages(GOLDEN)
    assert sorted(built) == sorted(golden), "the set of pages changed"
    for rel, text in golden.items():
        assert built[rel] == text, f"{rel} differs from tests/golden/basic/{rel}"


def test_build_is_deterministic(tmp_path, basic_site):
    from conftest import BASIC_DATES, BASIC_VAULT, build_vault

    first, _ = basic_site
    build_vault(BASIC_VAULT, tmp_path / "again", dates=BASIC_DATES)
    assert _pages(tmp_path / "again") == _pages(first)
