"""Hostile input never costs the site: random front matter and odd headings, written as a
careless or malicious user would, always give a Note (problems as diagnostics naming the
file), and a vault holding such a note still builds every other page.

A small budget runs in CI; `MLNOTES_FUZZ=N` runs N times more examples.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_vault
from mlnotes_site.load.note import parse_note

SCALE = int(os.environ.get("MLNOTES_FUZZ", "0") or 0) or 1
KEYS = [
    "title",
    "tags",
    "tag",
    "aliases",
    "alias",
    "date",
    "permalink",
    "draft",
    "published",
    "topics",
    "autolink",
    "x",
]
NASTY = [
    "",
    "~",
    "null",
    "[unclosed",
    "{a: 1",
    "'quoted",
    '"x',
    "&a",
    "*a",
    "!!float x",
    "!!timestamp x",
    "!!python/object x",
    "2023-02-30",
    "2023-13-45",
    "9" * 5000,
    "- a\n  - b",
    "|\n  block",
    ">",
    "javascript:alert(1)",
    "//evil.example/x",
    "a\\b",
    "\x00\x01",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "C++, C#, c",
    "true",
    '"false"',
    "no",
    "0",
    "✅ 📅",
    "？问题",
    "６🈷️",
    "\u202eRTL",
    "a: b: c",
    "[" * 60,
    "{" * 60,
]
texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet="梯度下降学习率？（）、，。 #[]{}:-!*&|>'\"", max_size=80),
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.sampled_from(KEYS))
        value = draw(texts)
        lines.append(f"{key}: {value}" if "\n" not in value else f"{key}:\n  {value}")
    if draw(st.booleans()):
        lines.append(draw(texts))  # a stray line
    closed = draw(st.booleans()) or not lines
    return "---\n" + "\n".join(lines) + ("\n---\n" if closed else "\n")


@st.composite
def heading(draw: st.DrawFn) -> str:
    level = draw(st.integers(1, 6))
    text = draw(st.one_of(texts, st.text(min_size=100, max_size=300), st.just("梯" * 120), st.just("😀" * 90)))
    return "#" * level + " " + text.replace("\n", " ")


@st.composite
def note(draw: st.DrawFn) -> str:
    parts = [draw(front_matter())] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 4))):
        parts.append(draw(heading()))
        parts.append(draw(texts))
    return "\n".join(parts) + "\n"


@settings(max_examples=60 * SCALE, deadline=None)
@given(note())
def test_any_note_parses_into_a_note_with_located_diagnostics(md, text):
    parsed = parse_note("fuzz.md", text.encode("utf-8", "surrogatepass"), md)
    assert parsed.rel == "fuzz.md"
    lines = max(1, len(text.splitlines()) + 1)
    for d in parsed.diagnostics:
        assert d.path == "fuzz.md" and 0 <= d.line <= lines, d.format()


@settings(max_examples=12 * SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(note(), min_size=1, max_size=3))
def test_a_vault_of_hostile_notes_still_builds_the_others(tmp_path, texts):
    work = tmp_path / "v"
    shutil.rmtree(work, ignore_errors=True)
    notes = work / "notes"
    notes.mkdir(parents=True)
    (notes / "good.md").write_text("# 好的笔记 Good note\n\n正常的内容。\n", encoding="utf-8")
    for n, text in enumerate(texts):
        (notes / f"fuzz-{n}.md").write_bytes(text.encode("utf-8", "surrogatepass"))
    out = work / "site"
    report = build_vault(notes, out)
    assert (out / "index.html").is_file() and (out / "好的笔记-good-note" / "index.html").is_file()
    for d in report.diagnostics:
        assert Path(d.path).name.endswith((".md", ".html", ".xml")), d.format()
    site = b"".join(p.read_bytes() for p in out.rglob("*.html"))
    assert b'href="javascript:' not in site  # a permalink never becomes a script URL
