"""Pages rendered and written by several processes (`--jobs`): the same bytes as one process,
failures in a worker reported like failures in the parent, and the old site kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import BASIC_VAULT, DEMO_VAULT, SEED_NOTES
from mlnotes_site.build import build, default_jobs
from mlnotes_site.cli import main
from mlnotes_site.config import load_config
from mlnotes_site.errors import OutputError
from mlnotes_site.output.disk import MARKER, Shares, write_site

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="render workers need fork")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(notes: Path, out: Path, jobs: int, **overrides):
    cfg = load_config(None, notes=notes, out=out, cwd=out.parent, **overrides)
    return build(cfg, jobs=jobs)


@pytest.mark.parametrize("vault", [DEMO_VAULT, BASIC_VAULT, SEED_NOTES], ids=["demo", "basic", "seed"])
def test_several_processes_write_the_same_bytes_as_one(vault: Path, tmp_path: Path) -> None:
    if not vault.is_dir():
        pytest.skip(f"{vault} is not here (the seed notes live in ../shared beside a workspace checkout)")
    one = _build(vault, tmp_path / "one" / "site", 1)
    trees = {1: _tree(tmp_path / "one" / "site")}
    for jobs in (2, 3):
        report = _build(vault, tmp_path / f"j{jobs}" / "site", jobs)
        assert (report.files, report.pages, report.diagnostics) == (one.files, one.pages, one.diagnostics)
        trees[jobs] = _tree(tmp_path / f"j{jobs}" / "site")
    assert len(trees[1]) > 10
    assert trees[2] == trees[1] and trees[3] == trees[1]
    # the workers' CPU time is counted (the step's CPU is not just the parent's share)
    assert report.cpu["render+write"] > 0


def test_a_template_error_in_any_worker_keeps_the_old_site(tmp_path: Path) -> None:
    project = tmp_path / "p"
    notes = project / "notes"
    notes.mkdir(parents=True)
    for i in range(12):
        (notes / f"n{i}.md").write_text(f"# Note {i}\n\ntext {i}\n", encoding="utf-8")
    out = project / "site"
    first = _build(notes, out, 2)
    assert not first.errors
    old = _tree(out)
    (project / "templates").mkdir()
    # a runtime error on one page only: whichever process renders it
    (project / "templates" / "topic.html").write_text(
        "{% extends 'base.html' %}{% block main %}{% if page_title == 'Note 7' %}{% include 'missing.html' %}"
        "{% endif %}{{ page_title }}{% endblock %}",
        encoding="utf-8",
    )
    for jobs in (1, 2, 3):
        report = _build(notes, out, jobs)
        assert len(report.errors) == 1, jobs
        assert report.errors[0].message.startswith("template error: 'missing.html' not found"), jobs
        assert report.errors[0].path.endswith("topic.html") and report.errors[0].line == 1
        assert _tree(out) == old
        leftovers = [p.name for p in project.iterdir() if "mlnotes-" in p.name]
        assert leftovers == []


def _shares(count: int, files, collected: list) -> Shares:
    return Shares(count, files, lambda: "result", collected.append)


def test_shares_are_written_by_children_and_their_results_collected(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    collected: list = []

    def files(k: int):
        for i in range(k, 30, 3):
            yield f"p{i}/index.html", f"page {i} by share {k}".encode()

    assert write_site(tmp_path / "site", notes, _shares(3, files, collected)) == 30
    assert collected == ["result", "result"]  # one per child; the parent's share is share 0
    site = _tree(tmp_path / "site")
    assert site.pop(MARKER)
    assert site == {f"p{i}/index.html": f"page {i} by share {i % 3}".encode() for i in range(30)}


@pytest.mark.parametrize(
    "broken",
    ["exit", "raise", "duplicate"],
)
def test_a_failing_worker_fails_the_write_and_keeps_the_old_site(tmp_path: Path, broken: str) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    out = tmp_path / "site"
    write_site(out, notes, [("index.html", b"old")])

    def files(k: int):
        yield f"k{k}.html", b"x"
        if k == 1 and broken == "exit":
            os._exit(3)  # a worker killed (out of memory, a signal): no result comes back
        if k == 1 and broken == "raise":
            raise OutputError("disk full in a worker")
        if broken == "duplicate":
            yield "same.html", b"two shares write it"

    with pytest.raises(OutputError) as failed:
        write_site(out, notes, _shares(2, files, []))
    expected = {"exit": "ended without its result", "raise": "disk full", "duplicate": "two files would be written"}
    assert expected[broken] in str(failed.value)
    assert (out / "index.html").read_bytes() == b"old" and not (out / "k0.html").exists()
    assert [p.name for p in tmp_path.iterdir() if "mlnotes-" in p.name] == []


def test_jobs_option(tmp_path: Path, capsys) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n", encoding="utf-8")
    for bad in ("0", "x", "-1"):
        with pytest.raises(SystemExit) as usage:
            main(["build", "--notes", str(notes), "--out", str(tmp_path / "site"), "--jobs", bad])
        assert usage.value.code == 2
        assert "invalid number of jobs" in capsys.readouterr().err
    assert main(["build", "--notes", str(notes), "--out", str(tmp_path / "site"), "-j", "2", "-q"]) == 0
    assert (tmp_path / "site" / "a" / "index.html").is_file()
    assert default_jobs() >= 1
