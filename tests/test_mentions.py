"""Mention links: matching rules, and precision on a labelled fixture (tests/fixtures/mentions/)."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mlnotes_site.graph.mentions import (
    GENERIC_HEADINGS,
    Matcher,
    MentionIndex,
    distinctive_heading,
    long_heading,
    name_key,
    written_as_term,
)
from mlnotes_site.graph.state import build_graph
from mlnotes_site.load.note import parse_note
from mlnotes_site.model import Target

FIXTURE = Path(__file__).parent / "fixtures" / "mentions"
# Precision first: a wrong link misleads a reader, a missing one costs nothing. The fixture
# holds the hard cases (a two-character CJK title inside a longer word, a Latin title inside
# a longer word, code, math, existing links, an opted-out note) and real-vault heading
# sections (generic section words, short names, a name given to two headings): at most one
# wrong link in twenty. Recall: every link labelled right, as before the heading rules.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 1.0


def fixture_site(md, autolink=True):
    notes = {p.name: parse_note(p.name, p.read_bytes(), md) for p in sorted(FIXTURE.glob("*.md"))}
    return build_graph(notes, frozenset(), autolink=autolink)


def linked_pairs(site):
    """(page title, target): a target is a page title, or "page title § name" for a heading section."""
    titles = {t.url: t.title for t in site.topics.values()} | {p.url: p.title for p in site.note_pages.values()}
    return {
        (titles[url], f"{m.target.title} § {m.key}" if m.target.anchor else m.target.title)
        for url, ms in site.mentions.items()
        for m in ms
    }


def test_mention_precision_on_labelled_fixture(md):
    labels = {}
    for line in (FIXTURE / "labels.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            pair, _, want = line.rpartition(" : ")
            page, _, target = pair.partition(" -> ")
            labels[(page, target)] = want == "1"
    linked = linked_pairs(fixture_site(md))
    true_pos = sum(1 for pair in linked if labels.get(pair))
    precision = true_pos / len(linked)
    recall = true_pos / sum(labels.values())
    wrong = sorted(pair for pair in linked if not labels.get(pair))
    print(f"mention precision {precision:.2f} ({true_pos}/{len(linked)}), recall {recall:.2f}; wrong: {wrong}")
    assert precision >= PRECISION_FLOOR, wrong
    assert recall >= RECALL_FLOOR, sorted(pair for pair, want in labels.items() if want and pair not in linked)


def test_matcher_rules():
    names = {k: Target(f"/{k}/") for k in ("clip", "强化学习", "其他", "lora")}

    def find(text: str) -> list[str]:
        return [k for _, _, k in Matcher(names).find(text)]

    assert find("DALL·E 用 ＣＬＩＰ 和 LoRA") == ["clip", "lora"]  # width and case folded
    assert find("CLIPPING QLoRA lora-style") == []  # Latin: whole words, a hyphen joins words
    assert find("通过强化学习训练") == ["强化学习"]  # CJK: substring
    assert find("在其他任务上") == []  # two CJK characters inside a longer word
    assert find("以及其他的方法") == ["其他"]  # … or between function words
    assert name_key("RL") is None and name_key("学") is None and name_key("？微调") == "微调"


_NAMES = {k: Target(f"/{k}/", "h" if k == "ppo" else "") for k in ("clip", "强化学习", "其他", "ppo", "strasse")}
_PIECES = ["CLIP", "clip", "ＣＬＩＰ", "ß", "Straße", "ﬁ", "强化学习", "其他", "的", "PPO", "ppo", " ", "-", "x", "\n"]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), max_size=5))
def test_a_pages_runs_are_matched_in_one_pass_as_each_on_its_own(texts):
    """MentionIndex finds the names in a page's folded runs joined by newlines (one pass, the
    runs folded once): the same matches as `Matcher.find` in each run, at the same places,
    when folding changes a run's length (ß, ﬁ) too."""
    index = MentionIndex()
    index.set_names(_NAMES)
    runs = tuple(("a.md", 2, n, n, text) for n, text in enumerate(texts))
    index.set_page("/a/", runs)
    matcher = Matcher(_NAMES)
    want = [
        (rel, line, inline, child, start, end, key)
        for rel, inline, child, line, text in runs
        for start, end, key in matcher.find(text)
        if key not in index.short or written_as_term(text[start:end])
    ]
    assert list(index.hits["/a/"]) == want


def test_mentions_render_as_links_and_mentioned_in(md, tmp_path):
    site = fixture_site(md)
    mentioned = {b.title for b in site.mentioned_in["/clip/"]}
    assert mentioned == {"阅读一"}
    assert not fixture_site(md, autolink=False).mentions


def test_autolink_false_note_is_not_a_target(md):
    site = fixture_site(md)
    assert "/私有笔记/" not in site.mentioned_in and "/私有笔记/" not in site.mentions


def mention_targets(md, texts: dict[str, str]) -> list[str]:
    """The href of every mention linked in a vault of `texts` (file name -> Markdown)."""
    notes = {rel: parse_note(rel, text.encode(), md) for rel, text in texts.items()}
    site = build_graph(notes, frozenset())
    return sorted(m.target.href for ms in site.mentions.values() for m in ms)


def test_a_heading_is_a_target_only_with_a_distinctive_name():
    # a generic section word, whatever its length or letters
    assert "训练过程" in GENERIC_HEADINGS and "related work" in GENERIC_HEADINGS
    for name in ("训练过程", "注意事项", "Related Work", "Summary", "FAQ", "限制", "last", "Merge", "Terms"):
        assert not distinctive_heading(name, 1), name
    # the name of one heading of the vault only
    assert not distinctive_heading("梯度累积技巧", 2) and not distinctive_heading("LoRA", 3)


def test_a_short_heading_is_linked_only_where_written_as_a_term():
    # long enough: 4 CJK characters or 2 Latin words (a word weighs two CJK characters) …
    for name in ("梯度累积技巧", "Rotary Position Embedding", "Softmax 函数", "数据 并行"):
        assert long_heading(name_key(name)), name
    for name in ("蒸馏法", "Warmup", "GPT-4", "Step 1", "第 2 步"):
        assert not long_heading(name_key(name)), name
    # … else the text must write it as a term: an acronym, camelCase, letters joined to digits
    for text in ("PPO", "LoRA", "ResNet", "GPT-4", "gpt-4", "Llama2", "3D"):
        assert written_as_term(text), text
    for text in ("Lora", "lora", "Warmup", "warmup", "Step 1", "蒸馏法"):
        assert not written_as_term(text), text


def test_short_headings_need_a_term_in_the_text_generic_ones_are_no_targets_titles_are(md):
    texts = {
        "paper.md": "# 论文\n\n## Warmup\n前 1k 步。\n\n## 注意事项\n别忘了。\n\n## Lora\n低秩。\n",
        "words.md": "# Sparsity\n稀疏。\n\n# 总结\n一个标题叫总结的页面。\n",
        "reader.md": "# 读后感\n\nwarmup 之后看注意事项，lora 也行，再读 LoRA。\n\n# 又一篇\n\nsparsity 和总结。\n",
    }
    assert mention_targets(md, texts) == ["/sparsity/", "/总结/", "/论文/#lora"]


def test_a_heading_named_twice_in_the_vault_is_not_a_target(md):
    paper = "# 论文\n\n## 梯度累积技巧\n小显存也能用大 batch。\n"
    reader = "# 读后感\n\n显存不够时用梯度累积技巧。\n"
    alone = {"paper.md": paper, "reader.md": reader}
    assert mention_targets(md, alone) == ["/论文/#梯度累积技巧"]
    # a second heading of the name anywhere: an empty section, an opted-out note, the same note
    for second in (
        {"other.md": "# 别的\n\n## 梯度累积技巧\n"},
        {"private.md": "---\nautolink: false\n---\n## 梯度累积技巧\n私有。\n"},
        {"paper.md": paper + "\n# 附记\n\n## 梯度累积技巧\n又一节。\n"},
    ):
        assert mention_targets(md, alone | second) == [], second


def test_page_titles_keep_their_targets_whatever_headings_are_dropped(md):
    # "Work" is part of two other pages' names, so it is a generic building block of this
    # vault: still so when those names are headings that are no targets themselves
    texts = {
        "title.md": "# Work\nWhat a job is.\n",
        "a.md": "# 甲\n\n## Related Work\n前人。\n",
        "b.md": "# 乙\n\n## Future Work\n以后。\n",
        "reader.md": "# 读后感\n\nGood work takes time.\n",
    }
    assert mention_targets(md, texts) == []
    del texts["b.md"]
    assert mention_targets(md, texts) == ["/work/"]


def test_a_name_that_turns_into_a_short_heading_is_scanned_again():
    """`MentionIndex`: the same links whether a table came first or after another one."""
    runs = (("reader.md", 0, 0, 1, "lora 和 LoRA"),)
    title, heading = {"lora": Target("/lora/", "", "LoRA")}, {"lora": Target("/paper/", "lora", "论文")}

    def linked(*tables: dict[str, Target]) -> list[tuple[int, str]]:
        index = MentionIndex()
        index.set_page("/reader/", runs)
        for table in tables:
            index.set_names(table)
            found = index.mentions()
        return [(m.start, m.target.href) for m in found["/reader/"]]

    assert linked(title) == [(0, "/lora/")]
    assert linked(heading) == linked(title, heading) == [(7, "/paper/#lora")]  # only the term "LoRA"
    assert linked(heading, title) == [(0, "/lora/")]
