"""Related topics, ranked and explained: shared external references, shared tags, similar text.

Text similarity works for Chinese: features are CJK character bigrams (without function
characters such as 的/了/是) and Latin words, not whitespace tokens; titles and headings
count too. Bigrams match however a word is cut (大模型 shares 大模 and 模型 with 大模型幻觉),
but they are not what a reader should see: the reason names whole words, found by snapping
each run of shared bigrams to the word boundaries of rjieba (jieba's dictionary, in Rust) and
keeping only what stands in both texts (大模 → 大模型, 型幻觉 → 模型幻觉 or 幻觉). A page with
no text of its own (a title and headings, no body text and no cited URL) gets no list.

What a page lists is chosen for all pages together (`cap_hubs`): no page in more than a
quarter of the lists (HUB_SHARE; never fewer than MAX_RELATED lists), each row keeping
CANDIDATES candidates so that the next one takes a hub's place. The graph's edges are the
candidates before that cap.

A feature says something about a pair only when it is rare in the vault: one found in more
than `cap(n)` pages (10% of the pages, between 10 and 100) is ignored. That keeps the work
linear (a row visits at most `cap` pages per feature) and lets a big vault use the rare
features a small vault cannot afford to. A row visits at most ROW_BUDGET posting entries,
rarest features first (the rarest weigh most), so its work is bounded by a constant however
large the vault and however long the page; `RelatedIndex.work` counts them.

score(a, b) = Σ shared rare features K(f)² · idf(f) / (|a| · |b|), where K is 1 for text,
3 for a tag and 4 for a cited URL, |a| = sqrt(Σ K(f)²) over all of a's features, and
idf(f) = (1 + ln(cap / df(f))) / (1 + ln(cap / 2)) is 1 for a feature two pages share and
less for commoner ones, so a score is between 0 and 1. The norms depend on the page alone
and a feature's weight on its own document frequency, so an edit changes only the rows of
pages that share a rare feature with the edited page (`RelatedIndex.set` returns them).
Sums run over a page's features in sorted order, so a row is the same float for float
however the index was built.
"""

from __future__ import annotations

import heapq
import math
import re
import sys
import time
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Callable, Iterable, Iterator, Mapping

from ..model import Note, Related, Topic
from ..paths import reference_key
from .mentions import text_runs

MAX_RELATED = 5
CANDIDATES = 12  # a row keeps this many, so that a page passed over as a hub leaves room for the next
HUB_SHARE = 0.25  # no page in more than this share of the related lists (`cap_hubs`)
MIN_SCORE = 0.015  # below this the shared words are incidental (measured on the seed notes)
MIN_COVER = 0.5  # … unless they are half of what is rare on the page
CAP_FRACTION, CAP_MIN, CAP_MAX = 0.1, 10, 100
ROW_BUDGET = 4000  # posting entries one row may visit (a long page on common subjects would visit more)
TAG_WEIGHT, REF_WEIGHT = 3.0, 4.0
_WORD = re.compile(r"[a-z][a-z0-9]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_CAMEL_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*")  # graphRAG, kvCache, PyTorch
_CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
_STOP = frozenset(
    "the and are for that this with from then some used use using can not but was were has have had its into than also"
    " more most what which when where who how all any each one two very just like such only other about over there"
    " their they them these those will would should could been being does did done get got make made you your our"
    " out off per via etc http https www com org html".split()
)
# characters that make a bigram a grammar fragment (了两, 个部), not part of a term
_STOP_CHARS = frozenset("的了和是在个一不也就都而及与或把被从等这那我你他们它其之很着过吗呢吧啊么")
# one-character words a reason does not start or end with (来帮助, 训练时, 生成更)
_EDGE_CHARS = _STOP_CHARS | frozenset("来时对更为上中后前将让用地得到于以可会要能还再又")


@dataclass(frozen=True)
class PageFeatures:
    """What a page contributes to similarity: its sorted features, norm, and text (for reasons)."""

    url: str
    title: str
    features: tuple[str, ...]
    norm: float
    text: str  # case-folded plain text, to name the shared terms
    own: bool = True  # it has text of its own (body text or a cited URL), not only a title


def _without(first: str, last: str, holes: Iterable[str]) -> str:
    """A regular expression character class body: the characters first..last but `holes`."""
    ranges, at = [], ord(first)
    for hole in sorted(map(ord, holes)):
        if at < hole:
            ranges.append(f"{chr(at)}-{chr(hole - 1)}")
        at = hole + 1
    return "".join(ranges) + (f"{chr(at)}-{last}" if at <= ord(last) else "")


# two CJK characters next to each other, neither a function character: each bigram of each run
# of _CJK that `features` keeps, found in one pass in C (overlapping: a look-ahead)
_BIGRAM = re.compile(f"(?=([{_without(chr(0x3400), chr(0x9FFF), _STOP_CHARS)}]{{2}}))")


def features(text: str) -> set[str]:
    """CJK character bigrams (none with a function character) and Latin words (3+ letters)
    of a text; a word with an acronym inside also gives the acronym (graphRAG: graphrag, rag).
    The features of texts joined by newlines are the union of theirs (no match spans one)."""
    found = {
        part.casefold() for word in _CAMEL_WORD.findall(text) for part in _CAMEL_PART.findall(word) if part.isupper()
    }
    found = {w for w in found if len(w) >= 3 and w[0].isalpha()}  # a word of _WORD is so already
    text = text.casefold()
    found.update(_WORD.findall(text))
    found -= _STOP
    found.update(_BIGRAM.findall(text))
    return found


def _kind_weight(feature: str) -> float:
    return TAG_WEIGHT if feature.startswith("#tag:") else REF_WEIGHT if feature.startswith("@ref:") else 1.0


def page_features(url: str, title: str, parts: Iterable[tuple[Note, Topic]]) -> PageFeatures:
    """Features of the page at `url` showing these (note, topic) places."""
    texts, heads, bodies, marks = [title], [title], [], set()
    for note, topic in parts:
        names = [h.text for h in topic.headings]
        runs = [text for *_, text in text_runs(note, topic.token_start, topic.token_end)]
        texts += names + runs
        heads += names
        bodies += runs
        marks |= {f"#tag:{t.casefold()}" for t in topic.tags}
        marks |= {
            f"@ref:{reference_key(link.target)}"
            for link in topic.links
            if link.kind == "external" and link.target.startswith(("http:", "https:"))
        }
    body = features("\n".join(bodies))  # one call per page, not one per run of text
    own = bool(body) or any(f.startswith("@ref:") for f in marks)
    found = features("\n".join(heads)) | body | marks
    ordered = tuple(map(sys.intern, sorted(found)))  # one string per feature for the whole vault
    # Σ K(f)² over the features: whole numbers, so counting each kind gives the same float
    tags = sum(1 for f in marks if f.startswith("#tag:"))
    refs = len(marks) - tags
    norm = math.sqrt(len(ordered) - len(marks) + tags * TAG_WEIGHT**2 + refs * REF_WEIGHT**2) or 1.0
    return PageFeatures(url, title, ordered, norm, "\n".join(texts).casefold(), own)


def cap(pages: int) -> int:
    """A feature in more pages than this is common in the vault and says nothing about a pair."""
    return min(CAP_MAX, max(CAP_MIN, int(pages * CAP_FRACTION)))


class RelatedIndex:
    """Features of every topic page and the pages holding each feature; rows on demand."""

    def __init__(self) -> None:
        self.pages: dict[str, PageFeatures] = {}
        self.postings: dict[str, dict[str, None]] = {}  # feature -> pages (an ordered set)
        self.work = 0  # posting entries visited by rows so far (tests check it grows linearly)

    @property
    def cap(self) -> int:
        return cap(len(self.pages))

    def _counted(self, feature: str, limit: int) -> dict[str, None]:
        posting = self.postings.get(feature)
        return posting if posting is not None and 2 <= len(posting) <= limit else {}

    def set(self, url: str, page: PageFeatures | None, track: bool = True) -> set[str] | None:
        """Add, replace (or with None remove) a page. Returns the pages whose rows may have
        changed, or None when every row may have (the cap moved); `track=False` skips that
        work (a full build computes every row anyway)."""
        old = self.pages.get(url)
        if old == page:
            return set()
        cap_before = self.cap
        touched = set(old.features if old else ()) | set(page.features if page else ()) if track else set()
        dirty: set[str] = {url} if page is not None else set()
        for f in touched:  # pages sharing a rare feature with the old page…
            dirty.update(self._counted(f, cap_before + 1))
        if old is not None:
            for f in old.features:
                posting = self.postings[f]
                del posting[url]
                if not posting:
                    del self.postings[f]
            del self.pages[url]
        if page is not None:
            self.pages[url] = page
            for f in page.features:
                self.postings.setdefault(f, {})[url] = None
        for f in touched:  # … or with the new one
            dirty.update(self._counted(f, cap_before + 1))
        if page is None:
            dirty.discard(url)
        return None if self.cap != cap_before else dirty

    def weight(self, feature: str, limit: int) -> float:
        """What sharing `feature` adds to a score: K² times its rarity, by power-of-two bands
        of document frequency (2, 3–4, 5–8, …), 1 for a text feature two pages share."""
        band = 1 << (len(self.postings[feature]) - 1).bit_length()  # 2, 4, 8, … (the band's top)
        return _kind_weight(feature) ** 2 * (1.0 + math.log(limit / min(band, limit))) / (1.0 + math.log(limit / 2))

    def row(self, url: str) -> tuple[Related, ...]:
        """Up to CANDIDATES related pages of `url`, best first (ties by URL): those with a
        score of at least MIN_SCORE, or sharing at least MIN_COVER of the page's own rare
        feature weight (a short page whose rare words a long page discusses). A page with no
        text of its own has none.

        Features of equal weight are counted together (`Counter`, in C): a row costs one
        pass over the pages holding its rarest features (at most ROW_BUDGET of them), not a
        Python step per pair, and a heap keeps the best few."""
        page = self.pages[url]
        if not page.own:
            return ()
        limit = self.cap
        postings, pages = self.postings, self.pages
        counted = [(f, posting) for f in page.features if 2 <= len(posting := postings[f]) <= limit]
        own = 0.0  # the page's rare feature weight
        weights: dict[str, float] = {}
        for f, _ in counted:
            weights[f] = self.weight(f, limit)
            own += weights[f]
        # the rarest features first, while the budget lasts: a bounded number of visits
        visited, budget = [], ROW_BUDGET
        for f, posting in sorted(counted, key=lambda fp: (len(fp[1]), fp[0])):
            if len(posting) > budget:
                break
            budget -= len(posting)
            visited.append((f, posting))
        self.work += ROW_BUDGET - budget
        groups: dict[float, list[dict[str, None]]] = {}
        for f, posting in visited:
            groups.setdefault(weights[f], []).append(posting)
        sums: dict[str, float] = {}
        for weight in sorted(groups):  # a fixed order: the same floats however the index was built
            counts = Counter(chain.from_iterable(groups[weight]))
            if not sums:  # the first weight: 0.0 + weight * n is weight * n, all in C
                sums = dict(zip(counts, map(weight.__mul__, counts.values()), strict=True))
                continue
            get = sums.get
            for other, n in counts.items():
                sums[other] = get(other, 0.0) + weight * n
        sums.pop(url, None)
        norm, cover = page.norm, MIN_COVER * own
        kept = []
        for b, s in sums.items():
            score = s / (norm * pages[b].norm)
            if score >= MIN_SCORE or s >= cover:
                kept.append((-score, b))  # (-s / x is -(s / x): rounding is symmetric)
        found = []
        for neg, b in heapq.nsmallest(CANDIDATES, kept):  # best first, ties by URL
            shared = [f for f, posting in counted if b in posting]
            why, what = self._reason(page, pages[b], shared)
            found.append(Related(b, pages[b].title, round(-neg, 3), what, why))
        return tuple(found)

    def _reason(self, page: PageFeatures, other: PageFeatures, shared: list[str]) -> tuple[str, str]:
        """(why, what): the kind of reason (a catalogue key under `related.`) and what it names;
        the page says it in the interface's language."""
        rarest = sorted(shared, key=lambda f: (len(self.postings[f]), f))
        refs = [f[5:] for f in rarest if f.startswith("@ref:")]
        if refs:
            return "cite", refs[0]
        tags = [f[5:] for f in rarest if f.startswith("#tag:")]
        if tags:
            return "tagged", ", ".join(f"#{t}" for t in tags[:3])
        terms = shared_terms(page.text, other.text, set(shared), lambda f: len(self.postings[f]))
        if not terms:  # the shared text is no whole word of both pages: say so without a fragment
            return "text", ""
        return "text_terms", " · ".join(terms[:4]) + (" …" if len(terms) > 4 else "")


def cap_hubs(rows: Mapping[str, tuple[Related, ...]]) -> dict[str, tuple[Related, ...]]:
    """Up to MAX_RELATED of each row's candidates, with no page in more than HUB_SHARE of the
    lists (or MAX_RELATED lists, whichever is more: a small vault's lists stay full).

    The hubness penalty: a page that shares a rare word with everything (one long page of the
    seed notes was in 28 of 48 lists) is kept in the lists where it scores best and gives its
    place elsewhere to that row's next candidate. Pairs are taken best score first (ties by
    row URL and the row's own order), so the result depends on the rows alone, whichever way
    they were computed."""
    pairs = sorted((-r.score, url, i) for url, row in rows.items() for i, r in enumerate(row))
    lists = sum(1 for row in rows.values() if row)
    while True:  # a row left empty is one list fewer, which may lower the limit: until it holds
        limit = max(MAX_RELATED, int(lists * HUB_SHARE))
        taken: Counter[str] = Counter()
        kept: dict[str, list[int]] = {}
        for _, url, i in pairs:
            chosen = kept.setdefault(url, [])
            target = rows[url][i].url
            if len(chosen) < MAX_RELATED and taken[target] < limit:
                chosen.append(i)
                taken[target] += 1
        shown = {url: tuple(rows[url][i] for i in sorted(chosen)) for url, chosen in kept.items() if chosen}
        if max(MAX_RELATED, int(len(shown) * HUB_SHARE)) == limit:
            return shown
        lists = len(shown)


class Capped:
    """The rows after `cap_hubs`, kept until a row changes (shared by the Rows of successive Sites)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[Related, ...]] | None = None


class Rows(Mapping[str, tuple[Related, ...]]):
    """Related topics per page URL, only pages that have some. A row's candidates are computed
    when first needed and kept until an edit marks them stale; what a page shows is the rows
    after `cap_hubs`, which reads every row, so reading one computes the stale ones first. A
    view of the index as it is now: after the next update, read the new Site's rows."""

    def __init__(
        self, index: RelatedIndex, rows: dict[str, tuple[Related, ...]], stale: set[str], capped: Capped
    ) -> None:
        self.index, self.rows, self.stale, self.capped = index, rows, stale, capped

    def refresh(self, seconds: float) -> bool:
        """Compute stale rows for about `seconds`; True while some are left (a server calls
        this when idle, so that the next reader finds them ready)."""
        end = time.perf_counter() + seconds
        # a list, not next(iter(stale)) per row: a set emptied from its start is scanned past
        # the entries removed so far each time (n² steps: 2.4 of 8.6 CPU-s of the 10k rows)
        for url in list(self.stale):
            if time.perf_counter() >= end:
                break
            self._row(url)
        if not self.stale:
            self._shown()  # and the cap over them, so that no page waits for it
        return bool(self.stale)

    def _row(self, url: str) -> None:
        row = self.index.row(url) if url in self.index.pages else ()
        before = self.rows.get(url, ())
        if [(r.url, r.title, r.score, r.reason, r.why) for r in row] != [
            (r.url, r.title, r.score, r.reason, r.why) for r in before
        ]:
            self.capped.rows = None  # the cap reads scores too (a Related compares without its score)
        if row:
            self.rows[url] = row
        else:
            self.rows.pop(url, None)
        self.stale.discard(url)

    def _shown(self) -> dict[str, tuple[Related, ...]]:
        if self.stale:  # (listing an emptied set costs its old size: 5 CPU-s over the 10k topic pages)
            for url in list(self.stale):
                self._row(url)
        if self.capped.rows is None:
            self.capped.rows = cap_hubs({url: self.rows[url] for url in self.index.pages if url in self.rows})
        return self.capped.rows

    def candidates(self) -> Iterable[tuple[str, tuple[Related, ...]]]:
        """Each page's best MAX_RELATED candidates before the hub cap (the graph's edges)."""
        self._shown()
        return [(url, self.rows[url][:MAX_RELATED]) for url in self.index.pages if url in self.rows]

    def __getitem__(self, url: str) -> tuple[Related, ...]:
        return self._shown()[url]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._shown()))

    def __len__(self) -> int:
        return len(self._shown())


@lru_cache(maxsize=8192)
def _word_spans(run: str) -> tuple[tuple[int, int], ...]:
    """Where the words of a run of Chinese text start and end (rjieba: jieba's dictionary, no
    HMM, so no invented words). Cached: a row names reasons for up to CANDIDATES pages, each
    over the same runs of the page's text."""
    import rjieba  # here, not at the top: its dictionary takes 0.2 s to load, which a no-change build skips

    spans, at = [], 0
    for word in rjieba.cut(run, False):
        spans.append((at, at + len(word)))
        at += len(word)
    return tuple(spans)


def _whole_words(run: str, i: int, j: int, other: str) -> str:
    """The text run[i:j] snapped to whole words of `run` and found in `other`: grown to the
    words it cuts into when the grown text stands in `other` too, else shrunk to the words it
    holds whole; one-character function words at either end are left out (来帮助 → 帮助,
    训练时 → 训练, but 大模型 stays); "" when nothing of two or more characters is left."""
    spans = _word_spans(run)
    grown = [(a, b) for a, b in spans if b > i and a < j]
    shrunk = [(a, b) for a, b in spans if a >= i and b <= j]
    for cover in (grown, shrunk):
        while cover and run[cover[0][0] : cover[0][1]] in _EDGE_CHARS:
            cover = cover[1:]
        while cover and run[cover[-1][0] : cover[-1][1]] in _EDGE_CHARS:
            cover = cover[:-1]
        term = run[cover[0][0] : cover[-1][1]] if cover else ""
        if len(term) >= 2 and term in other:
            return term
    return ""


def shared_terms(text: str, other: str, shared: set[str], df: Callable[[str], int]) -> list[str]:
    """The shared features of `text` and `other` as readable terms, rarest first: Latin words,
    and the runs of Chinese whose every bigram is shared (梯度·度下·下降 → 梯度下降), as whole
    words that stand in both texts (never 大模 or 型幻觉).

    The shared bigrams are looked up where they stand in `text` (str.find), not by a Python
    step per character: a row asks this for up to CANDIDATES pages over the same long text."""
    terms: dict[str, int] = {f: df(f) for f in shared if f[0].isascii() and f[0].isalpha()}
    found: set[int] = set()  # where a shared bigram starts in `text`
    for f in shared:
        if len(f) == 2 and _CJK.fullmatch(f):
            at = text.find(f)
            while at >= 0:
                found.add(at)
                at = text.find(f, at + 1)
    if not found:
        return _outermost(terms)
    firsts, runs = _cjk_runs(text)
    places = sorted(found)
    n = 0
    while n < len(places):  # each chain of shared bigrams p, p+1, …, q-1: one span of a run
        p = q = places[n]
        while n < len(places) and places[n] == q:
            n, q = n + 1, q + 1
        a, b = runs[bisect_right(firsts, p) - 1]
        term = _whole_words(text[a:b], p - a, q - a + 1, other)
        if term:
            terms[term] = min(terms.get(term, 1 << 30), *(df(text[k : k + 2]) for k in range(p, q)))
    return _outermost(terms)


@lru_cache(maxsize=64)
def _cjk_runs(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Where each run of Chinese in `text` starts, and its (start, end) (a row asks for its
    page's text once per candidate)."""
    runs = [m.span() for m in _CJK.finditer(text)]
    return [a for a, _ in runs], runs


def _outermost(terms: dict[str, int]) -> list[str]:
    """The terms rarest first (then longest), without those inside another."""
    ordered = sorted(terms, key=lambda t: (terms[t], -len(t), t))
    return [t for t in ordered if not any(t != o and t in o for o in ordered)]
