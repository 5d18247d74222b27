"""Issue 14, item 9: a front-matter title equal to the H1 that opens the note is shown once;
a title on a note with several H1s keeps it one topic, with a warning that names
`topics: split`. Fixture: tests/fixtures/vaults/title-h1/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, build_vault
from test_incremental import clean_output, diff, live_site

VAULT = FIXTURES / "vaults" / "title-h1"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("title-h1") / "site"
    return out, build_vault(VAULT, out)


def headings(out: Path, url: str) -> list[str]:
    """The page title and the headings of the note's text (not the page's own sections)."""
    html = (out / url.strip("/") / "index.html").read_text(encoding="utf-8")
    found = re.findall(r"<h([1-6])([^>]*)>(.*?)</h\1>", html, flags=re.S)
    return [
        f"h{level} " + re.sub(r"<[^>]+>", "", text).removesuffix("#").strip()  # (the anchor link)
        for level, attrs, text in found
        if 'id="mln-' not in attrs
    ]


@pytest.mark.parametrize(
    "url, shown",
    [
        ("/attention/", ["h1 Attention", "h2 Heads"]),  # title: Attention + `# Attention`: once
        ("/lora/", ["h1 lora"]),  # equal after folding case and width (`# ＬｏＲＡ`)
        ("/notes-on-rag/", ["h1 Notes on RAG", "h1 Retrieval"]),  # another H1 stays in the text
        ("/attention-later/", ["h1 Attention Later", "h1 Attention Later"]),  # text comes first: it stays
    ],
)
def test_a_title_equal_to_the_opening_h1_is_shown_once(built, url, shown):
    out, _ = built
    assert headings(out, url) == shown


def test_the_title_is_the_page_and_its_heading_links_to_it(built):
    _, report = built
    site = report.site
    (key,) = site.note_topics["same.md"]
    topic = site.topics[key]
    assert (topic.url, topic.title, topic.title_heading.text) == ("/attention/", "Attention", "Attention")
    note = site.notes["same.md"]
    assert site.index.resolve_wiki(note, "same", "Attention").href == "/attention/"


def test_a_title_on_several_h1s_is_one_topic_with_a_warning(built):
    out, report = built
    site = report.site
    assert [site.topics[k].title for k in site.note_topics["collection.md"]] == ["问答集"]
    assert headings(out, "/问答集/") == ["h1 问答集", "h1 问题一", "h1 问题二", "h1 问题三"]
    (warning,) = [d for d in report.warnings if d.path == "collection.md"]
    assert warning.format() == (
        "collection.md:3: warning: `title: 问答集` makes this note one topic: its 3 H1 headings"
        " ('问题一', '问题二', '问题三') are sections of that page, not topics of their own"
        " (add `topics: split` to keep one page per H1, or `topics: whole` to keep one page without"
        " this warning)"
    )
    assert len(report.warnings) == 1  # `topics: split` and `topics: whole` ask no question


def test_topics_split_keeps_one_page_per_h1(built):
    _, report = built
    site = report.site
    assert [site.topics[k].title for k in site.note_topics["split.md"]] == ["问题四", "问题五"]
    assert site.note_pages["split.md"].title == "问答集 split"
    assert [site.topics[k].title for k in site.note_topics["whole.md"]] == ["问答集 whole"]


def test_serve_follows_a_title_that_comes_and_goes(tmp_path):
    notes = tmp_path / "notes"
    shutil.copytree(VAULT, notes)
    live = live_site(notes, tmp_path)
    same, collection = notes / "same.md", notes / "collection.md"
    texts = {p: p.read_text(encoding="utf-8") for p in (same, collection)}
    steps = [
        (same, texts[same].replace("title: Attention", "title: Self-Attention")),  # the H1 is shown again
        (same, texts[same]),
        (collection, texts[collection].replace("title: 问答集\n", "")),  # front matter without a title
        (collection, texts[collection].replace("layout: post\ntitle: 问答集\n", "")),  # empty front matter
        (collection, texts[collection].replace("---\nlayout: post\ntitle: 问答集\n---\n", "")),  # a collection
        (collection, texts[collection]),
    ]
    for n, (path, text) in enumerate(steps):
        path.write_text(text, encoding="utf-8")
        report = live.update([path])
        assert not diff(live.output(), clean_output(notes, tmp_path)), n
        warned = [d for d in report.warnings if d.path == "collection.md"]
        assert bool(warned) == (collection.read_text(encoding="utf-8") == texts[collection]), n
