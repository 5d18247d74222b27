"""Related topics, ranked and explained: shared external references, shared tags, similar text.

Text similarity works for Chinese: features are CJK character bigrams and Latin words, not
whitespace tokens. Pairs are scored through an inverted index, and features found in many
topics (more than MAX_POSTING) are skipped; scores are cosine similarities of
idf-weighted feature sets (shared tags and references weigh more), so long pages do not
relate to everything, so the work stays linear in the vault.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .export import reference_key
from .mentions import text_runs
from .model import Note, Topic

MAX_RELATED = 5
MAX_POSTING = 20  # a feature in more topics than this says nothing about any pair
MIN_SCORE = 0.05  # cosine similarity below this is noise (measured on the seed notes)
_WORD = re.compile(r"[a-z][a-z0-9]{2,}")
_STOP = frozenset("the and are for that this with from then some used use can not but was were has have had its into than also more most what which when where who how all any each".split())
_CJK = re.compile(r"[\u3400-\u9fff]+")


@dataclass(frozen=True)
class Related:
    """A related topic and why: the reason shown to the reader."""

    url: str
    title: str
    score: float
    reason: str


def features(text: str) -> set[str]:
    """CJK character bigrams and Latin words (3+ letters) of a text."""
    text = text.casefold()
    found = set(_WORD.findall(text)) - _STOP
    for run in _CJK.findall(text):
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    return found


def find_related(notes: dict[str, Note], topics: dict[str, Topic]) -> dict[str, tuple[Related, ...]]:
    """Up to MAX_RELATED related pages per topic page URL, best first."""
    titles: dict[str, str] = {}
    feats: dict[str, set[str]] = {}
    for topic in topics.values():
        titles.setdefault(topic.url, topic.title)
        f = feats.setdefault(topic.url, set())
        note = notes[topic.note_rel]
        for *_, text in text_runs(note, topic.token_start, topic.token_end):
            f |= features(text)
        f |= {f"#tag:{t.casefold()}" for t in topic.tags}
        f |= {f"@ref:{reference_key(link.target)}" for link in topic.links if link.kind == "external" and link.target.startswith(("http:", "https:"))}
    postings: dict[str, list[str]] = {}
    for url, f in feats.items():
        for feature in f:
            postings.setdefault(feature, []).append(url)
    n = len(feats)

    def idf(feature: str) -> float:
        return math.log(n / len(postings[feature])) + (3.0 if feature[0] in "#@" else 0.0)

    norm = {url: math.sqrt(sum(idf(f) ** 2 for f in fs)) or 1.0 for url, fs in feats.items()}
    scores: dict[str, dict[str, float]] = {}
    shared: dict[tuple[str, str], list[str]] = {}
    for feature, urls in postings.items():
        if not 2 <= len(urls) <= MAX_POSTING:
            continue
        weight = idf(feature) ** 2
        for a in urls:
            for b in urls:
                if a != b:
                    scores.setdefault(a, {})[b] = scores.get(a, {}).get(b, 0.0) + weight / (norm[a] * norm[b])
                    shared.setdefault((a, b), []).append(feature)
    related: dict[str, tuple[Related, ...]] = {}
    for a, row in scores.items():
        ranked = sorted(((s, b) for b, s in row.items() if s >= MIN_SCORE), key=lambda sb: (-sb[0], sb[1]))
        related[a] = tuple(Related(b, titles[b], round(s, 2), _reason(sorted(shared[(a, b)], key=lambda f: (len(postings[f]), f)))) for s, b in ranked[:MAX_RELATED])
    return {a: r for a, r in related.items() if r}


def _reason(features: list[str]) -> str:
    refs = [f[5:] for f in features if f.startswith("@ref:")]
    if refs:
        return "both cite " + refs[0]
    tags = [f[5:] for f in features if f.startswith("#tag:")]
    if tags:
        return "both tagged " + ", ".join(f"#{t}" for t in tags[:3])
    return "similar text: " + " · ".join(features[:4]) + (" …" if len(features) > 4 else "")
