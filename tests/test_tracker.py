"""The tracker: tasks with their pages, counts, questions merged across places, dates."""

import json
import subprocess

from conftest import BASIC_VAULT
from mlnotes_site.graph.tracker import build_tracker
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
