"""Renderer rules and the Linker: what one page's HTML says about links, images and headings."""

from mlnotes_site.emit.linker import Linker
from mlnotes_site.graph.state import build_graph
from mlnotes_site.load.note import parse_note


def test_rules_fall_back_to_plain_markdown_without_a_linker(md):
    html = md.render("## Head\n\n[[Page|label]] #tag [x](a.md) ![i](b.png)\n")
    assert "<h2>Head</h2>" in html
    assert '<a class="wikilink">label</a>' in html and '<span class="tag">#tag</span>' in html
    assert '<a href="a.md">x</a>' in html and '<img src="b.png" alt="i" />' in html


def _site(md, files, other=frozenset()):
    notes = {rel: parse_note(rel, text.encode(), md) for rel, text in files.items()}
    return build_graph(notes, other)


def test_linker_answers_relative_to_the_page(md):
    text = "# X\n## H\n![p](pic.png) ![g](gone.png) [b](../b.md) [n](nope.md) [[B]] [[#H]] [[B#No]]\n"
    site = _site(md, {"a/x.md": text, "b.md": "# B\n"}, frozenset({"a/pic.png"}))
    linker = Linker(site, site.notes["a/x.md"], "/x/")
    assert linker.link("../b.md").href == "../b/"
    assert linker.link("https://x.org").css == "external" and linker.link("https://x.org").external
    assert linker.link("mailto:a@b").css == ""
    assert linker.link("nope.md").broken
    assert linker.wiki("B", "").href == "../b/"
    assert linker.wiki("", "H").href == "#h"
    assert linker.wiki("B", "No").href == "../b/"  # no such heading: the note itself (and a warning)
    assert linker.image("pic.png").href == "../assets/a/pic.png"
    assert linker.image("gone.png").broken
    remote = linker.image("https://x.org/i.png")
    assert remote.external and remote.href == "https://x.org/i.png"
    assert linker.tag("机器学习") == "../tags/机器学习/"


def test_the_linker_only_reads_what_the_graph_stage_resolved(md):
    """One resolver: the renderer never resolves a link itself; a question no link of the
    note asked (a loader/renderer mismatch) gets no answer, so it cannot silently differ."""
    site = _site(md, {"a/x.md": "# X\n[b](../b.md)\n", "b.md": "# B\n"})
    assert ("link", "../b.md", "") in site.resolved["a/x.md"]
    linker = Linker(site, site.notes["a/x.md"], "/x/")
    assert linker.link("../b.md").href == "../b/"
    assert linker.link("../b.md#top").broken  # never written in the note, never resolved


def test_a_newline_between_cjk_characters_renders_as_nothing(md):
    html = md.render("第一行中文\n第二行，\n继续 English\nwords 和\nmore\n")
    assert html == "<p>第一行中文第二行，继续 English\nwords 和\nmore</p>\n"  # Latin keeps its space


def test_breaks_option_renders_every_newline_as_br(tmp_path):
    from conftest import build_vault

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n\n第一行\n第二行\nline\n", encoding="utf-8")
    build_vault(notes, tmp_path / "site", breaks=True)
    page = (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert "<p>第一行<br>\n第二行<br>\nline</p>" in page
