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
# the basic vault's pages are compared with a golden copy: dated by front matter only, not by
# when its files were committed or checked out (tests/test_dates.py covers git and file times)
BASIC_DATES = ["front_matter"]
DEMO_VAULT = REPO / "notes"
SEED_NOTES = REPO.parent / "shared" / "seed-notes"


NO_BASE_URL = "base_url is not set"  # the start of the warning every build without base_url gives


def build_vault(notes: Path, out: Path, **overrides) -> BuildReport:
    """Build `notes` into `out` with default settings (no config file is looked up). The
    report leaves out the one warning of a site without `base_url`, which these builds have
    and which is not what their tests are about (tests/test_dates.py checks it)."""
    cfg = load_config(None, notes=notes, out=out, cwd=out.parent, **overrides)
    report = build(cfg)
    report.diagnostics = [d for d in report.diagnostics if not d.message.startswith(NO_BASE_URL)]
    return report


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
    return out, build_vault(BASIC_VAULT, out, dates=BASIC_DATES)
