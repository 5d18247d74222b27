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
