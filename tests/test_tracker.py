"""The tracker: tasks with their pages, counts, questions merged across places, dates."""

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import test_incremental as incremental
from conftest import BASIC_VAULT, build_vault
from mlnotes_site import urls
from mlnotes_site.config import ConfigError, load_config
from mlnotes_site.emit import tracker as emit_tracker
from mlnotes_site.graph.tracker import build_tracker, paginate
from test_cli import MLNOTES
from test_graph import site_of

VAULT = {
    "c.md": (
        "# 第一\n- [ ] a\n- [x] b ✅ 2024-01-02\n- [-] dropped\n\n# ？重复的问题\n\n"
        "# 第二\n- [/] c 📅 2020-01-01\n- [x] d ✅ 2024-03-04\n\n# ？ 重复的问题\n"
    ),
    "q.md": "---\ntitle: Q\ntags: [ml]\n---\n## ?重复的问题\n- [?] 为什么\n- [ ] e 📅 2030-05-05\n",
}


def test_counts_pages_and_order(md):
    tracker = build_tracker(site_of(md, VAULT, frozenset()))
    assert [t.task.text.split(" ")[0] for t in tracker.tasks] == ["a", "b", "dropped", "c", "d", "为什么", "e"]
    assert (tracker.done, tracker.total) == (2, 6)  # the cancelled item is not counted
    assert [(c.url, c.done, c.total) for c, _ in tracker.pages] == [("/第一/", 1, 2), ("/第二/", 1, 2), ("/q/", 0, 2)]
    assert [(c.url, c.done, c.total) for c in tracker.notes] == [("/notes/c/", 2, 4), ("/q/", 0, 2)]
    assert tracker.tasks[0].href == f"/第一/#{tracker.tasks[0].task.id}"
    assert tracker.tasks[-1].tags == ("ml",)


def test_same_question_in_several_places_is_one(md):
    tracker = build_tracker(site_of(md, VAULT, frozenset()))
    assert [(q.text, [(p.note_rel, p.line, p.url) for p in q.places]) for q in tracker.questions] == [
        (
            "重复的问题",
            [("c.md", 6, "/重复的问题/"), ("c.md", 12, "/重复的问题/#place-2"), ("q.md", 5, "/q/#重复的问题")],
        ),
        ("为什么", [("q.md", 6, f"/q/#{tracker.tasks[5].task.id}")]),
    ]


def test_recent_and_due(md):
    tracker = build_tracker(site_of(md, VAULT, frozenset()))
    assert [t.task.date for t in tracker.recent] == ["2024-03-04", "2024-01-02"]
    assert [t.task.due for t in tracker.due] == ["2020-01-01", "2030-05-05"]


def test_todo_command(tmp_path):
    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [MLNOTES, "todo", "--notes", str(BASIC_VAULT), *a], capture_output=True, text=True, cwd=tmp_path
        )

    default = run()
    assert default.returncode == 0
    assert "collection.md:8: [ ] 读 SGDR 论文" in default.stdout and "写笔记" not in default.stdout
    assert default.stdout.rstrip().endswith("3 items")
    every = json.loads(run("--all", "--json").stdout)
    assert len(every) == 6 and {r["status"] for r in every} == {"open", "done"}
    first = every[0]
    assert set(first) >= {"status", "text", "file", "line", "url", "heading_path", "date", "topic"}
    assert (first["file"], first["line"], first["url"].split("#")[0]) == (
        "collection.md",
        8,
        "/learning-rate-annealing/",
    )
    assert first["heading_path"] == ["Learning Rate Annealing", "小结"]
    done = json.loads(run("--status", "done", "--json").stdout)
    assert [r["status"] for r in done] == ["done"] * 3


# --- paging (tracker_page_items) ------------------------------------------------------------


def paged_vault(topics: int = 7, per_topic: int = 3, big: int = 0) -> dict[str, str]:
    """`topics` notes of one topic each with `per_topic` items (the third nested), and a note
    `big.md` with `big` top-level items (one group bigger than a small page)."""
    files = {}
    for n in range(topics):
        items = [f"- [ ] item {n}-{i}" if i % 3 != 2 else f"  - [x] item {n}-{i}" for i in range(per_topic)]
        lines = [f"# 主题{n}", *items]
        files[f"t{n:02}.md"] = "\n".join(lines) + "\n"
    if big:
        files["zz-big.md"] = "# Big\n" + "".join(f"- [ ] big {i}\n" for i in range(big))
    return files


def flatten(tracker, layout) -> list:
    return [t for page in layout for s in page for t in tracker.pages[s.group][1][s.start : s.end]]


def test_small_vault_is_one_page(md):
    tracker = build_tracker(site_of(md, VAULT, frozenset()))
    layout = paginate(tracker, 1000)
    assert len(layout) == 1 and [s.group for s in layout[0]] == list(range(len(tracker.pages)))
    assert paginate(tracker, len(tracker.tasks)) == layout  # exactly full still fits


def test_groups_fill_pages_whole_and_every_item_once(md):
    tracker = build_tracker(site_of(md, paged_vault(topics=7, per_topic=3), frozenset()))
    assert len(tracker.tasks) == 21
    layout = paginate(tracker, 7)  # two whole groups (6 items) fit, a third does not
    assert [[s.group for s in page] for page in layout] == [[0, 1], [2, 3], [4, 5], [6]]
    assert all(s.parts == 1 and (s.start, s.end) == (0, 3) for page in layout for s in page)
    assert flatten(tracker, layout) == list(tracker.tasks)
    assert [len(p) for p in paginate(tracker, 6)] == [2, 2, 2, 1]
    assert [len(p) for p in paginate(tracker, 5)] == [1] * 7
    with pytest.raises(ValueError):
        paginate(tracker, 0)


def test_a_group_bigger_than_a_page_is_split_before_top_level_items(md):
    tracker = build_tracker(site_of(md, paged_vault(topics=2, per_topic=3, big=10), frozenset()))
    layout = paginate(tracker, 4)
    big = len(tracker.pages) - 1
    parts = [s for page in layout for s in page if s.group == big]
    assert [(s.start, s.end, s.part, s.parts) for s in parts] == [(0, 4, 1, 3), (4, 8, 2, 3), (8, 10, 3, 3)]
    assert flatten(tracker, layout) == list(tracker.tasks)
    assert max(sum(s.end - s.start for s in page) for page in layout) == 4
    # a nested item is never cut from its parent: a part of "主题0" ends after its child
    nested = build_tracker(site_of(md, paged_vault(topics=1, per_topic=9), frozenset()))
    cut = paginate(nested, 2)
    assert [(s.start, s.end) for page in cut for s in page] == [(0, 3), (3, 6), (6, 9)]


def test_tracker_urls():
    assert [urls.tracker_page(k) for k in (1, 2, 10)] == ["/tasks/", "/tasks/2/", "/tasks/10/"]
    with pytest.raises(ValueError):
        urls.tracker_page(0)
    for url in ("/tasks/2/", urls.TRACKER_NOTES, urls.TRACKER_TOPICS, "/tasks/99/"):
        assert urls.reserved(url) and url.startswith(urls.TRACKER)


def test_config_key(tmp_path):
    assert load_config(None, notes=tmp_path, cwd=tmp_path).tracker_page_items == 1000
    (tmp_path / "mlnotes.yaml").write_text("tracker_page_items: 25\n", encoding="utf-8")
    assert load_config(tmp_path / "mlnotes.yaml", cwd=tmp_path).tracker_page_items == 25
    for bad, why in (("0", "positive"), ("ten", "must be a int")):
        (tmp_path / "mlnotes.yaml").write_text(f"tracker_page_items: {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=f"tracker_page_items.*{why}"):
            load_config(tmp_path / "mlnotes.yaml", cwd=tmp_path)


def write_vault(root: Path, files: dict[str, str]) -> Path:
    notes = root / "notes"
    for rel, text in files.items():
        (notes / rel).parent.mkdir(parents=True, exist_ok=True)
        (notes / rel).write_text(text, encoding="utf-8")
    return notes


ITEM = re.compile(r'<li class="task-item"[^>]*>\s*<div class="task-row">.*?<a class="task-link" href="([^"]+)"', re.S)


def test_paged_build(tmp_path):
    notes = write_vault(tmp_path, paged_vault(topics=7, per_topic=3))
    out = tmp_path / "site"
    report = build_vault(notes, out, tracker_page_items=7, base_url="https://me.example/sub/")
    assert not report.errors
    pages = [out / "tasks" / "index.html", *(out / "tasks" / str(k) / "index.html" for k in (2, 3, 4))]
    assert not (out / "tasks" / "5").exists()
    html = [p.read_text(encoding="utf-8") for p in pages]
    # every item exactly once across the pages, with its deep link (relative, to its anchor)
    links = [link for text in html for link in ITEM.findall(text)]
    assert len(links) == len(set(links)) == 21
    assert all(re.fullmatch(r"\.\./(\.\./)?主题\d/#task-[0-9a-f]+", link) for link in links), links[:3]
    assert [len(ITEM.findall(text)) for text in html] == [6, 6, 6, 3]
    for k, text in enumerate(html, 1):
        assert text.count('data-status="') == len(ITEM.findall(text))
        assert re.search(rf'<a href="[^"]*" data-page="{k}" aria-current="page">{k}</a>', text)
        assert ('rel="prev"' in text) == (k > 1) and ('rel="next"' in text) == (k < 4)
        assert 'href="/' not in text and "https://me.example" not in text.split("<body")[1]  # relative links only
        assert ("Progress by note" in text) and ('<table class="progress-table"' not in text)
        assert ("mln-questions" in text or "tracker-due" in text) == (k == 1)
    assert 'rel="next" href="2/"' in html[0] and 'rel="prev" href="../"' in html[1]
    assert 'rel="next" href="../4/"' in html[2]
    assert 'src="topics.js"' in html[0] and 'src="../topics.js"' in html[1]
    notes_page = (out / "tasks" / "notes" / "index.html").read_text(encoding="utf-8")
    assert notes_page.count("<tr><td>") == 7
    topics = (out / "tasks" / "topics.js").read_text(encoding="utf-8")
    rows = json.loads(topics.split("=", 1)[1].rstrip().rstrip(";"))
    assert [r[2] for r in rows] == [1, 1, 2, 2, 3, 3, 4] and rows[0][1] == "主题0"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://me.example/sub/tasks/4/" in sitemap


def test_one_page_build_has_no_pager(tmp_path):
    notes = write_vault(tmp_path, paged_vault(topics=7, per_topic=3))
    out = tmp_path / "site"
    build_vault(notes, out, tracker_page_items=21)
    text = (out / "tasks" / "index.html").read_text(encoding="utf-8")
    assert len(ITEM.findall(text)) == 21 and "tracker-pager" not in text and "topics.js" not in text
    assert '<table class="progress-table">' in text
    assert not (out / "tasks" / "2").exists() and not (out / "tasks" / "notes").exists()


# --- `mlnotes serve` with a paged tracker equals a clean build (tests/test_incremental.py) ----

PAGED = "tracker_page_items: 2\nhome_page_topics: 3\n"  # 6 items on 3+ pages, topics on 2+; edits add both


@pytest.mark.parametrize("seed", incremental.SEEDS)
def test_random_edits_with_a_paged_tracker_equal_a_clean_build(tmp_path: Path, seed: int) -> None:
    class PagedEditor(incremental.Editor):
        def edit_config(self) -> list[Path]:
            paths = super().edit_config()
            if self.config is not None and self.config_file.read_text(encoding="utf-8") == self.config:
                self.config += PAGED  # a valid config keeps the small page budget
                self.config_file.write_text(self.config, encoding="utf-8")
            return paths

    notes = tmp_path / "notes"
    shutil.copytree(BASIC_VAULT, notes)
    (tmp_path / "mlnotes.yaml").write_text("title: Fuzz\n" + PAGED, encoding="utf-8")
    live = incremental.live_site(notes, tmp_path)
    first = live.output()
    assert "tasks/3/index.html" in first and "tasks/topics.js" in first and "topics/2/index.html" in first
    assert not incremental.diff(first, incremental.clean_output(notes, tmp_path))
    editor = PagedEditor(notes, random.Random(seed))
    pages, layouts = set(), set()
    for step in range(incremental.STEPS):
        name, paths = editor.step()
        live.update(paths)
        output = live.output()
        pages.add(sum(1 for k in output if re.fullmatch(r"tasks/(\d+/)?index\.html", k)))
        layouts.add(emit_tracker.table_layout(live.pipeline.table))
        clean = incremental.clean_output(notes, tmp_path, editor.broken, editor.config)
        differing = incremental.diff(output, clean)
        assert not differing, f"step {step} ({name} {[p.name for p in paths]}): {differing}"
    assert len(layouts) > 1, "the edits moved the tracker's page boundaries"
    if seed <= 2:  # the default run's seeds also change how many tracker pages there are
        assert len(pages) > 1, "the edits changed how many tracker pages there are"


def test_progress_by_note_is_paged_too(tmp_path):
    notes = write_vault(tmp_path, paged_vault(topics=7, per_topic=3))
    out = tmp_path / "site"
    build_vault(notes, out, tracker_page_items=1)  # 4 rows of "Progress by note" a page
    assert [urls.tracker_notes(k) for k in (1, 2)] == ["/tasks/notes/", "/tasks/notes/2/"]
    first = (out / "tasks" / "notes" / "index.html").read_text(encoding="utf-8")
    second = (out / "tasks" / "notes" / "2" / "index.html").read_text(encoding="utf-8")
    assert not (out / "tasks" / "notes" / "3").exists()
    assert (first.count("<tr><td>"), second.count("<tr><td>")) == (4, 3)
    assert 'rel="next" href="2/"' in first and 'rel="prev" href="../"' in second
    assert "主题3" in first and "主题4" in second and "主题4" not in first
    # 7 groups of 3 items (the third nested under the second) in parts of 1 and 2 items
    pages = sorted(out.glob("tasks/*/index.html"))
    assert len([p for p in pages if p.parent.name.isdigit()]) == 13  # and /tasks/ itself: 14
    text = (out / "tasks" / "2" / "index.html").read_text(encoding="utf-8")
    assert "(part 2 of 2)" in text and len(ITEM.findall(text)) == 2  # the subtree stays whole


def test_todo_status_is_checked_and_question_lists_the_open_questions(tmp_path, basic_site):
    """Issue 15 item 9: an unknown status is a usage error; `question` lists what the
    tracker page lists under "Open questions" (`？` headings and `[?]` items), with file:line."""

    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [MLNOTES, "todo", "--notes", str(BASIC_VAULT), *a], capture_output=True, text=True, cwd=tmp_path
        )

    bogus = run("--status", "bogus")
    assert bogus.returncode == 2 and "unknown status bogus" in bogus.stderr and "question" in bogus.stderr
    assert run("--status", "open,bogus").returncode == 2
    site = build_tracker(basic_site[1].site)
    rows = json.loads(run("--status", "question", "--json").stdout)
    assert len(rows) == sum(len(q.places) for q in site.questions) > 0
    assert {r["status"] for r in rows} == {"question"} and all(r["file"] and r["line"] > 0 for r in rows)
    text = run("--status", "question").stdout
    assert f"{len(site.questions)} open questions" in text and "items" not in text.splitlines()[-1]
    both = run("--status", "open,question").stdout.rstrip().splitlines()[-1]
    assert both == f"3 items, {len(site.questions)} open questions"
