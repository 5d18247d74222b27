"""The search index (graph/search.py, emit/search.py): tokens as the spec says, and the
files of a built vault: parseable, bounded, deterministic, and finding what the text holds."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from conftest import BASIC_VAULT
from mlnotes_site import urls
from mlnotes_site.build import build
from mlnotes_site.config import load_config
from mlnotes_site.graph.search import DOC_SHARD, page_inputs, section_fields, token_counts, tokens


@pytest.mark.parametrize(
    "text, expected",
    [
        ("注意力", ["注意", "意力"]),
        ("力", ["力"]),
        ("LoRA", ["lora", "lo", "ra"]),
        ("graphRAG", ["graphrag", "graph", "rag"]),
        ("HTMLParser", ["htmlparser", "html", "parser"]),
        ("ＬｏＲＡ", ["lora", "lo", "ra"]),
        ("2023", ["2023"]),
        ("用LoRA微调", ["用", "lora", "lo", "ra", "微调"]),
        ("Adam, RAG; gpt4o", ["adam", "rag", "gpt4o"]),
        ("snake_case x-y 🙂 ok", ["snake", "case", "x", "y", "ok"]),
        ("カタカナ 한국어", ["カタ", "タカ", "カナ", "한국", "국어"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected
    assert token_counts(text) == Counter(expected)


def test_token_counts_equal_tokens_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = "aAbBzZ09 _-。注意力用微调カ한ＬｏＲΣσİé\n\t#"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert token_counts(text) == Counter(tokens(text)), text


CALL = re.compile(r"^mlnSearch\.(\w+)\((.*)\);\n$", re.S)


def _args(text: str) -> tuple[str, list]:
    m = CALL.match(text)
    assert m, text[:80]
    return m[1], json.loads("[" + m[2] + "]")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("search") / "site"
    report = build(load_config(None, notes=BASIC_VAULT, out=out, cwd=out.parent))
    return out, report


def _files(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in (out / "search").rglob("*.js")}


def test_files_parse_and_are_consistent(built) -> None:
    out, report = built
    files = _files(out)
    kind, (meta,) = _args(files["search/meta.js"])
    assert kind == "meta" and meta["version"] == 2 and meta["docShard"] == DOC_SHARD
    n = meta["docs"]
    docs = []
    for j in range((n + DOC_SHARD - 1) // DOC_SHARD):
        kind, (jj, rows) = _args(files[f"search/d/{j}.js"])
        assert kind == "docs" and jj == j
        docs += rows
    assert len(docs) == n
    pages = set(report.site.topics[k].url for k in report.site.topics) | {
        p.url for p in report.site.note_pages.values()
    }
    for url, _anchor, _title, _heading, note, _tags, text in docs:
        assert url in pages and (out / url.strip("/") / "index.html").is_file()
        assert note in report.site.notes and len(text) <= 1500
    postings: dict[str, list] = {}
    shard_ids = []
    for i, first in enumerate(meta["groups"]):
        kind, (ii, firsts, ks) = _args(files[f"search/g/{i}.js"])
        assert kind == "group" and ii == i and firsts[0] == first and len(ks) <= 64
        for first_token, k in zip(firsts, ks, strict=True):
            kind, (kk, table) = _args(files[f"search/t/{k}.js"])
            assert kind == "tokens" and kk == k and list(table) == sorted(table) and next(iter(table)) == first_token
            postings.update(table)
            shard_ids.append(k)
    assert shard_ids == list(range(len([f for f in files if f.startswith("search/t/")])))
    assert list(postings) == sorted(postings)
    for flat in postings.values():
        ids = _doc_ids(flat)
        assert ids == sorted(set(ids)) and all(0 <= d < n for d in ids)
        assert all(isinstance(s, int) and 0 <= s <= 2200 for s in flat[1::2])  # thousandths
    for name, text in files.items():
        assert not re.search(r"[<>&]", text)
        size = len(text.encode("utf-8"))
        if name.startswith("search/t/") and len(_args(text)[1][1]) == 1:
            continue  # a token whose postings alone are large
        assert size <= 20_000, name
    assert (out / "search" / "index.html").is_file()
    assert "/search/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def _doc_ids(flat: list[int]) -> list[int]:
    """The doc ids of a posting list written as gaps (first id, score, gap, score, …)."""
    ids, doc = [], 0
    for gap in flat[0::2]:
        doc += gap
        ids.append(doc)
    return ids


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@pytest.mark.parametrize("query", ["adam", "梯度", "余弦退火", "cosine annealing", "快捷键", "arxiv", "LoRA", "第二节"])
def test_docs_with_all_query_tokens_are_the_sections_containing_the_query(built, query: str) -> None:
    out, report = built
    site = report.site
    files = _files(out)
    postings: dict[str, set[int]] = {}
    for name, text in files.items():
        if name.startswith("search/t/"):
            for token, flat in _args(text)[1][1].items():
                postings[token] = set(_doc_ids(flat))
    n = _args(files["search/meta.js"])[1][0]["docs"]
    wanted = set(tokens(query))
    found = set(range(n))
    for token in wanted:
        found &= postings.get(token, set())
    # ground truth: the fields of every section, in doc order, searched as text
    truth, doc = set(), 0
    for page in page_inputs(site.notes, site.topics, site.note_pages).values():
        for fields in section_fields(page):
            texts = [t for values in fields.values() for t in values]
            if any(_fold(query) in _fold(t) for t in texts):
                truth.add(doc)
            doc += 1
    assert doc == n
    assert truth <= found  # every section holding the query is found …
    # … and each one found holds every token somewhere (the query's own words, here all of it)
    assert found == truth, (query, sorted(found - truth))


def test_building_twice_gives_the_same_files(built, tmp_path: Path) -> None:
    out, _ = built
    again = tmp_path / "again"
    build(load_config(None, notes=BASIC_VAULT, out=again, cwd=tmp_path))
    assert _files(out) == {k: v for k, v in _files(again).items()}


def test_search_is_reserved() -> None:
    assert urls.SEARCH == "/search/"
    assert {
        "tags",
        "tasks",
        "graph",
        "notes",
        "assets",
        "static",
        "graph.json",
        "404.html",
        "sitemap.xml",
        "404",
        "index.html",
    } <= (urls.RESERVED_SLUGS)
    assert "search" in urls.RESERVED_SLUGS and urls.reserved("/search/")
