"""The loader: front matter, encodings, line numbers, headings, links, images, tasks, tags."""

import time

import pytest

from mlnotes_site.errors import ERROR, WARNING
from mlnotes_site.load.note import parse_note


def load(md, text, rel="n.md"):
    return parse_note(rel, text.encode("utf-8") if isinstance(text, str) else text, md)


def test_front_matter_keys(md):
    note = load(
        md,
        "---\ntitle: Adam\ntags: [a, b]\naliases: Adam Optimizer\ndate: 2024-05-01\npermalink: /adam/\nlayout: post\n"
        "---\n# H\n",
    )
    assert note.title == "Adam"
    assert note.tags == ("a", "b")
    assert note.aliases == ("Adam Optimizer",)  # a string alias is one name, spaces and all
    assert note.date == "2024-05-01"
    assert note.permalink == "/adam/"
    assert note.headings[0].line == 9  # lines count the front matter


def test_tags_as_string_and_hash_prefix(md):
    note = load(md, "---\ntags: '#ml, 优化 deep'\n---\n")
    assert note.tags == ("ml", "优化", "deep")


def test_draft_and_unpublished(md):
    assert load(md, "---\ndraft: true\n---\n").draft
    assert load(md, "---\npublished: false\n---\n").draft
    assert not load(md, "---\npublished: true\n---\n").draft


def test_bom_and_crlf(md):
    note = load(md, b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n\r\n# One\r\n\r\n[[x]] on line 7\r\n")
    assert note.title == "T"
    assert note.headings[0].text == "One" and note.headings[0].line == 5
    assert note.links[0].line == 7


def test_invalid_utf8_is_an_error_but_text_is_kept(md):
    note = load(md, b"# Title\n\nbad \xff byte\n")
    assert note.headings[0].text == "Title"
    assert [(d.level, d.line) for d in note.diagnostics] == [(ERROR, 3)]


def test_bad_yaml_reports_its_line(md):
    note = load(md, "---\ntitle: ok\ntags: [a, b\n---\n# Body survives\n")
    assert note.diagnostics[0].level == ERROR
    assert note.diagnostics[0].line in (3, 4, 5)
    assert "invalid front matter" in note.diagnostics[0].message
    assert note.headings[0].text == "Body survives"


def test_front_matter_not_a_mapping(md):
    note = load(md, "---\n- a\n- b\n---\n")
    assert note.diagnostics[0].level == ERROR and "mapping" in note.diagnostics[0].message


def test_unclosed_front_matter_is_a_warning(md):
    note = load(md, "---\ntitle: T\n\n# Body\n")
    assert [(d.level, d.line) for d in note.diagnostics] == [(WARNING, 1)]
    assert "closing `---`" in note.diagnostics[0].hint


def test_links_images_and_lines(md):
    text = "# T\n\npara [a](b.md#h) and\nsecond line [[Wiki#Head|lbl]] ![[emb]]\n\n![alt](img/x.png) ![r](https://x.org/y.png)\nhttps://example.org/z\n"
    note = load(md, text)
    kinds = [(link.kind, link.target, link.line) for link in note.links]
    assert kinds == [
        ("markdown", "b.md#h", 3),
        ("wiki", "Wiki#Head", 4),
        ("embed", "emb", 4),
        ("external", "https://example.org/z", 7),
    ]
    assert [(i.src, i.alt, i.line, i.local) for i in note.images] == [
        ("img/x.png", "alt", 6, True),
        ("https://x.org/y.png", "r", 6, False),
    ]


def test_tasks_keep_mark_text_and_line(md):
    note = load(md, "# T\n\n- [ ] open\n- [x] done\n- [X] Done\n  * [ ] nested\n- plain\n1. [x] ordered\n")
    assert [(t.mark, t.text, t.line, t.done) for t in note.tasks] == [
        (" ", "open", 3, False),
        ("x", "done", 4, True),
        ("X", "Done", 5, True),
        (" ", "nested", 6, False),
        ("x", "ordered", 8, True),
    ]


def test_inline_tags(md):
    text = "# Heading #inhead\n\n#start text #中文标签 and #a/b, not#this, `#code`, #123, https://x.org/#frag\n\n```\n#incode\n```\n"
    note = load(md, text)
    assert [t for t, _ in note.inline_tags] == ["inhead", "start", "中文标签", "a/b"]
    assert all(line in (1, 3) for _, line in note.inline_tags)


def test_headings_levels_and_nesting(md):
    note = load(md, "# A\n\n## B\n\n> # quoted\n\n- # in list\n\nSetext\n======\n")
    assert [(h.level, h.text, h.top_level) for h in note.headings] == [
        (1, "A", True),
        (2, "B", True),
        (1, "quoted", False),
        (1, "in list", False),
        (1, "Setext", True),
    ]


def test_cjk_url_boundary(md):
    note = load(
        md,
        "见 https://arxiv.org/abs/1608.03983这篇论文，和 https://github.com/huggingface/trl ，https://github.com/x/y\n",
    )
    assert [link.target for link in note.links] == [
        "https://arxiv.org/abs/1608.03983",
        "https://github.com/huggingface/trl",
        "https://github.com/x/y",
    ]


def test_bare_links_are_the_kinds_github_links(md):
    """A scheme, `www.` or an e-mail address makes a link; a file name in running text does not."""
    note = load(md, "跑 train.py 和 utils.sh，见 foo.ai、www.example.com/x 或 https://a.org，写信 me@mail.com\n")
    assert [link.target for link in note.links] == ["http://www.example.com/x", "https://a.org", "mailto:me@mail.com"]
    assert "train.py" in md.render("train.py") and "<a" not in md.render("train.py, utils.sh, foo.ai")


def test_urls_with_percent_encoding_and_text_fragments_stay_whole(md):
    text = (
        "https://spotintelligence.com/2023/01/02/minhash/#:~:text=MinHash%20calculates%20the,identical.\n\n"
        "https://hrl.boyuai.com/chapter/1/%E5%88%9D%E6%8E%A2%E5%BC%BA%E5%8C%96%E5%AD%A6%E4%B9%A0/\n"
    )
    note = load(md, text)
    assert [link.target for link in note.links] == [
        # a final "." is sentence punctuation (as on GitHub); the text fragment still matches
        "https://spotintelligence.com/2023/01/02/minhash/#:~:text=MinHash%20calculates%20the,identical",
        "https://hrl.boyuai.com/chapter/1/%E5%88%9D%E6%8E%A2%E5%BC%BA%E5%8C%96%E5%AD%A6%E4%B9%A0/",
    ]
    html = md.render(text)
    assert (
        'href="https://spotintelligence.com/2023/01/02/minhash/#:~:text=MinHash%20calculates%20the,identical"' in html
    )


def _front_matter_errors(note):
    return [(d.level, d.line) for d in note.diagnostics]


@pytest.mark.parametrize(
    "front, line, words",
    [
        ("title: t\ndate: 2023-02-30\n", 3, "day is out of range"),
        ("2023-13-45\n", 2, "month must be in 1..12"),
        ("title: t\nx: !!float x\n", 3, "could not convert"),
        ("title: t\n\nx: !!timestamp x\n", 4, "!!timestamp"),
        ("title: t\nx: !!bool maybe\n", 3, "!!bool"),
        ("title: t\nn: " + "1" * 4301 + "\n", 3, "4300 digits"),
        ("title: t\nx: " + "[" * 1000 + "]" * 1000 + "\n", 3, "nest"),
        ("title: t\nx:\n" + "".join(" " * i + "-\n" for i in range(1, 1001)), 53, "nested more than 50 levels"),
        ("title: t\nx: " + "{a: " * 60 + "1" + "}" * 60 + "\n", 3, "nested more than 50 levels"),
    ],
)
def test_front_matter_values_that_cannot_be_read_are_errors_at_their_line(md, front, line, words):
    note = load(md, f"---\n{front}---\n# Body survives\n")
    assert _front_matter_errors(note) == [(ERROR, line)]
    assert words in note.diagnostics[0].message and "invalid front matter" in note.diagnostics[0].message
    assert note.headings[0].text == "Body survives" and note.meta == {}


def test_alias_bomb_is_refused_quickly_at_the_first_alias(md):
    names = "abcdefghij"
    lines = [f"{names[0]}: &{names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip(names, names[1:], strict=False)]
    started = time.perf_counter()
    note = load(md, "---\n" + "\n".join(lines) + "\ntitle: boom\n---\n# Body\n")
    assert time.perf_counter() - started < 0.5
    assert _front_matter_errors(note) == [(ERROR, 3)]
    assert "alias" in note.diagnostics[0].message and "`*a`" in note.diagnostics[0].message
    assert note.meta == {} and note.headings[0].text == "Body"


def test_an_anchor_without_alias_is_harmless(md):
    note = load(md, "---\ntitle: &t T\n---\n")
    assert note.title == "T" and not note.diagnostics


@pytest.mark.parametrize(
    "front, line",
    [
        ("title: ok\ntags: [a, b\n", 3),  # unclosed `[`: the parser notices at the end of the text
        ("title: ok\ntags: [a, b\ndate: 2020-01-01\n", 3),  # … or at the next key's `:` (was one line late)
        ("title: ok\ntags: {a: 1\ndate: 2020-01-01\n", 3),  # the same for `{`
        ("title: ok\nbadline\ntags: x\n", 3),  # a key without `:`: noticed when the next line starts
        ("title: ok\nbadline\n", 3),
        ("title: 'abc\ntags: x\n", 2),  # unclosed quote: where the quote opens
        ("title: ok\n\tx: 1\n", 3),  # the tab itself
        ("title: a: b\n", 2),
        ("tags:\n- a\nb: c\n- d\n", 5),  # the `-` that does not belong
    ],
)
def test_yaml_syntax_errors_point_at_the_bad_token(md, front, line):
    note = load(md, f"---\n{front}---\n# Body\n")
    assert _front_matter_errors(note) == [(ERROR, line)], note.diagnostics


@pytest.mark.parametrize(
    "key, value, draft",
    [
        ("draft", '"false"', False),
        ("draft", "'False'", False),
        ("draft", '"no"', False),
        ("draft", '"0"', False),
        ("draft", "'off'", False),
        ("draft", '"true"', True),
        ("draft", "'YES'", True),
        ("draft", '"1"', True),
        ("draft", "'On'", True),
        ("draft", "1", True),
        ("draft", "0", False),
        ("draft", "", False),
        ("published", '"false"', True),
        ("published", "'no'", True),
        ("published", "0", True),
        ("published", '"true"', False),
    ],
)
def test_draft_and_published_read_quoted_words(md, key, value, draft):
    note = load(md, f"---\n{key}: {value}\n---\n")
    assert note.draft is draft
    assert not note.diagnostics


@pytest.mark.parametrize("key", ["draft", "published"])
def test_draft_flag_that_is_neither_is_a_warning_and_not_a_draft(md, key):
    note = load(md, f"---\ntitle: T\n{key}: maybe\n---\n")
    assert note.draft is False
    assert _front_matter_errors(note) == [(WARNING, 3)]
    assert f"`{key}: maybe`" in note.diagnostics[0].message


def test_gb18030_note_is_decoded_with_a_warning_naming_the_encoding(md):
    note = load(md, "---\ntitle: 中文标题\n---\n# 中文标题\n\n正文\n".encode("gb18030"))
    assert note.title == "中文标题" and note.headings[0].text == "中文标题"
    assert _front_matter_errors(note) == [(WARNING, 2)]
    assert "GB18030" in note.diagnostics[0].message and "UTF-8" in note.diagnostics[0].hint
    assert "\ufffd" not in "".join(t.content for t in note.tokens)


def test_utf8_is_never_taken_for_gb18030(md):
    for data in ("# 中文标题\n".encode("utf-8"), "\ufeff# 中文标题\n".encode("utf-8")):
        note = load(md, data)
        assert not note.diagnostics and note.headings[0].text == "中文标题"


def test_bytes_neither_utf8_nor_gb18030_are_replaced_with_an_error(md):
    note = load(md, b"# T\n\nbad \xff\xfe bytes\n")
    assert _front_matter_errors(note) == [(ERROR, 3)]
    assert "\ufffd" in note.tokens[-2].content


def test_a_utf8_bom_with_bad_bytes_is_not_read_as_gb18030(md):
    note = load(md, "\ufeff# 中文\n\n".encode("utf-8") + "坏".encode("gb18030") + b"\n")
    assert _front_matter_errors(note) == [(ERROR, 3)]
    assert note.headings[0].text == "中文"
