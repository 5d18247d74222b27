"""Which parts of a note become topic pages, and their URLs."""

from conftest import build_vault
from mlnotes_site.errors import ERROR
from mlnotes_site.graph.pages import assign_pages, heading_ids, split_note
from mlnotes_site.load.note import parse_note


def topics_of(md, files: dict[str, str]):
    notes = [parse_note(rel, text.encode(), md) for rel, text in files.items()]
    splits = {n.rel: split_note(n) for n in notes}
    return assign_pages(notes, splits)


def test_collection_splits_on_top_level_h1(md):
    topics, note_topics, pages, diags = topics_of(
        md, {"c.md": "intro #t\n\n# One\n1\n\n## Sub\n\n# Two\n```\n# not a heading\n```\n> # quoted h1\n"}
    )
    assert [t.title for t in topics.values()] == ["One", "Two"]
    assert [(t.first_line, t.last_line) for t in topics.values()] == [(3, 7), (8, 12)]
    assert pages["c.md"].url == "/notes/c/"
    assert pages["c.md"].tags == ("t",)
    assert not diags


def test_single_h1_titles_the_note_and_is_not_repeated(md):
    topics, *_ = topics_of(md, {"n.md": "# Only\n\ntext\n"})
    (topic,) = topics.values()
    assert topic.title == "Only" and topic.url == "/only/" and topic.is_whole_note
    assert topic.token_start == 3  # body starts after the H1


def test_no_heading_is_titled_by_file_name(md):
    topics, *_ = topics_of(md, {"sub/my note.md": "just text\n"})
    assert [t.title for t in topics.values()] == ["my note"]
    assert list(topics) == ["/my-note/"]


def test_front_matter_title_makes_one_topic(md):
    topics, *_ = topics_of(md, {"t.md": "---\ntitle: TODO\npermalink: /todo/\n---\n# 2023\n## 6🈷️\n# 2024\n"})
    (topic,) = topics.values()
    assert (topic.title, topic.url) == ("TODO", "/todo/")
    assert [h.text for h in topic.headings] == ["2023", "6🈷️", "2024"]


def test_topics_override(md):
    split, *_ = topics_of(md, {"s.md": "---\ntopics: split\n---\n# A\n# B\n"})
    assert [t.title for t in split.values()] == ["A", "B"]
    forced, *_ = topics_of(md, {"w.md": "---\ntopics: whole\n---\n# A\n\n# B\n"})
    assert [t.title for t in forced.values()] == ["A"]
    assert [h.text for h in next(iter(forced.values())).headings] == ["B"]


def test_front_matter_without_title_is_not_split(md):
    topics, *_ = topics_of(md, {"f.md": "---\ntags: [x]\n---\n# A\n# B\n"})
    assert len(topics) == 1


def test_same_title_after_normalising_is_one_page_with_unique_heading_ids(md):
    topics, note_topics, *_ = topics_of(
        md,
        {
            "a.md": "# ？问题\n## 细节\n# 其他\n# ？问题\n## 细节\n## Place 2\n",
            "b.md": "# 　问题 \n## 细节\n# ＰＲＯＢＬＥＭ\n# problem\n",
        },
    )
    assert list(topics) == ["/问题/", "/其他/", "/问题/#place-2", "/问题/#place-3", "/problem/", "/problem/#place-2"]
    assert {t.url for t in topics.values()} == {"/问题/", "/其他/", "/problem/"}
    assert [topics[k].place_id for k in note_topics["a.md"]] == ["", "", "place-2"]
    ids = [i for k in ("/问题/", "/问题/#place-2", "/问题/#place-3") for i in topics[k].heading_ids.values()]
    assert ids == ["细节", "细节-2", "place-2-2", "细节-3"]


def test_permalink_collision_names_both_files(md):
    topics, _, _, diags = topics_of(md, {"a.md": "---\npermalink: /x/\n---\n", "b.md": "---\npermalink: x\n---\n"})
    assert [(d.level, d.path) for d in diags] == [(ERROR, "b.md")]
    assert "a.md" in diags[0].message and "b.md" in diags[0].hint
    assert sorted(topics) == ["/b/", "/x/"]  # a keeps /x/, b falls back to its own slug
    assert topics["/x/"].note_rel == "a.md"


def test_permalink_cannot_take_site_urls(md):
    topics, _, _, diags = topics_of(md, {"a.md": "---\npermalink: /tags/\n---\n"})
    assert diags and diags[0].level == ERROR
    assert list(topics) == ["/a/"]


def test_slug_never_steals_a_permalink(md):
    topics, *_ = topics_of(md, {"a.md": "# Todo\n", "b.md": "---\ntitle: T\npermalink: /todo/\n---\n"})
    assert topics["/todo/"].note_rel == "b.md"
    assert topics["/todo-2/"].note_rel == "a.md"


def test_heading_ids_unique_and_never_empty(md):
    note = parse_note(
        "h.md", "## ？梯度爆炸、梯度消失\n## ？梯度爆炸、梯度消失\n## ？？\n## toc\n## 6🈷️\n".encode(), md
    )
    ids = list(heading_ids(list(note.headings)).values())
    assert ids == ["梯度爆炸-梯度消失", "梯度爆炸-梯度消失-2", "section", "toc-2", "6月"]


def test_unsafe_permalink_is_an_error_and_the_note_keeps_its_slug(md):
    topics, _, _, diags = topics_of(
        md,
        {
            "a.md": "---\ntitle: A\npermalink: 'javascript:alert(1)/**'\n---\n",
            "b.md": "---\ntitle: B\ntags: [x]\npermalink: //evil.example/\n---\n",
            "c.md": "---\ntitle: C\npermalink: '/a\\\\b/'\n---\n",
            "d.md": "---\ntitle: D\npermalink: /x/../../etc/\n---\n",
        },
    )
    assert [(d.level, d.path, d.line) for d in diags] == [
        (ERROR, "a.md", 3),
        (ERROR, "b.md", 4),
        (ERROR, "c.md", 3),
        (ERROR, "d.md", 3),
    ]
    assert "URL scheme" in diags[0].message and "javascript:alert(1)/**" in diags[0].message
    assert sorted(topics) == ["/a/", "/b/", "/c/", "/d/"]


def test_permalinks_writing_one_file_collide(md):
    topics, _, _, diags = topics_of(
        md, {"a.md": "---\ntitle: A\npermalink: /x/\n---\n", "b.md": "---\ntitle: B\npermalink: /x/index.html\n---\n"}
    )
    assert [(d.level, d.path) for d in diags] == [(ERROR, "b.md")] and "a.md" in diags[0].message
    assert sorted(topics) == ["/b/", "/x/"]


def test_permalink_collision_builds_both_notes(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\ntitle: A\npermalink: /same/\n---\nfirst\n", encoding="utf-8")
    (notes / "b.md").write_text("---\ntitle: B\npermalink: same\n---\nsecond\n", encoding="utf-8")
    (notes / "j.md").write_text("---\ntitle: J\npermalink: 'javascript:alert(1)/**'\n---\n[[A]]\n", encoding="utf-8")
    (notes / "i.md").write_text("# I\n\n[[J]] [[B]]\n", encoding="utf-8")
    out = tmp_path / "site"
    report = build_vault(notes, out)
    assert sorted((d.path, d.line, d.level) for d in report.diagnostics) == [("b.md", 3, ERROR), ("j.md", 3, ERROR)]
    assert "first" in (out / "same" / "index.html").read_text(encoding="utf-8")
    assert "second" in (out / "b" / "index.html").read_text(encoding="utf-8")
    assert (out / "j" / "index.html").is_file()
    for page in out.rglob("*.html"):
        assert "javascript:" not in page.read_text(encoding="utf-8"), page
