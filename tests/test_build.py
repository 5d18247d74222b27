"""End to end over the basic fixture vault: pages, links, assets, diagnostics."""

from __future__ import annotations

from conftest import BASIC_VAULT, build_vault
from sitecheck import broken_refs, parse, text_of


def page(out, url):
    return (out / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_every_internal_reference_resolves(basic_site):
    out, _ = basic_site
    assert broken_refs(out) == []


def test_expected_pages_exist(basic_site):
    out, report = basic_site
    for url in [
        "/",
        "/learning-rate-annealing/",
        "/利用键盘选定文本的快捷键/",
        "/梯度爆炸-梯度消失/",
        "/adam-优化器/",
        "/只有一个标题-single-heading/",
        "/plain-note/",
        "/todo/",
        "/notes/collection/",
        "/tags/",
        "/tags/优化/",
        "/tags/杂记/",
        "/part-one/",
        "/part-two/",
        "/notes/split/",
        "/whole-a/",
        "/bom-笔记/",
    ]:
        assert (out / url.strip("/") / "index.html").is_file(), url
    assert (out / "404.html").is_file() and (out / "sitemap.xml").is_file()
    assert not (out / "草稿").exists() and "草稿" not in (out / "index.html").read_text(encoding="utf-8")
    assert not any("hidden" in p.name for p in out.rglob("*"))  # .obsidian/ is skipped
    assert report.drafts == 1 and report.notes == 8 and report.topics == 11  # pages: the merged ？ question is one


def test_diagnostics_name_file_and_line(basic_site):
    _, report = basic_site
    assert [(d.path, d.line, d.level, d.message) for d in report.diagnostics] == [
        (
            "collection.md",
            20,
            "warning",
            "broken link (nowhere.md): no note, topic, alias, heading or file by that name",
        ),
        ("collection.md", 23, "warning", "missing image 'img/missing.png'"),
    ]
    assert report.diagnostics[0].format().startswith("collection.md:20: warning: broken link (nowhere.md)")


def test_broken_link_is_not_a_link_and_missing_image_is_a_placeholder(basic_site):
    out, _ = basic_site
    html = page(out, "/梯度爆炸-梯度消失/")
    assert '<span class="broken-link" title="失效链接：nowhere.md">missing</span>' in html  # a zh-CN site
    assert 'href="nowhere.md"' not in html
    assert '<span class="missing-image" title="缺少图片：img/missing.png" data-label="缺少图片：">不存在</span>' in html
    assert '<img src="../assets/img/curve.png" alt="曲线">' in html
    assert (out / "assets" / "img" / "curve.png").read_bytes() == (BASIC_VAULT / "img" / "curve.png").read_bytes()


def test_topic_page_parts(basic_site):
    out, _ = basic_site
    html = page(out, "/adam-优化器/")
    refs = parse(html)
    assert {"偏差修正", "偏差修正-2", "原理"} <= refs.ids
    assert 'href="../tags/optimizer/"' in html
    # backlinks from three pages, with file:line
    assert html.count('class="muted">collection.md:') == 2 and "single-h1.md:3" in html
    assert '<time datetime="2024-05-01">' in html
    collection_topic = page(out, "/利用键盘选定文本的快捷键/")
    assert 'rel="prev" href="../learning-rate-annealing/"' in collection_topic
    assert 'rel="next" href="../梯度爆炸-梯度消失/"' in collection_topic
    assert 'href="../notes/collection/">collection</a>' in collection_topic  # link to the source note
    assert "collection.md:11" in collection_topic
    assert (
        "这不是标题" in collection_topic
        and "<h1" not in collection_topic.split('class="markdown"')[1].split("</div>")[0]
    )


def test_links_external_internal_and_tags(basic_site):
    out, _ = basic_site
    lra = page(out, "/learning-rate-annealing/")
    assert '<a href="https://arxiv.org/abs/1608.03983" class="external" rel="noopener noreferrer">' in lra
    assert '<a class="internal" href="../adam-优化器/#偏差修正">bias correction</a>' in lra
    assert "已完成 1/2" in lra
    shortcut = page(out, "/利用键盘选定文本的快捷键/")
    assert '<a class="tag" href="../tags/快捷键/">#快捷键</a>' in shortcut
    assert "#not-a-tag" in shortcut and "not-a-tag/" not in shortcut


def test_home_lists_topics_by_note_with_counts(basic_site):
    out, _ = basic_site
    html = (out / "index.html").read_text(encoding="utf-8")
    text = text_of(html)
    assert "11 个主题" in text and "8 篇笔记" in text
    assert text.index("Learning Rate Annealing") < text.index("利用键盘选定文本的快捷键")
    assert 'href="notes/collection/"' in html


def test_collection_note_page_keeps_preamble_and_lists_topics(basic_site):
    out, _ = basic_site
    html = page(out, "/notes/collection/")
    assert "前言：这段在第一个一级标题之前" in html
    assert html.index("Learning Rate Annealing") < html.index("利用键盘选定文本的快捷键")
    assert 'href="../../tags/杂记/"' in html


def test_sitemap_and_404(tmp_path):
    report = build_vault(BASIC_VAULT, tmp_path / "site", base_url="https://me.example/kb/")
    assert not report.errors
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://me.example/kb/adam-优化器/</loc>" in sitemap
    assert "<loc>https://me.example/kb/</loc>" in sitemap
    not_found = (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
    assert 'href="/kb/static/style.css"' in not_found and 'href="/kb/tags/"' in not_found


def test_theme_override_beside_the_notes(tmp_path):
    project = tmp_path / "project"
    (project / "notes").mkdir(parents=True)
    (project / "notes" / "a.md").write_text("# A\n", encoding="utf-8")
    (project / "templates").mkdir()
    (project / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}{% block main %}CUSTOM 404{% endblock %}", encoding="utf-8"
    )
    (project / "static").mkdir()
    (project / "static" / "style.css").write_text("body{color:red}", encoding="utf-8")
    build_vault(project / "notes", project / "site")
    assert "CUSTOM 404" in (project / "site" / "404.html").read_text(encoding="utf-8")
    assert (project / "site" / "static" / "style.css").read_text(encoding="utf-8") == "body{color:red}"
    assert (project / "site" / "static" / "theme.js").is_file()  # shipped files not overridden stay
