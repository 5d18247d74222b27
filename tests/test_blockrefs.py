"""Obsidian block references in every place Obsidian allows them, and links to ids that a
note's raw HTML gives (the fixture vault tests/fixtures/vaults/blockrefs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, build_vault
from mlnotes_site.load.note import parse_note
from sitecheck import markdown_body as _body

VAULT = FIXTURES / "vaults" / "blockrefs"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("blockrefs") / "site"
    report = build_vault(VAULT, out)
    return out, report


def test_a_marker_on_the_line_after_a_block_names_that_block(built) -> None:
    out, _ = built
    source = _body(out, "/来源-source/")
    assert '<p id="para-end">第一段，结尾有标记</p>' in source
    assert '<p id="next-line">第二段的标记在下一行</p>' in source  # the marker line ends the paragraph
    assert '<ul id="whole-list">' in source and '<table id="table">' in source
    assert '<blockquote id="quote">' in source
    assert '<div id="callout" class="callout callout-tip"' in source
    assert '<div id="code" class="code-block"' in source
    for name in ("para-end", "next-line", "whole-list", "table", "quote", "callout", "code", "todo-one", "todo-two"):
        assert f"^{name}" not in source  # never shown
    assert "<p>^not-a-block</p>" in source  # after a heading there is no block to name: it stays text


def test_links_reach_the_named_blocks_and_an_embed_shows_the_block_alone(built) -> None:
    out, report = built
    reader = _body(out, "/读者-reader/")
    for anchor in ("para-end", "next-line", "whole-list", "table", "quote", "callout", "code"):
        assert f'href="../来源-source/#{anchor}"' in reader
    embed = reader.split('<div class="embed-content">', 1)[1].split("</div></div>", 1)[0]
    assert embed.strip().startswith('<table id="table">') and embed.strip().endswith("</table>")
    assert "GPT-2" in embed and "引用的话" not in embed
    broken = [(d.path, d.line, d.message.split(":")[0]) for d in report.warnings]
    assert broken == [("reader.md", 5, "broken link [[source#^not-a-block]]")]


def test_a_checklist_items_block_id_is_no_part_of_its_text(built) -> None:
    out, _ = built
    source = _body(out, "/来源-source/")
    one = source.split('id="task-', 1)[1].split("</li>", 1)[0]
    assert one.endswith("> 待办事项")  # `- [ ] 待办事项 ^todo-one`
    tracker = (out / "tasks" / "index.html").read_text(encoding="utf-8")
    assert "^todo" not in tracker
    assert 'data-text="待办事项 来源 source"' in tracker and 'data-text="完成的事项 来源 source"' in tracker
    reader = _body(out, "/读者-reader/")
    # the item keeps its checklist anchor, and the block name leads there
    ids = [part.split('"', 1)[0] for part in source.split('id="task-')[1:]]
    assert f'href="../来源-source/#task-{ids[0]}"' in reader and f'href="../来源-source/#task-{ids[1]}"' in reader


def test_a_block_id_does_not_move_a_checklist_items_anchor(md) -> None:
    plain = parse_note("n.md", "# T\n\n- [ ] 读论文\n".encode(), md)
    marked = parse_note("n.md", "# T\n\n- [ ] 读论文 ^paper\n".encode(), md)
    below = parse_note("n.md", "# T\n\n- [ ] 读论文\n  ^paper\n".encode(), md)
    assert plain.tasks[0].id == marked.tasks[0].id == below.tasks[0].id
    assert marked.tasks[0].text == below.tasks[0].text == "读论文"
    assert marked.blocks == below.blocks == (("paper", plain.tasks[0].id, 4),)


@pytest.mark.parametrize(
    "text, html",
    [
        ("段落\n^a\n", '<p id="a">段落</p>\n'),
        ("段落\n\n^a\n", '<p id="a">段落</p>\n'),
        ("- x\n- y\n^a\n", '<ul id="a">\n<li>x</li>\n<li>y</li>\n</ul>\n'),  # the list, as Obsidian
        ("- x\n- y\n  ^a\n", '<ul>\n<li>x</li>\n<li id="a">y</li>\n</ul>\n'),  # indented: the item
        ("> q\n^a\n", '<blockquote id="a">\n<p>q</p>\n</blockquote>\n'),
        ("para ^a\n^b\n", '<p id="a">para</p>\n'),  # two names, one block
        ("# H\n^a\n", "<h1>H</h1>\n<p>^a</p>\n"),
        ("- ^a\n", "<ul>\n<li>^a</li>\n</ul>\n"),
        ("    ^a\n", "<pre><code>^a\n</code></pre>\n"),
        ("text ^under_score\n", "<p>text ^under_score</p>\n"),  # not a block name (Obsidian: letters, digits, -)
    ],
)
def test_marker_lines(md, text: str, html: str) -> None:
    assert md.render(text) == html


def test_a_raw_html_id_is_a_link_target(built) -> None:
    out, _ = built
    source = _body(out, "/来源-source/")
    assert '<a href="#ref-1" class="internal">1</a>' in source and '<a id="ref-1"></a>' in source
    assert '<a href="../来源-source/#ref-1" class="internal">引用</a>' in _body(out, "/读者-reader/")


def test_raw_html_ids_are_found_where_raw_html_runs(md) -> None:
    from mlnotes_site.markdown import make_parser

    text = (
        '# T\n\n<a id="ref-1"></a> one\n\n<div id=\'box\' class="x">\nhi\n</div>\n\n'
        'a <span class="a" id=sp>x</span> <a name="old">o</a> <img src="x" alt="x id=no">\n\n`<a id="code">`\n'
    )
    assert [a for a, _ in parse_note("n.md", text.encode(), md).anchors] == ["ref-1", "box", "sp", "old"]
    assert parse_note("n.md", text.encode(), make_parser(raw_html=False)).anchors == ()  # shown as text: no ids


def test_serve_follows_block_names_and_html_ids_added_by_a_text_edit(tmp_path: Path) -> None:
    """Adding `^name` or `<a id>` to a note is a text edit, yet it changes what links elsewhere
    resolve to: the preview equals a clean build after each step."""
    from test_incremental import clean_output, diff, live_site

    notes = tmp_path / "notes"
    shutil.copytree(VAULT, notes)
    b = notes / "b.md"
    b.write_text("# B\n\n一段话\n\n另一段\n", encoding="utf-8")
    (notes / "a.md").write_text("# A\n\n[[b#^later]] [x](b.md#anchor)\n", encoding="utf-8")
    live = live_site(notes, tmp_path)
    assert not diff(live.output(), clean_output(notes, tmp_path))
    for text in (
        "# B\n\n一段话 ^later\n\n另一段\n",
        '# B\n\n一段话 ^later\n\n<a id="anchor"></a>另一段\n',
        "# B\n\n一段话\n^later\n\n另一段\n",
        "# B\n\n一段话\n\n另一段\n",
    ):
        b.write_text(text, encoding="utf-8")
        live.update([b])
        assert not diff(live.output(), clean_output(notes, tmp_path)), text
