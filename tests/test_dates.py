"""Notes' dates (load/stamps.py, load/history.py, graph/dates.py): front matter, then the git
history of the notes folder (one `git log` for all of it, renames followed), then the file's
modification time; and what shows them: topic and note pages, /recent/, the home page's
list, feed.xml (parsed by feedparser, a real Atom parser) and the sitemap's <lastmod>.

The git repositories are made here, with back-dated commits (GIT_AUTHOR_DATE and
GIT_COMMITTER_DATE), by the real `git`."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from conftest import build_vault
from mlnotes_site.build import build
from mlnotes_site.config import ConfigError, load_config
from mlnotes_site.i18n import reading_minutes, text_counts
from mlnotes_site.load.history import parse_log, read_history
from mlnotes_site.load.note import parse_note
from mlnotes_site.load.stamps import from_front_matter

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed (apt-get install git)")


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if when is not None:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    done = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def commit(repo: Path, when: str, message: str = "edit") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def set_mtime(path: Path, iso: str) -> None:
    moment = dt.datetime.fromisoformat(iso).timestamp()
    os.utime(path, (moment, moment))


def at(iso: str) -> float:
    return dt.datetime.fromisoformat(iso).timestamp()


# -- front matter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, iso",
    [
        ("2023-06-09", "2023-06-09"),
        ("2023-6-9", "2023-06-09"),
        ("2023-06-09 10:30", "2023-06-09T10:30:00Z"),
        ("2023-06-09T10:30:00+08:00", "2023-06-09T10:30:00+08:00"),
        ("2023-06-09 10:30:00 +0800", "2023-06-09T10:30:00+08:00"),  # Jekyll's way
        (dt.date(2023, 6, 9), "2023-06-09"),
        (dt.datetime(2023, 6, 9, 10, 30), "2023-06-09T10:30:00Z"),
    ],
)
def test_front_matter_dates_are_read_in_the_forms_people_write(value, iso):
    stamp = from_front_matter(value)
    assert stamp is not None and stamp.iso == iso


@pytest.mark.parametrize("value", ["yesterday", "2023-13-01", "2023-02-30", "2023-06-09 25:00", "", 12, None])
def test_what_is_not_a_date_is_none(value):
    assert from_front_matter(value) is None


def test_a_front_matter_date_that_is_not_one_is_a_warning_at_its_line(md):
    note = parse_note("a.md", "---\ntitle: A\nupdated: last week\n---\n# A\n".encode(), md)
    assert note.updated is None
    [warning] = note.diagnostics
    assert (warning.path, warning.line, warning.level) == ("a.md", 3, "warning")
    assert "`updated: last week` is not a date" in warning.message


def test_updated_keys_of_hugo_quartz_and_jekyll(md):
    for key in ("updated", "lastmod", "modified", "last_modified_at"):
        note = parse_note("a.md", f"---\ndate: 2020-01-01\n{key}: 2021-02-03\n---\ntext\n".encode(), md)
        assert note.created is not None and note.created.iso == "2020-01-01"
        assert note.updated is not None and note.updated.iso == "2021-02-03", key


# -- git -----------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose notes folder is a sub-folder (`notes/`), with a back-dated history."""
    root = tmp_path / "project"
    notes = root / "notes"
    notes.mkdir(parents=True)
    git(root, "init", "-q")
    (root / "README.md").write_text("outside the notes folder\n")
    (notes / "a.md").write_text("# A\n\nfirst\n")
    (notes / "old name.md").write_text("# Moved\n\none\ntwo\nthree\nfour\nfive\n")
    (notes / "pure.md").write_text("# Pure\n\nrenamed and never edited\n")
    (notes / "fm.md").write_text("---\ndate: 2020-01-01\nupdated: 2020-02-02\n---\n# FM\n\ntext\n")
    (notes / "gone.md").write_text("# Gone\n")
    commit(root, "2023-01-01T09:00:00+08:00", "first")
    (notes / "a.md").write_text("# A\n\nfirst\nsecond\n")
    (notes / "gone.md").unlink()
    commit(root, "2023-02-01T10:00:00+00:00")
    (notes / "sub").mkdir()
    (notes / "old name.md").rename(notes / "sub" / "新名字.md")
    with (notes / "sub" / "新名字.md").open("a") as f:
        f.write("six\n")
    (notes / "pure.md").rename(notes / "renamed.md")
    commit(root, "2023-03-01T12:00:00-05:00", "renames")
    (notes / "gone.md").write_text("# Gone again\n\nanother file, same name\n")  # reuses a deleted name
    (root / "README.md").write_text("changed later, outside the notes\n")
    commit(root, "2023-04-01T08:00:00+00:00")
    return notes


@needs_git
def test_git_history_gives_first_and_last_commit_following_renames(repo: Path):
    history = read_history(repo)
    assert history.problem is None
    dates = {rel: (d.created.iso, d.updated.iso) for rel, d in history.files.items()}
    assert dates["a.md"] == ("2023-01-01T09:00:00+08:00", "2023-02-01T10:00:00Z")
    # renamed with an edit: its history goes back to its first name
    assert dates["sub/新名字.md"] == ("2023-01-01T09:00:00+08:00", "2023-03-01T12:00:00-05:00")
    # a rename alone is not an update
    assert dates["renamed.md"] == ("2023-01-01T09:00:00+08:00", "2023-01-01T09:00:00+08:00")
    # a new file under a deleted file's name does not inherit its dates
    assert dates["gone.md"] == ("2023-04-01T08:00:00Z", "2023-04-01T08:00:00Z")
    assert "README.md" not in dates and "old name.md" not in dates and "pure.md" not in dates


@needs_git
def test_front_matter_wins_over_git_and_an_edited_note_takes_its_file_time(repo: Path, tmp_path: Path):
    (repo / "a.md").write_text("# A\n\nfirst\nsecond\nthird, not committed\n")
    set_mtime(repo / "a.md", "2024-05-05T05:05:05+00:00")
    (repo / "new.md").write_text("# New\n\nnot in git\n")
    set_mtime(repo / "new.md", "2024-06-06T06:00:00+00:00")
    report = build_vault(repo, tmp_path / "site")
    dates = report.site.dates
    assert (dates["fm.md"].created.iso, dates["fm.md"].updated.iso) == ("2020-01-01", "2020-02-02")
    assert (dates["fm.md"].created_from, dates["fm.md"].updated_from) == ("front matter", "front matter")
    assert dates["a.md"].created.iso == "2023-01-01T09:00:00+08:00" and dates["a.md"].created_from == "git"
    assert dates["a.md"].updated.epoch == at("2024-05-05T05:05:05+00:00") and dates["a.md"].updated_from == "file"
    assert dates["new.md"].created.epoch == dates["new.md"].updated.epoch == at("2024-06-06T06:00:00+00:00")
    assert dates["new.md"].created_from == "file"
    assert dates["sub/新名字.md"].updated.iso == "2023-03-01T12:00:00-05:00"
    assert dates["sub/新名字.md"].updated_from == "git"
    # shown on the topic page, in the interface language's format, with <time datetime>
    page = (tmp_path / "site" / "moved" / "index.html").read_text()
    assert '<time datetime="2023-01-01T09:00:00+08:00">1 January 2023</time>' in page
    assert '<time datetime="2023-03-01T12:00:00-05:00">1 March 2023</time>' in page


@needs_git
def test_the_git_pass_is_one_process_for_the_whole_vault(repo: Path, tmp_path: Path):
    """A `git` on PATH that logs each call, then runs the real one."""
    for n in range(30):
        (repo / f"n{n}.md").write_text(f"# Note {n}\n")
    (repo / "collection.md").write_text("# First\n\none\n\n# Second\n\ntwo\n")  # its lines dated too
    commit(repo.parent, "2023-05-01T00:00:00+00:00")
    shims = tmp_path / "bin"
    shims.mkdir()
    calls = tmp_path / "calls.txt"
    (shims / "git").write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {GIT} "$@"\n')
    (shims / "git").chmod(0o755)
    path = os.environ["PATH"]
    os.environ["PATH"] = f"{shims}{os.pathsep}{path}"
    try:
        report = build_vault(repo, tmp_path / "site")
    finally:
        os.environ["PATH"] = path
    logs = [line for line in calls.read_text().splitlines() if " log " in f" {line} "]
    assert len(logs) == 1, calls.read_text()
    assert len(report.site.dates) == 36
    assert {rel for rel, d in report.site.dates.items() if d.created_from != "git"} == {"fm.md"}
    assert "-p" in logs[0].split()  # the one log also dated the collection's lines


@needs_git
def test_a_collections_topics_take_the_dates_of_their_own_lines(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    git(notes, "init", "-q")
    path = notes / "collection.md"
    path.write_text("# One\n\none\nmore\n\n# Two\n\ntwo\n\n# Three\n\nthree\n")
    (notes / "single.md").write_text("# Single\n\ntext\n")
    commit(notes, "2023-01-01T00:00:00+00:00")
    path.write_text("# One\n\none\nmore\n\n# Two\n\ntwo, edited\n\n# Three\n\nthree\n")
    commit(notes, "2023-02-01T00:00:00+00:00")
    path.write_text("# One\n\none\n\n# Two\n\ntwo, edited\n\n# Three\n\nthree\n")  # a line of One deleted
    commit(notes, "2023-03-01T00:00:00+00:00")
    site = build_vault(notes, tmp_path / "site").site
    assert site.dates["collection.md"].updated.iso == "2023-03-01T00:00:00Z"
    by_title = {t.title: site.page_dates[t.url] for t in site.topics.values()}
    assert {title: (d.created.iso[:10], d.updated.iso[:10]) for title, d in by_title.items()} == {
        "One": ("2023-01-01", "2023-03-01"),
        "Two": ("2023-01-01", "2023-02-01"),
        "Three": ("2023-01-01", "2023-01-01"),
        "Single": ("2023-01-01", "2023-01-01"),
    }
    assert [site.topics[k].title for k in site.recent] == ["One", "Two", "Three", "Single"]
    page = (tmp_path / "site" / "two" / "index.html").read_text()
    assert '<time datetime="2023-02-01T00:00:00Z">1 February 2023</time>' in page
    # edited since its last commit: its lines' dates are not the file's any more, so every
    # topic of it takes the note's (the file's time)
    path.write_text(path.read_text() + "\nnew line\n")
    set_mtime(path, "2024-04-04T00:00:00+00:00")
    site = build_vault(notes, tmp_path / "site2").site
    assert {site.page_dates[t.url].updated.iso[:10] for t in site.topics.values() if t.note_rel == path.name} == {
        "2024-04-04"
    }


def test_parse_log_handles_copies_and_deletions_without_a_repository():
    out = (
        "\x02c3 2023-03-01T00:00:00+00:00\n\n:100644 100644 " + "b" * 40 + " " + "c" * 40 + " C075\tx.md\ty.md\n"
        "\x02c2 2023-02-01T00:00:00+00:00\n\n:100644 000000 " + "a" * 40 + " " + "0" * 40 + " D\tz.md\n"
        "\x02c1 2023-01-01T00:00:00+00:00\n\n:000000 100644 " + "0" * 40 + " " + "b" * 40 + " A\tx.md\n"
        ":000000 100644 " + "0" * 40 + " " + "a" * 40 + " A\tz.md\n"
    )
    history = parse_log(out.split("\n"))
    assert history.head == "c3"
    assert set(history.files) == {"x.md", "y.md"}  # z.md was deleted
    assert history.files["y.md"].created.iso == "2023-03-01T00:00:00Z"  # a copy is a new file
    assert history.files["x.md"].blob == "b" * 40


@needs_git
def test_names_git_writes_quoted_are_read_back(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    git(notes, "init", "-q")
    odd = ['a "quoted" name.md', "tab\there.md", "back\\slash.md", "中文 名字.md"]
    for name in odd:
        (notes / name).write_text("# T\n")
    commit(notes, "2023-01-01T00:00:00+00:00")
    (notes / odd[0]).rename(notes / 'moved "again".md')
    commit(notes, "2023-02-01T00:00:00+00:00")
    assert set(read_history(notes).files) == {'moved "again".md', *odd[1:]}


def test_without_git_the_file_time_dates_a_note(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n")
    set_mtime(notes / "a.md", "2022-02-22T22:22:22+00:00")
    (notes / "b.md").write_text("---\ndate: 2019-09-09\n---\n# B\n")
    set_mtime(notes / "b.md", "2022-03-03T00:00:00+00:00")
    report = build_vault(notes, tmp_path / "site")
    a, b = report.site.dates["a.md"], report.site.dates["b.md"]
    assert a.created.epoch == a.updated.epoch == at("2022-02-22T22:22:22+00:00") and a.updated_from == "file"
    assert (b.created.iso, b.created_from, b.updated_from) == ("2019-09-09", "front matter", "file")
    # config `dates` chooses the sources
    only = build_vault(notes, tmp_path / "only", dates=["front_matter"])
    assert "a.md" not in only.site.dates and only.site.dates["b.md"].updated.iso == "2019-09-09"
    assert "<time" not in (tmp_path / "only" / "a" / "index.html").read_text()
    with pytest.raises(ConfigError, match="dates"):
        load_config(None, notes=notes, out=tmp_path / "x", cwd=tmp_path, dates=["svn"])


def test_updated_is_never_before_created_and_the_first_source_decides(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\ndate: 2030-01-01\n---\n# Later\n")  # dated ahead of its file time
    set_mtime(notes / "a.md", "2022-01-01T00:00:00+00:00")
    (notes / "b.md").write_text("---\nupdated: 2021-01-01\n---\n# Earlier\n")  # a file made after its date
    set_mtime(notes / "b.md", "2022-01-01T00:00:00+00:00")
    dates = build_vault(notes, tmp_path / "site").site.dates
    a, b = dates["a.md"], dates["b.md"]
    assert a.updated == a.created and a.updated.iso == "2030-01-01"
    assert b.updated == b.created and b.created.iso == "2021-01-01" and b.created_from == "front matter"


@needs_git
def test_a_repository_git_cannot_read_is_a_warning_and_dates_come_from_files(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n")
    git(notes, "init", "-q")
    commit(notes, "2023-01-01T00:00:00+00:00")
    for folder in (notes / ".git" / "objects").iterdir():  # its objects are lost
        if len(folder.name) == 2:
            shutil.rmtree(folder)
    report = build_vault(notes, tmp_path / "site")
    assert report.site.dates["a.md"].created_from == "file"
    problems = [d for d in report.warnings if "git history" in d.message]
    assert len(problems) == 1 and problems[0].path == str(notes)


# -- what shows the dates ----------------------------------------------------------------


def dated_vault(tmp_path: Path, n: int = 14) -> Path:
    """`n` notes dated by front matter, one a day from 2024-01-01 (two on the last day), and a
    collection of two topics."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for k in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=min(k, n - 2))
        text = f"---\ndate: 2023-12-01\nupdated: {day.isoformat()} 1{k % 10}:00:00 +08:00\ntags: [t{k}]\n---\n"
        body = f"# Note {k}\n\nParagraph of note {k} with [a link](note00.md).\n"
        (notes / f"note{k:02d}.md").write_text(text + body)
    (notes / "collection.md").write_text("# One\n\nfirst\n\n# Two\n\nsecond\n")
    set_mtime(notes / "collection.md", "2023-06-01T00:00:00+00:00")
    return notes


def test_recent_page_groups_by_day_and_the_home_page_lists_ten(tmp_path: Path):
    notes = dated_vault(tmp_path)
    out = tmp_path / "site"
    report = build_vault(notes, out, base_url="https://me.example/kb/")
    site = report.site
    assert [site.topics[k].title for k in site.recent[:3]] == ["Note 13", "Note 12", "Note 11"]
    assert [site.topics[k].title for k in site.recent[-2:]] == ["One", "Two"]  # a collection's topics share its date
    recent = (out / "recent" / "index.html").read_text()
    days = recent.split('<section class="recent-day"')[1:]
    assert len(days) == 13 + 1  # 14 notes over 13 days, and the collection's day
    assert "Note 13" in days[0] and "Note 12" in days[0] and "Note 11" in days[1]
    assert '<time datetime="2024-01-13">13 January 2024</time>' in days[0]
    home = (out / "index.html").read_text()
    listed = home.split('class="home-recent"')[1].split("</section>")[0]
    assert listed.count("<li>") == 10 and "Note 13" in listed and "Note 3<" not in listed


def test_feed_is_atom_with_absolute_links_in_date_order(tmp_path: Path):
    notes = dated_vault(tmp_path, n=60)
    out = tmp_path / "site"
    build_vault(notes, out, base_url="https://me.example/kb/", title="我的笔记")
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "我的笔记"
    assert len(feed.entries) == 50
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    first = feed.entries[0]
    assert first.title == "Note 59" and first.link == "https://me.example/kb/note-59/"
    assert first.updated == "2024-02-28T19:00:00+08:00" and first.published == "2023-12-01T00:00:00Z"
    assert first.summary == "Paragraph of note 59 with a link."
    assert first.content[0].type == "text/html" and "<p>Paragraph of note 59" in first.content[0].value
    # relative links inside the content resolve against the entry (xml:base)
    assert 'href="https://me.example/kb/note-0/"' in first.content[0].value
    assert [t.term for t in first.tags] == ["t59"]
    assert feed.feed.updated == first.updated
    # every page says where the feed is
    for page in [out / "index.html", out / "note-3" / "index.html", out / "tags" / "index.html"]:
        assert 'rel="alternate" type="application/atom+xml"' in page.read_text()
    sitemap = (out / "sitemap.xml").read_text()
    assert "<url><loc>https://me.example/kb/note-3/</loc><lastmod>2024-01-04T13:00:00+08:00</lastmod></url>" in sitemap


def test_without_base_url_the_build_warns_once(tmp_path: Path):
    notes = dated_vault(tmp_path, n=3)
    report = build(load_config(None, notes=notes, out=tmp_path / "site", cwd=tmp_path))
    said = [d for d in report.warnings if "base_url" in d.message]
    assert len(said) == 1 and "feed.xml and sitemap.xml" in said[0].message
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].link == "/note-2/"
    with_url = build(load_config(None, notes=notes, out=tmp_path / "site2", cwd=tmp_path, base_url="https://x.e/"))
    assert not [d for d in with_url.warnings if "base_url" in d.message]


def test_a_control_character_in_a_note_does_not_break_the_feed(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\ntags: [x\x01y]\n---\n# Bell\x07 title\n\ntext\x0b with\x1b[0m escapes \ufffe\n")
    build_vault(notes, tmp_path / "site", base_url="https://x.example/")
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries[0].title == "Bell title" and "escapes" in feed.entries[0].summary


def test_the_same_notes_give_the_same_feed(tmp_path: Path):
    notes = dated_vault(tmp_path, n=5)
    build_vault(notes, tmp_path / "a", base_url="https://x.example/")
    build_vault(notes, tmp_path / "b", base_url="https://x.example/")
    assert (tmp_path / "a" / "feed.xml").read_bytes() == (tmp_path / "b" / "feed.xml").read_bytes()


# -- reading aids --------------------------------------------------------------------------


def test_reading_time_counts_han_characters_and_latin_words(md):
    chinese = parse_note("zh.md", ("# 标题\n\n" + "梯度下降是优化的算法" * 80 + "\n").encode(), md)
    han, words = text_counts(chinese.tokens)
    assert (han, words) == (2 + 800, 0)  # a Chinese paragraph is 800 characters, not one word
    english = parse_note("en.md", ("# Title\n\n" + "gradient descent " * 230 + "\n").encode(), md)
    assert text_counts(english.tokens) == (0, 1 + 460)
    assert reading_minutes(800, 0) == 2 and reading_minutes(0, 460) == 2 and reading_minutes(3, 2) == 1


def test_topic_pages_show_reading_time_and_home_the_totals(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "long.md").write_text("# 长文\n\n" + "注意力机制" * 400 + "\n\n" + "attention is all " * 100 + "\n")
    out = tmp_path / "site"
    build_vault(notes, out, language="zh-CN")
    page = (out / "长文" / "index.html").read_text()
    assert '<span class="reading">约 6 分钟读完</span>' in page  # 2,002 characters and 300 words
    home = (out / "index.html").read_text()
    assert "<strong>2,002</strong> 字" in home and "<strong>300</strong> 个英文词" in home


# -- each line's date, for a collection's topics ----------------------------------------------


def blame(repo: Path, rel: str) -> dict[int, float]:
    """Line -> author time, as `git blame` says."""
    out = git(repo, "blame", "--porcelain", "--", rel)
    found, times, line = {}, {}, 0
    sha = ""
    for text in out.splitlines():
        parts = text.split(" ")
        if len(parts[0]) == 40 and len(parts) >= 3 and parts[1].isdigit():
            sha, line = parts[0], int(parts[2])
        elif text.startswith("author-time "):
            times[sha] = float(parts[1])
        elif text.startswith("\t"):
            found[line] = sha
    return {n: times[s] for n, s in found.items()}


@needs_git
@pytest.mark.parametrize("seed", range(6))
def test_line_dates_of_one_log_equal_git_blame(tmp_path: Path, seed: int):
    """Random edits (insertions, deletions, changes, a rename, another file) over 25 commits:
    every line's date from read_line_dates equals `git blame`'s."""
    import random

    from mlnotes_site.load.history import read_history

    rng = random.Random(seed)
    notes = tmp_path / "notes"
    notes.mkdir()
    git(notes, "init", "-q")
    name = "c.md"
    lines = [f"# T{k}\n" if k % 5 == 0 else f"line {k}\n" for k in range(30)]
    n = 0
    for step in range(25):
        for _ in range(rng.randint(1, 4)):
            n += 1
            at = rng.randrange(len(lines) + 1)
            kind = rng.random()
            if kind < 0.4 or len(lines) < 5:
                lines[at:at] = [f"new {n}.{j}\n" for j in range(rng.randint(1, 3))]
            elif kind < 0.7:
                del lines[at : at + rng.randint(1, 3)]
            else:
                lines[at : at + 2] = [f"changed {n}\n"]
        (notes / name).write_text("".join(lines))
        (notes / "other.md").write_text(f"other {step}\n")
        if step == 12:
            (notes / name).rename(notes / "renamed.md")
            name = "renamed.md"
        commit(notes, f"2023-01-{step + 1:02d}T00:00:00+00:00")
    expected = blame(notes, name)
    history = read_history(notes, frozenset({name}))
    dates = history.lines[name]
    assert history.files == read_history(notes).files  # the same files' dates with or without lines
    got = {line: stamp.epoch for start, end, stamp in dates.written for line in range(start, end)}
    assert got == expected


@needs_git
def test_the_preview_keeps_git_dates_equal_to_a_clean_build(tmp_path: Path):
    """`mlnotes serve` over a git repository: edits, touches and new notes leave its pages
    (dates, /recent/, the feed, the sitemap) byte for byte those of a clean build."""
    from test_incremental import clean_output, diff, live_site

    notes = tmp_path / "notes"
    notes.mkdir()
    git(notes, "init", "-q")
    collection = notes / "collection.md"
    collection.write_text("# One\n\none\n\n# Two\n\ntwo\n")
    (notes / "single.md").write_text("---\ntitle: Single\n---\ntext\n")
    commit(notes, "2023-01-01T00:00:00+00:00")
    collection.write_text("# One\n\none, edited\n\n# Two\n\ntwo\n")
    commit(notes, "2023-02-01T00:00:00+00:00")
    live = live_site(notes, tmp_path)
    assert not diff(live.output(), clean_output(notes, tmp_path))
    steps = [
        lambda: collection.write_text(collection.read_text() + "\nuncommitted\n"),
        lambda: set_mtime(notes / "single.md", "2025-05-05T00:00:00+00:00"),  # committed: git dates it still
        lambda: (notes / "new.md").write_text("# New\n\nnot in git\n"),
        lambda: collection.write_text("# One\n\none, edited\n\n# Two\n\ntwo\n"),  # back to its commit
    ]
    for n, step in enumerate(steps):
        step()
        live.update([collection, notes / "single.md", notes / "new.md"])
        assert not diff(live.output(), clean_output(notes, tmp_path)), n
    site = live.site
    assert site is not None and site.page_dates["/one/"].updated.iso == "2023-02-01T00:00:00Z"
    assert site.page_dates["/two/"].updated.iso == "2023-01-01T00:00:00Z"


def test_the_preview_keeps_the_recent_list_of_a_big_vault_equal_to_a_clean_build(tmp_path: Path):
    """Past 100 dated topics, an update recomputes the list only when a changed page is in it
    or may enter it (graph/dates.py `_may_enter`): random re-datings, in and out of the list,
    ties included, each compared with a clean build's list."""
    import random

    from test_incremental import live_site

    rng = random.Random(7)
    notes = tmp_path / "notes"
    notes.mkdir()
    for k in range(130):
        (notes / f"n{k:03d}.md").write_text(f"---\nupdated: 2024-01-{k % 28 + 1:02d}\n---\n# Note {k}\n")
    live = live_site(notes, tmp_path)
    for step in range(40):
        path = notes / f"n{rng.randrange(130):03d}.md"
        day = rng.choice(["2023-06-01", "2024-01-10", "2024-01-20", "2024-01-28", "2025-01-01"])
        path.write_text(f"---\nupdated: {day}\n---\n# {path.stem}\n")
        live.update([path])
        clean = build_vault(notes, tmp_path / f"clean{step}", dates=["front_matter"]).site
        assert live.site is not None and clean is not None
        got = [live.site.topics[k].title for k in live.site.recent]
        assert got == [clean.topics[k].title for k in clean.recent], step


def test_a_note_that_goes_leaves_the_dates_view(tmp_path: Path):
    """Deleted or drafted: the view after a note goes equals a fresh one (as `mlnotes serve` updates it)."""
    from mlnotes_site.graph.state import GraphState
    from mlnotes_site.markdown import make_parser

    md = make_parser()
    notes = {
        rel: parse_note(rel, f"---\ndate: 2024-0{n + 1}-01\n---\n# T{n}\n".encode(), md)
        for n, rel in enumerate(["a.md", "b.md", "c.md"])
    }
    state = GraphState()
    state.update(notes, frozenset())
    del notes["b.md"]
    site = state.update(notes, frozenset())
    fresh = GraphState().update(notes, frozenset())
    assert dict(site.dates) == dict(fresh.dates) and set(site.dates) == {"a.md", "c.md"}
    assert dict(site.page_dates) == dict(fresh.page_dates) and site.recent == fresh.recent
