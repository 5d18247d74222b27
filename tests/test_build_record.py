"""The build record (cache.py): a build whose inputs and output are unchanged is skipped and
its report replayed; any change to a note, a file, the config, a template or the output
folder gives a full build; a broken or foreign record is ignored with a warning."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASIC_VAULT, REPO
from mlnotes_site import __version__
from mlnotes_site.build import BuildReport, build
from mlnotes_site.cache import record_path
from mlnotes_site.config import load_config


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    shutil.copytree(BASIC_VAULT, notes)
    (notes / "broken.md").write_text("# Broken\n\nSee [[No Such Note]].\n", encoding="utf-8")
    return notes


def _build(notes: Path, **overrides) -> BuildReport:
    out = notes.parent / "site"
    return build(load_config(None, notes=notes, out=out, cwd=notes.parent, **overrides), record=True)


def _files(out: Path) -> dict[str, tuple[bytes, int]]:
    files = [p for p in out.rglob("*") if p.is_file()]
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


def test_second_build_is_up_to_date_and_replays_the_report(vault):
    first = _build(vault)
    assert not first.up_to_date and first.site is not None
    before = _files(vault.parent / "site")
    second = _build(vault)
    assert second.up_to_date and second.site is None  # nothing was loaded
    assert [d.format() for d in second.diagnostics] == [d.format() for d in first.diagnostics]
    assert any(d.path == "broken.md" and d.line == 3 for d in second.warnings)
    assert (second.notes, second.topics, second.pages, second.files) == (
        first.notes,
        first.topics,
        first.pages,
        first.files,
    )
    assert _files(vault.parent / "site") == before  # not one file rewritten
    assert "Up to date" in second.summary()


def test_the_record_lives_beside_the_output_not_in_it(vault):
    _build(vault)
    out = vault.parent / "site"
    assert record_path(load_config(None, notes=vault, out=out, cwd=vault.parent)).is_file()
    assert not any(".mlnotes-cache" in p.parts for p in out.rglob("*"))
    assert (vault.parent / ".mlnotes-cache" / "site.json").is_file()


def test_an_edited_note_gives_a_full_build(vault):
    _build(vault)
    (vault / "broken.md").write_text("# Broken\n\nNow fixed: [[whole]].\n", encoding="utf-8")
    again = _build(vault)
    assert not again.up_to_date
    assert not any(d.path == "broken.md" for d in again.diagnostics)
    assert _build(vault).up_to_date


def test_a_touched_note_is_a_change_only_when_file_times_date_notes(vault):
    path = vault / "whole.md"
    not_by_file = ["front_matter", "git"]
    _build(vault, dates=not_by_file)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    assert _build(vault, dates=not_by_file).up_to_date
    _build(vault)  # the default dates a note by its file's time too: a touch dates it anew
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    again = _build(vault)
    assert not again.up_to_date and again.site is not None
    assert again.site.dates["whole.md"].updated.epoch == path.stat().st_mtime_ns // 1_000_000_000
    assert _build(vault).up_to_date


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_commit_is_a_change_when_git_dates_notes(vault):
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_DATE": "2023-01-01T00:00:00Z"}
    env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"]
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@e.org"]
    subprocess.run([*git, "init", "-q"], cwd=vault, check=True, env=env)
    subprocess.run([*git, "add", "-A"], cwd=vault, check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=vault, check=True, env=env)
    first = _build(vault)
    assert first.site is not None and first.site.dates["whole.md"].updated.iso == "2023-01-01T00:00:00Z"
    assert _build(vault).up_to_date
    env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = "2024-02-02T00:00:00Z"
    (vault / "whole.md").write_text((vault / "whole.md").read_text() + "\nmore\n")
    subprocess.run([*git, "commit", "-qam", "two"], cwd=vault, check=True, env=env)
    changed = _build(vault, dates=["front_matter", "git"])
    assert changed.site is not None and changed.site.dates["whole.md"].updated.iso == "2024-02-02T00:00:00Z"
    assert _build(vault, dates=["front_matter", "git"]).up_to_date
    # any new commit is a change: the record knows the commit, not what it changed
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "three"], cwd=vault, check=True, env=env)
    assert not _build(vault, dates=["front_matter", "git"]).up_to_date


@pytest.mark.parametrize("change", ["new note", "new file", "removed note", "edited image"])
def test_any_change_in_the_notes_folder_gives_a_full_build(vault, change):
    _build(vault)
    if change == "new note":
        (vault / "new.md").write_text("# New\n", encoding="utf-8")
    elif change == "new file":
        (vault / "extra.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    elif change == "removed note":
        (vault / "broken.md").unlink()
    else:
        (vault / "pic.png").write_bytes((vault / "pic.png").read_bytes() + b"\0")
    assert not _build(vault).up_to_date


@pytest.mark.parametrize("change", ["deleted", "edited", "added"])
def test_a_changed_output_folder_gives_a_full_build(vault, change):
    _build(vault)
    out = vault.parent / "site"
    page = out / "index.html"
    good = page.read_bytes()
    if change == "deleted":
        page.unlink()
    elif change == "edited":
        page.write_bytes(good + b"<!-- mine -->")
    else:
        (out / "stray.html").write_text("x", encoding="utf-8")
    again = _build(vault)
    assert not again.up_to_date
    assert page.read_bytes() == good
    assert not (out / "stray.html").exists()


def test_config_and_templates_are_part_of_the_key(vault):
    _build(vault)
    assert not _build(vault, title="Another title").up_to_date
    assert _build(vault, title="Another title").up_to_date
    templates = vault.parent / "templates"
    templates.mkdir()
    shutil.copy(REPO / "templates" / "404.html", templates / "404.html")
    text = (templates / "404.html").read_text(encoding="utf-8")
    (templates / "404.html").write_text(text.replace("{{ t('not_found.title') }}", "Nothing here"), encoding="utf-8")
    again = _build(vault, title="Another title")
    assert not again.up_to_date
    assert "Nothing here" in (vault.parent / "site" / "404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "content,why",
    [
        ("{not json", "unreadable"),
        ('{"format": 1, "version": "%s", "key": 3}' % __version__, "unreadable"),
        ('{"format": 1, "version": "0.0.1-other"}', "written by mlnotes 0.0.1-other"),
        ("[]", "unreadable"),
    ],
)
def test_a_broken_or_foreign_record_is_ignored_with_a_warning(vault, content, why):
    first = _build(vault)
    path = vault.parent / ".mlnotes-cache" / "site.json"
    path.write_text(content, encoding="utf-8")
    again = _build(vault)
    assert not again.up_to_date
    notes = [d for d in again.warnings if d.path == str(path)]
    assert len(notes) == 1 and why in notes[0].message
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == 1  # rewritten
    third = _build(vault)
    assert third.up_to_date
    assert [d.format() for d in third.diagnostics] == [d.format() for d in first.diagnostics]


def test_a_failed_template_keeps_the_old_site_and_the_next_fixed_build_is_up_to_date(vault):
    _build(vault)
    templates = vault.parent / "templates"
    templates.mkdir()
    (templates / "404.html").write_text("{% broken", encoding="utf-8")
    failed = _build(vault)
    assert not failed.up_to_date and failed.errors
    (templates / "404.html").unlink()
    templates.rmdir()
    assert _build(vault).up_to_date  # the same inputs as the site still in place


def test_cli_replays_warnings_and_no_cache_builds(vault):
    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        out = vault.parent / "site"
        cmd = [sys.executable, "-m", "mlnotes_site", "build", "--notes", str(vault), "--out", str(out)]
        return subprocess.run([*cmd, *extra], capture_output=True, text=True, cwd=vault.parent, check=False)

    first, second, forced = run(), run(), run("--no-cache")
    assert first.returncode == second.returncode == forced.returncode == 0
    assert first.stdout.startswith("Built") and second.stdout.startswith("Up to date")
    assert "broken.md:3: warning" in second.stderr and second.stderr == first.stderr
    assert forced.stdout.startswith("Built")
