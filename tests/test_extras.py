"""The extras fixture vault (tests/fixtures/vaults/extras/): Obsidian image sizes, math in
headings (table of contents, page title, search text) and Mermaid diagrams."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, build_vault

EXTRAS = FIXTURES / "vaults" / "extras"


@pytest.fixture(scope="module")
def extras(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("extras") / "site"
    report = build_vault(EXTRAS, out)
    assert [d.message for d in report.diagnostics] == ["missing image 'img/gone.png'"]
    return out


def _page(out: Path, slug: str) -> str:
    return (out / slug / "index.html").read_text(encoding="utf-8")


def test_image_sizes_set_width_and_height(extras):
    images = re.findall(r"<img [^>]*>", _page(extras, "图片尺寸-image-sizes"))
    assert images == [
        '<img src="../assets/img/cat.png" alt="cat.png" width="250">',  # ![250](…): the file's name as alt
        '<img src="../assets/img/cat.png" alt="一只猫" width="250">',
        '<img src="../assets/img/cat.png" alt="一只猫" width="250" height="100" class="sized">',
        '<img src="https://example.com/cat.png" alt="远程 remote" loading="lazy" width="300">',
        '<img src="../assets/img/cat.png" alt="cat.png" class="embed-image" width="250">',
        '<img src="../assets/img/cat.png" alt="一只猫" class="embed-image sized" width="120" height="80">',
        '<img src="../assets/img/cat.png" alt="图 2">',  # a number after a space is alt text
    ]
    assert '<span class="missing-image" title="Missing image: img/gone.png">gone</span>' in _page(
        extras, "图片尺寸-image-sizes"
    )


@pytest.mark.parametrize(
    "text, alt, width, height",
    [
        ("![250](a/cat.png)", "cat.png", "250", None),
        ("![alt|250](cat.png)", "alt", "250", None),
        ("![alt|250x100](cat.png)", "alt", "250", "100"),
        ("![a | 30 × 20](cat.png)", "a", "30", "20"),
        ("![*强调*|250](cat.png)", "强调", "250", None),
        ("![*250*](cat.png)", "250", None, None),  # emphasised: text, not a size
        ("![图 2](cat.png)", "图 2", None, None),
        ("![v|1234567](cat.png)", "v|1234567", None, None),  # more than 5 digits: text
    ],
)
def test_image_size_syntax(md, text, alt, width, height):
    from mlnotes_site.load.note import parse_note

    note = parse_note("a.md", (text + "\n").encode(), md)
    assert [image.alt for image in note.images] == [alt]
    html = md.render(text + "\n")
    assert (f' width="{width}"' in html) == bool(width) and (f' height="{height}"' in html) == bool(height)
