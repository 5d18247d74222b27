"""Wikilinks to files that are not notes: `[[pic.png]]` links to the image file beside the
note and `![[pic.png]]` shows it. Neither is a broken link, and the href/src of both resolve to
a file copied into the built site (under `assets/`), byte for byte the file in the notes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import BASIC_VAULT, build_vault
from sitecheck import file_of, parse

# a 1x1 PNG (any bytes would do: the build copies files, it does not decode them)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201ff0a2db4b00000000049454e44ae426082"
)


def page_html(site: Path, url: str) -> str:
    return file_of(site, url).read_text(encoding="utf-8")


def refs_to(site: Path, url: str, name: str) -> dict[str, list[Path]]:
    """For the page at `url`: tag -> output files that its href/src values ending in `name` point at."""
    found: dict[str, list[Path]] = {}
    for tag, ref in parse(page_html(site, url)).refs:
        if unquote(urlsplit(ref).path).rsplit("/", 1)[-1] == name:
            target = urlsplit(urljoin("http://x" + url, ref)).path
            found.setdefault(tag, []).append(file_of(site, target))
    return found


def about(report, name: str) -> list[str]:
    return [d.format() for d in report.diagnostics if name in d.message]


def assert_copied(site: Path, targets: list[Path], source: Path) -> None:
    for target in targets:
        assert target.is_file(), f"{target.relative_to(site)} is linked but was not written"
        assert (site / "assets") in target.parents, f"{target.relative_to(site)} is not under assets/"
        assert target.read_bytes() == source.read_bytes()


# --- the basic fixture vault: collection.md links and embeds pic.png (lines 25 and 26) ----------


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    out = tmp_path_factory.mktemp("basic-files") / "site"
    return out, build_vault(BASIC_VAULT, out)


def test_basic_vault_link_and_embed_of_an_image_file_are_not_broken(basic):
    _, report = basic
    assert about(report, "pic.png") == []
    assert [d.format() for d in report.diagnostics if d.path == "collection.md" and d.line in (25, 26)] == []


def test_basic_vault_link_and_embed_of_an_image_file_resolve_to_copied_files(basic):
    site, _ = basic
    refs = refs_to(site, "/梯度爆炸-梯度消失/", "pic.png")
    assert len(refs.get("a", [])) == 1, f"[[pic.png]] should be one link: {refs}"
    assert len(refs.get("img", [])) == 1, f"![[pic.png]] should be one image: {refs}"
    assert_copied(site, refs["a"] + refs["img"], BASIC_VAULT / "pic.png")
    html = page_html(site, "/梯度爆炸-梯度消失/")
    assert "broken-link" not in html.split("链接到图片文件", 1)[1].split("</p>", 1)[0]


# --- small vaults: each form on its own, so the one cannot copy the file for the other ------------


def small_vault(tmp_path: Path, folder: str, line: str) -> tuple[Path, Path]:
    """notes/<folder>a.md (title Alpha) holding `line`, pic.png beside it, and one other note."""
    notes = tmp_path / "notes"
    (notes / folder).mkdir(parents=True, exist_ok=True)
    (notes / folder / "a.md").write_text(f"# Alpha\n\n{line}\n", encoding="utf-8")
    (notes / folder / "pic.png").write_bytes(PNG)
    (notes / "other.md").write_text("# Other\n\nplain\n", encoding="utf-8")
    return notes, tmp_path / "site"


FOLDERS = pytest.mark.parametrize("folder", ["", "sub/"], ids=["top", "subfolder"])
FORMS = pytest.mark.parametrize(
    "line, tag",
    [("see [[pic.png]] here", "a"), ("![[pic.png]]", "img"), ("see [[pic.png|the picture]] here", "a")],
    ids=["link", "embed", "link-with-label"],
)


@FOLDERS
@FORMS
def test_a_file_beside_the_note_is_not_a_broken_link(tmp_path: Path, folder: str, line: str, tag: str) -> None:
    notes, site = small_vault(tmp_path, folder, line)
    report = build_vault(notes, site)
    assert [d.format() for d in report.diagnostics] == []


@FOLDERS
@FORMS
def test_a_file_beside_the_note_resolves_to_a_copied_file(tmp_path: Path, folder: str, line: str, tag: str) -> None:
    notes, site = small_vault(tmp_path, folder, line)
    build_vault(notes, site)
    refs = refs_to(site, "/alpha/", "pic.png")
    assert list(refs) == [tag] and len(refs[tag]) == 1, refs
    assert_copied(site, refs[tag], notes / folder / "pic.png")


def test_a_link_to_another_kind_of_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# Alpha\n\nthe paper: [[paper.pdf]]\n", encoding="utf-8")
    (notes / "paper.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    site = tmp_path / "site"
    report = build_vault(notes, site)
    refs = refs_to(site, "/alpha/", "paper.pdf")
    assert list(refs) == ["a"] and len(refs["a"]) == 1, refs
    assert_copied(site, refs["a"], notes / "paper.pdf")
    assert [d.format() for d in report.diagnostics] == []


def test_a_link_to_a_file_that_does_not_exist_is_still_broken(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# Alpha\n\nsee [[nothing.png]]\n", encoding="utf-8")
    site = tmp_path / "site"
    report = build_vault(notes, site)
    assert [(d.path, d.line, d.level) for d in report.diagnostics] == [("a.md", 3, "warning")]
    assert "broken link" in report.diagnostics[0].message and "nothing.png" in report.diagnostics[0].message
    assert refs_to(site, "/alpha/", "nothing.png") == {}, "a broken link is not a link"
