"""The disk sink: atomic swap, never outside the output folder, never over a foreign folder.

Sinks take (output path, bytes); they know nothing of pages."""

from __future__ import annotations

import pytest

from mlnotes_site.errors import OutputError
from mlnotes_site.output.disk import MARKER, check_output_dir, write_site


def test_swaps_in_whole_and_leaves_no_temporary_folders(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    out = tmp_path / "site"
    write_site(out, notes, [("index.html", b"one"), ("a/index.html", b"a")])
    assert (out / "index.html").read_text() == "one" and (out / MARKER).is_file()
    write_site(out, notes, [("index.html", b"two")])
    assert (out / "index.html").read_text() == "two"
    assert not (out / "a").exists()  # stale pages of the previous build are gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "site"]


def test_failed_write_keeps_the_previous_site(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    out = tmp_path / "site"
    write_site(out, notes, [("index.html", b"good")])
    with pytest.raises(OutputError, match="two files would be written to a/index.html"):
        write_site(out, notes, [("a/index.html", b"x"), ("a/index.html", b"y")])
    assert (out / "index.html").read_text() == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "site"]


def test_never_writes_outside_the_output_folder(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    with pytest.raises(OutputError, match="outside the output folder"):
        write_site(tmp_path / "site", notes, [("../escape/index.html", b"x")])
    assert not (tmp_path / "escape").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


@pytest.mark.parametrize("out_rel", [".", "notes"])
def test_refuses_output_that_contains_the_notes(tmp_path, out_rel):
    (tmp_path / "notes").mkdir()
    with pytest.raises(OutputError, match="contains the notes folder"):
        check_output_dir(tmp_path / out_rel, tmp_path / "notes")


def test_refuses_non_empty_foreign_folder_but_accepts_empty(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "empty").mkdir()
    check_output_dir(tmp_path / "empty", tmp_path / "notes")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "x").write_text("x")
    with pytest.raises(OutputError, match="not written by mlnotes"):
        check_output_dir(tmp_path / "docs", tmp_path / "notes")


def test_memory_sink_has_the_same_guards():
    from mlnotes_site.output.memory import collect

    assert collect([("a/index.html", b"x")]) == {"a/index.html": b"x"}
    with pytest.raises(OutputError, match="two files"):
        collect([("a/index.html", b"x"), ("a/index.html", b"y")])
    with pytest.raises(OutputError, match="outside the output folder"):
        collect([("../x", b"x")])
