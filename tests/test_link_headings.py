"""Links to headings as Obsidian writes them: nested heading paths, and a heading that is
not there (a translated or edited vault) opening the note with a warning."""

from __future__ import annotations

from mlnotes_site.graph.state import build_graph
from mlnotes_site.load.note import parse_note

B = "# B\n\ntext\n\n## Head One\n\none\n\n### Sub Two\n\nfirst\n\n## Other\n\nother\n\n### Sub Two\n\nsecond\n"


def _site(md, a: str):
    notes = {rel: parse_note(rel, text.encode(), md) for rel, text in {"a.md": a, "b.md": B}.items()}
    return build_graph(notes)


def test_a_nested_heading_path_is_the_last_heading_under_the_earlier_ones(md) -> None:
    site = _site(md, "# A\n\n[[b#Head One#Sub Two]] [[b#Other#Sub Two]] [[b#B#Other#Sub Two]] [[b#Head One#Nope]]\n")
    results = site.resolved["a.md"]
    first = results[("wiki", "b", "Head One#Sub Two")].target
    second = results[("wiki", "b", "Other#Sub Two")].target
    assert first is not None and second is not None
    assert first.url == second.url == "/b/" and first.anchor != second.anchor
    headings = {site.index.heading_at[("b.md", h.token_index)].anchor: h.line for h in site.notes["b.md"].headings}
    assert headings[first.anchor] == 9 and headings[second.anchor] == 17
    assert results[("wiki", "b", "B#Other#Sub Two")].target == second  # ancestors need not be adjacent
    missing = results[("wiki", "b", "Head One#Nope")]
    assert missing.target is not None and missing.target.anchor == "" and missing.missing_heading == "Head One#Nope"


def test_a_missing_heading_on_an_existing_note_opens_the_note_with_a_warning(md) -> None:
    site = _site(md, "# A\n\n[[b#No Such Heading]]\n\n[x](b.md#nope)\n\n[[nowhere#Head]]\n")
    results = site.resolved["a.md"]
    for key in (("wiki", "b", "No Such Heading"), ("link", "b.md#nope", "")):
        assert results[key].target is not None and results[key].target.url == "/b/", key
    assert results[("wiki", "nowhere", "Head")].target is None  # no such note: still broken
    found = sorted((d.line, d.message) for d in site.diagnostics if d.path == "a.md")
    assert found[0] == (3, "link [[b#No Such Heading]]: the note has no heading 'No Such Heading'; it opens the note")
    assert found[1] == (5, "link (b.md#nope): the note has no heading 'nope'; it opens the note")
    assert found[2][0] == 7 and found[2][1].startswith("broken link [[nowhere#Head]]")
    assert [b.url for b in site.backlinks["/b/"]] == ["/a/"]  # the links open B: a backlink


def test_links_to_the_sites_own_pages_are_not_broken(md) -> None:
    site = _site(md, "# A\n\n[home](/) [tags](/tags/) [todo](/tasks/) [graph](/graph/) [nothing](/nowhere/)\n")
    results = site.resolved["a.md"]
    assert [results[("link", href, "")].target is not None for href in ("/", "/tags/", "/tasks/", "/graph/")] == [
        True
    ] * 4
    assert results[("link", "/nowhere/", "")].target is None
    assert [d.message.split(":")[0] for d in site.diagnostics if d.path == "a.md"] == ["broken link (/nowhere/)"]


def test_block_references_get_ids_and_links_reach_them(tmp_path) -> None:
    from conftest import build_vault

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "b.md").write_text("# B\n\n第一段。\n\n重要的一段 ^key\n\n- 列表项 ^item\n- 另一项\n", encoding="utf-8")
    (notes / "a.md").write_text(
        "# A\n\n见 [[b#^key]] 和 [[b#^item]]，坏的 [[b#^none]]\n\n![[b#^key]]\n\n本页 [[#^here]]\n\n这里 ^here\n",
        encoding="utf-8",
    )
    report = build_vault(notes, tmp_path / "site")
    b = (tmp_path / "site" / "b" / "index.html").read_text(encoding="utf-8")
    assert '<p id="key">重要的一段</p>' in b and '<li id="item">列表项</li>' in b and "^key" not in b
    a = (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert 'href="../b/#key"' in a and 'href="../b/#item"' in a and 'href="#here"' in a
    embed = a.split('<div class="embed-content">', 1)[1].split("</div>", 1)[0]
    assert embed.strip() == '<p id="key">重要的一段</p>'  # the block alone, not the whole note
    assert [(d.line, d.message.split(":")[0]) for d in report.warnings] == [(3, "broken link [[b#^none]]")]
