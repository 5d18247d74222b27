"""Share and print (issue 15 item 8): a description and Open Graph tags per page, a favicon,
absolute URLs when `base_url` is set; the print stylesheet is checked in the browser
(tests/test_browser_share.py)."""

from __future__ import annotations

import re
from html import unescape

from conftest import build_vault
from mlnotes_site.emit.summary import summary
from mlnotes_site.load.note import parse_note
from sitecheck import parse

VAULT = {
    "a.md": "# 注意力\n\n注意力机制让模型\n关注输入中相关的部分。见 `softmax`。\n\n![img](x.png)\n\n"
    + "第二段" * 80
    + "\n\n# 空\n\n## 只有小标题\n",
}


def _meta(html: str) -> dict[str, str]:
    found = {}
    for m in re.finditer(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', html):
        found[m[1]] = unescape(m[2])
    return found


def test_summary_is_the_first_paragraphs_as_plain_text(md):
    note = parse_note("a.md", VAULT["a.md"].encode(), md)
    text = summary(note, 0, len(note.tokens))
    assert text.startswith("注意力机制让模型关注输入中相关的部分。见 softmax。")  # no gap where a CJK line wrapped
    assert len(text) == 160 and text.endswith("…")
    assert summary(note, 0, 3) == ""  # the H1 alone: no paragraph


def test_pages_carry_description_open_graph_and_favicon(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for rel, text in VAULT.items():
        (notes / rel).write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    build_vault(notes, out, title="我的笔记", description="机器学习笔记")
    topic = (out / "注意力" / "index.html").read_text(encoding="utf-8")
    meta = _meta(topic)
    assert meta["description"].startswith("注意力机制让模型") and meta["og:description"] == meta["description"]
    assert meta["og:title"] == "注意力" and meta["og:type"] == "article" and meta["og:site_name"] == "我的笔记"
    assert meta["og:locale"] == "zh_CN" and "og:url" not in meta  # no base_url: no absolute URL to give
    empty = _meta((out / "空" / "index.html").read_text(encoding="utf-8"))
    assert empty["description"] == "机器学习笔记"  # no text of its own: the site's description
    home = _meta((out / "index.html").read_text(encoding="utf-8"))
    assert home["og:type"] == "website" and home["description"] == "机器学习笔记"
    icons = [ref for tag, ref in parse(topic).refs if tag == "link" and ref.endswith("favicon.svg")]
    assert icons == ["../static/favicon.svg"] and (out / "static" / "favicon.svg").read_text().startswith("<svg")


def test_open_graph_urls_are_absolute_with_base_url(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# Alpha\n\nText.\n", encoding="utf-8")
    out = tmp_path / "site"
    build_vault(notes, out, base_url="https://me.example/notes/")
    html = (out / "alpha" / "index.html").read_text(encoding="utf-8")
    assert _meta(html)["og:url"] == "https://me.example/notes/alpha/"
    assert '<link rel="canonical" href="https://me.example/notes/alpha/">' in html
