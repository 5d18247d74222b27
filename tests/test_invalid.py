"""One folder per kind of bad input (tests/fixtures/invalid/<case>/): the build reports
exactly the expected diagnostics, with file and line, and still writes every page: each note of
the case, the broken one too, has its page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import FIXTURES, NO_BASE_URL
from mlnotes_site.build import build
from mlnotes_site.config import load_config
from mlnotes_site.paths import output_file

CASES = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_input_is_reported_with_file_and_line(case: Path, tmp_path):
    out = tmp_path / "site"
    cfg = load_config(None, notes=case / "notes", out=out, cwd=tmp_path)
    cfg = replace(cfg, project_dir=case)  # a templates/ folder beside notes/ overrides the theme
    report = build(cfg)
    expected = [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    got = [
        d.format().replace(str(case / "templates") + "/", "")
        for d in report.diagnostics
        if not d.message.startswith(NO_BASE_URL)  # every build without base_url has it (test_dates.py)
    ]
    assert len(got) == len(expected), "\n".join(got)
    for want, have in zip(expected, got, strict=True):
        assert have.startswith(want), f"{have!r} does not start with {want!r}"
    if case.name == "template-error":
        assert not out.exists()  # a broken theme writes nothing
    else:
        assert (out / "index.html").is_file()  # one broken note never stops the site
        assert report.site is not None
        for note in sorted((case / "notes").rglob("*.md")):  # every note, the broken ones too, has its page
            rel = note.relative_to(case / "notes").as_posix()
            assert rel in report.site.note_topics, f"{rel} was not published"
            assert (out / output_file(report.site.note_url(rel))).is_file(), f"no page for {rel}"
    if case.name == "permalink-unsafe":
        for page in out.rglob("*.html"):
            assert "javascript:" not in page.read_text(encoding="utf-8"), page


NOTE_CASES = [c for c in CASES if c.name != "template-error"]


@pytest.mark.parametrize("case", NOTE_CASES, ids=[c.name for c in NOTE_CASES])
def test_invalid_input_in_serve_and_todo(case: Path, tmp_path):
    """The same cases through `mlnotes serve`'s pipeline (every note's page is served, the
    problems are reported with file and line) and `mlnotes todo` (exit 0, the problems on
    standard error)."""
    import subprocess
    import sys

    from mlnotes_site.serve.live import LiveSite

    cfg = replace(load_config(None, notes=case / "notes", out=tmp_path / "never", cwd=tmp_path), project_dir=case)
    live = LiveSite(cfg)
    report = live.start()
    expected = [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    got = [d.format() for d in report.diagnostics]
    for want in expected:
        assert any(have.startswith(want) for have in got), f"{want!r} not in {got}"
    site = live.site
    assert site is not None and live.response("/") is not None
    for note in sorted((case / "notes").rglob("*.md")):
        rel = note.relative_to(case / "notes").as_posix()
        response = live.response(site.note_url(rel))
        assert response is not None and response.status == 200, f"no page for {rel}"
    done = subprocess.run(
        [sys.executable, "-m", "mlnotes_site", "todo", "--notes", str(case / "notes"), "--all"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
