"""Checklist items: statuses, nesting, stable anchors, outline dates, emoji fields, questions, lint."""

import pytest

from mlnotes_site.load.checklists import emoji_fields, heading_date, outline_date, question_text
from mlnotes_site.load.note import parse_note


def tasks_of(md, text):
    return parse_note("n.md", text.encode("utf-8"), md).tasks


@pytest.mark.parametrize(
    "mark, status",
    [
        (" ", "open"),
        ("x", "done"),
        ("X", "done"),
        ("/", "in-progress"),
        ("-", "cancelled"),
        ("?", "question"),
        ("!", "other"),
        ("a", "other"),
    ],
)
def test_every_status(md, mark, status):
    (task,) = tasks_of(md, f"- [{mark}] item\n")
    assert (task.mark, task.status, task.text, task.line) == (mark, status, "item", 1)


@pytest.mark.parametrize("marker", ["* ", "+ ", "1. ", "1) "])
def test_any_list_marker_and_tab(md, marker):
    (task,) = tasks_of(md, f"{marker}[x]\titem\n")
    assert task.status == "done" and task.text == "item"


def test_not_tasks(md):
    assert tasks_of(md, "[x] a paragraph, not a list\n\n- [] empty\n- [ab] two\n- plain\n") == ()


def test_nesting_and_heading_path(md):
    text = (
        "# 2023\n\n## 4🈷️\n- [X] 开发 Python 程序\n  * [X] 没有源代码发布\n"
        "  * [ ] 开发使用 pip 安装\n    - [ ] deeper\n- [ ] sibling\n"
    )
    tasks = tasks_of(md, text)
    parent, child1, child2, deeper, sibling = tasks
    assert child1.parent == parent.id and child2.parent == parent.id and deeper.parent == child2.id
    assert parent.parent is None and sibling.parent is None
    assert parent.heading_path == ("2023", "4🈷️")
    assert [t.line for t in tasks] == [4, 5, 6, 7, 8]


def test_item_in_a_quote_and_with_a_paragraph_below(md):
    tasks = tasks_of(md, "> - [ ] quoted\n\n- [x] with text\n  more text under the item\n")
    assert [(t.text, t.status) for t in tasks] == [("quoted", "open"), ("with text more text under the item", "done")]


def test_anchor_ids_survive_edits_elsewhere(md):
    before = {t.text: t.id for t in tasks_of(md, "# A\n- [ ] one\n- [x] two\n")}
    after = {t.text: t.id for t in tasks_of(md, "intro added\n\n# A renamed\n- [ ] zero\n- [ ] one\n- [ ] two\n")}
    assert before["one"] == after["one"] and before["two"] == after["two"]  # status and place changed, id kept
    assert all(i.startswith("task-") for i in after.values())


def test_repeated_text_gets_distinct_ids(md):
    text = "## 5🈷️\n- [X] 研究 OpenAI API\n## 4🈷️\n- [X] 研究 OpenAI API\n- [X] 研究 OpenAI API\n"
    ids = [t.id for t in tasks_of(md, text)]
    assert len(set(ids)) == 3
    assert ids[2].endswith("-2")


@pytest.mark.parametrize(
    "heading, parsed",
    [
        ("2023", (2023, None)),
        ("2023年", (2023, None)),
        ("6🈷️", (None, 6)),
        ("6🈷", (None, 6)),
        ("6月", (None, 6)),
        ("12 月", (None, 12)),
        ("June", (None, 6)),
        ("jun", (None, 6)),
        ("2023-06", (2023, 6)),
        ("2023年6月", (2023, 6)),
        ("13月", (None, None)),
        ("开发文档", (None, None)),
        ("2023 年大模型总结", (None, None)),
    ],
)
def test_heading_dates(heading, parsed):
    assert heading_date(heading) == parsed


@pytest.mark.parametrize(
    "path, text, expected",
    [
        (("2023", "6🈷️"), "9 [paper](x)", ("2023-06-09", "2023-06")),
        (("2023", "6月"), "9日 读完", ("2023-06-09", "2023-06")),
        (("2023", "June"), "30 talk", ("2023-06-30", "2023-06")),
        (("2023-05",), "23 video", ("2023-05-23", "2023-05")),
        (("2023", "5🈷️"), "研究文档", (None, "2023-05")),  # no day: a period, not a date
        (("6🈷️",), "9 paper", (None, None)),  # no year: never guessed
        (("2023",), "9 paper", (None, None)),  # no month
        (("2023", "6🈷️"), "31 paper", (None, "2023-06")),  # June has no 31st
        (("2023", "6🈷️"), "2023 annual report", (None, "2023-06")),  # not a day number
        (("2022", "1月", "2023"), "5 x", (None, None)),  # a deeper year resets the month
    ],
)
def test_outline_dates(path, text, expected):
    assert outline_date(path, text) == expected


def test_emoji_fields_and_explicit_date_wins(md):
    assert emoji_fields("ship ⏫ 📅 2025-01-31 ⏳ 2025-01-20 🛫 2025-01-10 ✅ 2025-01-02") == {
        "due": "2025-01-31",
        "scheduled": "2025-01-20",
        "start": "2025-01-10",
        "done": "2025-01-02",
        "priority": "high",
    }
    assert emoji_fields("📅 2025-02-30") == {}
    (task,) = tasks_of(md, "# 2023\n## 6月\n- [x] 9 done later ✅ 2023-07-01 🔽\n")
    assert (task.date, task.date_source, task.period, task.priority) == ("2023-07-01", "emoji", "2023-06", "low")
    (inferred,) = tasks_of(md, "# 2023\n## 6月\n- [x] 9 paper\n")
    assert (inferred.date, inferred.date_source) == ("2023-06-09", "outline")


def test_questions_from_headings_and_items(md):
    note = parse_note(
        "q.md", "# ？梯度爆炸\n## ?backbone\n# ？ 蒸馏 量化\n# Not a question?\n- [?] why softmax\n".encode(), md
    )
    assert [(q.text, q.line, q.heading_index is None) for q in note.questions] == [
        ("梯度爆炸", 1, False),
        ("backbone", 2, False),
        ("蒸馏 量化", 3, False),
        ("why softmax", 5, True),
    ]
    assert question_text("？") is None and question_text("plain") is None


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("- [x]中文没有空格\n", 1, "no space after"),
        ("- [ ]\u3000全角空格\n", 1, "full-width space"),
        ("- 【 】全角括号\n", 1, "full-width brackets"),
        ("- 【x】done\n", 1, "full-width brackets"),
        ("text\n\n        - [ ] indented into code\n", 3, "became a code block"),
    ],
)
def test_near_miss_markers_are_warned_with_lines(md, text, line, words):
    note = parse_note("n.md", text.encode("utf-8"), md)
    assert note.tasks == ()
    (diag,) = note.diagnostics
    assert (diag.level, diag.line) == ("warning", line) and words in diag.message


def test_real_tasks_and_links_are_not_linted(md):
    note = parse_note("n.md", "- [x] fine\n- [link](x.md) text\n- [[wiki]] text\n".encode(), md)
    assert note.diagnostics == ()
    assert len(note.tasks) == 1
