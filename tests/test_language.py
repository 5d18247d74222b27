"""The notes' language view: its counts, and updates that recount only what changed."""

import re
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from mlnotes_site.graph.language import NotesLanguage
from mlnotes_site.i18n import text_counts


def _counts_per_text(tokens):
    """`text_counts` as first written: each text child on its own (the reference)."""
    han = words = 0
    for token in tokens:
        for child in token.children or () if token.type == "inline" else ():
            if child.type == "text":
                text = re.sub(r"\S*(?:://|www\.|@)\S*", " ", child.content)
                han += len(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]", text))
                words += len(re.findall(r"[A-Za-z]+", text))
    return han, words


_PIECES = [*"学习模型 ab\n\t@:/.w", "www.", "://", "https://例子.com/中文", "a@b.c", "\U00020000", "\u3000"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join)
_CHILD = st.builds(SimpleNamespace, type=st.sampled_from(["text", "text", "code_inline"]), content=_TEXT)
_TOKEN = st.builds(
    SimpleNamespace, type=st.sampled_from(["inline", "inline", "fence"]), children=st.none() | st.lists(_CHILD)
)


@given(st.lists(_TOKEN, max_size=5))
def test_text_counts_of_the_joined_texts_are_the_sums_of_each_texts(tokens):
    assert text_counts(tokens) == _counts_per_text(tokens)


def _note(rel, text):
    child = SimpleNamespace(type="text", content=text)
    return SimpleNamespace(rel=rel, tokens=(SimpleNamespace(type="inline", children=[child]),))


def test_an_update_recounts_the_changed_notes_and_forgets_the_gone_ones():
    view = NotesLanguage()
    notes = {"a.md": _note("a.md", "梯度下降沿着梯度"), "b.md": _note("b.md", "one two three")}
    assert view.update(notes, frozenset(notes)) == "zh-CN"
    notes["b.md"] = _note("b.md", "one two three four five six seven eight nine")
    assert view.update(notes, frozenset({"b.md"})) == "en"
    del notes["b.md"]
    assert view.update(notes, frozenset()) == "zh-CN" and (view.han, view.words) == (8, 0)
