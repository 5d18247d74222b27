"""The disk sink: atomic swap, never outside the output folder, never over a foreign folder.

Sinks take (output path, bytes); they know nothing of pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlnotes_site.errors import OutputError
from mlnotes_site.output.disk import MARKER, check_output_dir, remove_stale_temp, write_site


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


def _site(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    return notes, tmp_path / "site"


def test_user_files_survive_rebuilds_and_stale_pages_do_not(tmp_path):
    notes, out = _site(tmp_path)
    write_site(out, notes, [("index.html", b"one"), ("old/index.html", b"stale")])
    (out / ".git" / "refs").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "CNAME").write_text("notes.example\n")
    (out / ".nojekyll").write_text("")
    (out / "downloads").mkdir()
    (out / "downloads" / "big.zip").write_bytes(b"zip")
    (out / "downloads" / "other.txt").write_bytes(b"x")
    (out / ".well-known").mkdir()
    (out / ".well-known" / "security.txt").write_text("contact")
    keep = ["CNAME", ".nojekyll", ".git", "downloads/*.zip"]
    git_inode = (out / ".git").stat().st_ino
    for text in (b"two", b"three"):
        write_site(out, notes, [("index.html", text), ("downloads/index.html", b"list")], keep=keep)
        assert (out / "index.html").read_bytes() == text
        assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
        assert (out / ".git" / "refs").is_dir()
        assert (out / ".git").stat().st_ino == git_inode, ".git is moved, not copied"
        assert (out / "CNAME").read_text() == "notes.example\n"
        assert (out / ".nojekyll").exists()
        assert (out / ".well-known" / "security.txt").read_text() == "contact", "every dot entry is kept"
        assert (out / "downloads" / "big.zip").read_bytes() == b"zip"
        assert (out / "downloads" / "index.html").read_bytes() == b"list"
        assert not (out / "downloads" / "other.txt").exists(), "not matched by a keep glob: gone"
        assert not (out / "old").exists(), "stale pages of the previous build are gone"
        assert (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "site"]


def test_a_path_the_new_site_writes_wins_over_a_kept_one(tmp_path):
    notes, out = _site(tmp_path)
    write_site(out, notes, [("index.html", b"one")])
    (out / "CNAME").write_text("old.example\n")
    write_site(out, notes, [("index.html", b"two"), ("CNAME", b"new.example\n")])
    assert (out / "CNAME").read_text() == "new.example\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "site"]


def test_a_failed_build_leaves_the_user_files_in_the_old_site(tmp_path):
    notes, out = _site(tmp_path)
    write_site(out, notes, [("index.html", b"good")])
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("x")
    (out / "CNAME").write_text("c")

    def failing():
        yield "index.html", b"new"
        raise RuntimeError("template broke")

    with pytest.raises(RuntimeError):
        write_site(out, notes, failing())
    assert (out / "index.html").read_text() == "good"
    assert (out / ".git" / "HEAD").read_text() == "x" and (out / "CNAME").read_text() == "c"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "site"]


@pytest.mark.parametrize("pattern", ["/etc/passwd", "../x", "a/../../x", ""])
def test_bad_keep_patterns_are_refused(tmp_path, pattern):
    notes, out = _site(tmp_path)
    with pytest.raises(OutputError, match="keep pattern"):
        write_site(out, notes, [("index.html", b"x")], keep=[pattern])


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _temp_folder(tmp_path, kind: str, pid: int, marker: bool):
    folder = tmp_path / f".site.mlnotes-{kind}-{pid}"
    folder.mkdir()
    (folder / "index.html").write_bytes(b"x" * 1000)
    if marker:
        (folder / MARKER).write_text("x")
    return folder


def test_stale_temporary_folders_of_killed_builds_are_removed(tmp_path):
    notes, out = _site(tmp_path)
    dead = _dead_pid()
    stale_tmp = _temp_folder(tmp_path, "tmp", dead, marker=True)
    stale_old = _temp_folder(tmp_path, "old", dead, marker=True)
    foreign = _temp_folder(tmp_path, "tmp", _dead_pid(), marker=False)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as live_child:
        try:
            live = _temp_folder(tmp_path, "tmp", live_child.pid, marker=True)
            unrelated = tmp_path / f".other.mlnotes-tmp-{dead}"
            unrelated.mkdir()
            (unrelated / MARKER).write_text("x")
            write_site(out, notes, [("index.html", b"one")])
            assert not stale_tmp.exists() and not stale_old.exists()
            assert foreign.exists(), "a folder without the marker is never touched"
            assert live.exists(), "a live build's folder is never touched"
            assert unrelated.exists(), "only the temporary folders of this output folder"
            assert (out / "index.html").read_bytes() == b"one"
        finally:
            live_child.kill()


def test_stale_cleanup_keeps_our_own_and_user_files(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    own = _temp_folder(tmp_path, "tmp", os.getpid(), marker=True)
    dead = _dead_pid()
    rescued = _temp_folder(tmp_path, "old", dead, marker=True)
    (rescued / ".git").mkdir()  # a build killed while the user's files were in its folder
    assert remove_stale_temp(out.resolve()) == []
    assert own.exists() and rescued.exists()
    (rescued / ".git").rmdir()
    assert remove_stale_temp(out.resolve()) == [rescued.resolve()]
    assert not rescued.exists()


def test_the_marker_is_written_first_and_kept(tmp_path):
    notes, out = _site(tmp_path)
    tmp_name = f".site.mlnotes-tmp-{os.getpid()}"
    seen = []

    def files():
        seen.append((tmp_path / tmp_name / MARKER).is_file())
        yield "index.html", b"x"

    write_site(out, notes, files())
    assert seen == [True] and (out / MARKER).is_file()
    with pytest.raises(OutputError, match="two files would be written to .mlnotes-site"):
        write_site(out, notes, [(MARKER, b"mine")])
    assert (out / MARKER).is_file()


def test_files_that_stay_the_same_are_linked_not_written_again(tmp_path):
    """A rebuild links each unchanged file to the previous site's (same inode, same time), so
    deploy tools and browsers see only what changed; changed and new files are written."""
    notes = tmp_path / "notes"
    notes.mkdir()
    out = tmp_path / "site"
    write_site(out, notes, [("same.html", b"same"), ("changed.html", b"before"), ("sized.html", b"abc")])
    before = {name: os.stat(out / name) for name in ("same.html", "changed.html", "sized.html")}
    write_site(out, notes, [("same.html", b"same"), ("changed.html", b"after!"), ("sized.html", b"xyz")])
    assert (out / "same.html").stat().st_ino == before["same.html"].st_ino
    assert (out / "same.html").stat().st_mtime_ns == before["same.html"].st_mtime_ns
    assert (out / "changed.html").stat().st_ino != before["changed.html"].st_ino
    assert (out / "sized.html").stat().st_ino != before["sized.html"].st_ino  # same size, other bytes
    assert [(out / n).read_bytes() for n in ("same.html", "changed.html", "sized.html")] == [b"same", b"after!", b"xyz"]
    assert (out / "same.html").stat().st_nlink == 1  # the previous site is gone


def test_a_folder_of_the_old_site_turned_into_a_link_is_never_linked_from(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    out = tmp_path / "site"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.html").write_bytes(b"page")
    write_site(out, notes, [("a/page.html", b"page")])
    shutil.rmtree(out / "a")
    (out / "a").symlink_to(elsewhere, target_is_directory=True)
    write_site(out, notes, [("a/page.html", b"page")])
    assert not (out / "a").is_symlink()
    assert (out / "a" / "page.html").stat().st_ino != (elsewhere / "page.html").stat().st_ino
    assert (elsewhere / "page.html").stat().st_nlink == 1


def test_a_big_previous_site_is_removed_by_a_detached_process(tmp_path, monkeypatch):
    """The old site goes to a process of its own (`.site.mlnotes-old-<its pid>`), which removes
    it after write_site returned; this process keeps no child of it."""
    from mlnotes_site.output import disk

    monkeypatch.setattr(disk, "BACKGROUND_AT", 2)
    notes = tmp_path / "notes"
    notes.mkdir()
    out = tmp_path / "site"
    files = [(f"p{i}/index.html", b"page %d" % i) for i in range(50)]
    write_site(out, notes, files)
    write_site(out, notes, [*files[1:], ("new/index.html", b"new")])
    assert (out / "new" / "index.html").read_bytes() == b"new" and not (out / "p0").exists()
    for leftover in tmp_path.glob(".site.mlnotes-old-*"):
        remover = int(leftover.name.rsplit("-", 1)[1])
        assert remover != os.getpid()
        stat = Path(f"/proc/{remover}/stat")
        if stat.exists():  # still removing: not a child of this process (never a zombie of ours)
            assert int(stat.read_text().rsplit(")", 1)[1].split()[1]) != os.getpid()
    deadline = time.monotonic() + 30
    while sorted(p.name for p in tmp_path.iterdir()) != ["notes", "site"]:
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.mlnotes-old-")]
        assert leftovers, sorted(p.name for p in tmp_path.iterdir())  # only the remover's folder
        assert time.monotonic() < deadline, "the old site was not removed"
        time.sleep(0.05)
