"""Link resolution, backlinks, broken links, images and tags over a small in-memory vault."""

from mlnotes_site.graph.state import build_graph
from mlnotes_site.load.note import parse_note
from mlnotes_site.paths import fold

VAULT = {
    "c.md": (
        "pre [[Adam]]\n\n# Learning Rate Annealing\nsee [[adam 优化器#偏差修正|fix]] #lr\n\n"
        "# CLIP\ntext [[#Learning Rate Annealing]]\n"
    ),
    "sub/adam.md": (
        "---\ntitle: Adam 优化器\naliases: [Adam]\ntags: [opt]\n---\n## 偏差修正\n"
        "[[#偏差修正]] [back](../c.md#clip) [up](/c/) ![i](../img/a.png) ![m](nope.png)\n"
    ),
    "broken.md": "[[Nothing Here]] [x](missing.md) [[CLIP#No Such Heading]] []()\n",
}


def site_of(md, files=VAULT, other_files=frozenset({"img/a.png"})):
    notes = {rel: parse_note(rel, text.encode(), md) for rel, text in files.items()}
    return build_graph(notes, other_files)


def test_fold_is_width_and_case_insensitive():
    assert fold("ＡＤＡＭ  Optimizer") == fold("adam optimizer")


def test_wikilinks_resolve_exact_then_case_insensitive(md):
    site = site_of(md)
    note = site.notes["c.md"]
    assert site.index.resolve_wiki(note, "Adam", "").url == "/adam-优化器/"  # alias
    assert site.index.resolve_wiki(note, "adam 优化器", "偏差修正").href == "/adam-优化器/#偏差修正"
    assert site.index.resolve_wiki(note, "", "Learning Rate Annealing").href == "/learning-rate-annealing/"
    assert site.index.resolve_wiki(note, "sub/adam", "").url == "/adam-优化器/"  # path
    assert site.index.resolve_wiki(note, "c", "").url == "/notes/c/"  # file name -> collection page
    assert site.index.resolve_wiki(note, "偏差修正", "").href == "/adam-优化器/#偏差修正"  # heading text
    assert site.index.resolve_wiki(note, "Nothing", "") is None


def test_markdown_links_resolve_relative_paths_and_headings(md):
    site = site_of(md)
    adam = site.notes["sub/adam.md"]
    assert site.index.resolve_href(adam, "../c.md#clip").href == "/clip/"  # a topic's own title heading
    assert site.index.resolve_href(adam, "/c/") is None  # not a page URL: collection pages live under /notes/
    assert site.index.resolve_href(adam, "../c.md").url == "/notes/c/"


def test_backlinks_point_from_the_page_holding_the_link(md):
    site = site_of(md)
    back = {b.url: b.line for b in site.backlinks["/adam-优化器/"]}
    assert back == {"/notes/c/": 1, "/learning-rate-annealing/": 4}
    # [[CLIP#No Such Heading]] opens CLIP, so it is a backlink too
    assert [b.url for b in site.backlinks["/clip/"]] == ["/broken/", "/adam-优化器/"]
    # [[#heading]] to another topic of the same note is a backlink; a link to its own page is not
    assert [(b.url, b.line) for b in site.backlinks["/learning-rate-annealing/"]] == [("/clip/", 7)]
    assert all(b.url != "/adam-优化器/" for b in site.backlinks["/adam-优化器/"])


def test_broken_links_and_missing_images_are_warnings_with_lines(md):
    site = site_of(md)
    found = sorted((d.path, d.line, d.message.split(":")[0]) for d in site.diagnostics)
    assert found == [
        ("broken.md", 1, "broken link (missing.md)"),
        ("broken.md", 1, "broken link [[Nothing Here]]"),
        ("broken.md", 1, "empty link target"),
        ("broken.md", 1, "link [[CLIP#No Such Heading]]"),  # the note exists: a warning about the heading
        ("sub/adam.md", 7, "broken link (/c/)"),
        ("sub/adam.md", 7, "missing image 'nope.png'"),
    ]
    assert site.assets == {"/assets/img/a.png": "img/a.png"}


def test_tags_collect_topics_and_collection_pages(md):
    site = site_of(md, {**VAULT, "t.md": "#LR on a whole note\n"})
    assert [r.url for r in site.tags["lr"]] == ["/learning-rate-annealing/", "/t/"]
    assert [r.url for r in site.tags["opt"]] == ["/adam-优化器/"]


def test_distinct_tags_never_share_a_page(tmp_path):
    """`a b` and `a-b` are different tags with the same slug; `C++` and `c` too before the
    word parts: each keeps a page of its own (the later one in tag order gets `-2`)."""
    from conftest import build_vault

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "x.md").write_text("---\ntags: [a b, C++, c]\n---\n# X\n", encoding="utf-8")
    (notes / "y.md").write_text("---\ntags: [a-b, 'C#']\n---\n# Y\n\ninline #a-b\n", encoding="utf-8")
    out = tmp_path / "site"
    report = build_vault(notes, out)
    site = report.site
    assert site is not None
    urls = {name: site.tag_urls[name.casefold()] for name in site.tags}
    assert len(set(urls.values())) == len(urls) == 5, urls
    assert urls["a b"] == "/tags/a-b/" and urls["a-b"] == "/tags/a-b-2/"
    for name, url in urls.items():
        page = (out / url.strip("/") / "index.html").read_text(encoding="utf-8")
        assert f"#{name}" in page.replace("&#43;", "+").replace("&#35;", "#"), name
    y = (out / "y" / "index.html").read_text(encoding="utf-8")
    assert 'href="../tags/a-b-2/"' in y  # the inline tag links to its own page
