"""Issue 14, item 8: whole notes are never merged. Two notes titled alike are two pages whose
titles show their folder and whose URLs lie below it; H1 sections of collection notes with
one title are still one page. Fixture: tests/fixtures/vaults/same-title/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, build_vault
from sitecheck import broken_refs
from test_incremental import clean_output, diff, live_site

VAULT = FIXTURES / "vaults" / "same-title"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("same-title") / "site"
    return out, build_vault(VAULT, out)


def page(out: Path, url: str) -> str:
    return (out / url.strip("/") / "index.html").read_text(encoding="utf-8")


def title_of(html: str) -> str:
    return html.split('<h1 class="page-title">', 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(
    "url, title, rel",
    [
        ("/folder1/intro/", "Intro (folder1)", "folder1/Intro.md"),
        ("/folder2/intro/", "Intro (folder2)", "folder2/Intro.md"),
        ("/notes-intro/", "Intro (notes)", "notes/Intro.md"),  # `notes/` is a section of the site
        ("/folder1/问题/", "问题 (folder1)", "folder1/问题.md"),
        ("/问题/", "？问题", "questions-a.md"),  # the merged sections: first at the top, as written
    ],
)
def test_pages_sharing_a_title_show_their_folder_and_live_below_it(built, url, title, rel):
    out, report = built
    topic = report.site.topics[url]
    assert (topic.title, topic.note_rel) == (title, rel)
    html = page(out, url)
    assert title_of(html) == title and f"<title>{title} · " in html


def test_no_page_takes_a_number_suffix(built):
    out, report = built
    urls = {t.url for t in report.site.topics.values()}
    assert not [u for u in urls if u.rstrip("/").endswith("-2")]
    assert not (out / "intro").exists()  # no page is "the" Intro: each is below its folder


def test_collection_sections_with_one_title_still_merge(built):
    out, report = built
    site = report.site
    assert site.places["/问题/"] == ("/问题/", "/问题/#place-2")
    assert [site.topics[k].url for k in site.note_topics["questions-b.md"]] == ["/问题/", "/第二/"]
    html = page(out, "/问题/")
    assert "questions-a.md:1</a>" in html and "questions-b.md:3</a>" in html and 'id="place-2"' in html
    # the whole note of that title is a page of its own, not a third place
    assert "folder1/问题.md" not in html and "A whole note titled" in page(out, "/folder1/问题/")


def test_the_summary_counts_pages(built):
    out, report = built
    # 3 Intro, 问题 (folder1), merged 问题 (2 places), 其他, 第二, Other, Root: 10 topics, 9 pages
    assert len(report.site.topics) == 10 and report.topics == 9
    assert "9 topics" in report.summary()
    assert "<strong>9</strong> topics" in (out / "index.html").read_text(encoding="utf-8")


def test_links_between_them_still_resolve(built):
    out, report = built
    assert broken_refs(out) == []
    root = page(out, "/root/")
    # [[Intro]] from the top: no page there; the shortest path wins (notes/Intro.md), with a warning
    assert '<a class="internal" href="../notes-intro/">Intro</a>' in root
    assert '<a class="internal" href="../notes-intro/#details">intro › Details</a>' in root
    # a path, a relative Markdown link and an alias choose one without a question
    assert '<a class="internal" href="../folder2/intro/">folder2/Intro</a>' in root
    assert '<a href="../folder1/intro/" class="internal">folder one</a>' in root
    assert '<a class="internal" href="../folder2/intro/">第二个介绍</a>' in root
    assert '<a class="internal" href="../folder2/intro/">Intro (folder2)</a>' in root  # the title as shown
    # [[问题]] means the merged sections (their first place is at the top) or folder1/问题.md
    assert '<a class="internal" href="../问题/">问题</a>' in root
    # [[Intro]] written in folder2 is the Intro of folder2 (its own folder), silently
    assert '<a class="internal" href="../folder2/intro/">Intro</a>' in page(out, "/other/")
    assert not [d for d in report.diagnostics if d.path == "folder2/other.md"]
    linked_from = page(out, "/folder2/intro/").split('id="mln-backlinks"', 1)[1]
    assert "root.md:4" in linked_from and "folder2/other.md:3" in linked_from


def test_an_ambiguous_title_is_a_warning_with_file_line_and_hint(built):
    _, report = built
    found = [d.format() for d in report.warnings if "pages titled" in d.message]
    assert found == [
        "root.md:3: warning: link [[Intro]] could mean 3 pages titled 'Intro': using notes/Intro.md,"
        " not folder1/Intro.md, folder2/Intro.md (the page in this note's folder wins, then the shortest"
        " path; write the note's path to choose another: `[[folder1/Intro]]`)",
        "root.md:3: warning: link [[intro#Details]] could mean 3 pages titled 'intro': using notes/Intro.md,"
        " not folder1/Intro.md, folder2/Intro.md (the page in this note's folder wins, then the shortest"
        " path; write the note's path to choose another: `[[folder1/Intro]]`)",
        "root.md:6: warning: link [[问题]] could mean 2 pages titled '问题': using questions-a.md,"
        " not folder1/问题.md (the page in this note's folder wins, then the shortest path; write the"
        " note's path to choose another: `[[folder1/问题]]`)",
    ]
    assert len(report.warnings) == 3


def test_a_name_two_pages_share_is_no_mention(built):
    out, _ = built
    assert 'class="internal mention"' not in page(out, "/root/")


def test_a_note_at_the_top_keeps_the_plain_url(tmp_path):
    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "Intro.md").write_text("# Intro\ntop\n", encoding="utf-8")
    (notes / "sub" / "Intro.md").write_text("# Intro\nsub\n", encoding="utf-8")
    (notes / "sub" / "intro-too.md").write_text("# intro\nsame folder\n", encoding="utf-8")
    report = build_vault(notes, tmp_path / "site")
    pages = {t.note_rel: (t.url, t.title) for t in report.site.topics.values()}
    assert pages == {
        "Intro.md": ("/intro/", "Intro"),
        "sub/Intro.md": ("/sub/intro/", "Intro (sub)"),
        "sub/intro-too.md": ("/sub/intro-too/intro/", "intro (sub/intro-too)"),  # its folder was taken
    }


def test_serve_adds_and_removes_the_folder_as_notes_come_and_go(tmp_path):
    """Another note of the same title changes this note's URL and title: serve's update
    equals a clean build at every step (the rule holds through Pipeline.update)."""
    notes = tmp_path / "notes"
    shutil.copytree(VAULT, notes)
    second, third = notes / "folder2" / "Intro.md", notes / "notes" / "Intro.md"
    texts = {p: p.read_text(encoding="utf-8") for p in (second, third)}
    second.unlink()
    third.unlink()
    live = live_site(notes, tmp_path)
    assert live.site.topics["/intro/"].title == "Intro"  # folder1's Intro is alone
    steps = [
        ("add", second, texts[second], {"/folder1/intro/", "/folder2/intro/"}),
        ("add a third", third, texts[third], {"/folder1/intro/", "/folder2/intro/", "/notes-intro/"}),
        ("retitle", second, texts[second].replace("# Intro", "# Intro Two"), {"/folder1/intro/", "/notes-intro/"}),
        ("edit text", third, texts[third] + "\nmore text.\n", {"/folder1/intro/", "/notes-intro/"}),
        ("remove", third, None, {"/intro/"}),
    ]
    for step, path, text, want in steps:
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
        live.update([path])
        assert {t.url for t in live.site.topics.values() if t.name == "Intro"} == want, step
        assert not diff(live.output(), clean_output(notes, tmp_path)), step
