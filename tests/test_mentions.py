"""Mention links: matching rules, and precision on a labelled fixture (tests/fixtures/mentions/)."""

from pathlib import Path

from mlnotes_site.graph.mentions import Matcher, name_key
from mlnotes_site.graph.state import build_graph
from mlnotes_site.load.note import parse_note
from mlnotes_site.model import Target

FIXTURE = Path(__file__).parent / "fixtures" / "mentions"
# Precision first: a wrong link misleads a reader, a missing one costs nothing. The fixture
# holds the hard cases (a two-character CJK title inside a longer word, a Latin title inside
# a longer word, code, math, existing links, an opted-out note): at most one wrong link in ten.
PRECISION_FLOOR = 0.9


def fixture_site(md, autolink=True):
    notes = {p.name: parse_note(p.name, p.read_bytes(), md) for p in sorted(FIXTURE.glob("*.md"))}
    return build_graph(notes, frozenset(), autolink=autolink)


def linked_pairs(site):
    titles = {t.url: t.title for t in site.topics.values()} | {p.url: p.title for p in site.note_pages.values()}
    return {(titles[url], m.target.title) for url, ms in site.mentions.items() for m in ms}


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


def test_mentions_render_as_links_and_mentioned_in(md, tmp_path):
    site = fixture_site(md)
    mentioned = {b.title for b in site.mentioned_in["/clip/"]}
    assert mentioned == {"阅读一"}
    assert not fixture_site(md, autolink=False).mentions


def test_autolink_false_note_is_not_a_target(md):
    site = fixture_site(md)
    assert "/私有笔记/" not in site.mentioned_in and "/私有笔记/" not in site.mentions
