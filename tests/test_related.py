"""Related topics: features, scores, reasons, and the index's incremental updates."""

import random
import re

from hypothesis import given
from hypothesis import strategies as st

from mlnotes_site.graph.related import (
    _STOP,
    _STOP_CHARS,
    HUB_SHARE,
    MAX_RELATED,
    ROW_BUDGET,
    PageFeatures,
    RelatedIndex,
    _whole_words,
    cap,
    cap_hubs,
    features,
    shared_terms,
)
from mlnotes_site.graph.state import build_graph
from mlnotes_site.load.note import parse_note
from mlnotes_site.model import Related


def site_of(md, files):
    notes = {rel: parse_note(rel, text.encode(), md) for rel, text in files.items()}
    return build_graph(notes, frozenset())


def test_features_are_cjk_bigrams_latin_words_and_inner_acronyms():
    assert features("强化学习 uses PPO and the Reward") == {"强化", "化学", "学习", "uses", "ppo", "reward"}
    assert features("graphRAG ChatGPT ResNet") == {"graphrag", "rag", "chatgpt", "gpt", "resnet"}
    assert features("做了两个部分") == {"部分"}  # bigrams with a function character are grammar, not terms


def _features_by_runs(text):
    """`features` as first written: each run of CJK cut into bigrams in Python (the reference)."""
    found = {
        p.casefold()
        for w in re.findall(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*", text)
        for p in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", w)
        if p.isupper()
    }
    text = text.casefold()
    found = {w for w in found | set(re.findall(r"[a-z][a-z0-9]{2,}", text)) if len(w) >= 3 and w[0].isalpha()} - _STOP
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        found.update(run[i : i + 2] for i in range(len(run) - 1) if not {run[i], run[i + 1]} & _STOP_CHARS)
    return found


_PIECES = [*"的了是一学习模型大幻觉强化", *"aZbQ rR9\n.-_", "gptX", "The", "Ⅻ", "\u33ff", "\ua000"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@given(st.lists(_TEXT, max_size=4))
def test_features_of_texts_joined_by_newlines_are_the_union_of_theirs(texts):
    """page_features reads a page's runs of text in one call; the bigrams come from one look-ahead."""
    assert features("\n".join(texts)) == set().union(*map(_features_by_runs, texts))


def test_shared_terms_join_bigrams_into_the_words_of_the_text():
    shared = {"梯度", "度下", "下降", "adam"}
    both = "梯度下降法与 adam"
    assert set(shared_terms("用梯度下降和 adam", both, shared, lambda f: 2)) == {"梯度下降", "adam"}
    assert shared_terms("用梯度下降和 adam", both, shared, lambda f: 1 if f == "adam" else 2)[0] == "adam"  # rarest


def _shared_terms_by_scan(text, other, shared, df):
    """`shared_terms` as first written: a Python step per character of each run (the reference)."""
    terms = {f: df(f) for f in shared if f[0].isascii() and f[0].isalpha()}
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        i = 0
        while i < len(run) - 1:
            if run[i : i + 2] not in shared:
                i += 1
                continue
            j = i + 1
            while j < len(run) - 1 and run[j : j + 2] in shared:
                j += 1
            term = _whole_words(run, i, j + 1, other)
            if term:
                terms[term] = min(terms.get(term, 1 << 30), *(df(run[k : k + 2]) for k in range(i, j)))
            i = j
    ordered = sorted(terms, key=lambda t: (terms[t], -len(t), t))
    return [t for t in ordered if not any(t != o and t in o for o in ordered)]


_ZH = st.lists(st.sampled_from([*"大模型幻觉梯度下降的来帮助训练", " ", "adam", "\n"]), max_size=24).map("".join)


@given(
    _ZH,
    _ZH,
    st.sets(
        st.sampled_from(
            ["大模", "模型", "型幻", "幻觉", "梯度", "度下", "下降", "来帮", "帮助", "adam", "的大", "模模"]
        )
    ),
)
def test_shared_terms_by_where_the_bigrams_stand_are_those_of_a_scan(text, other, shared):
    df = lambda f: len(f) + ord(f[-1]) % 3  # noqa: E731  (ties and differences both)
    assert shared_terms(text, other, shared, df) == _shared_terms_by_scan(text, other, shared, df)


def test_shared_terms_are_whole_words_of_both_texts():
    """Issue 15 item 4: the fragments readers saw (大模, 型幻觉, 帮助模) become whole words."""
    # 大模 is shared, 模型 too common to count: the reason grows 大模 to the word 大模型
    assert shared_terms("大模型总结", "前言：大模型的发展", {"大模"}, lambda f: 2) == ["大模型"]
    # 型幻 and 幻觉 shared: 模型幻觉 where the other text has it too, else the word inside
    assert shared_terms("解决模型幻觉", "减少模型幻觉的方案", {"型幻", "幻觉"}, lambda f: 2) == ["模型幻觉"]
    assert shared_terms("解决模型幻觉", "幻觉很常见", {"型幻", "幻觉"}, lambda f: 2) == ["幻觉"]
    # a one-character function word at the edge is left out: 来帮助 -> 帮助
    assert shared_terms("用来帮助训练", "这能帮助训练", {"来帮", "帮助"}, lambda f: 2) == ["帮助"]
    assert shared_terms("型幻", "无关", {"型幻"}, lambda f: 2) == []  # nothing whole in both: no term


def test_related_explains_shared_references(md):
    site = site_of(
        md,
        {
            "a.md": "# 甲\n见 https://arxiv.org/abs/2305.13230 和其他。\n"
            "# 乙\n又见 https://www.arxiv.org/abs/2305.13230/ 。\n# 丙\n无关的内容。\n"
        },
    )
    (first,) = site.related["/甲/"]
    assert first.url == "/乙/" and (first.why, first.reason) == ("cite", "arxiv.org/abs/2305.13230")


def test_related_by_similar_chinese_text_names_the_shared_words(md):
    site = site_of(
        md,
        {
            "a.md": (
                "# 优化\n梯度下降的学习率要逐步衰减。\n# 训练\n梯度下降时学习率太大会发散。\n"
                "# 图像\n卷积网络提取边缘特征。\n"
            ),
        },
    )
    row = site.related["/优化/"]
    assert [r.url for r in row] == ["/训练/"]
    assert "梯度下降" in row[0].reason and "/图像/" not in site.related


def test_a_short_page_relates_to_the_long_page_that_discusses_its_rare_word(md):
    long_text = "。".join(f"第{i}段讲别的内容{chr(0x4E00 + 97 * i)}{chr(0x4E00 + 89 * i + 7)}" for i in range(60))
    site = site_of(md, {"a.md": f"# 长文\n{long_text}，还有 bagging 方法。\n# 树模型\nbagging\n# 别的\n无关。\n"})
    assert [r.url for r in site.related["/树模型/"]] == ["/长文/"]


def test_a_page_with_no_text_of_its_own_lists_no_related_topics(md):
    """Issue 15 item 4: `# learning` with an empty body listed 5 pages for its title word."""
    site = site_of(
        md,
        {"a.md": "# learning\n\n# 强化 learning\nlearning 的策略梯度。\n# 深度 learning\nlearning 的策略梯度。\n"},
    )
    assert "/learning/" not in site.related
    assert [r.url for r in site.related["/强化-learning/"]][0] == "/深度-learning/"


def test_a_hub_stays_in_a_quarter_of_the_lists_where_it_scores_best():
    """Issue 15 item 4: one page every row ranks first is kept where its score is highest;
    elsewhere the row's next candidates take its place."""
    rows = {
        f"/p{i:02d}/": (
            Related("/hub/", "Hub", 0.5 + i / 100),
            *(Related(f"/c{i:02d}-{k}/", "C", 0.1 - k / 100) for k in range(6)),
        )
        for i in range(40)
    }
    shown = cap_hubs(rows)
    holding = sorted(url for url, row in shown.items() if any(r.url == "/hub/" for r in row))
    assert len(holding) == int(40 * HUB_SHARE) == 10
    assert holding == [f"/p{i:02d}/" for i in range(30, 40)]  # the ten best scores
    assert all(len(row) == MAX_RELATED for row in shown.values())  # the next candidates filled in
    assert shown["/p00/"][0].url == "/c00-0/" and shown["/p39/"][0].url == "/hub/"  # order kept
    assert cap_hubs(dict(reversed(list(rows.items())))) == shown  # the same however the rows came


def test_a_small_vault_keeps_full_lists():
    # each page in 5 of 8 lists: more than a quarter, but the limit is never below a full list
    rows = {f"/p{i}/": tuple(Related(f"/p{(i + k) % 8}/", "P", 0.5) for k in range(1, 6)) for i in range(8)}
    assert cap_hubs(rows) == rows


def test_index_updates_report_every_row_that_changes():
    rng = random.Random(7)
    vocab = [f"w{i:02d}" for i in range(40)] + ["#tag:x", "@ref:a.org/p"]

    def page(url):
        return PageFeatures(
            url, url.strip("/"), tuple(sorted(rng.sample(vocab, rng.randint(1, 8)))), 1.0 + rng.random(), ""
        )

    urls = [f"/p{i}/" for i in range(30)]
    live = RelatedIndex()
    for url in urls[:20]:
        live.set(url, page(url))
    rows = {url: live.row(url) for url in live.pages}
    for _ in range(200):
        url = rng.choice(urls)
        dirty = live.set(url, None if rng.random() < 0.2 else page(url))
        fresh = RelatedIndex()
        for u in sorted(live.pages, key=urls.index):
            fresh.set(u, live.pages[u], track=False)
        new_rows = {u: fresh.row(u) for u in fresh.pages}
        assert {u: live.row(u) for u in live.pages} == new_rows  # the same floats however it was built
        if dirty is not None:
            changed = {u for u in new_rows if rows.get(u) != new_rows[u]}
            assert changed <= dirty, (url, changed - dirty)
        rows = new_rows


def test_cap_scales_with_the_vault_within_bounds():
    assert cap(56) == 10 and cap(500) == 50 and cap(30000) == 100


def _synthetic_index(pages: int, features_per_page: int, seed: int = 3) -> RelatedIndex:
    """Pages drawing features from a vocabulary that grows with the vault (Zipf-like)."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(pages * 4)]
    weights = [1 / (i + 1) for i in range(len(vocabulary))]
    index = RelatedIndex()
    for p in range(pages):
        found = tuple(sorted(set(rng.choices(vocabulary, weights, k=features_per_page))))
        index.set(f"/p{p}/", PageFeatures(f"/p{p}/", f"P{p}", found, len(found) ** 0.5, ""), track=False)
    return index


def test_row_work_is_bounded_per_row_however_large_the_vault():
    """The scaling check of related rows, by counting the posting entries each row visits
    (not by time): per row it stays under the budget, and per page it does not grow with the
    vault beyond the 1.2x the performance issue allows."""
    per_row = {}
    assert cap(1000) == cap(4000)
    for pages in (1000, 4000):  # both above the size where the cap stops growing (cap(1000) == CAP_MAX)
        index = _synthetic_index(pages, 120)
        for url in index.pages:
            before = index.work
            index.row(url)
            assert index.work - before <= ROW_BUDGET
        per_row[pages] = index.work / pages
    assert per_row[1000] > 50  # the rows did real work: the check below compares something
    assert per_row[4000] <= 1.2 * per_row[1000], per_row


def test_a_long_page_on_common_subjects_visits_at_most_the_budget():
    index = RelatedIndex()
    common = tuple(f"t{i:05d}" for i in range(3000))  # 3,000 features, each on 60 pages
    for p in range(60):
        index.set(f"/p{p}/", PageFeatures(f"/p{p}/", f"P{p}", common, 1.0, ""), track=False)
    index.set("/long/", PageFeatures("/long/", "Long", (*common, "z-rare"), 1.0, ""), track=False)
    index.set("/twin/", PageFeatures("/twin/", "Twin", ("z-rare",), 1.0, ""), track=False)
    row = index.row("/long/")
    assert index.work <= ROW_BUDGET  # not 3,000 × 61 entries
    assert row and row[0].url == "/twin/"  # the rarest feature is the one always counted
