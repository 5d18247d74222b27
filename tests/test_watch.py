"""The watcher: which paths count (tables), and real file edits through real watchdog."""

from __future__ import annotations

import queue
import shutil
import time
from pathlib import Path
from typing import Iterator

import pytest
from watchdog.events import (
    DirCreatedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from mlnotes_site.serve.watch import Debouncer, Scope, Watcher, event_paths, is_ignored


@pytest.mark.parametrize(
    "rel, ignored",
    [
        ("note.md", False),
        ("sub/深度学习.md", False),
        ("img/curve.png", False),
        ("sub", False),
        ("note.md~", True),  # backup
        (".note.md.swp", True),  # vim swap
        (".note.md.swx", True),
        ("note.md.swp", True),
        ("sub/.note.md.swo", True),
        ("4913", True),  # vim's can-I-write test file
        ("sub/4913", True),
        (".#note.md", True),  # Emacs lock
        ("#note.md#", True),  # Emacs autosave
        (".DS_Store", True),
        ("note.md___jb_tmp___", True),  # JetBrains safe write
        (".git/index", True),  # hidden folders, skipped by the build too
        (".obsidian/workspace.json", True),
        ("sub/.hidden/a.md", True),
        ("swp.md", False),
        ("a~b.md", False),
        ("4913.md", False),
    ],
)
def test_ignore_rules(rel: str, ignored: bool) -> None:
    assert is_ignored(Path(rel).parts) is ignored


ROOT = Path("/vault/notes")
CONFIG = Path("/vault/mlnotes.yaml")
SCOPE = Scope(folders=(ROOT, Path("/vault/templates")), files=(CONFIG,), skip=(ROOT / "site",))


@pytest.mark.parametrize(
    "event, expected",
    [
        (FileModifiedEvent("/vault/notes/a.md"), {"/vault/notes/a.md"}),
        (FileClosedEvent("/vault/notes/a.md"), {"/vault/notes/a.md"}),
        (FileOpenedEvent("/vault/notes/a.md"), set()),  # the build reading a note
        (FileClosedNoWriteEvent("/vault/notes/a.md"), set()),
        (DirModifiedEvent("/vault/notes/sub"), set()),  # echoes a child's event
        (DirCreatedEvent("/vault/notes/new"), {"/vault/notes/new"}),
        (FileDeletedEvent("/vault/notes/sub/b.md"), {"/vault/notes/sub/b.md"}),
        (FileMovedEvent("/vault/notes/a.md", "/vault/notes/b.md"), {"/vault/notes/a.md", "/vault/notes/b.md"}),
        (DirMovedEvent("/vault/notes/x", "/vault/notes/y"), {"/vault/notes/x", "/vault/notes/y"}),
        # vim: note.md -> note.md~, then a new note.md; an atomic save: .tmp -> note.md
        (FileMovedEvent("/vault/notes/a.md", "/vault/notes/a.md~"), {"/vault/notes/a.md"}),
        (FileMovedEvent("/vault/notes/.a.md.tmp", "/vault/notes/a.md"), {"/vault/notes/a.md"}),
        (FileModifiedEvent("/vault/notes/.a.md.swp"), set()),
        (FileModifiedEvent("/vault/notes/.git/HEAD"), set()),
        (FileModifiedEvent("/vault/notes/site/index.html"), set()),  # the output folder inside the notes
        (FileModifiedEvent("/vault/mlnotes.yaml"), {"/vault/mlnotes.yaml"}),
        (FileModifiedEvent("/vault/other.yaml"), set()),  # beside the config, not the config
        (FileModifiedEvent("/vault/templates/topic.html"), {"/vault/templates/topic.html"}),
        (FileModifiedEvent("/elsewhere/a.md"), set()),
    ],
)
def test_event_paths(event, expected: set[str]) -> None:
    assert event_paths(event, SCOPE) == {Path(p) for p in expected}


def test_a_config_file_is_watched_through_its_folder(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "mlnotes.yaml").write_text("title: x\n")
    scope = Scope.of([tmp_path / "notes", tmp_path / "mlnotes.yaml"])
    assert scope.schedules() == [(tmp_path / "notes", True), (tmp_path, False)]


def test_debouncer_caps_a_steady_stream() -> None:
    batches: list[set[Path]] = []
    debouncer = Debouncer(batches.append, quiet=0.1, cap=0.15)
    debouncer.start()
    try:
        for i in range(20):  # one change every 20 ms for 0.4 s: never quiet for 0.1 s
            debouncer.add({Path(f"/n/{i}.md")})
            time.sleep(0.02)
        time.sleep(0.3)
    finally:
        debouncer.stop()
    assert 2 <= len(batches) <= 6, batches
    assert set().union(*batches) == {Path(f"/n/{i}.md") for i in range(20)}


# --- the real watcher over a temporary folder ---------------------------------------------

QUIET = 0.05
SETTLE = 0.4  # long enough for any straggling event to have produced a second batch


class Batches:
    """The batches a watcher reported, in order."""

    def __init__(self) -> None:
        self.queue: queue.Queue[set[Path]] = queue.Queue()

    def __call__(self, paths: set[Path]) -> None:
        self.queue.put(paths)

    def next(self, timeout: float = 3.0) -> set[Path]:
        return self.queue.get(timeout=timeout)

    def all(self, settle: float = SETTLE) -> list[set[Path]]:
        """Every batch until none has come for `settle` seconds."""
        found = []
        while True:
            try:
                found.append(self.queue.get(timeout=settle))
            except queue.Empty:
                return found


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "a.md").write_text("# A\n", encoding="utf-8")
    (notes / "sub" / "b.md").write_text("# B\n", encoding="utf-8")
    return notes


@pytest.fixture
def watched(vault: Path) -> Iterator[Batches]:
    batches = Batches()
    with Watcher([vault], batches, quiet=QUIET):
        yield batches


def test_one_save_is_one_batch(vault: Path, watched: Batches) -> None:
    path = vault / "a.md"
    with path.open("w", encoding="utf-8") as f:  # an editor writing in pieces
        f.write("# A\n")
        f.flush()
        f.write("more\n")
    assert watched.all() == [{path}]


def test_editor_temp_files_are_ignored(vault: Path, watched: Batches) -> None:
    for name in (".a.md.swp", ".a.md.swx", "a.md~", "4913", ".#a.md", ".DS_Store"):
        (vault / name).write_text("x")
        (vault / name).unlink()
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "workspace.json").write_text("{}")
    (vault / "a.md").read_text()  # a read, like the build's
    assert watched.all() == []
    (vault / "a.md").write_text("# A2\n")  # the watcher is alive
    assert watched.all() == [{vault / "a.md"}]


def test_vim_style_save_reports_the_note_only(vault: Path, watched: Batches) -> None:
    note = vault / "a.md"
    (vault / "4913").write_text("")
    (vault / "4913").unlink()
    note.rename(vault / "a.md~")
    note.write_text("# A, saved by vim\n")
    (vault / "a.md~").unlink()
    assert watched.all() == [{note}]


def test_create_delete_and_rename_a_file(vault: Path, watched: Batches) -> None:
    new = vault / "new.md"
    new.write_text("# New\n")
    assert watched.next() == {new}
    new.rename(vault / "renamed.md")
    assert watched.next() == {new, vault / "renamed.md"}
    (vault / "renamed.md").unlink()
    assert watched.next() == {vault / "renamed.md"}
    assert watched.all() == []


def test_create_rename_and_delete_a_folder(vault: Path, watched: Batches) -> None:
    folder = vault / "topic"
    folder.mkdir()
    (folder / "c.md").write_text("# C\n")
    assert set().union(*watched.all()) == {folder, folder / "c.md"}
    folder.rename(vault / "moved")
    assert set().union(*watched.all()) == {folder, folder / "c.md", vault / "moved", vault / "moved" / "c.md"}
    shutil.rmtree(vault / "moved")
    assert set().union(*watched.all()) == {vault / "moved", vault / "moved" / "c.md"}


def test_a_folder_moved_in_from_outside_reports_its_notes(vault: Path, tmp_path: Path, watched: Batches) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "d.md").write_text("# D\n")
    outside.rename(vault / "inside")
    assert set().union(*watched.all()) == {vault / "inside", vault / "inside" / "d.md"}


def test_the_config_file_beside_other_files(tmp_path: Path, vault: Path) -> None:
    config = tmp_path / "mlnotes.yaml"
    config.write_text("title: a\n")
    batches = Batches()
    with Watcher([vault, config], batches, quiet=QUIET):
        (tmp_path / "other.txt").write_text("x")
        config.write_text("title: b\n")
        assert batches.all() == [{config}]
