"""Shared fixtures: build a vault into a temporary folder; find the user's seed notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlnotes_site.build import BuildReport, build
from mlnotes_site.config import load_config
from mlnotes_site.markdown import make_parser

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
BASIC_VAULT = FIXTURES / "vaults" / "basic"
DEMO_VAULT = REPO / "notes"
SEED_NOTES = REPO.parent / "shared" / "seed-notes"


def build_vault(notes: Path, out: Path, **overrides) -> BuildReport:
    """Build `notes` into `out` with default settings (no config file is looked up)."""
    cfg = load_config(None, notes=notes, out=out, cwd=out.parent, **overrides)
    return build(cfg)


@pytest.fixture(scope="session")
def md():
    """One parser for unit tests (parsers keep no per-note state)."""
    return make_parser()


@pytest.fixture(scope="session")
def seed_notes() -> Path:
    """The user's real notes, when this checkout sits beside ../shared (skips otherwise)."""
    if not SEED_NOTES.is_dir():
        pytest.skip(
            f"the user's seed notes are not here ({SEED_NOTES}); they live in ../shared beside a workspace checkout"
        )
    return SEED_NOTES


@pytest.fixture(scope="session")
def seed_site(seed_notes, tmp_path_factory) -> tuple[Path, BuildReport]:
    """The seed notes built once for the session."""
    out = tmp_path_factory.mktemp("seed") / "site"
    return out, build_vault(seed_notes, out)


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory) -> tuple[Path, BuildReport]:
    """The basic fixture vault built once for the session."""
    out = tmp_path_factory.mktemp("basic") / "site"
    return out, build_vault(BASIC_VAULT, out)
