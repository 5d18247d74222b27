"""The explorer (emit/explorer.py): /explorer.js lists every folder and note once for the whole
site; each page of a note inlines only the path to it. Browser behaviour: test_browser_explorer.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import BASIC_VAULT, build_vault
from mlnotes_site import urls
from mlnotes_site.config import load_config
from mlnotes_site.emit.explorer import data_text, folders_of, tree
from mlnotes_site.serve.live import LiveSite


def explorer_data(site_dir: Path) -> dict:
    """The object /explorer.js assigns to window.mlnotesExplorer."""
    text = (site_dir / "explorer.js").read_text(encoding="utf-8")
    prefix = "window.mlnotesExplorer = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


def sidebar(html: str) -> str:
    """The explorer's part of a page."""
    found = re.search(r'<nav class="explorer".*?</nav>', html, re.S)
    assert found, "the page has no explorer"
    return found.group(0)


def test_the_data_file_lists_every_folder_and_note_in_vault_order(basic_site) -> None:
    out, report = basic_site
    data = explorer_data(out)
    assert data["folders"] == ["", "sub"]
    assert data["notes"] == [
        [0, "/bom-笔记/", "BOM 笔记"],
        [0, "/notes/collection/", "collection"],  # a collection: its own page
        [0, "/plain-note/", "plain note"],
        [0, "/只有一个标题-single-heading/", "只有一个标题 Single Heading"],
        [0, "/notes/split/", "Split Note"],
        [1, "/adam-优化器/", "Adam 优化器"],
        [0, "/todo/", "TODO"],
        [0, "/whole-a/", "Whole A"],
    ]
    assert "draft" not in (out / "explorer.js").read_text(encoding="utf-8").lower()  # drafts are not published


def test_folders_come_before_their_subfolders_sorted_by_name(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    for rel in ("z.md", "b/x.md", "a-b/y.md", "a/deep/er/n.md", "a/m.md"):
        (notes / rel).parent.mkdir(parents=True, exist_ok=True)
        (notes / rel).write_text(f"# {rel}\n\ntext\n", encoding="utf-8")
    report = build_vault(notes, tmp_path / "site")
    assert report.site is not None
    folders, rows = tree(report.site)
    assert folders == ("", "a", "a/deep", "a/deep/er", "a-b", "b")  # every folder, the empty ones too
    assert [folders[r[0]] for r in rows] == ["a-b", "a/deep/er", "a", "b", ""]  # notes in vault order (by path)
    assert folders_of("a/deep/er/n.md") == ["a", "a/deep", "a/deep/er"]


def test_note_text_is_escaped_and_urls_are_encoded(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "x.md").write_text("---\ntitle: </script><b>&amp;\npermalink: /a b%/\n---\ntext\n", encoding="utf-8")
    report = build_vault(notes, tmp_path / "site")
    text = (tmp_path / "site" / "explorer.js").read_text(encoding="utf-8")
    assert "<" not in text and ">" not in text and "&" not in text
    assert explorer_data(tmp_path / "site")["notes"] == [[0, "/a%20b%25/", "</script><b>&amp;"]]
    page = (tmp_path / "site" / "a b%" / "index.html").read_text(encoding="utf-8")
    assert 'data-note="/a%20b%25/"' in page  # the page names its note as the data file does
    assert report.site is not None and data_text(*tree(report.site)) == text


def test_a_note_page_inlines_the_path_to_its_note_and_marks_itself(basic_site) -> None:
    out, _ = basic_site
    adam = sidebar((out / "adam-优化器" / "index.html").read_text(encoding="utf-8"))
    assert '<details open data-folder="sub"><summary>sub</summary>' in adam
    assert '<a href="./" aria-current="page">Adam 优化器</a>' in adam
    assert adam.count("<li") == 2  # the folder and the note: nothing else of the vault
    part = sidebar((out / "part-two" / "index.html").read_text(encoding="utf-8"))
    assert 'data-note="/notes/split/"' in part and '<a href="../notes/split/">Split Note</a>' in part
    assert '<a href="../part-one/">Part One</a>' in part  # the note's topics …
    assert '<a href="./" aria-current="page">Part Two</a>' in part  # … this one marked
    collection = sidebar((out / "notes" / "collection" / "index.html").read_text(encoding="utf-8"))
    assert '<a href="./" aria-current="page">collection</a>' in collection
    assert 'href="../../梯度爆炸-梯度消失/#place-2"' in collection  # a later place of a merged topic
    home = sidebar((out / "index.html").read_text(encoding="utf-8"))
    assert 'data-src="explorer.js"' in home and "<li" not in home  # the tree comes from the data file


def test_pages_do_not_grow_with_the_vault(tmp_path: Path) -> None:
    sizes = []
    for n in (3, 300):
        notes = tmp_path / f"v{n}" / "notes"
        (notes / "folder").mkdir(parents=True)
        for i in range(n):
            (notes / "folder" / f"n{i:03d}.md").write_text(f"# Note {i:03d}\n\ntext {i}\n", encoding="utf-8")
        build_vault(notes, tmp_path / f"v{n}" / "site")
        page = (tmp_path / f"v{n}" / "site" / "note-001" / "index.html").read_text(encoding="utf-8")
        sizes.append(len(sidebar(page)))
    assert sizes[0] == sizes[1]


def test_explorer_js_is_reserved(tmp_path: Path) -> None:
    assert urls.reserved(urls.EXPLORER)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "x.md").write_text("---\ntitle: X\npermalink: /explorer.js\n---\ntext\n", encoding="utf-8")
    report = build_vault(notes, tmp_path / "site")
    assert any("permalink" in d.message for d in report.errors)
    assert explorer_data(tmp_path / "site")["notes"] == [[0, "/x/", "X"]]


@pytest.fixture
def live(tmp_path: Path):
    notes = tmp_path / "notes"
    shutil.copytree(BASIC_VAULT, notes)
    site = LiveSite(load_config(None, notes=notes, out=tmp_path / "never-written", cwd=tmp_path))
    site.start()
    return site, notes


def test_serve_renders_the_data_file_again_only_when_the_tree_changes(live) -> None:
    site, notes = live
    first = site.response(urls.EXPLORER).body
    renders = site.renders
    note = notes / "whole.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nmore text\n", encoding="utf-8")
    site.update([note])
    assert site.response(urls.EXPLORER).body == first and site.renders == renders  # text only: kept
    (notes / "sub" / "new.md").write_text("# 新笔记 New\n\ntext\n", encoding="utf-8")
    site.update([notes / "sub" / "new.md"])
    assert '[1,"/新笔记-new/","新笔记 New"]' in site.response(urls.EXPLORER).body.decode()
