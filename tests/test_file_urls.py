"""A site that opens from disk (issue 15 item 6, config `file_urls`): links to folders end in
index.html, and graph.json also comes as a script; the browser test opens it over file://."""

from __future__ import annotations

import json
import re

import pytest

from conftest import BASIC_VAULT, build_vault
from mlnotes_site.paths import with_index_html
from sitecheck import parse


@pytest.mark.parametrize(
    "html, expected",
    [
        ('<a href="../b/">', '<a href="../b/index.html">'),
        ('<a href="../b/#x">', '<a href="../b/index.html#x">'),
        ('<a href="./">', '<a href="./index.html">'),
        ('<a href="search/?q=1">', '<a href="search/index.html?q=1">'),
        ('<a class="x" href="a/b/c/">', '<a class="x" href="a/b/c/index.html">'),
        ('<a href="#x">', '<a href="#x">'),  # the page itself
        ('<a href="https://e.org/a/">', '<a href="https://e.org/a/">'),  # another site
        ('<a href="/abs/">', '<a href="/abs/">'),  # root-relative (only the 404 page has these)
        ('<img src="../assets/a.png">', '<img src="../assets/a.png">'),  # a file
        ('<canvas data-root="../">', '<canvas data-root="../">'),  # what scripts build from
        ('<p>href="../b/" is text</p>', '<p>href="../b/" is text</p>'),  # not an attribute
    ],
)
def test_folder_links_get_their_index_html(html, expected):
    assert with_index_html(html) == expected


def test_a_file_urls_site_links_to_index_html_and_ships_the_graph_as_a_script(tmp_path):
    plain = build_vault(BASIC_VAULT, tmp_path / "plain")
    assert plain.errors == []
    assert not (tmp_path / "plain" / "graph.json.js").exists()
    build_vault(BASIC_VAULT, tmp_path / "disk", file_urls=True)
    out = tmp_path / "disk"
    pages = sorted(out.rglob("*.html"))
    folder_links = []
    for page in pages:
        if page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        assert "data-file-urls" in html
        for tag, ref in parse(html).refs:
            path = re.split(r"[?#]", ref)[0]
            if path and not re.match(r"^[a-z]+:|^/|^#", ref) and tag == "a":
                assert not path.endswith("/"), f"{page}: {ref}"
                folder_links.append(ref)
    assert sum(r.split("#")[0].endswith("index.html") for r in folder_links) > 20
    script = (out / "graph.json.js").read_text(encoding="utf-8")
    assert script.startswith("window.mlnGraphJSON = ") and script.rstrip().endswith(";")
    data = json.loads(script[len("window.mlnGraphJSON = ") :].rstrip().rstrip(";"))
    assert data == json.loads((out / "graph.json").read_text(encoding="utf-8"))


def test_preview_files_hold_each_page_once_and_serve_keeps_them_current(tmp_path):
    """The previews of a `file_urls` site: every topic and collection page in the file its URL
    hashes to, with its title and summary; after an edit the preview equals a clean build."""
    import shutil

    from mlnotes_site.config import load_config
    from mlnotes_site.emit.previews import shard_of
    from mlnotes_site.emit.render import previews_count
    from mlnotes_site.pipeline import Pipeline

    notes = tmp_path / "notes"
    shutil.copytree(BASIC_VAULT, notes)
    cfg = load_config(None, notes=notes, out=tmp_path / "never", cwd=tmp_path, file_urls=True)
    live = Pipeline(cfg, serve=True)
    live.load()
    site = live.site
    assert site is not None
    count = previews_count(site)
    files = [rel for rel in live.manifest() if rel.startswith("previews/")]
    assert files == [f"previews/{k}.js" for k in range(count)]
    entries: dict[str, list[str]] = {}
    for rel in files:
        text = live.output(rel).decode("utf-8")
        assert text.startswith("window.mlnPreviews(") and text.rstrip().endswith(");")
        found = json.loads(text[len("window.mlnPreviews(") : text.rstrip().rindex(")")])
        assert all(shard_of(url, count) == int(rel[9:-3]) for url in found)
        entries.update(found)
    pages = {t.url for t in site.topics.values() if not t.place_id} | {p.url for p in site.note_pages.values()}
    assert set(entries) == pages
    edited = notes / "plain note.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n新加的一段话，预览要跟着变。\n", encoding="utf-8")
    live.update([edited])
    fresh = Pipeline(cfg)
    fresh.load()
    assert {rel: live.output(rel) for rel in live.manifest()} == {rel: fresh.output(rel) for rel in fresh.manifest()}
