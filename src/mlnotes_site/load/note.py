"""Load one note: source file -> Note (front matter, tokens, headings, links, images, tasks, tags).

`load_note` is a pure function of the file's bytes and its path, so a later stage can cache
it per note and re-run it only for files that changed.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any, Iterable

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import Diagnostic, error, warning
from ..model import Heading, Image, Link, Note
from ..paths import is_external
from .checklists import extract_questions, extract_tasks, lint_tasks


def decode(data: bytes, rel: str) -> tuple[str, list[Diagnostic]]:
    """UTF-8 with or without BOM; other bytes are replaced (and reported), never dropped."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("utf-8-sig", errors="replace")
        return text, [
            error(rel, line, "the file is not valid UTF-8; bad bytes were replaced by �", "save the note as UTF-8")
        ]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]


def parse_front_matter(content: str, rel: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """YAML front matter as a dict; a YAML error is reported at its line in the file."""
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for 1-based, +1 for the opening `---`
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [
            error(
                rel,
                line,
                f"invalid front matter: {problem}",
                "front matter is YAML between two `---` lines; quote values that contain `: ` or start with `[`, `{`, `#`",
            )
        ]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [
            error(
                rel,
                2,
                "front matter must be a mapping of keys to values",
                "write `key: value` lines between the `---` lines",
            )
        ]
    return data, []


def inline_text(children: Iterable[Token] | None) -> str:
    """Plain text of an inline token's children (what a heading or task says)."""
    parts: list[str] = []
    for child in children or ():
        if child.type in ("text", "code_inline", "html_inline", "hashtag"):
            parts.append(child.content if child.type != "html_inline" else "")
        elif child.type == "wikilink":
            parts.append(child.meta["label"])
        elif child.type == "math_inline":
            parts.append(f"${child.content}$")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(inline_text(child.children))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _line_of(content: str, needle: str, start: int) -> tuple[int, int]:
    """(line offset, next search position) of `needle` in an inline's content."""
    pos = content.find(needle, start) if needle else -1
    if pos < 0:
        return content.count("\n", 0, start), start
    return content.count("\n", 0, pos), pos + len(needle)


def _scan_inline(
    inline: Token, base_line: int, links: list[Link], images: list[Image], tags: list[tuple[str, int]]
) -> None:
    from urllib.parse import unquote

    content, cursor = inline.content, 0
    for child in inline.children or ():
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            needle = unquote(href) if child.info == "auto" else ""
            offset, cursor = _line_of(content, needle or "](", cursor)
            kind = "external" if is_external(href) else "markdown"
            links.append(Link(kind, unquote(href) if kind == "markdown" else href, "", base_line + offset))
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            offset, cursor = _line_of(content, "![", cursor)
            images.append(
                Image(
                    unquote(src),
                    inline_text(child.children),
                    base_line + offset,
                    not is_external(src) and not src.startswith("data:"),
                )
            )
        elif child.type == "wikilink":
            meta = child.meta
            target = meta["page"] + (f"#{meta['heading']}" if meta["heading"] else "")
            links.append(
                Link("embed" if meta["embed"] else "wiki", target, meta["label"], base_line + meta["line_offset"])
            )
        elif child.type == "hashtag":
            tags.append((child.meta["tag"], base_line + child.meta["line_offset"]))


def load_note(root: Path, rel: str, md: MarkdownIt) -> Note:
    """Read and parse `root/rel` into a Note; problems become diagnostics on the Note."""
    return parse_note(rel, (root / rel).read_bytes(), md)


def parse_note(rel: str, data: bytes, md: MarkdownIt) -> Note:
    """Parse a note's bytes; the pure core of `load_note`."""
    text, diags = decode(data, rel)
    lines = text.splitlines()
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)

    meta: dict[str, Any] = {}
    has_fm = bool(tokens) and tokens[0].type == "front_matter"
    if has_fm:
        meta, fm_diags = parse_front_matter(tokens[0].content, rel)
        diags += fm_diags
    elif lines and lines[0].strip() == "---" and any(re.match(r"^[A-Za-z_]+\s*:", line) for line in lines[1:4]):
        diags.append(
            warning(rel, 1, "front matter is not closed, so it is shown as text", "did you forget the closing `---`?")
        )

    headings: list[Heading] = []
    links: list[Link] = []
    images: list[Image] = []
    tags: list[tuple[str, int]] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            headings.append(
                Heading(int(token.tag[1]), inline_text(inline.children), token.map[0] + 1, i, token.level == 0)
            )
        if token.type != "inline" or token.map is None:
            continue
        base = token.map[0] + 1
        _scan_inline(token, base, links, images, tags)
    tasks = extract_tasks(tokens, inline_text)
    diags += lint_tasks(rel, tokens)
    for line, message, tex in env.get("math_errors", ()):  # recorded by markdown/math.py
        diags.append(
            warning(
                rel,
                line,
                f"formula `{tex[:40]}` could not be converted ({message})",
                "it is shown as TeX source; check the LaTeX",
            )
        )

    title = meta.get("title")
    topics_mode = meta.get("topics")
    if topics_mode is not None and topics_mode not in ("whole", "split"):
        diags.append(
            warning(
                rel,
                _key_line(lines, "topics"),
                f"front matter `topics: {topics_mode}` is not understood",
                "use `topics: whole` or `topics: split`",
            )
        )
        topics_mode = None
    date = meta.get("date")
    if isinstance(date, (_dt.date, _dt.datetime)):
        date = date.isoformat()[:10] if not isinstance(date, _dt.datetime) else date.isoformat(sep=" ")
    draft = bool(meta.get("draft", False)) or meta.get("published", True) is False
    permalink = meta.get("permalink")
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Note(
        rel=rel,
        stem=stem,
        meta=meta,
        has_front_matter=has_fm,
        title=str(title).strip() if title not in (None, "") else None,
        tags=tuple(dict.fromkeys(t.lstrip("#") for t in _as_list(meta.get("tags") or meta.get("tag")))),
        aliases=tuple(_aliases(meta.get("aliases", meta.get("alias")))),
        date=str(date) if date is not None else None,
        permalink=str(permalink) if permalink not in (None, "") else None,
        topics_mode=topics_mode,
        draft=draft,
        tokens=tuple(tokens),
        headings=tuple(headings),
        links=tuple(links),
        images=tuple(images),
        tasks=tasks,
        questions=extract_questions(headings, tasks),
        inline_tags=tuple(tags),
        line_count=len(lines),
        diagnostics=tuple(diags),
        parse_env=env,
    )


def _aliases(value: Any) -> list[str]:
    """Aliases are whole names: a string is one alias, a list is several."""
    return (
        [value.strip()]
        if isinstance(value, str) and value.strip()
        else _as_list(value)
        if not isinstance(value, str)
        else []
    )


def _key_line(lines: list[str], key: str) -> int:
    for n, line in enumerate(lines[:200], start=1):
        if line.startswith(f"{key}:"):
            return n
    return 1
