"""Full-text search: the tokenizer, one document per section of each page, and the index
files the browser reads (static/search.js). The data format is shared with the browser and
documented in one place (the search spec: tokens, documents, BM25 scores, files).

    tokens(text)        NFKC, CJK runs as bigrams (a lone character as itself), words of
                        letters and digits lower-cased, with their case parts (graphRAG:
                        graphrag, graph, rag)
    page_docs(...)      the documents of one page: its text before the first heading, then
                        one per heading of level 2-6 (a merged topic's later places start
                        one too, at their `place-N` anchor)
    SearchIndex.update  the documents of the pages that changed, then the postings, shards
                        and files again in one linear pass over the cached documents

Weights are counted in tenths (title 100, aliases 80, tags 60, headings 50, body 10, code
3, URLs 2), so term frequencies and lengths are integers: sums are exact whatever the order,
and an incremental update gives the very same scores as a fresh build.
"""

from __future__ import annotations

import operator
import re
import sys
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from ..model import Heading, Note, NotePage, SearchData, Topic
from ..paths import is_external, safe_json

VERSION = 2  # 2: postings as doc-id gaps and integer thousandths
K1, B = 1.2, 0.75
W_TITLE, W_ALIAS, W_TAG, W_HEADING, W_BODY, W_CODE, W_URL = 100, 80, 60, 50, 10, 3, 2  # tenths
DOC_SHARD = 8  # documents per d/<j>.js (small: a query loads only the shards of its top results)
SHARD_BYTES = 16_000  # JSON of one t/<k>.js, unless a single token's postings are larger
GROUP_SHARDS = 64  # token shards per g/<i>.js
TEXT_CHARS = 1500  # a document's text in d/<j>.js

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
# a CJK run, or a run of letters and digits (str.isalnum: `\w` without `_`) that are not CJK
_RUN = re.compile(f"([{_CJK}]+)|([^\\W_{_CJK}]+)")


def _parts(word: str) -> list[str]:
    """The case parts of a word run: split before an upper-case letter after a lower-case
    one (graph|RAG), and before the last upper-case letter of an upper-case run followed by
    a lower-case one (HTML|Parser)."""
    cuts = [0]
    for i in range(1, len(word)):
        ch = word[i]
        if ch.isupper() and (
            word[i - 1].islower() or (word[i - 1].isupper() and i + 1 < len(word) and word[i + 1].islower())
        ):
            cuts.append(i)
    if len(cuts) == 1:
        return []
    cuts.append(len(word))
    return [word[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def tokens(text: str) -> list[str]:
    """The search tokens of `text`, in order, repeated as often as they occur."""
    found: list[str] = []
    for cjk, word in _RUN.findall(unicodedata.normalize("NFKC", text)):
        if cjk:
            if len(cjk) == 1:
                found.append(cjk)
            else:
                found.extend([cjk[i : i + 2] for i in range(len(cjk) - 1)])
        else:
            whole = word.lower()
            found.append(whole)
            found.extend(_part_tokens(word, whole))
    return found


def _part_tokens(word: str, whole: str) -> list[str]:
    if word.islower() or word.isupper() or word.istitle() or word.isdigit():
        return []  # no case change inside (the common case)
    return [low for low in (part.lower() for part in _parts(word)) if len(low) >= 2 and low != whole]


_BIGRAM = re.compile(f"(?=([{_CJK}]{{2}}))")
_SINGLE = re.compile(f"(?<![{_CJK}])[{_CJK}](?![{_CJK}])")
_WORD_RUN = re.compile(f"[^\\W_{_CJK}]+")


@lru_cache(maxsize=4096)
def _word_parts(word: str) -> tuple[str, ...]:
    """`_part_tokens` of a word with a case change inside, remembered (GPT, LoRA, PyTorch recur)."""
    return tuple(_part_tokens(word, word.lower()))


def token_counts(text: str) -> Counter[str]:
    """`Counter(tokens(text))`, faster (each kind of token found by one regular expression,
    counted by one Counter), in the order bigrams, single characters, case parts, words."""
    norm = unicodedata.normalize("NFKC", text)
    found = _BIGRAM.findall(norm)
    found += _SINGLE.findall(norm)
    words = _WORD_RUN.findall(norm)
    for word in words:
        if not (word.islower() or word.isupper() or word.istitle() or word.isdigit()):
            found += _word_parts(word)
    found += map(str.lower, words)
    return Counter(found)


@dataclass(frozen=True)
class Doc:
    """One section of a page: what d/<j>.js shows, and its weighted term frequencies."""

    url: str
    anchor: str
    title: str  # the page's title
    heading: str
    note: str  # the source file of the section
    tags: tuple[str, ...]  # the page's tags
    text: str  # plain text, white space collapsed, at most TEXT_CHARS characters
    tokens: tuple[str, ...]  # its distinct tokens in first-seen order (interned: one string per token)
    tenths: array  # each token's weighted count in tenths (compact: 4 bytes each)
    length: int  # sum of the weights of all its tokens, in tenths

    def row(self) -> list:
        """The document as d/<j>.js lists it."""
        return [self.url, self.anchor, self.title, self.heading, self.note, list(self.tags), self.text]


class _Section:
    """A section being read: its fields as text pieces."""

    def __init__(self, anchor: str, heading: str, note: str) -> None:
        self.anchor, self.heading, self.note = anchor, heading, note
        self.headings: list[str] = [heading] if heading else []
        self.body: list[str] = []
        self.code: list[str] = []
        self.urls: list[str] = []
        self.shown: list[str] = []  # body and code in reading order


Fields = dict[str, list[str]]  # field name -> its texts, for tests (`section_fields`)


def _read_inline(token, section: _Section) -> None:
    children = token.children
    if not children:
        if token.content:
            section.body.append(token.content)
            section.shown.append(token.content)
    else:
        for child in children:
            kind = child.type
            if kind == "text" or kind == "hashtag":
                section.body.append(child.content)
                section.shown.append(child.content)
            elif kind == "code_inline":
                section.code.append(child.content)
                section.shown.append(child.content)
                section.body.append(" ")
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                if is_external(href):
                    section.urls.append(href)
            elif kind == "wikilink":
                if not child.meta.get("embed"):  # an embed shows another page's text
                    label = child.meta.get("label") or ""
                    section.body.append(label)
                    section.shown.append(label)
                else:
                    section.body.append(" ")
            elif kind == "image":
                section.body.append(child.content)
                section.shown.append(child.content)
            elif kind in ("softbreak", "hardbreak"):
                section.body.append(" ")
                section.shown.append(" ")
            elif not kind.endswith(("_open", "_close")):  # html, math, comments: separators
                section.body.append(" ")
    section.body.append("\n")
    section.shown.append(" ")


def _read(
    note: Note,
    start: int,
    end: int,
    headings: tuple[Heading, ...],
    ids: Mapping[int, str],
    first: _Section,
) -> list[_Section]:
    """The sections of tokens [start, end) of `note`, the first one being `first`."""
    starts = {h.token_index: h for h in headings if h.level >= 2 and h.token_index in ids}
    by_index = {h.token_index: h for h in headings}
    sections = [first]
    section = first
    tokens_ = note.tokens
    skip = -1
    for i in range(start, end):
        if i == skip:
            continue
        token = tokens_[i]
        kind = token.type
        if kind == "heading_open":
            skip = i + 1
            h = starts.get(i)
            if h is not None:
                section = _Section(ids[i], h.plain, note.rel)  # formulas without `$`
                sections.append(section)
            else:
                known = by_index.get(i)
                text = known.plain if known is not None else (tokens_[i + 1].content if i + 1 < end else "")
                if text:
                    section.headings.append(text)
        elif kind == "inline":
            _read_inline(token, section)
        elif kind in ("fence", "code_block"):
            section.code.append(token.content)
            section.shown.append(token.content)
            section.shown.append(" ")
    return sections


@dataclass(frozen=True)
class Place:
    """One part of a page: tokens [start, end) of a note, its headings and their ids."""

    note: Note
    start: int
    end: int
    headings: tuple[Heading, ...]
    ids: dict[int, str]
    anchor: str  # "" for the first place, else the place's anchor (`place-2`)
    aliases: tuple[str, ...]  # names of the note when this place is the note's own page

    def same(self, other: Place) -> bool:
        return (
            self.note is other.note
            and (self.start, self.end, self.headings, self.anchor, self.aliases)
            == (other.start, other.end, other.headings, other.anchor, other.aliases)
            and self.ids == other.ids
        )


@dataclass(frozen=True)
class PageInput:
    """What a page's documents are made of (compared by note identity)."""

    url: str
    title: str
    tags: tuple[str, ...]
    places: tuple[Place, ...]

    def same(self, other: PageInput | None) -> bool:
        return (
            other is not None
            and (self.url, self.title, self.tags) == (other.url, other.title, other.tags)
            and len(self.places) == len(other.places)
            and all(a.same(b) for a, b in zip(self.places, other.places, strict=True))
        )


def page_sections(page: PageInput) -> list[tuple[_Section, bool]]:
    """(section, is the page's first) of every document of a page, in order."""
    found: list[tuple[_Section, bool]] = []
    for place in page.places:
        first = _Section(place.anchor, "", place.note.rel)
        found += [
            (s, not found and n == 0)
            for n, s in enumerate(_read(place.note, place.start, place.end, place.headings, place.ids, first))
        ]
    return found


def _aliases(page: PageInput) -> list[str]:
    return list(dict.fromkeys(a for p in page.places for a in p.aliases))


def section_fields(page: PageInput) -> list[Fields]:
    """The texts of each document's fields, by field name (what the index is made of)."""
    out = []
    for section, first in page_sections(page):
        out.append(
            {
                "title": [page.title] if first else [],
                "aliases": _aliases(page) if first else [],
                "tags": list(page.tags) if first else [],
                "heading": section.headings,
                "body": ["".join(section.body)],
                "code": section.code,
                "urls": section.urls,
            }
        )
    return out


def page_docs(page: PageInput) -> tuple[Doc, ...]:
    """The documents of one page."""
    docs = []
    for section, first in page_sections(page):
        fields: list[tuple[list[str] | tuple[str, ...], int]] = [
            (["".join(section.body)], W_BODY),
            (section.headings, W_HEADING),
            (section.code, W_CODE),
            (section.urls, W_URL),
        ]
        if first:
            fields += [([page.title], W_TITLE), (_aliases(page), W_ALIAS), (page.tags, W_TAG)]
        tf: dict[str, int] = {}
        length = 0
        for texts, weight in fields:
            if not texts:
                continue
            counts = token_counts("\n".join(texts))  # a newline separates tokens
            length += weight * counts.total()
            if not tf:  # (the body, usually the most tokens: each count times its weight in C)
                tf = dict(zip(counts, map(weight.__mul__, counts.values()), strict=True))
            else:
                get = tf.get
                for token, count in counts.items():
                    tf[token] = get(token, 0) + weight * count
        shown = " ".join("".join(section.shown).split())[:TEXT_CHARS]
        docs.append(
            Doc(
                page.url,
                section.anchor,
                page.title,
                section.heading,
                section.note,
                page.tags,
                shown,
                tuple(map(sys.intern, tf)),  # a token is kept once for the whole vault, not once per section
                array("I", tf.values()),
                length,
            )
        )
    return tuple(docs)


def page_inputs(
    notes: Mapping[str, Note],
    topics: Mapping[str, Topic],
    note_pages: Mapping[str, NotePage],
    pages: set[str] | None = None,
) -> dict[str, PageInput]:
    """Page URL -> what its documents are made of, for every page (or those in `pages`), in
    the site's page order: topic pages, then collection pages."""
    places: dict[str, list[Topic]] = {}
    for topic in topics.values():
        if pages is None or topic.url in pages:
            places.setdefault(topic.url, []).append(topic)
    found: dict[str, PageInput] = {}
    for url, parts in places.items():
        found[url] = PageInput(
            url,
            parts[0].plain_title,
            tuple(dict.fromkeys(tag for t in parts for tag in t.tags)),
            tuple(
                Place(
                    notes[t.note_rel],
                    t.token_start,
                    t.token_end,
                    t.headings,
                    t.heading_ids,
                    t.place_id,
                    notes[t.note_rel].aliases if t.is_whole_note else (),
                )
                for t in parts
            ),
        )
    for rel, page in note_pages.items():
        if pages is None or page.url in pages:
            note = notes[rel]
            start = 1 if note.tokens and note.tokens[0].type == "front_matter" else 0
            place = Place(note, start, page.token_end, page.headings, page.heading_ids, "", note.aliases)
            found[page.url] = PageInput(page.url, page.title, page.tags, (place,))
    return found


def _score(s: float) -> int:
    """A BM25 part in thousandths (the files hold integers: shorter, and gzip better)."""
    return round(s * 1000)


def _gaps(flat: array, numbers: list[str]) -> str:
    """`doc, score, doc, score…` as `first doc, score, gap to the next doc, score…`, each
    number written by `numbers` (its decimal text, made once per index: the postings hold
    millions of numbers, and str() of each was most of the index's time at 10k notes)."""
    out = flat.tolist()
    docs = out[0::2]
    out[0::2] = map(operator.sub, docs, [0, *docs])
    return ",".join(map(numbers.__getitem__, out))


def search_data(docs: list[Doc]) -> SearchData:
    """The files of the index of `docs` (doc ids are their positions). One pass over the
    postings, plus a sort of the vocabulary."""
    n = len(docs)
    avgdl = (sum(d.length for d in docs) / n) if n else 1.0
    # token -> [doc id, score, doc id, score, ...] in doc order; written as gaps between doc ids
    # (arrays of C ints: the postings of a big vault are millions of numbers)
    postings: dict[str, array] = {}
    get = postings.get
    for doc_id, doc in enumerate(docs):
        norm = K1 * (1 - B + B * doc.length / avgdl) if avgdl else K1
        scores: dict[int, int] = {}  # tenths -> score (most tokens of a doc occur once)
        for tenths in set(doc.tenths):
            tf = tenths / 10
            scores[tenths] = _score(tf * (K1 + 1) / (tf + norm))
        for token, score in zip(doc.tokens, map(scores.__getitem__, doc.tenths), strict=True):
            found = get(token)
            if found is None:
                postings[token] = array("l", (doc_id, score))
            else:
                found.append(doc_id)
                found.append(score)
    shards: list[str] = []
    firsts: list[str] = []
    current: list[str] = []
    size = 0
    # every number of the postings: a doc id or a gap between two (below n), or a score (at
    # most 1000 * (K1 + 1): tf * (K1 + 1) / (tf + norm) stays below K1 + 1)
    numbers = [str(i) for i in range(max(n, _score(K1 + 1)) + 1)]
    for token in sorted(postings):
        # a token is letters and digits: JSON needs no escape in it, and the postings are ASCII
        entry = '"' + token + '":[' + _gaps(postings[token], numbers) + "]"
        grow = len(entry) + len(token.encode("utf-8")) - len(token) + 1
        if current and size + grow > SHARD_BYTES:
            shards.append("{" + ",".join(current) + "}")
            current, size = [], 0
        if not current:
            firsts.append(token)
        current.append(entry)
        size += grow
        if size > SHARD_BYTES:  # one token's postings: a shard of its own
            shards.append("{" + ",".join(current) + "}")
            current, size = [], 0
    if current:
        shards.append("{" + ",".join(current) + "}")
    token_files = tuple(f"mlnSearch.tokens({k}, {text});\n" for k, text in enumerate(shards))
    groups = []
    group_files = []
    for i in range(0, len(shards), GROUP_SHARDS):
        ks = list(range(i, min(i + GROUP_SHARDS, len(shards))))
        groups.append(firsts[i])
        group = safe_json(firsts[i : i + GROUP_SHARDS], compact=True)
        group_files.append(f"mlnSearch.group({i // GROUP_SHARDS}, {group}, {safe_json(ks, compact=True)});\n")
    doc_files = tuple(
        f"mlnSearch.docs({j // DOC_SHARD}, [\n"
        + ",\n".join(safe_json(d.row(), compact=True) for d in docs[j : j + DOC_SHARD])
        + "\n]);\n"
        for j in range(0, n, DOC_SHARD)
    )
    meta = {"version": VERSION, "docs": n, "groups": groups, "docShard": DOC_SHARD}
    return SearchData(
        meta=f"mlnSearch.meta({safe_json(meta)});\n",
        groups=tuple(group_files),
        shards=token_files,
        docs=doc_files,
    )


class LazySearch:
    """The index files of `docs`, made by `search_data` when first read (SearchFiles). The
    same object while no document changed, so a page made from it is the same page."""

    def __init__(self, docs: list[Doc]) -> None:
        self._docs: list[Doc] | None = docs
        self._made: SearchData | None = None

    @property
    def made(self) -> SearchData:
        """The files (made now, if not yet). Two threads may both make them: the same text."""
        made = self._made
        if made is None:
            assert self._docs is not None
            made = self._made = search_data(self._docs)
            self._docs = None
        return made

    @property
    def meta(self) -> str:
        return self.made.meta

    @property
    def groups(self) -> tuple[str, ...]:
        return self.made.groups

    @property
    def shards(self) -> tuple[str, ...]:
        return self.made.shards

    @property
    def docs(self) -> tuple[str, ...]:
        return self.made.docs

    @property
    def layout(self) -> tuple[int, int, int]:
        return self.made.layout


class SearchIndex:
    """The documents of every page, kept by what they are made of, and the index files.
    Update: the documents of the pages that changed (`pages`, None: all), then, when any
    document changed, a LazySearch of the cached documents: the files are made again
    (linear in the postings) when first read."""

    def __init__(self) -> None:
        self.inputs: dict[str, PageInput] = {}
        self.docs: dict[str, tuple[Doc, ...]] = {}
        self.order: list[str] = []
        self.value = LazySearch([])

    def update(
        self,
        notes: Mapping[str, Note],
        topics: Mapping[str, Topic],
        note_pages: Mapping[str, NotePage],
        pages: set[str] | None,
    ) -> LazySearch:
        changed = False
        found = page_inputs(notes, topics, note_pages, pages)
        order = list(dict.fromkeys([t.url for t in topics.values()] + [p.url for p in note_pages.values()]))
        if order != self.order:
            changed = True
            live = set(order)
            for url in [u for u in self.inputs if u not in live]:
                del self.inputs[url], self.docs[url]
            self.order = order
        missing = {u for u in order if u not in self.docs and u not in found}
        if missing:  # (`pages` names every page that changed; this is a safety net)
            found.update(page_inputs(notes, topics, note_pages, missing))
        for url, page in found.items():
            if not page.same(self.inputs.get(url)):
                self.inputs[url] = page
                self.docs[url] = page_docs(page)
                changed = True
        if changed:  # the files are made when first read (a build reads them at once)
            self.value = LazySearch([d for url in self.order for d in self.docs[url]])
        return self.value
