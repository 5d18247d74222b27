"""The loader: front matter, encodings, line numbers, headings, links, images, tasks, tags."""

from mlnotes_site.errors import ERROR, WARNING
from mlnotes_site.load.note import parse_note


def load(md, text, rel="n.md"):
    return parse_note(rel, text.encode("utf-8") if isinstance(text, str) else text, md)


def test_front_matter_keys(md):
    note = load(
        md,
        "---\ntitle: Adam\ntags: [a, b]\naliases: Adam Optimizer\ndate: 2024-05-01\n"
        "permalink: /adam/\nlayout: post\n---\n# H\n",
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
