"""A note may own `/` (`permalink: /`, as in Jekyll and Obsidian Publish): it is the home page,
and the generated list of topics moves to `/topics/` (the fixture vault
tests/fixtures/vaults/home-note). A generated section's URL (`/tags/`) stays an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, build_vault
from sitecheck import page_html as _page

VAULT = FIXTURES / "vaults" / "home-note"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("home-note") / "site"
    return out, build_vault(VAULT, out, language="en")  # the assertions read the English interface


def test_the_note_is_the_home_page_and_the_topic_list_moves_to_topics(built) -> None:
    out, _ = built
    home = _page(out, "/")
    assert '<h1 class="page-title">欢迎 Welcome</h1>' in home and "这是首页笔记" in home
    assert '<a href="topics/" class="internal">话题列表</a>' in home  # [话题列表](/topics/) is not broken
    listing = _page(out, "/topics/")
    assert 'class="home-notes"' in listing and "<strong>3</strong> topics" in listing
    assert "<title>Topics · mlnotes</title>" in listing
    assert '<a href="../">欢迎 Welcome</a>' in listing  # the home note is listed like any topic


def test_every_topics_link_points_at_the_list(built) -> None:
    out, _ = built
    for url, rel in [("/", "topics/"), ("/学习率/", "../topics/"), ("/tags/", "../topics/"), ("/topics/", "./")]:
        page = _page(out, url)
        assert f'<a href="{rel}">Topics</a>' in page, url  # the header's "Topics"
        assert '<a class="site-title" href="' in page
    assert 'aria-label="Breadcrumb"><a href="../topics/">Topics</a>' in _page(out, "/学习率/")
    not_found = (out / "404.html").read_text(encoding="utf-8")
    assert '<a href="/topics/">list of topics</a>' in not_found


def test_links_to_the_home_note_are_backlinks_and_the_site_stays_consistent(built) -> None:
    out, _ = built
    topic = _page(out, "/学习率/")
    assert '<a href="../" class="internal">首页</a>' in topic
    assert "Linked from" in _page(out, "/")  # 学习率 links to it
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>/</loc>" in sitemap and "<loc>/topics/</loc>" in sitemap
    docs = (out / "search" / "d" / "0.js").read_text(encoding="utf-8")
    assert '["/","","欢迎 Welcome"' in docs  # search finds the home note at /
    assert '"id": "/", "kind": "topic", "title": "欢迎 Welcome"' in (out / "graph.json").read_text(encoding="utf-8")


def test_a_generated_sections_url_is_still_an_error_that_says_how_to_fix_it(built) -> None:
    out, report = built
    (problem,) = report.errors
    assert (problem.path, problem.line) == ("sections.md", 3)
    assert problem.message == "permalink /tags/ is used by the site itself"
    assert "/ is allowed: that note becomes the home page" in problem.hint
    assert "published at its ordinary URL" in problem.hint
    assert (out / "sections" / "index.html").is_file()
    assert "Sections" not in _page(out, "/tags/")
    assert not report.warnings


def test_a_paged_list_goes_on_below_topics(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_vault(VAULT, out, home_page_topics=1, language="en")
    first = _page(out, "/topics/")
    assert 'rel="next" href="2/"' in first and "page 1 of 3" in first
    second = _page(out, "/topics/2/")
    assert 'rel="prev" href="../"' in second and 'rel="next" href="../3/"' in second
    assert '<a href="../">1</a>' in second
    assert "这是首页笔记" in _page(out, "/")


def test_two_notes_cannot_both_be_the_home_page(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(VAULT, notes)
    (notes / "second.md").write_text("---\ntitle: Second\npermalink: /\n---\ntext\n", encoding="utf-8")
    report = build_vault(notes, tmp_path / "site", language="en")
    clash = [d for d in report.errors if d.path == "second.md"]
    assert len(clash) == 1 and "already used by index.md" in clash[0].message
    assert "这是首页笔记" in _page(tmp_path / "site", "/")


def test_serve_moves_the_home_page_both_ways(tmp_path: Path) -> None:
    """A note gaining `permalink: /` becomes the home page in the preview, and losing it gives
    the home page back to the list: the preview equals a clean build each time."""
    from test_incremental import clean_output, diff, live_site

    notes = tmp_path / "notes"
    shutil.copytree(VAULT, notes)
    home = notes / "index.md"
    text = home.read_text(encoding="utf-8")
    live = live_site(notes, tmp_path)
    assert not diff(live.output(), clean_output(notes, tmp_path))
    for step in (text.replace("permalink: /\n", ""), text, text.replace("permalink: /\n", "permalink: /welcome/\n")):
        home.write_text(step, encoding="utf-8")
        live.update([home])
        assert not diff(live.output(), clean_output(notes, tmp_path)), step
        listing = live.response("/").body.decode("utf-8")
        assert ('class="home-notes"' in listing) == ("permalink: /\n" not in step)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_with_a_home_note_and_block_names_equal_a_clean_build(tmp_path: Path, seed: int) -> None:
    """The serve-vs-build fuzz of test_incremental with two more kinds of edit: a note gains or
    loses `permalink: /`, and text gains `^blk` block names and `[[x#^blk]]` links to them."""
    import random

    import test_incremental as incremental

    class Editor(incremental.Editor):
        def text(self) -> str:
            text = super().text()
            choice = self.rng.random()
            if text.startswith("- [ ]") or choice >= 0.3:
                return text
            if choice < 0.15:
                return f"{text} ^blk{self.rng.randint(1, 3)}"
            return f"{text} [[{self.rng.choice(self.titles())}#^blk{self.rng.randint(1, 3)}]]"

        def toggle_home(self) -> list[Path]:
            fronted = [p for p in self.md_files() if p.read_text(encoding="utf-8-sig").startswith("---\n")]
            if not fronted:
                return self.edit_body()
            path = self.rng.choice(fronted)
            text = path.read_text(encoding="utf-8-sig").replace("permalink: /todo/\n", "")
            if "permalink: /\n" in text:
                text = text.replace("permalink: /\n", "")
            else:
                text = text.replace("---\n", "---\npermalink: /\n", 1)
            path.write_text(text, encoding="utf-8")
            return [path]

        def step(self) -> tuple[str, list[Path]]:
            if self.rng.random() < 0.15:
                return "toggle_home", self.toggle_home()
            return super().step()

    notes = tmp_path / "notes"
    shutil.copytree(incremental.BASIC_VAULT, notes)
    (tmp_path / "mlnotes.yaml").write_text("title: Fuzz\n", encoding="utf-8")
    live = incremental.live_site(notes, tmp_path)
    editor = Editor(notes, random.Random(seed))
    homes = 0
    for step in range(incremental.STEPS):
        name, paths = editor.step()
        live.update(paths)
        output = live.output()
        homes += "topics/index.html" in output
        differing = incremental.diff(output, incremental.clean_output(notes, tmp_path, editor.broken, editor.config))
        assert not differing, f"step {step} ({name} {[p.name for p in paths]}): {differing}"
    assert 0 < homes < incremental.STEPS  # a note was the home page, and then not
