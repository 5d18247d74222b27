"""Load one note: source file -> Note (front matter, tokens, headings, links, images, tasks, tags).

`load_note` is a pure function of the file's bytes and its path, so a later stage can cache
it per note and re-run it only for files that changed.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable

import yaml
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from ..errors import Diagnostic, error, warning
from ..markdown.limits import MAX_NESTING_HINT, PLAIN_NOTE, exceeded, max_note_bytes
from ..markdown.mathml import MathError, to_mathml
from ..markdown.scan import Work
from ..model import Heading, Image, Link, Note, Stamp
from ..paths import is_external
from .checklists import extract_questions, extract_tasks, lint_tasks
from .stamps import from_front_matter


def decode(data: bytes, rel: str) -> tuple[str, list[Diagnostic]]:
    """UTF-8 with or without BOM; else GB18030 (also GBK and GB2312) when the bytes are valid
    GB18030, with a warning naming the encoding; else UTF-8 with the bad bytes replaced by
    U+FFFD (an error). Never a silent guess."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data[3 if bom else 0 :].decode("utf-8"), []
    except UnicodeDecodeError as exc:  # (its start counts from after the BOM)
        line = data[: exc.start + (3 if bom else 0)].count(b"\n") + 1
    try:
        if bom:  # a UTF-8 BOM says what the file means to be
            raise UnicodeDecodeError("gb18030", data, 0, 3, "the file starts with a UTF-8 BOM")
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="replace")
        return text, [
            error(rel, line, "the file is not valid UTF-8; bad bytes were replaced by �", "save the note as UTF-8")
        ]
    return text, [
        warning(
            rel,
            line,
            "the file is not valid UTF-8; decoded as GB18030",
            "save the note as UTF-8 so every tool reads it the same way",
        )
    ]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: ~9x faster
MAX_DEPTH = 50  # front matter nested deeper than this is refused (deep YAML overflows Python's stack)
_FM_HINT = "front matter is YAML between two `---` lines; quote values that contain `: ` or start with `[`, `{`, `#`"


class _Loader(_LOADER):
    """A safe loader whose value errors (`date: 2023-02-30`, `!!float x`, a 5,000-digit
    integer) are YAML errors at the node's line, like a syntax error."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # the constructors raise ValueError, KeyError, AttributeError, …
            value = node.value if isinstance(node.value, str) else ""
            shown = f" `{value[:40]}{'…' if len(value) > 40 else ''}`" if value else ""
            kind = str(node.tag).rsplit(":", 1)[-1]
            reason = str(exc).split(";")[0] if isinstance(exc, ValueError) else f"not a valid !!{kind}"
            raise yaml.constructor.ConstructorError(
                None, None, f"the value{shown} cannot be read ({reason})", node.start_mark
            ) from None


def _check_events(content: str) -> tuple[int, str, str] | None:
    """(0-based line, problem, hint) of the first alias or of nesting deeper than MAX_DEPTH, read
    from the parser's events before anything is built: an alias bomb ("billion laughs")
    is refused before it can grow, and deep nesting before it can overflow the stack."""
    depth = 0
    for event in yaml.parse(content, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            return (
                _mark_line(event.start_mark),
                f"YAML aliases (`*{event.anchor}`) are not allowed in front matter",
                "write the values out; anchors (`&name`) and aliases (`*name`) are refused",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return (
                    _mark_line(event.start_mark),
                    f"front matter is nested more than {MAX_DEPTH} levels deep",
                    "keep front matter to a few levels of lists and mappings",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _mark_line(mark: Any) -> int:
    return int(mark.line) if mark is not None else 0


def _error_line(content: str, exc: yaml.YAMLError) -> int:
    """0-based line (in `content`) of the token a YAML error is about.

    The parser often notices a problem only at the next token: an unclosed `[` or quote at
    the end of the text or before the next key, a line that lacks its `:` when the next
    line starts. Then the
    error's mark is at the start of a later line (or past the end) and the culprit is where
    the unfinished token began (a quote, a key, a `[`), or else the last character before
    the mark."""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if mark is None:
        return 0
    context = str(getattr(exc, "context", "") or "")
    lines = content.split("\n")
    line, column = int(mark.line), int(mark.column)
    here = lines[line][column : column + 1] if line < len(lines) else ""
    culprit_here = here not in ("", " ", "\r")  # a real character (a tab too) is the culprit itself
    # an unclosed `[` or `{` is noticed on a later line (at the next key's `:`): the bracket is the culprit
    unclosed = context_mark is not None and int(context_mark.line) < line
    if context_mark is not None and (
        "simple key" in context
        or (context.startswith(("while scanning a quoted", "while parsing a flow")) and (not culprit_here or unclosed))
    ):
        return int(context_mark.line)
    if culprit_here:
        return line
    before = "\n".join(lines[:line] + [lines[line][:column]] if line < len(lines) else lines)
    stripped = before.rstrip()
    return stripped.count("\n") if stripped else line


def parse_front_matter(content: str, rel: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """YAML front matter as a dict; a YAML error, a value that cannot be read, an alias and
    too deep nesting are errors at their line in the file."""
    try:
        refused = _check_events(content)
        if refused is None:
            data = yaml.load(content, Loader=_Loader)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = _error_line(content, exc) + 2  # +1 for 1-based, +1 for the opening `---`
        return {}, [error(rel, line, f"invalid front matter: {problem}", _FM_HINT)]
    except RecursionError:  # not reached while MAX_DEPTH holds; kept so no YAML can stop the build
        return {}, [error(rel, 2, "invalid front matter: it is nested too deeply", _FM_HINT)]
    if refused is not None:
        return {}, [
            error(
                rel,
                refused[0] + 2,
                f"invalid front matter: {refused[1]}",
                refused[2],
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


_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})


def _flag(meta: dict[str, Any], key: str, default: bool, rel: str, lines: list[str]) -> tuple[bool, list[Diagnostic]]:
    """A yes/no front-matter value: YAML booleans, and the same words quoted (`"false"`)."""
    value = meta.get(key)
    if value is None:
        return default, []
    if isinstance(value, bool):
        return value, []
    word = str(value).strip().casefold() if isinstance(value, (str, int)) else None
    if word in _TRUE:
        return True, []
    if word in _FALSE:
        return False, []
    shown = str(value)[:40]
    return default, [
        warning(
            rel,
            _key_line(lines, key),
            f"front matter `{key}: {shown}` is not true or false; it is read as `{key}: {str(default).lower()}`",
            f"write `{key}: true` or `{key}: false`",
        )
    ]


CREATED_KEYS = ("date", "created")  # Jekyll and Hugo; Obsidian's templates
UPDATED_KEYS = ("updated", "lastmod", "modified", "last_modified_at")  # Quartz, Hugo, jekyll-last-modified-at


def _front_matter_date(
    meta: dict[str, Any], keys: tuple[str, ...], rel: str, lines: list[str]
) -> tuple[Stamp | None, list[Diagnostic]]:
    """The first of `keys` in the front matter, as a stamp; a value that is not a date is a
    warning at its line (and the note's date comes from git or the file)."""
    key = next((k for k in keys if meta.get(k) not in (None, "")), None)
    if key is None:
        return None, []
    found = from_front_matter(meta[key])
    if found is not None:
        return found, []
    shown = str(meta[key])[:40]
    return None, [
        warning(
            rel,
            _key_line(lines, key),
            f"front matter `{key}: {shown}` is not a date; the date is taken from git or the file",
            "write a date like `2023-06-09` or `2023-06-09 10:30:00 +08:00`",
        )
    ]


_MATH = ("math_inline", "math_inline_double")


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


def inline_math(children: Iterable[Token] | None) -> tuple[str, str]:
    """A heading with formulas, shown: (HTML, plain text) of its children as `inline_text` reads
    them, each formula as MathML in the HTML and as its TeX (no `$`) in the text; ("", "") when
    it has no formula. The table of contents, page titles and search show these."""
    html: list[str] = []
    plain: list[str] = []
    found = False
    for child in children or ():
        if child.type in _MATH:
            found = True
            try:
                html.append(child.meta.get("mathml") or to_mathml(child.content, False))
            except MathError:
                html.append(escapeHtml(child.content))
            if child.type == "math_inline_double":  # a display formula shown in a line of text
                html[-1] = html[-1].replace('<math display="block">', '<math display="inline">', 1)
            plain.append(re.sub(r"(?<!\\)\$", "", child.content).strip())  # `\text{if $x$}` too
            continue
        text = inline_text([child]) if child.type not in ("softbreak", "hardbreak") else " "
        if child.content[:1].isspace() or child.type in ("softbreak", "hardbreak"):
            text = " " + text
        if child.content[-1:].isspace():
            text += " "
        html.append(escapeHtml(text))
        plain.append(text)
    if not found:
        return "", ""
    return re.sub(r"\s+", " ", "".join(html)).strip(), re.sub(r"\s+", " ", "".join(plain)).strip()


class _Lines:
    """Line offsets of what an inline's children point at, found left to right in its content.

    The newlines are counted on from the last position (not from the start each time), and a
    needle known to be missing after a position is not searched for again: a long line of
    links would otherwise be scanned once per link."""

    def __init__(self, content: str) -> None:
        self.content = content
        self.cursor = 0  # where the next search starts
        self._counted = (0, 0)  # (position, newlines before it)
        self._missing: set[str] = set()  # needles not found after the cursor (which only moves on)

    def _count(self, pos: int) -> int:
        at, count = self._counted  # pos >= at: the cursor only moves on
        count += self.content.count("\n", at, pos)
        self._counted = (pos, count)
        return count

    def next(self, needle: str) -> int:
        """The line offset of `needle` from the cursor (moved past it), or of the cursor when it is missing."""
        start, pos = self.cursor, -1
        if needle and needle not in self._missing:
            pos = self.content.find(needle, start)
            Work.scanned += (pos if pos >= 0 else len(self.content)) - start
        if pos < 0:
            if needle:
                self._missing.add(needle)
            return self._count(start)
        self.cursor = pos + len(needle)
        return self._count(pos)


def _as_written(url: str, shown: str) -> str:
    """A bare URL as the note has it: without the `http://` or `mailto:` the parser put in front
    of `www.…` and `a@b.c` (the text it shows does not have it). Else such a link was never
    found in the text: it got the previous link's line, and cost a search of the rest of the
    paragraph each (a line of 80,000 `www.` links took 20 s)."""
    for scheme in ("http://", "mailto:"):
        if url.startswith(scheme) and shown and not shown.startswith(scheme):
            return url[len(scheme) :]
    return url


def _scan_inline(
    inline: Token, base_line: int, links: list[Link], images: list[Image], tags: list[tuple[str, int]]
) -> None:
    from urllib.parse import unquote

    lines = _Lines(inline.content)
    children = inline.children or []
    for i, child in enumerate(children):
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            needle = unquote(href) if child.info == "auto" else ""
            if needle and i + 1 < len(children) and children[i + 1].type == "text":
                needle = _as_written(needle, children[i + 1].content)
            offset = lines.next(needle or "](")
            kind = "external" if is_external(href) else "markdown"
            links.append(Link(kind, unquote(href) if kind == "markdown" else href, "", base_line + offset))
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            offset = lines.next("![")
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


# a start tag of raw HTML, and each attribute in it (`name`, `name=value`, quoted or not)
_ATTR = r"""\s+([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>=`]+))?"""
_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)((?:" + _ATTR + r")*)\s*/?>")
_ATTRS = re.compile(_ATTR)


def html_anchors(tokens: Iterable[Token]) -> tuple[tuple[str, int], ...]:
    """(id, index of the top-level token holding it) of each id the note's raw HTML gives,
    first place of an id only (`<a id="ref-1"></a>`, `<span id=x>`, `<a name="fn">`)."""
    found: dict[str, int] = {}
    for i, token in enumerate(tokens):
        parts = (
            [token.content]
            if token.type == "html_block"
            else [c.content for c in token.children or () if c.type == "html_inline"]
            if token.type == "inline"
            else []
        )
        for part in parts:
            for tag in _START_TAG.finditer(part):
                for attr in _ATTRS.finditer(tag.group(2)):
                    name = attr.group(1).lower()
                    if name == "id" or (name == "name" and tag.group(1).lower() == "a"):
                        value = (attr.group(2) or "").strip("\"'").strip()
                        if value:
                            found.setdefault(value, i)
    return tuple(found.items())


def _as_plain_text(text: str, tokens: list[Token]) -> list[Token]:
    """The note's front matter (still read) and its body as one block of escaped plain text."""
    kept = tokens[:1] if tokens and tokens[0].type == "front_matter" else []
    start = kept[0].map[1] if kept and kept[0].map else 0
    lines = text.splitlines(keepends=True)
    body = Token(PLAIN_NOTE, "pre", 0, content="".join(lines[start:]), map=[start, len(lines)], block=True)
    return [*kept, body]


_LAYOUT = re.compile(r"^layout\s*:", re.MULTILINE)


def jekyll_flavoured(rel: str, lines: list[str]) -> bool:
    """Whether a note was written for Jekyll (kramdown): it has a `layout:` in its front
    matter or sits in a `_posts/` folder."""
    return rel.startswith("_posts/") or "/_posts/" in rel or bool(_LAYOUT.search(_front_matter_part(lines)))


def _front_matter_part(lines: list[str]) -> str:
    """The lines up to the second `---` (the front matter, if the note has one), else ""."""
    if not lines or lines[0].strip() != "---":
        return ""
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    return "\n".join(lines[: end + 1]) + "\n" if end else ""


def _limit_warning(rel: str, kind: str, line: int, size: int = 0) -> Diagnostic:
    if kind == "size":
        return warning(
            rel,
            1,
            f"the note is {size:,} bytes, over `max_note_bytes`; it is shown as plain text",
            "split it into smaller notes, or raise `max_note_bytes` in mlnotes.yaml",
        )
    if kind == "nesting":
        return warning(
            rel,
            line + 1,
            "lists or quotes are nested too deeply here (Markdown stops at 20 levels: about 10 lists "
            "or 20 quotes, and drops the rest of the note); the note is shown as plain text",
            MAX_NESTING_HINT,
        )
    return warning(
        rel,
        line + 1,
        "this text takes the Markdown parser too much work (a long run of `[` or similar); "
        "the note is shown as plain text",
        "break up the run of brackets, or raise `max_parse_steps` in mlnotes.yaml",
    )


def load_note(root: Path, rel: str, md: MarkdownIt) -> Note:
    """Read and parse `root/rel` into a Note; problems become diagnostics on the Note."""
    return parse_note(rel, (root / rel).read_bytes(), md)


def parse_note(rel: str, data: bytes, md: MarkdownIt) -> Note:
    """Parse a note's bytes; the pure core of `load_note`."""
    text, diags = decode(data, rel)
    lines = text.splitlines()
    env: dict[str, Any] = {"jekyll": jekyll_flavoured(rel, lines)}
    if len(data) > max_note_bytes(md):  # only its front matter is parsed
        tokens = _as_plain_text(text, md.parse(_front_matter_part(lines), {}))
        diags.append(_limit_warning(rel, "size", 0, len(data)))
    else:
        tokens = md.parse(text, env)
        limit = exceeded(env)
        if limit is not None:
            tokens, env = _as_plain_text(text, tokens), {}
            diags.append(_limit_warning(rel, *limit))

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
            line = (token.map or [0])[0] + 1
            text = inline_text(inline.children)
            headings.append(Heading(int(token.tag[1]), text, line, i, token.level == 0, *inline_math(inline.children)))
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

    for line, tag in env.get("liquid_warnings", ()):  # recorded by markdown/jekyll.py
        diags.append(
            warning(
                rel,
                line,
                f"Liquid `{tag[:60]}` in a link target is not understood; the link is shown as written",
                "write the note's path or URL, or use {{ site.baseurl }}/…, {{ '/…' | relative_url }},"
                " {% link path.md %} or {% post_url name %}",
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
    created, created_diags = _front_matter_date(meta, CREATED_KEYS, rel, lines)
    updated, updated_diags = _front_matter_date(meta, UPDATED_KEYS, rel, lines)
    diags += created_diags + updated_diags
    is_draft, flag_diags = _flag(meta, "draft", False, rel, lines)
    published, published_diags = _flag(meta, "published", True, rel, lines)
    diags += flag_diags + published_diags
    draft = is_draft or not published
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
        tokens=_compact(tokens),
        headings=tuple(headings),
        links=tuple(links),
        images=tuple(images),
        tasks=tasks,
        questions=extract_questions(headings, tasks),
        inline_tags=tuple(tags),
        line_count=len(lines),
        blocks=tuple(
            (name, t.meta["block_anchor"], i)
            for i, t in enumerate(tokens)
            if "block_ids" in t.meta
            for name in t.meta["block_ids"]
        ),
        anchors=html_anchors(tokens),
        diagnostics=tuple(diags),
        parse_env=env,
        created=created,
        updated=updated,
    )


NOTHING: Any = MappingProxyType({})  # read-only: a rule that writes to it fails loudly


def _compact(tokens: list[Token]) -> tuple[Token, ...]:
    """The parsed tokens, kept until their pages are rendered, with one shared read-only
    empty mapping for every empty `attrs` and `meta` (two thirds of tokens have neither;
    two empty dicts were a third of a token's memory). Nothing writes to tokens after parsing."""
    for token in tokens:
        if not token.attrs:
            token.attrs = NOTHING
        if not token.meta:
            token.meta = NOTHING
        for child in token.children or ():
            if not child.attrs:
                child.attrs = NOTHING
            if not child.meta:
                child.meta = NOTHING
    return tuple(tokens)


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
