"""Links and attachments as Obsidian resolves them: by name anywhere in the vault, PDFs,
audio and video shown in the page (the fixture vault tests/fixtures/vaults/attachments)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, build_vault
from mlnotes_site.graph.state import build_graph
from mlnotes_site.load.note import parse_note

VAULT = FIXTURES / "vaults" / "attachments"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("attachments") / "site"
    report = build_vault(VAULT, out)
    page = (out / "附件-attachments" / "index.html").read_text(encoding="utf-8")
    body = page.split('<div class="markdown">', 1)[1].split("</div>", 1)[0]
    return out, report, body


def test_images_and_links_are_found_by_name_anywhere_in_the_vault(built) -> None:
    out, _, body = built
    cat = "../assets/attachments/deep/cat.png"
    assert body.count(f'<img src="{cat}"') == 2  # ![[cat.png]] and ![](cat.png)
    assert f'<a class="internal" href="{cat}">see picture</a>' in body  # [[cat.png|see picture]]
    assert f'<a class="internal" href="{cat}">deep/cat.png</a>' in body  # a partial path
    assert (out / "assets" / "attachments" / "deep" / "cat.png").is_file()
    # [[b.md]], [b](b.md), [[sub/b]], [x](b.md#小节) from a note in another folder
    assert body.count('href="../b/"') == 3 and 'href="../b/#小节"' in body
    assert body.count("broken-link") == 1  # only ![[gone.png|300]]


def test_an_image_fragment_is_the_images_own(built) -> None:
    _, _, body = built
    assert '<img src="../assets/attachments/icon.svg" alt="icon.svg" class="embed-image">' in body


def test_pdf_audio_and_video_are_shown_with_their_elements(built) -> None:
    out, _, body = built
    pdf = '<iframe class="embed-pdf" src="../assets/attachments/doc.pdf" title="doc.pdf" loading="lazy"></iframe>'
    assert body.count(pdf) == 2  # ![[doc.pdf]] and ![](doc.pdf)
    assert '<audio class="embed-audio" src="../assets/media/talk.mp3" controls' in body
    video = '<video class="embed-video" src="../assets/media/clip.mp4" controls preload="metadata" title="演示视频">'
    assert video in body
    for rel in ("attachments/doc.pdf", "media/talk.mp3", "media/clip.mp4"):
        assert (out / "assets" / rel).read_bytes() == (VAULT / rel).read_bytes()


def test_a_broken_sized_embed_shows_the_file_name_and_warns_at_its_line(built) -> None:
    _, report, body = built
    assert '<span class="broken-link" title="缺少图片：gone.png">gone.png</span>' in body and ">300<" not in body
    broken = [d for d in report.warnings if "gone.png" in d.message]
    assert [(d.path, d.line) for d in broken] == [("a.md", 23)]


def test_an_ambiguous_name_prefers_the_shortest_path_and_warns_with_both(built) -> None:
    out, report, body = built
    assert '<img src="../assets/x/dup.png" alt="dup.png"' in body
    (ambiguous,) = [d for d in report.warnings if "could mean" in d.message]
    assert (ambiguous.path, ambiguous.line) == ("a.md", 25)
    assert "using x/dup.png" in ambiguous.message and "y/z/dup.png" in ambiguous.message
    # a note beside one of them uses its own folder's file, and nothing is ambiguous for it
    near = (out / "near" / "index.html").read_text(encoding="utf-8")
    assert '<img src="../assets/x/dup.png"' in near
    assert not [d for d in report.warnings if d.path == "x/near.md"]
    assert len(report.warnings) == 2


def test_the_same_folder_wins_over_a_shorter_path(md) -> None:
    notes = {
        "deep/er/n.md": "# N\n\n![[pic.png]] [[m]]\n",
        "a.md": "# A\n",
    }
    parsed = {rel: parse_note(rel, text.encode(), md) for rel, text in notes.items()}
    site = build_graph(parsed, frozenset({"pic.png", "deep/er/pic.png", "other/pic.png"}))
    resolved = site.resolved["deep/er/n.md"][("image", "pic.png", "")]
    assert resolved.asset == "deep/er/pic.png" and resolved.ambiguous == ()  # the note's folder: no question
    site = build_graph(parsed, frozenset({"pic/x/pic.png", "deep/er/sub/pic.png", "zz/pic.png"}))
    resolved = site.resolved["deep/er/n.md"][("image", "pic.png", "")]
    assert resolved.asset == "zz/pic.png"  # fewest folders
    assert resolved.ambiguous == ("zz/pic.png", "pic/x/pic.png", "deep/er/sub/pic.png")


def test_serve_sees_a_file_added_elsewhere(tmp_path: Path) -> None:
    """Resolution by name reads the index's names: adding the file later fixes the link live."""
    from mlnotes_site.config import load_config
    from mlnotes_site.pipeline import Pipeline

    notes = tmp_path / "notes"
    (notes / "n").mkdir(parents=True)
    (notes / "n" / "a.md").write_text("# A\n\n![[later.png]] [[other]]\n", encoding="utf-8")
    (notes / "other.md").write_text("# Other\n", encoding="utf-8")
    pipeline = Pipeline(load_config(None, notes=notes, out=tmp_path / "site", cwd=tmp_path), serve=True)
    pipeline.load()
    assert b"broken-link" in (pipeline.render("/a/") or b"")
    (notes / "files").mkdir()
    (notes / "files" / "later.png").write_bytes((VAULT / "x" / "dup.png").read_bytes())
    delta = pipeline.update([notes / "files" / "later.png"])
    page = pipeline.render("/a/") or b""
    assert b'src="../assets/files/later.png"' in page and b"broken-link" not in page
    assert not [d for d in delta.warnings if d.path == "n/a.md"]
