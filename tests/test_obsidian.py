"""Obsidian extras: callouts, ==highlight==, %%comments%%."""

from __future__ import annotations

import pytest

from mlnotes_site.load.note import parse_note


def test_callout_with_title_and_body(md):
    html = md.render("> [!tip] A *useful* tip\n> body **bold**\n>\n> more\n")
    assert html == (
        '<div class="callout callout-tip" data-callout="tip">\n'
        '<div class="callout-title">A <em>useful</em> tip</div>\n'
        '<div class="callout-content">\n<p>body <strong>bold</strong></p>\n<p>more</p>\n</div>\n</div>\n'
    )


@pytest.mark.parametrize(
    "name, kind",
    [
        ("note", "note"),
        ("info", "info"),
        ("tip", "tip"),
        ("hint", "tip"),
        ("warning", "warning"),
        ("caution", "warning"),
        ("danger", "danger"),
        ("error", "danger"),
        ("question", "question"),
        ("faq", "question"),
        ("summary", "abstract"),
        ("quote", "quote"),
        ("NOTE", "note"),
    ],
)
def test_callout_types_and_aliases(md, name, kind):
    html = md.render(f"> [!{name}]\n> body\n")
    assert f'class="callout callout-{kind}" data-callout="{name.lower()}"' in html
    assert f'<div class="callout-title">{name.lower().capitalize()}</div>' in html


def test_unknown_type_is_shown_as_note_with_its_name(md):
    html = md.render("> [!weird]\n> body\n")
    assert 'class="callout callout-note" data-callout="weird"' in html and ">Weird</div>" in html


def test_foldable_callouts_are_details(md):
    closed = md.render("> [!faq]- Closed\n> hidden\n")
    assert closed.startswith(
        '<details class="callout callout-question" data-callout="faq">\n<summary class="callout-title">Closed</summary>'
    )
    assert closed.endswith("</div>\n</details>\n")
    opened = md.render("> [!note]+ Open\n> shown\n")
    assert opened.startswith('<details class="callout callout-note" data-callout="note" open>')


def test_nested_callout_and_plain_quote(md):
    html = md.render("> [!note]\n> outer\n> > [!warning] Inner\n> > inner\n\n> plain\n")
    assert html.count('class="callout ') == 2 and "<blockquote>\n<p>plain</p>\n</blockquote>" in html
    assert html.count("<div") == html.count("</div>")


def test_title_only_callout_and_title_escaping(md):
    html = md.render("> [!note] a <b> & c\n")
    assert '<div class="callout-title">a <b> &amp; c</div>' in html  # HTML in Markdown passes through, like elsewhere
    assert "<p>" not in html


def test_not_a_callout(md):
    assert md.render("> [not] a callout\n") == "<blockquote>\n<p>[not] a callout</p>\n</blockquote>\n"


def test_links_and_tasks_inside_callouts_are_still_found(md):
    note = parse_note("n.md", "# T\n\n> [!tip] See [[Other]]\n> - [ ] a task #tag\n".encode(), md)
    assert [(link.target, link.line) for link in note.links] == [("Other", 3)]
    assert [(t.text, t.line) for t in note.tasks] == [("a task #tag", 4)]
    assert note.inline_tags == (("tag", 4),)


@pytest.mark.parametrize(
    "text, html",
    [
        ("==marked==", "<p><mark>marked</mark></p>\n"),
        ("a ==marked *em*== b", "<p>a <mark>marked <em>em</em></mark> b</p>\n"),
        ("a == b", "<p>a == b</p>\n"),
        ("x ==y == z", "<p>x ==y == z</p>\n"),
        ("=== x ===", "<p>=== x ===</p>\n"),
        ("`==code==`", "<p><code>==code==</code></p>\n"),
        ("==高亮==文字", "<p><mark>高亮</mark>文字</p>\n"),
    ],
)
def test_highlight(md, text, html):
    assert md.render(text) == html


@pytest.mark.parametrize(
    "text, html",
    [
        ("visible %%hidden%% text", "<p>visible  text</p>\n"),
        ("a %%hidden\nover lines%% b", "<p>a  b</p>\n"),
        ("a %% unclosed", "<p>a %% unclosed</p>\n"),
        ("%%whole line%%\n", ""),
        ("%%\nblock\n\n- [ ] task\n%%\nafter\n", "<p>after</p>\n"),
        ("%%a%% text", "<p> text</p>\n"),
        ("`%%code%%`", "<p><code>%%code%%</code></p>\n"),
        ("    %%indented code%%", "<pre><code>%%indented code%%\n</code></pre>\n"),
    ],
)
def test_comments_are_hidden(md, text, html):
    assert md.render(text) == html


def test_nothing_inside_a_comment_is_parsed(md):
    text = "# T\n\n%%\n[[Missing]] #secret\n- [ ] hidden task\n%%\n\nx %%[[Gone]]%% y\n"
    note = parse_note("n.md", text.encode(), md)
    assert note.links == () and note.tasks == () and note.inline_tags == ()
