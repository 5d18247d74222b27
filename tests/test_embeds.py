"""Embeds `![[…]]`: a topic's body, a heading's section or an image, shown inside another page."""

from __future__ import annotations

import re
from types import SimpleNamespace

from mlnotes_site.emit.relative import RelativeUrls
from mlnotes_site.emit.render import Renderer
from mlnotes_site.i18n import messages
from test_render import _site


def _page(md, files, url, assets=frozenset()):
    """HTML of the topic at `url` (links relative to that page), and the Site."""
    site = _site(md, files, assets)
    topic = site.topics[url]
    note = site.notes[topic.note_rel]
    renderer = SimpleNamespace(site=site, md=md, messages=messages("en"), relative=RelativeUrls())
    html = Renderer.markdown(renderer, note, topic.token_start, topic.token_end, topic.url, topic.heading_ids)
    return str(html), site


def _embeds(html: str) -> list[str]:
    return re.findall(r'<a class="internal embed-source" href="([^"]*)"', html)


def test_whole_topic_is_embedded_with_links_relative_to_the_embedding_page(md):
    html, _ = _page(
        md,
        {
            "a.md": "# A\n\nbefore\n\n![[b]]\n\nafter\n",
            "sub/b.md": "# B\n\nbody of b, see [[#Part]] and [c](c.md)\n\n## Part\n\npart text\n",
            "sub/c.md": "# C\n",
        },
        "/a/",
    )
    assert _embeds(html) == ["../b/"]
    assert '<div class="embed">' in html and "body of b" in html and "part text" in html
    assert '<a class="internal" href="../b/#part">Part</a>' in html
    assert '<a href="../c/" class="internal">c</a>' in html or 'href="../c/"' in html
    assert "<p><div" not in html and "</div></p>" not in html, "a lone embed is a block, not inside <p>"
    assert "<h2>Part" in html and 'id="part"' not in html, "embedded headings get no ids (no duplicates)"


def test_heading_section_stops_at_the_next_heading_of_the_same_level(md):
    note = "# B\n\nintro\n\n## Sec\n\nsec text\n\n### Sub\n\nsub text\n\n## Other\n\nother text\n"
    html, _ = _page(md, {"a.md": "# A\n\n![[B#Sec]]\n", "b.md": note}, "/a/")
    assert _embeds(html) == ["../b/#sec"]
    body = html.split('<div class="embed-content">', 1)[1]
    assert "<h2>Sec" in body and "sec text" in body and "sub text" in body
    assert "intro" not in body and "other text" not in body and "Other" not in body


def test_image_embeds_with_width_and_size(md):
    files = {"a.md": "# A\n\n![[pic.png]]\n\n![[pic.png|300]]\n\n![[img/chart.png|300x200]]\n"}
    html, _ = _page(md, files, "/a/", frozenset({"pic.png", "img/chart.png"}))
    imgs = re.findall(r"<img[^>]*>", html)
    assert len(imgs) == 3
    assert 'src="../assets/pic.png"' in imgs[0] and "width" not in imgs[0]
    assert 'width="300"' in imgs[1] and "height" not in imgs[1]
    assert 'src="../assets/img/chart.png"' in imgs[2] and 'width="300"' in imgs[2] and 'height="200"' in imgs[2]
    assert html.count("<p><img") == 3


def test_cycles_and_self_embeds_end_in_plain_links(md):
    files = {"a.md": "# A\n\na text\n\n![[b]]\n\n![[a]]\n", "b.md": "# B\n\nb text\n\n![[a]]\n"}
    html, _ = _page(md, files, "/a/")
    assert html.count('<div class="embed">') == 1  # b inside a; a inside b and a inside a are links
    assert html.count("b text") == 1 and html.count("a text") == 1
    assert html.count('<a class="internal" href="./">a</a>') == 2


def test_embed_depth_is_limited(md):
    files = {f"n{i}.md": f"# N{i}\n\ntext {i}\n\n![[n{i + 1}]]\n" for i in range(1, 7)}
    files["n7.md"] = "# N7\n\ntext 7\n"
    html, _ = _page(md, files, "/n1/")
    assert html.count('<div class="embed">') == 3
    assert "text 4" in html and "text 5" not in html
    assert '<a class="internal" href="../n5/">n5</a>' in html


def test_broken_embeds_render_like_broken_links(md):
    files = {"a.md": "# A\n\n![[nowhere]]\n\n![[b#No such heading]]\n\n![[gone.png|200]]\n", "b.md": "# B\n"}
    html, site = _page(md, files, "/a/")
    assert html.count('class="broken-link"') == 2
    assert '<a class="internal" href="../b/">b › No such heading</a>' in html  # the note exists: a link to it
    assert "<img" not in html and '<div class="embed">' not in html
    warnings = [d for d in site.diagnostics if "broken link" in d.message or "no heading" in d.message]
    assert [d.line for d in warnings] == [3, 5, 7]


def test_embedding_a_collection_topic_and_its_heading(md):
    files = {
        "a.md": "# A\n\n![[Two]]\n\n![[Two#Deep]]\n",
        "col.md": "# One\n\none\n\n# Two\n\ntwo text\n\n## Deep\n\ndeep text\n\n# Three\n\nthree\n",
    }
    html, _ = _page(md, files, "/a/")
    assert _embeds(html) == ["../two/", "../two/#deep"]
    assert "three" not in html and "one\n" not in html
    assert html.count("deep text") == 2


def test_an_embed_inside_a_sentence_closes_and_reopens_the_paragraph(md):
    html, _ = _page(md, {"a.md": "# A\n\nsee ![[b]] here\n\n- item ![[b]]\n", "b.md": "# B\n\nb text\n"}, "/a/")
    assert '<p>see </p>\n<div class="embed">' in html and "</div></div>\n<p> here</p>" in html
    assert '<li>item <div class="embed">' in html, "a tight list item has no <p> to close"
