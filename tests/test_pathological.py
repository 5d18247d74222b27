"""Pathological Markdown finishes: long lines and deep nesting cost linear work, and what
markdown-it-py itself cannot bound is published as plain text with a warning.

Work is measured by counters, not wall time: `scan.Work.scanned` (characters our inline
rules searched) and the parser's look-ahead steps (`max_parse_steps`)."""

import pytest

from mlnotes_site.load.note import parse_note
from mlnotes_site.markdown import make_parser
from mlnotes_site.markdown.limits import PLAIN_NOTE
from mlnotes_site.markdown.scan import Work


def _scanned(text: str, md=None) -> int:
    before = Work.scanned
    parse_note("p.md", text.encode(), md or make_parser())
    return Work.scanned - before


# before the fix each of these searched the rest of the line from every opener: about
# n²/2 characters (2·10⁸ at n = 16,000), now a few passes over the line
@pytest.mark.parametrize(
    "unit",
    [
        "[[",
        "![[",
        "\\(",
        "\\[a ",
        "==a\\",
        "%%",
        "#tag ",
        "[[a]] ",
        "\\(a \\\\)",
        "==a ==a\\==",
        "$\\text{$",
        "$\\text{$x$}$ ",
    ],
)
def test_long_line_rules_scan_linearly(unit):
    small, big = (unit * (n // len(unit)) + "\n" for n in (4_000, 16_000))
    work_small, work_big = _scanned(small), _scanned(big)
    assert work_big <= 8 * len(big)
    assert work_big <= 6 * max(work_small, 1)  # 4× the text: about 4× the work, not 16×
    if unit not in ("%%", "==a ==a\\=="):  # (those find their closer right away)
        assert work_big >= len(big) // 2  # the rule does search through scan.py: the counter sees it


def test_line_numbers_still_counted_on_long_paragraphs():
    text = "".join(f"line {i} [[T{i}]] #tag{i} [x](u{i}) https://e.org/{i}\n" for i in range(200))
    note = parse_note("p.md", text.encode(), make_parser())
    for kind in ("wiki", "markdown", "external"):
        assert [link.line for link in note.links if link.kind == kind] == list(range(1, 201))
    assert [line for _, line in note.inline_tags] == list(range(1, 201))
    images = "".join(f"line {i} ![](p{i}.png)\n" for i in range(200))
    assert [image.line for image in parse_note("p.md", images.encode(), make_parser()).images] == list(range(1, 201))


@pytest.mark.parametrize("make", [lambda i: f"www.a{i}.com ", lambda i: f"a{i}@b.com ", lambda i: f"[a](u{i}) "])
def test_links_on_a_long_line_are_found_once(make):
    small, big = ("".join(make(i) for i in range(n)) + "\n" for n in (500, 2_000))
    work_small, work_big = _scanned(small), _scanned(big)
    assert work_big <= 4 * len(big) and work_big <= 6 * max(work_small, 1)


def test_bare_www_and_email_links_have_their_own_line():
    text = "intro [x](u)\nsee www.example.com and me@example.com\n"
    note = parse_note("p.md", text.encode(), make_parser())
    assert [(link.target, link.line) for link in note.links] == [
        ("u", 1),
        ("http://www.example.com", 2),
        ("mailto:me@example.com", 2),
    ]


def test_reference_links_do_not_rescan():
    text = "[b]: /x\n\n" + "[a][b] " * 3_000 + "\n"
    note = parse_note("p.md", text.encode(), make_parser())
    assert len(note.links) == 3_000 and {link.line for link in note.links} == {3}


def test_run_of_brackets_is_plain_text_with_a_warning():
    text = "---\ntitle: Brackets\n---\nintro\n\n" + "[" * 100_000 + "\n"
    md = make_parser()
    note = parse_note("p.md", text.encode(), md)
    assert note.title == "Brackets"  # the front matter is still read
    assert [t.type for t in note.tokens] == ["front_matter", PLAIN_NOTE]
    (diag,) = note.diagnostics
    assert diag.line == 6 and "too much work" in diag.message and "max_parse_steps" in diag.hint
    html = md.renderer.render(list(note.tokens), md.options, {})
    assert html.startswith('<pre class="plain-note">intro\n\n[[[') and html.endswith("[\n</pre>\n")


def test_parse_steps_are_a_budget_per_note():
    text = "[" * 2_000 + "\n"
    assert parse_note("p.md", text.encode(), make_parser()).tokens[0].type == "paragraph_open"
    note = parse_note("p.md", text.encode(), make_parser(max_parse_steps=1_000))
    assert note.tokens[0].type == PLAIN_NOTE


@pytest.mark.parametrize(
    "text",
    [
        "- " * 10_000 + "x\n\nafter\n",
        "> " * 10_000 + "x\n\nafter\n",
        "".join("  " * i + f"- item {i}\n" for i in range(30)) + "\nafter\n",
    ],
    ids=["list-on-one-line", "quotes", "indented-list"],
)
def test_deep_nesting_is_plain_text_not_dropped(text):
    md = make_parser()
    note = parse_note("p.md", text.encode(), md)
    assert [t.type for t in note.tokens] == [PLAIN_NOTE]
    (diag,) = note.diagnostics
    assert "nested too deeply" in diag.message
    assert "after" in md.renderer.render(list(note.tokens), md.options, {})  # markdown-it alone drops it


def test_nesting_within_the_limit_is_markdown():
    text = "".join("  " * i + f"- item {i}\n" for i in range(9)) + "\n" + "> " * 15 + "deep\n"
    note = parse_note("p.md", text.encode(), make_parser())
    assert not note.diagnostics and PLAIN_NOTE not in {t.type for t in note.tokens}


def test_note_over_the_size_limit_is_not_parsed():
    text = "---\ntitle: Big\ntags: [a]\n---\n# Heading\n\n" + "word " * 100 + "\n"
    note = parse_note("p.md", text.encode(), make_parser(max_note_bytes=200))
    assert note.title == "Big" and note.tags == ("a",) and not note.headings
    assert [t.type for t in note.tokens] == ["front_matter", PLAIN_NOTE]
    assert note.tokens[1].content.startswith("# Heading")
    (diag,) = note.diagnostics
    assert diag.line == 1 and "max_note_bytes" in diag.message


def test_long_line_of_words_is_still_markdown():
    text = "lorem ipsum *dolor* sit " * 10_000 + "\n"
    note = parse_note("p.md", text.encode(), make_parser())
    assert not note.diagnostics and note.tokens[0].type == "paragraph_open"
