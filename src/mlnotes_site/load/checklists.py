"""Checklists and open questions of one note, read from its parsed tokens.

`extract_tasks` turns the items recorded by markdown/tasks.py into Task objects with
dates; `extract_questions` finds `？`-headings and `[?]` items; `lint_tasks` reports
near-miss markers that Markdown does not treat as tasks, so nothing the user meant as a
task silently disappears. All three are pure functions of one note's tokens.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from typing import Any, Sequence

from ..errors import Diagnostic, warning
from ..model import Heading, Question, Task

# Obsidian Tasks signifiers
_EMOJI_DATES = {"✅": "done", "📅": "due", "📆": "due", "🗓": "due", "⏳": "scheduled", "⌛": "scheduled", "🛫": "start"}
_EMOJI_DATE = re.compile(r"(✅|📅|📆|🗓️?|⏳|⌛|🛫)\ufe0f?\s*(\d{4}-\d{2}-\d{2})")
_PRIORITY = {"🔺": "highest", "⏫": "high", "🔼": "medium", "🔽": "low", "⏬": "lowest"}

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
_YEAR = re.compile(r"^(\d{4})\s*年?$")
_MONTH_NUM = re.compile(r"^(\d{1,2})\s*月(?:份)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?$")
_DAY = re.compile(r"^(\d{1,2})(?:日|号)?(?=\s|$)")

_NEAR_MISS = [
    (
        re.compile(r"^\[[ xX/\-?]\](?=[^\s\]])"),
        "no space after `]`, so it is not a checklist item",
        "write a space after the `]`: `- [x] text`",
    ),
    (
        re.compile(r"^\[[ xX/\-?]\]\u3000"),
        "a full-width space after `]`, so it is not a checklist item",
        "use an ASCII space after the `]`",
    ),
    (
        re.compile(r"^[【［]\s?[ xX/\-?\u3000]?\s?[】］]"),
        "full-width brackets `【 】`, so it is not a checklist item",
        "use ASCII brackets: `- [ ] text`",
    ),
]
_CODE_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX/\-?]\]\s")


def heading_date(text: str) -> tuple[int | None, int | None]:
    """(year, month) a heading names, if it is only a date: `2023`, `6🈷️`, `6月`, `June`, `2023-06`."""
    text = unicodedata.normalize("NFKC", text).replace("\ufe0f", "").strip()  # NFKC: 🈷 -> 月
    if m := _YEAR.match(text):
        return int(m.group(1)), None
    if (m := _YEAR_MONTH.match(text)) and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    if (m := _MONTH_NUM.match(text)) and 1 <= int(m.group(1)) <= 12:
        return None, int(m.group(1))
    if text.lower() in _MONTHS:
        return None, _MONTHS[text.lower()]
    return None, None


def outline_date(path: Sequence[str], text: str) -> tuple[str | None, str | None]:
    """(date, period) from the headings above an item and a leading day number on it.

    A year heading and a month heading (deepest of each wins) give the period `YYYY-MM`;
    a leading day number (`9 [paper](…)`) makes it a date. Nothing is guessed beyond that.
    """
    year = month = None
    for heading in path:
        y, m = heading_date(heading)
        if y is not None:
            year, month = y, m if m is not None else None
        elif m is not None:
            month = m
    if year is None or month is None:
        return None, None
    period = f"{year:04d}-{month:02d}"
    day = _DAY.match(text)
    if day:
        try:
            return dt.date(year, month, int(day.group(1))).isoformat(), period
        except ValueError:
            return None, period
    return None, period


def emoji_fields(text: str) -> dict[str, str]:
    """Obsidian Tasks dates (`✅ 2025-01-02`, `📅 …`, `⏳ …`, `🛫 …`) and priority emoji."""
    fields: dict[str, str] = {}
    for sign, value in _EMOJI_DATE.findall(text):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            continue
        fields.setdefault(_EMOJI_DATES[sign.replace("\ufe0f", "")], value)
    for sign, name in _PRIORITY.items():
        if sign in text:
            fields.setdefault("priority", name)
    return fields


def _links_of(inline: Any) -> tuple[str, ...]:
    out = []
    for child in inline.children or ():
        if child.type == "link_open":
            out.append(str(child.attrGet("href") or ""))
        elif child.type == "wikilink":
            out.append(
                "[[" + child.meta["page"] + (f"#{child.meta['heading']}" if child.meta["heading"] else "") + "]]"
            )
    return tuple(out)


def extract_tasks(tokens: Sequence[Any], text_of) -> tuple[Task, ...]:
    """Tasks recorded in the tokens by the checklist rule, in document order."""
    tasks = []
    for token in tokens:
        meta = token.meta.get("task") if token.type == "list_item_open" and token.meta else None
        if not meta:
            continue
        inline = tokens[meta["inline"]]
        text = text_of(inline.children)
        fields = emoji_fields(text)
        date, period = outline_date(meta["path"], text)
        source = "outline" if date else None
        if fields.get("done"):
            date, source = fields["done"], "emoji"  # an explicit date wins
        tasks.append(
            Task(
                id=meta["id"],
                mark=meta["mark"],
                status=meta["status"],
                text=text,
                line=token.map[0] + 1,
                heading_path=meta["path"],
                parent=meta["parent"],
                inline_index=meta["inline"],
                links=_links_of(inline),
                date=date,
                date_source=source,
                period=period,
                due=fields.get("due"),
                scheduled=fields.get("scheduled"),
                start=fields.get("start"),
                priority=fields.get("priority"),
            )
        )
    return tuple(tasks)


def question_text(heading: str) -> str | None:
    """The question a heading asks (`？梯度爆炸` -> `梯度爆炸`), or None if it is no question."""
    text = heading.strip()
    if not text.startswith(("？", "?")):
        return None
    return text.lstrip("？? \u3000") or None


def extract_questions(headings: Sequence[Heading], tasks: Sequence[Task]) -> tuple[Question, ...]:
    """Headings that start with `？`/`?`, and `[?]` items, in document order."""
    found = [Question(q, h.line, h.token_index) for h in headings if (q := question_text(h.text))]
    found += [Question(t.text, t.line, None, t.id) for t in tasks if t.status == "question"]
    return tuple(sorted(found, key=lambda q: q.line))


def lint_tasks(rel: str, tokens: Sequence[Any]) -> list[Diagnostic]:
    """Near-miss checklist markers: `[x]中文`, `[x]` + full-width space, `【 】`, and items
    indented so far that they became a code block."""
    diags = []
    for i, token in enumerate(tokens):
        if (
            token.type == "inline"
            and i >= 2
            and tokens[i - 1].type == "paragraph_open"
            and tokens[i - 2].type == "list_item_open"
        ):
            if tokens[i - 2].meta.get("task"):
                continue
            for pattern, message, hint in _NEAR_MISS:
                if pattern.match(token.content):
                    diags.append(warning(rel, token.map[0] + 1, f"`{token.content[:12]}…`: {message}", hint))
                    break
        elif token.type == "code_block" and token.map:
            for n, line in enumerate(token.content.splitlines()):
                if _CODE_TASK.match(line):
                    diags.append(
                        warning(
                            rel,
                            token.map[0] + n + 1,
                            "a checklist item indented so far that it became a code block",
                            "indent nested items by 2–4 spaces under their parent",
                        )
                    )
    return diags
