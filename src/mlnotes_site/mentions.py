"""Unlinked mentions: text that names another topic (title, alias or heading) becomes a link.

Runs in the graph stage, after the LinkIndex: it needs every page's URL and every name.
Linear in the size of the vault: the names are put once in a dict keyed by their folded
text, bucketed by first character and length, and each text is scanned once, trying at
each position only the lengths of names that start with that character (longest first).

Precision before recall:
- a name must be long enough: 3 Latin characters, or 2 CJK characters;
- a Latin name matches whole words only (case-insensitive); a CJK name matches as a
  substring, except a two-character one, which needs a non-CJK character or a function
  word (的, 和, 是, …) on both sides (a two-character word inside a longer one is usually
  another word: 其他 in 在其他任务上);
- a name found in more pages than `common_limit(n)` is a general word here, not a
  reference to one topic, and is dropped (measured over all pages first);
- a name shared by two different pages is ambiguous and is dropped;
- a name that is part of two or more other names is a generic building block here
  ("learning" in "Learning Rate Annealing" and "Multi-Task Learning") and is dropped;
- only the first mention of each target on a page is linked, never the page itself;
- notes with front matter `autolink: false` neither link out nor are targets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import Note, NotePage, Target, Topic

MIN_LATIN = 3
MIN_CJK = 2
COMMON_FRACTION = 0.2  # a name in more than 1 page in 5 is a common word of this vault
COMMON_FLOOR = 5  # … but in a small vault a name may appear in up to 5 pages
GENERIC_PARTS = 2  # a name inside this many other names is a building block, not a topic
# one-character function words that may stand next to a two-character CJK name
PARTICLES = frozenset("的地得了和与及或是在把被对从等为将就都也还而并即之其个种这那用让使给向到于后前中时、，。；：！？（）《》“”‘’")


@dataclass(frozen=True)
class Mention:
    """A linked mention: text at [start, end) of child `child` of inline token `inline` in note `note_rel`."""

    note_rel: str
    line: int
    inline: int
    child: int
    start: int
    end: int
    target: Target
    key: str  # the folded name that matched


def common_limit(pages: int) -> float:
    """A name found in more pages than this is too common to link."""
    return max(COMMON_FLOOR, COMMON_FRACTION * pages)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3040" <= ch <= "\u30ff" or "\uac00" <= ch <= "\ud7af"


def _is_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "_-")  # Q-learning is not a mention of "learning"


def fold_chars(text: str) -> tuple[str, "list[int] | range"]:
    """Text folded per character (NFKC, case-folded) and, per folded character, its index in `text`."""
    whole = unicodedata.normalize("NFKC", text).casefold()
    if len(whole) == len(text):  # the usual case: one character for one (fast path)
        return whole, range(len(text))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).casefold() if not ch.isascii() else ch.lower()
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


_PAREN = re.compile(r"^(?P<outer>.+?)\s*[(（](?P<inner>[^()（）]+)[)）]\s*[?？.:：]*$")


def name_variants(title: str) -> list[str]:
    """A title and the names it spells out: `Variational Autoencoders (VAEs)` is also
    `Variational Autoencoders`, `VAEs` and `VAE`; `Extract, Load, Transform (ELT)` is `ELT`."""
    found = [title]
    m = _PAREN.match(title.strip())
    if m:
        for part in (m["outer"].strip(" ,:：-"), m["inner"].strip()):
            found.append(part)
            if len(part) > 3 and part[-1] == "s" and part[:-1].isupper():
                found.append(part[:-1])  # a plural acronym: LLMs, VAEs
    return found


def name_key(name: str) -> str | None:
    """Folded name, or None when it is too short to link (see the module docstring)."""
    folded = " ".join(fold_chars(name)[0].split()).lstrip("?").strip()
    cjk = sum(1 for ch in folded if _is_cjk(ch))
    if cjk >= MIN_CJK:
        return folded
    if cjk == 0 and sum(1 for ch in folded if ch.isalnum()) >= MIN_LATIN:
        return folded
    return None


class Matcher:
    """Finds names in text: one dict look-up per (position, candidate length)."""

    def __init__(self, names: dict[str, Target]) -> None:
        self.names = names
        self.lengths: dict[str, list[int]] = {}
        for key in names:
            self.lengths.setdefault(key[0], []).append(len(key))
        for first, lengths in self.lengths.items():
            self.lengths[first] = sorted(set(lengths), reverse=True)

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        """Every (start, end, name key) in `text`, overlapping ones too (for names inside names)."""
        folded, where = fold_chars(text)
        found = []
        for i in range(len(folded)):
            for length in self.lengths.get(folded[i], ()):
                key = folded[i:i + length]
                if i + length <= len(folded) and key in self.names and _bounded(folded, i, i + length, key):
                    found.append((where[i], where[i + length - 1] + 1, key))
        return found

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name key) of every match in `text`, longest first, not overlapping."""
        folded, where = fold_chars(text)
        found = []
        i, n = 0, len(folded)
        while i < n:
            hit = 0
            for length in self.lengths.get(folded[i], ()):
                if i + length > n:
                    continue
                key = folded[i:i + length]
                if key in self.names and _bounded(folded, i, i + length, key):
                    hit = length
                    break
            if hit:
                end = where[i + hit - 1] + 1
                found.append((where[i], end, folded[i:i + hit]))
                i += hit
            else:
                i += 1
        return found


def _bounded(text: str, start: int, end: int, key: str) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if _is_word(key[0]) and _is_word(before):
        return False
    if _is_word(key[-1]) and _is_word(after):
        return False
    if len(key) == 2 and _is_cjk(key[0]) and _is_cjk(key[1]):
        return all(not _is_cjk(ch) or ch in PARTICLES for ch in (before, after))
    return True


def text_runs(note: Note, start: int, end: int):
    """(inline index, child index, line, text) of plain text in tokens [start, end): not in
    headings, code, math, links, images or wikilinks."""
    tokens = note.tokens
    for i in range(start, end):
        token = tokens[i]
        if token.type != "inline" or not token.children:
            continue
        if i > 0 and tokens[i - 1].type == "heading_open":
            continue
        line = (token.map[0] + 1) if token.map else 0
        depth = 0
        for c, child in enumerate(token.children):
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "softbreak":
                line += 1
            elif child.type == "text" and depth == 0 and child.content:
                yield i, c, line, child.content


def autolinked(note: Note, enabled: bool) -> bool:
    """Whether this note links its mentions and is a mention target."""
    value = note.meta.get("autolink") if isinstance(note.meta, dict) else None
    return enabled and value is not False


def find_mentions(
    notes: dict[str, Note],
    topics: dict[str, Topic],
    note_pages: dict[str, NotePage],
    names: list[tuple[str, Target, str]],
    enabled: bool = True,
) -> tuple[dict[str, tuple[Mention, ...]], dict[str, int]]:
    """Mentions to link, per page URL, and the document frequency of every candidate name.

    `names` are (name, target, note rel) by priority (titles, then aliases, then headings)."""
    if not enabled:
        return {}, {}
    table: dict[str, Target] = {}
    ambiguous: set[str] = set()
    for name, target, rel in names:
        key = name_key(name)
        if key is None or not autolinked(notes[rel], enabled):
            continue
        if key in table and table[key].url != target.url:
            if table[key].anchor or target.anchor:  # a title beats a heading of another page
                if not table[key].anchor:
                    continue
                if not target.anchor:
                    table[key] = target
                    continue
            ambiguous.add(key)
            continue
        table.setdefault(key, target)
    for key in ambiguous:
        table.pop(key, None)
    # a name that is part of two or more other names is a generic word of this vault
    # ("learning" in "Learning Rate Annealing", "Multi-Task Learning", …)
    parts: dict[str, set[str]] = {}  # name -> the other pages whose names contain it
    matcher = Matcher(table)
    for key, target in table.items():
        for _, _, part in matcher.find_all(key):
            if part != key and table[part].url != target.url:
                parts.setdefault(part, set()).add(target.url)
    for key, pages in parts.items():
        if len(pages) >= GENERIC_PARTS:
            table.pop(key, None)
    matcher = Matcher(table)
    # every page's text runs (a merged topic is one page), scanned once
    pages: dict[str, list[tuple[str, int, int, int, str]]] = {}
    for topic in topics.values():
        note = notes[topic.note_rel]
        if autolinked(note, enabled):
            pages.setdefault(topic.url, []).extend((note.rel, *run) for run in text_runs(note, topic.token_start, topic.token_end))
    for rel, page in note_pages.items():
        note = notes[rel]
        if autolinked(note, enabled):
            start = 1 if note.tokens and note.tokens[0].type == "front_matter" else 0
            pages.setdefault(page.url, []).extend((rel, *run) for run in text_runs(note, start, page.token_end))
    hits: dict[str, list[Mention]] = {}
    frequency: dict[str, int] = {}
    for url, runs in pages.items():
        seen: set[str] = set()
        for rel, inline, child, line, text in runs:
            for start, end, key in matcher.find(text):
                target = table[key]
                if key not in seen:
                    seen.add(key)
                    frequency[key] = frequency.get(key, 0) + 1
                if target.url != url:
                    hits.setdefault(url, []).append(Mention(rel, line, inline, child, start, end, target, key))
    limit = common_limit(len(pages))
    mentions: dict[str, tuple[Mention, ...]] = {}
    for url, found in hits.items():
        first: dict[str, Mention] = {}
        for m in found:
            if frequency[m.key] <= limit:
                first.setdefault(m.target.url, m)  # first mention per target page
        if first:
            mentions[url] = tuple(first.values())
    return mentions, frequency

