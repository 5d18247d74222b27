"""The parsed-note cache (load/note_cache.py) and parsing on several cores (load/parallel.py).

A note read back from the cache equals the note parsed (tokens, front matter, footnotes);
a build that loads notes from the cache writes the same bytes as one that parses them; only
notes whose bytes changed are parsed again; a damaged or foreign entry is parsed again with
a warning naming it; notes parsed by forked workers give the same site, and a worker that
dies costs only time."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from conftest import BASIC_VAULT, DEMO_VAULT, FIXTURES, SEED_NOTES
from mlnotes_site.build import BuildReport, build
from mlnotes_site.config import load_config
from mlnotes_site.load import parallel
from mlnotes_site.load.discover import discover
from mlnotes_site.load.note import parse_note
from mlnotes_site.load.note_cache import NoteCache, cache_root, dumps, entry_name, loads, parse_key
from mlnotes_site.pipeline import Pipeline
from mlnotes_site.serve.live import LiveSite

VAULTS = sorted(p for p in (FIXTURES / "vaults").iterdir() if p.is_dir())
VAULTS += sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
VAULTS += [DEMO_VAULT] + ([SEED_NOTES] if SEED_NOTES.is_dir() else [])


def _notes(folder: Path) -> list[tuple[str, bytes]]:
    rels, _ = discover(folder, ())
    return [(rel, (folder / rel).read_bytes()) for rel in rels]


@pytest.mark.parametrize("folder", VAULTS, ids=lambda p: p.name)
def test_a_note_read_back_equals_the_note_parsed(folder, md):
    for rel, data in _notes(folder):
        note = parse_note(rel, data, md)
        back = loads(dumps(note))
        assert back == note, rel
        assert back.tokens == note.tokens, rel  # (compared by the dataclass too; said for the reader)
        assert back.parse_env == note.parse_env, rel  # footnotes live here, outside ==
        assert [t.attrs for t in back.tokens] == [t.attrs for t in note.tokens]


def test_damaged_bytes_are_refused(md):
    data = dumps(parse_note("a.md", b"# A\n\ntext\n", md))
    for bad in (data[:-7], data[:20], b"garbage", data[:-3] + b"xyz"):
        with pytest.raises(ValueError):
            loads(bad)


def _cfg(notes: Path, **overrides):
    return load_config(None, notes=notes, out=notes.parent / "site", cwd=notes.parent, **overrides)


def _build(notes: Path, **overrides) -> BuildReport:
    return build(_cfg(notes, **overrides), record=True, jobs=1)


def _site(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    shutil.copytree(DEMO_VAULT, notes)
    return notes


def _load(notes: Path) -> tuple[Pipeline, NoteCache]:
    pipeline = Pipeline(_cfg(notes), cache=True)
    pipeline.load()
    assert pipeline.note_cache is not None
    return pipeline, pipeline.note_cache


def test_a_second_load_parses_only_the_notes_that_changed(vault):
    count = len(discover(vault, ())[0])
    _, first = _load(vault)
    assert (first.hits, first.misses) == (0, count)
    _, second = _load(vault)
    assert (second.hits, second.misses) == (count, 0)
    note = next(vault.rglob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    _, third = _load(vault)
    assert (third.hits, third.misses) == (count - 1, 1)


def test_a_build_from_the_cache_writes_the_same_bytes(vault, tmp_path):
    _build(vault)
    note = vault / "transformer.md" if (vault / "transformer.md").exists() else next(vault.rglob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\nAn edit after the first build.\n", encoding="utf-8")
    warm = _build(vault)
    assert not warm.up_to_date and not warm.errors
    assert not [d for d in warm.diagnostics if ".mlnotes-cache" in d.path]
    clean = tmp_path / "clean"
    build(load_config(None, notes=vault, out=clean, cwd=tmp_path), record=False, jobs=1)
    assert _site(vault.parent / "site") == _site(clean)


def test_the_cache_keeps_one_entry_per_note_and_lives_beside_the_output(vault):
    _build(vault)
    gone = next(vault.rglob("*.md"))
    gone.unlink()
    _build(vault)
    entries = [p for p in cache_root(_cfg(vault)).rglob("*") if p.is_file()]
    assert len(entries) == len(discover(vault, ())[0])
    assert not (vault.parent / "site" / ".mlnotes-cache").exists()


def test_no_cache_means_no_note_cache(vault):
    build(_cfg(vault), record=False, jobs=1)
    assert not cache_root(_cfg(vault)).exists()


def test_a_damaged_entry_is_parsed_again_with_a_warning_naming_it(vault, tmp_path):
    _build(vault)
    root = cache_root(_cfg(vault))
    entries = sorted(p for p in root.rglob("*") if p.is_file())
    entries[0].write_bytes(entries[0].read_bytes()[:-40])  # truncated
    entries[1].write_bytes(b"not a cache file at all")
    (vault / "new.md").write_text("# New\n\nA change, so the build is not skipped.\n", encoding="utf-8")
    report = _build(vault)
    named = [d for d in report.warnings if "could not be read" in d.message]
    assert sorted(d.path for d in named) == sorted(str(p) for p in entries[:2])
    assert all(d.line == 0 and "parsed again" in d.hint for d in named)
    clean = tmp_path / "clean"
    build(load_config(None, notes=vault, out=clean, cwd=tmp_path), record=False, jobs=1)
    assert _site(vault.parent / "site") == _site(clean)
    (vault / "new.md").write_text("# New\n\nAnother change.\n", encoding="utf-8")
    again = _build(vault)  # the entries were replaced
    assert not [d for d in again.warnings if "could not be read" in d.message]


def test_an_entry_of_another_note_is_not_trusted(vault):
    cfg = _cfg(vault)
    cache = NoteCache.open(cfg)
    rel, data = _notes(vault)[0]
    cache.put("somewhere/else.md", data, parse_note("somewhere/else.md", data, Pipeline(cfg).md))
    # the same bytes under another path: an entry copied in by hand lands under the wrong name
    other = cache._path(entry_name("somewhere/else.md", data))
    target = cache._path(entry_name(rel, data))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(other, target)
    assert cache.get(rel, data) is None
    assert cache.problems and f"holds somewhere/else.md, not {rel}" in cache.problems[0].message


def test_a_cache_of_other_settings_or_versions_is_removed(vault):
    cfg = _cfg(vault)
    stale = cache_root(cfg) / "0123456789abcdef01234567"
    stale.mkdir(parents=True)
    (stale / "entry").write_bytes(b"from an older mlnotes")
    NoteCache.open(cfg)
    assert not stale.exists()
    assert parse_key(cfg) != parse_key(_cfg(vault, raw_html=False))
    assert parse_key(cfg) != parse_key(_cfg(vault, breaks=True))


# -- parsing on several cores ---------------------------------------------------------


def test_notes_parsed_by_workers_equal_notes_parsed_here(md, monkeypatch):
    items = [item for folder in VAULTS for item in _notes(folder)]
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)  # fork even for the fixture vaults
    forked = parallel.parse_all(items, md, jobs=3)
    assert forked == [parse_note(rel, data, md) for rel, data in items]
    assert [n.parse_env for n in forked] == [parse_note(rel, data, md).parse_env for rel, data in items]


def test_a_site_parsed_on_two_cores_is_byte_identical(vault, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    one, two = tmp_path / "one", tmp_path / "two"
    build(load_config(None, notes=vault, out=one, cwd=tmp_path), jobs=1)
    report = build(load_config(None, notes=vault, out=two, cwd=tmp_path), jobs=2)
    assert not report.errors
    assert _site(one) == _site(two)


def test_a_worker_that_dies_costs_only_time(md, monkeypatch):
    items = _notes(DEMO_VAULT)
    parent = os.getpid()
    real = parallel.parse_note

    def dying(rel, data, parser):
        if os.getpid() != parent:
            os._exit(3)  # the worker is killed mid-share
        return real(rel, data, parser)

    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    monkeypatch.setattr(parallel, "parse_note", dying)
    assert parallel.parse_all(items, md, jobs=2) == [real(rel, data, md) for rel, data in items]


def test_cached_and_parsed_notes_mix_in_one_load(md, tmp_path, monkeypatch):
    cfg = load_config(None, notes=BASIC_VAULT, out=tmp_path / "site", cwd=tmp_path)
    items = _notes(BASIC_VAULT)
    cache = NoteCache.open(cfg)
    parallel.parse_all(items[::2], md, cache)  # half of them cached
    monkeypatch.setattr(parallel, "MIN_SHARE", 1)
    again = NoteCache.open(cfg)
    notes = parallel.parse_all(items, md, again, jobs=2)
    assert (again.hits, again.misses) == (len(items[::2]), len(items) - len(items[::2]))
    assert notes == [parse_note(rel, data, md) for rel, data in items]
    kept = NoteCache.open(cfg)
    assert all(kept.get(rel, data) is not None for rel, data in items)  # what the workers parsed too


def test_serve_reads_the_cache_of_its_parser_settings(tmp_path):
    """A config edit that changes how notes parse (`max_note_bytes`) must not bring back notes parsed
    under the old settings: the preview opens the cache of the new key."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "html.md").write_text("# Html\n\nsome <b>bold</b> text\n", encoding="utf-8")
    config = tmp_path / "mlnotes.yaml"
    config.write_text("max_note_bytes: 1000\n", encoding="utf-8")

    def current():
        return load_config(config, notes=notes, out=tmp_path / "site", cwd=tmp_path)

    build(current(), record=True, jobs=1)  # the cache holds the note parsed as Markdown
    live = LiveSite(current(), reload_config=current)
    live.start()
    assert live.pipeline.note_cache is not None and live.pipeline.note_cache.hits == 1
    page = live.pipeline.render("/html/")
    assert page is not None and b"some <b>bold</b> text" in page
    config.write_text("max_note_bytes: 20\n", encoding="utf-8")  # now too big: shown as plain text
    live.update([config])
    page = live.pipeline.render("/html/")
    assert page is not None and b"some <b>bold</b> text" not in page and b"&lt;b&gt;bold" in page


@pytest.mark.parametrize("seed", [3, 4])
def test_warm_builds_after_random_edits_equal_clean_builds(tmp_path, seed):
    """The differential check of the cache path: after each random edit (test_incremental's
    Editor: bodies, titles, new, deleted, renamed and moved notes, drafts, broken and fixed
    front matter), a build that loads unchanged notes from the note cache and links unchanged
    files writes exactly the files of a clean build without any cache."""
    from test_incremental import Editor

    notes = tmp_path / "notes"
    shutil.copytree(BASIC_VAULT, notes)
    editor = Editor(notes, random.Random(seed))
    ops = [editor.edit_body, editor.delete_line, editor.retitle, editor.create, editor.delete, editor.rename]
    ops += [editor.move_folder, editor.toggle_draft, editor.break_note, editor.fix_note]
    _build(notes)
    for step in range(12):
        op = editor.rng.choice(ops)
        op()
        warm = _build(notes)
        assert warm.pages and not [d for d in warm.diagnostics if ".mlnotes-cache" in d.path]
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        build(load_config(None, notes=notes, out=clean, cwd=tmp_path), record=False, jobs=1)
        got, want = _site(notes.parent / "site"), _site(clean)
        differing = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
        assert not differing, f"step {step} ({op.__name__}): {differing}"
