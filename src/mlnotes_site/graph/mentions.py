"""Unlinked mentions: text that names another topic (title, alias or heading) becomes a link.

Runs in the graph stage, after the LinkIndex: it needs every page's URL and every name.
Linear in the size of the vault: the names go into one Aho–Corasick automaton
(pyahocorasick), which finds every name in a text in one pass in C; the longest bounded
match wins at each position. `MentionIndex` keeps every page's matches, so after an edit
only the pages whose text changed, or whose text contains a name that appeared or
disappeared, are scanned again.

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
- a heading section (a weaker target than a page title: most headings name a part of a
  note, not a topic) is a target only when its name is distinctive (`distinctive_heading`):
  not a generic section word (`GENERIC_HEADINGS`: 总结, 训练过程, Summary, Terms, …), the
  name of one heading only in the whole vault (any note, any level, empty sections and
  opted-out notes too), and long enough: 4 CJK characters or 2 Latin words (a CJK
  character weighs 1, a Latin word 2: "Softmax 函数" is long enough); a shorter one is
  linked only where the text writes it as a term: an acronym, camelCase or letters joined
  to digits (PPO, LoRA, ResNet, GPT-4, Llama2: "## Lora" is linked from "LoRA", not from
  "lora"; "## Warmup" from neither "warmup" nor "Warmup"); the name alone cannot say it,
  as names are matched case-folded;
  the rules above are applied first with every heading, so page titles and aliases
  keep the same targets whatever headings are dropped here;
- only the first mention of each target on a page is linked, never the page itself;
- notes with front matter `autolink: false` neither link out nor are targets.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

import ahocorasick

from ..model import Mention, Note, NotePage, Target, Topic

MIN_LATIN = 3
MIN_CJK = 2
COMMON_FRACTION = 0.2  # a name in more than 1 page in 5 is a common word of this vault
COMMON_FLOOR = 5  # … but in a small vault a name may appear in up to 5 pages
GENERIC_PARTS = 2  # a name inside this many other names is a building block, not a topic
MIN_HEADING_WEIGHT = 4  # a heading's name: a CJK character weighs 1, a Latin word 2
# Section words: headings that name a part of a note, found in many notes of a vault (a
# link to one note's "训练过程" or "Summary" from every text that says it is noise).
# Folded (case-folded); checked before the other heading rules, so "FAQ" and "TODO" too.
GENERIC_HEADINGS = frozenset(
    """
    介绍 简介 总结 小结 概述 前言 背景 动机 问题 思路 方法 原理 定义 步骤 实现 代码 例子
    示例 实验 结果 讨论 结论 限制 局限 局限性 优点 缺点 优缺点 应用 参考 参考资料 参考文献
    注意事项 训练过程 实验结果 实验设置 相关工作 核心思想 基本概念 应用场景 不足 学习资料 开发文档
    """.split()
    + """
    summary example examples overview introduction background motivation method methods
    results limitations conclusion references notes terms usage setup training evaluation
    experiments implementation discussion important last merge todo faq definition problem
    """.split()
    + ["related work", "future work", "further reading", "see also", "key ideas", "main idea", "pros and cons"]
)
_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9_'.+-]*", re.I)
_TERM = re.compile(r"[A-Z]{2}|[a-z][A-Z]|[A-Za-z]-?\d|\d[A-Za-z]")  # PPO LoRA ResNet GPT-4 3D
# one-character function words that may stand next to a two-character CJK name
PARTICLES = frozenset(
    "的地得了和与及或是在把被对从等为将就都也还而并即之其个种这那用让使给向到于后前中时、，。；：！？（）《》“”‘’"
)


def common_limit(pages: int) -> float:
    """A name found in more pages than this is too common to link."""
    return max(COMMON_FLOOR, COMMON_FRACTION * pages)


def _is_cjk(ch: str) -> bool:
    return (
        "\u3400" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\u3040" <= ch <= "\u30ff"
        or "\uac00" <= ch <= "\ud7af"
    )


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


@lru_cache(maxsize=1 << 18)  # pure, and asked for every name on every structural update
def name_key(name: str) -> str | None:
    """Folded name, or None when it is too short to link (see the module docstring)."""
    folded = " ".join(fold_chars(name)[0].split()).lstrip("?").strip()
    cjk = sum(1 for ch in folded if _is_cjk(ch))
    if cjk >= MIN_CJK:
        return folded
    if cjk == 0 and sum(1 for ch in folded if ch.isalnum()) >= MIN_LATIN:
        return folded
    return None


def distinctive_heading(name: str, uses: int) -> bool:
    """Whether a heading's name (one of `name_variants`) may be a mention target, given how
    many headings of the vault carry it (see the module docstring)."""
    key = name_key(name)
    return key is not None and key not in GENERIC_HEADINGS and uses <= 1


def long_heading(key: str) -> bool:
    """Whether a heading's folded name is long enough to link wherever the text says it."""
    words = sum(1 for w in _LATIN_WORD.findall(key) if any(ch.isalpha() for ch in w))
    return sum(1 for ch in key if _is_cjk(ch)) + 2 * words >= MIN_HEADING_WEIGHT


def written_as_term(text: str) -> bool:
    """Whether text, as written, marks a term: an acronym, camelCase, letters joined to digits."""
    return _TERM.search(text) is not None


def heading_keys(text: str) -> frozenset[str]:
    """The folded names a heading's text gives (`name_variants`)."""
    return frozenset(k for k in map(name_key, name_variants(text)) if k is not None)


def heading_uses(notes: dict[str, Note], memo: dict) -> dict[str, int]:
    """Folded name -> how many headings of the vault carry it. `memo` keeps each note's
    answer while the note is the same object."""
    seen: dict[str, tuple[Note, tuple[frozenset[str], ...]]] = memo.get("headings", {})
    kept = {}
    uses: dict[str, int] = {}
    for rel, note in notes.items():
        found = seen.get(rel)
        if found is None or found[0] is not note:
            found = (note, tuple(heading_keys(h.text) for h in note.headings))
        kept[rel] = found
        for keys in found[1]:
            for key in keys:
                uses[key] = uses.get(key, 0) + 1
    memo["headings"] = kept
    return uses


class Matcher:
    """Finds names in text: every name at once (Aho–Corasick), then the boundary rules."""

    def __init__(self, names: dict[str, Target]) -> None:
        self.names = names
        self.automaton = ahocorasick.Automaton()
        for key in names:
            self.automaton.add_word(key, len(key))
        if names:
            self.automaton.make_automaton()

    def _candidates(self, folded: str) -> list[tuple[int, int]]:
        """(start, -length) of every name in `folded`, by start, longest first."""
        if not self.names:
            return []
        found = [(end - n + 1, -n) for end, n in self.automaton.iter(folded)]
        found.sort()
        return found

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        """Every (start, end, name key) in `text`, overlapping ones too (for names inside names)."""
        folded, where = fold_chars(text)
        found = []
        for start, neg in self._candidates(folded):
            end = start - neg
            key = folded[start:end]
            if _bounded(folded, start, end, key):
                found.append((where[start], where[end - 1] + 1, key))
        return found

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name key) of every match in `text`, longest first, not overlapping."""
        folded, where = fold_chars(text)
        return [(where[start], where[end - 1] + 1, key) for start, end, key in self.find_folded(folded)]

    def find_folded(self, folded: str) -> list[tuple[int, int, str]]:
        """`find` in a text folded already, at indices of the folded text. Texts joined by
        newlines give the matches of each (no name holds a newline, and at the edge of a text
        a newline bounds a match as its end does)."""
        found = []
        free = 0  # text before this index is taken by an earlier match
        for start, neg in self._candidates(folded):
            end = start - neg
            if start < free:
                continue
            key = folded[start:end]
            if _bounded(folded, start, end, key):
                found.append((start, end, key))
                free = end
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


Run = tuple[str, int, int, int, str]  # (note rel, inline index, child index, line, text)
Hit = tuple[str, int, int, int, int, int, str]  # (note rel, line, inline, child, start, end, name key)


def _names_inside(table: dict[str, Target], memo: dict) -> dict[str, list[str]]:
    """Name -> the names found inside it. `memo` keeps the answers of an earlier table: a
    name's answer can only change when a name that came or went is part of it."""
    before = memo.get("keys", frozenset())
    came_or_went = list(before ^ table.keys())  # a list: the set would keep the big table's capacity, slow to iterate
    inside: dict[str, list[str]] = memo.get("inside", {})
    again = (
        [k for k in table if k not in inside or any(d in k for d in came_or_went)]
        if came_or_went
        else [k for k in table if k not in inside]
    )
    if again:
        matcher = Matcher(table)
        for key in again:
            inside[key] = [part for _, _, part in matcher.find_all(key)]
    memo["keys"], memo["inside"] = frozenset(table), {k: inside[k] for k in table}
    return memo["inside"]


def _building_blocks(table: dict[str, Target], memo: dict) -> list[str]:
    """Names that are part of the names of two or more other pages: generic words of this
    vault ("learning" in "Learning Rate Annealing", "Multi-Task Learning", …)."""
    parts: dict[str, set[str]] = {}
    inside = _names_inside(table, memo)
    for key, target in table.items():
        for part in inside[key]:
            if part != key and table[part].url != target.url:
                parts.setdefault(part, set()).add(target.url)
    return [key for key, pages in parts.items() if len(pages) >= GENERIC_PARTS]


def mention_table(
    names: list[tuple[str, Target, str]], notes: dict[str, Note], enabled: bool = True, memo: dict | None = None
) -> dict[str, Target]:
    """Folded name -> target, after the precision rules (length, ambiguity, generic parts).

    `names` are (name, target, note rel) by priority (titles, then aliases, then headings);
    `memo` (a dict the caller keeps) saves work between calls."""
    table: dict[str, Target] = {}
    if not enabled:
        return table
    memo = memo if memo is not None else {}
    uses = heading_uses(notes, memo)
    ambiguous: set[str] = set()
    weak: set[str] = set()  # heading names that are not distinctive
    for name, target, rel in names:
        key = name_key(name)
        if key is None or not autolinked(notes[rel], enabled):
            continue
        if target.anchor and not distinctive_heading(name, uses.get(key, 1)):
            weak.add(key)
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
    for key in _building_blocks(table, memo):
        del table[key]
    for key in weak:  # after the rules above: a title's fate does not depend on them
        if key in table and table[key].anchor:
            del table[key]
    return table


Part = tuple[Note, int, int]  # one place of a page: tokens [start, end) of a note


def page_parts(
    notes: dict[str, Note],
    topics: dict[str, Topic],
    note_pages: dict[str, NotePage],
    enabled: bool = True,
    pages: set[str] | None = None,
) -> dict[str, list[Part]]:
    """Where each page that links mentions takes its text from (a merged topic's places are
    one page); only the pages in `pages`, when given."""
    parts: dict[str, list[Part]] = {}
    for topic in topics.values() if pages is None else (t for t in topics.values() if t.url in pages):
        note = notes[topic.note_rel]
        if autolinked(note, enabled):
            parts.setdefault(topic.url, []).append((note, topic.token_start, topic.token_end))
    for rel, page in note_pages.items():
        note = notes[rel]
        if (pages is None or page.url in pages) and autolinked(note, enabled):
            start = 1 if note.tokens and note.tokens[0].type == "front_matter" else 0
            parts[page.url] = [(note, start, page.token_end)]
    return parts


def page_text(parts: list[Part] | tuple[Part, ...]) -> tuple[Run, ...]:
    """The plain text runs of a page's places, for `MentionIndex.set_page`."""
    return tuple((note.rel, *run) for note, start, end in parts for run in text_runs(note, start, end))


class MentionIndex:
    """The name table, every page's matches and what each page links, kept between builds.

    `set_names` and `set_page` record changes; `mentions()` brings the chosen links up to
    date, re-choosing only pages whose matches changed or whose names crossed the
    common-word limit. The result never depends on the order of the updates."""

    def __init__(self) -> None:
        self.table: dict[str, Target] = {}
        self.matcher = Matcher({})
        self.short: frozenset[str] = frozenset()  # heading names linked only where written as a term
        self.runs: dict[str, tuple[Run, ...]] = {}  # page URL -> its text
        self.folded: dict[str, str] = {}  # page URL -> its folded runs, joined by newlines
        self.starts: dict[str, array] = {}  # page URL -> where each run starts in its folded text
        self.hits: dict[str, tuple[Hit, ...]] = {}
        self.keys: dict[str, frozenset[str]] = {}  # page URL -> names it contains
        self.frequency: dict[str, int] = {}
        self.key_pages: dict[str, set[str]] = {}
        self.chosen: dict[str, tuple[Mention, ...]] = {}
        self.limit = common_limit(0)
        self.changed: dict[str, tuple[Mention, ...]] = {}  # page URL -> its links before they changed
        self._moved: dict[str, int] = {}  # name -> its frequency when mentions() last ran
        self._stale: set[str] = set()  # pages to choose again

    def set_names(self, table: dict[str, Target]) -> None:
        """Use a new name table: pages naming a name that came or went, or that became or
        stopped being a short heading name (`self.short`), are scanned again."""
        if table == self.table:
            return
        old = self.table
        changed = {k for k in old.keys() ^ table.keys()}
        retargeted = {k for k in old.keys() & table.keys() if old[k] != table[k]}
        short = frozenset(k for k, t in table.items() if t.anchor and not long_heading(k))
        again = changed | (short ^ self.short)
        self.table, self.short = table, short
        if changed:
            self.matcher = Matcher(table)
        if again:
            for url, folded in self.folded.items():
                if any(k in folded for k in again):
                    self._scan(url)
        for k in retargeted:
            self._stale |= self.key_pages.get(k, set())

    def set_page(self, url: str, runs: tuple[Run, ...] | None) -> None:
        """Add or replace a page's text (None: the page is gone or links no mentions)."""
        if runs is None:
            if url in self.runs:
                del self.runs[url], self.folded[url], self.starts[url]
                self._set_hits(url, ())
                del self.hits[url], self.keys[url]
                if url in self.chosen:
                    self.changed.setdefault(url, self.chosen.pop(url))
                self._stale.discard(url)
            return
        if self.runs.get(url) == runs:
            return
        self.runs[url] = runs
        folds = [fold_chars(text)[0] for *_, text in runs]
        self.folded[url] = "\n".join(folds)
        self.starts[url] = array("l", accumulate((len(f) + 1 for f in folds[:-1]), initial=0))
        self._scan(url)

    def _scan(self, url: str) -> None:
        """The page's matches: one pass over its folded text (`Matcher.find_folded`), each
        match placed back in its run of text."""
        runs, folded, starts = self.runs[url], self.folded[url], self.starts[url]
        found: list[Hit] = []
        at, where = -1, None  # the run of the last match, and its map when folding changed its length
        for start, end, key in self.matcher.find_folded(folded):
            i = bisect_right(starts, start) - 1
            rel, inline, child, line, text = runs[i]
            if i != at:
                at = i
                size = (starts[i + 1] - 1 if i + 1 < len(starts) else len(folded)) - starts[i]
                where = fold_chars(text)[1] if size != len(text) else None
            start, end = start - starts[i], end - starts[i]
            if where is not None:
                start, end = where[start], where[end - 1] + 1
            if key not in self.short or written_as_term(text[start:end]):
                found.append((rel, line, inline, child, start, end, key))
        self._set_hits(url, tuple(found))

    def _set_hits(self, url: str, hits: tuple[Hit, ...]) -> None:
        keys = frozenset(h[6] for h in hits)
        old = self.keys.get(url, frozenset())
        for k in old - keys:
            self._count(k, -1)
            self.key_pages[k].discard(url)
        for k in keys - old:
            self._count(k, 1)
            self.key_pages.setdefault(k, set()).add(url)
        self.hits[url], self.keys[url] = hits, keys
        self._stale.add(url)

    def _count(self, key: str, step: int) -> None:
        self._moved.setdefault(key, self.frequency.get(key, 0))
        self.frequency[key] = self.frequency.get(key, 0) + step

    def mentions(self) -> dict[str, tuple[Mention, ...]]:
        """The links to make, per page URL: the first mention of each target, never of the
        page itself, never of a name more common than the limit."""
        limit = common_limit(len(self.runs))
        stale = self._stale
        if limit != self.limit:
            stale = set(self.runs)
        else:
            for key, count_then in self._moved.items():
                if (count_then <= limit) != (self.frequency.get(key, 0) <= limit):
                    stale |= self.key_pages.get(key, set())
        self.limit, self._moved, self._stale = limit, {}, set()
        for url in stale:
            if url not in self.runs:
                continue
            first: dict[str, Mention] = {}
            for rel, line, inline, child, start, end, key in self.hits[url]:
                target = self.table[key]
                if target.url != url and self.frequency[key] <= limit and target.url not in first:
                    first[target.url] = Mention(rel, line, inline, child, start, end, target, key)
            before = self.chosen.get(url, ())
            after = tuple(first.values())
            if after != before:
                self.changed.setdefault(url, before)
                if after:
                    self.chosen[url] = after
                else:
                    del self.chosen[url]
        return {url: self.chosen[url] for url in self.runs if url in self.chosen}

    def take_changed(self) -> dict[str, tuple[Mention, ...]]:
        """Pages whose links changed since the last call, with the links they had then."""
        changed, self.changed = self.changed, {}
        return changed
