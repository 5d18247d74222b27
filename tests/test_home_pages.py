"""The home page's list of topics, paged in a big vault (config `home_page_topics`)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import build_vault
from mlnotes_site import urls


def _vault(root: Path, sizes: list[int]) -> Path:
    """One note per size: a note of n H1 sections is a collection note of n topics."""
    notes = root / "notes"
    notes.mkdir(parents=True)
    for i, n in enumerate(sizes):
        text = "".join(f"# 题{i}-{j} topic\n\ntext {i} {j}\n\n" for j in range(n))
        (notes / f"n{i}.md").write_text(text, encoding="utf-8")
    return notes


def _topic_links(html: str) -> list[str]:
    listing = html.split('class="home-notes"', 1)[1]
    return re.findall(r'<li><a href="[^"]*">(题[^<]*)</a></li>', listing) + re.findall(
        r'<h3><a href="[^"]*">(题[^<]*)</a> <span class="count">1</span>', listing
    )


def test_whole_note_groups_fill_pages_up_to_the_budget(tmp_path: Path) -> None:
    sizes = [3, 1, 1, 2, 5, 1, 1]
    out = tmp_path / "site"
    report = build_vault(_vault(tmp_path, sizes), out, home_page_topics=4)
    assert not report.errors
    pages = [out / "index.html"] + [out / urls.topics_page(k).strip("/") / "index.html" for k in (2, 3, 4)]
    assert all(p.is_file() for p in pages) and not (out / "topics" / "5").exists()
    shown = [_topic_links(p.read_text(encoding="utf-8")) for p in pages]
    # n0 (3) + n1 (1) = 4; then n2 + n3 (3; n4 would pass 4); n4 alone (5, never split); n5 + n6
    assert [len(s) for s in shown] == [4, 3, 5, 2]
    everything = [t for s in shown for t in s]
    assert sorted(everything) == sorted(f"题{i}-{j} topic" for i, n in enumerate(sizes) for j in range(n))
    home = pages[0].read_text(encoding="utf-8")
    assert "<strong>14</strong> topics" in home and "page 1 of 4" in home  # the counts are the vault's
    assert 'rel="next" href="topics/2/"' in home and 'rel="prev"' not in home
    third = pages[2].read_text(encoding="utf-8")
    assert 'rel="prev" href="../2/"' in third and 'rel="next" href="../4/"' in third
    assert '<a href="./" aria-current="page">3</a>' in third and "page 3 of 4" in third
    assert "<strong>14</strong> topics" not in third  # only the home page has the counts and tags
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/topics/4/" in sitemap


def test_a_small_vault_has_one_home_page_without_a_pager(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_vault(_vault(tmp_path, [2, 1]), out)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert len(_topic_links(home)) == 3 and "list-pager" not in home and not (out / "topics").exists()


def test_topics_is_a_reserved_section(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\npermalink: /topics/2/\n---\n# A\n", encoding="utf-8")
    (notes / "b.md").write_text("# Topics\n\ntext\n", encoding="utf-8")
    report = build_vault(notes, tmp_path / "site", home_page_topics=1)
    assert any("permalink" in d.message and d.path == "a.md" for d in report.errors)
    assert not (tmp_path / "site" / "topics" / "index.html").exists()  # the topic "Topics" took another slug
