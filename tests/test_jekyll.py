"""Jekyll vaults: Liquid in link and image targets resolves against the site root, `post_url`
and `link` reach the note, kramdown's escapes in math are undone in Jekyll-flavoured notes
(the fixture vault tests/fixtures/vaults/jekyll: `_posts/`, no `_config.yml`)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, build_vault
from mlnotes_site.load.note import jekyll_flavoured, parse_note
from mlnotes_site.markdown.jekyll import resolve_targets
from sitecheck import markdown_body as _body

VAULT = FIXTURES / "vaults" / "jekyll"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("jekyll") / "site"
    return out, build_vault(VAULT, out, language="en")  # the assertions read the English interface


def test_site_baseurl_and_relative_url_resolve_against_the_site_root(built) -> None:
    out, _ = built
    first = _body(out, "/first-post/")
    assert '<img src="../assets/assets/img/curve.png" alt="曲线">' in first  # {{ "/assets/…" | relative_url }}
    assert '<a href="../about/" class="internal">关于</a>' in first  # {{ site.baseurl }}/about/
    assert '<a href="../about/" class="internal">同一页</a>' in first  # {{ site.url }}{{ site.baseurl }}/about/
    assert (out / "assets" / "assets" / "img" / "curve.png").read_bytes() == (
        VAULT / "assets/img/curve.png"
    ).read_bytes()
    second = _body(out, "/second-post/")
    assert '<img src="../assets/assets/img/curve.png" alt="图">' in second  # {{site.baseurl}} without spaces
    assert "{{" not in first and "{%" not in first


def test_post_url_and_link_reach_the_note(built) -> None:
    out, _ = built
    assert '<a href="../first-post/" class="internal">第一篇</a>' in _body(out, "/about/")  # {% post_url … %}
    assert '<a href="../first-post/" class="internal">上一篇</a>' in _body(out, "/second-post/")  # {% link … %}
    page = (out / "first-post" / "index.html").read_text(encoding="utf-8")
    linked_from = page.split("Linked from", 1)[1]
    assert "About" in linked_from and "Second Post" in linked_from


def test_a_reference_definition_may_hold_liquid(built, md) -> None:
    out, _ = built
    assert '<a href="../second-post/" class="internal" title="Second">第二篇</a>' in _body(out, "/about/")
    text = (
        "# T\n\n[a][x] [b][y]\n\n[x]: {{ site.baseurl }}/a/ 'A'\n[y]: {{ page.url }}/b\n\n    [z]: {{ site.url }}/z\n"
    )
    note = parse_note("n.md", text.encode(), md)
    assert [link.target for link in note.links] == ["/a/"]
    assert [(d.line, d.message.split(" in ")[0]) for d in note.diagnostics] == [(6, "Liquid `{{ page.url }}`")]
    assert "<p>[y]: {{ page.url }}/b</p>" in md.render(text)


def test_other_liquid_in_a_target_is_shown_as_written_with_a_warning(built) -> None:
    out, report = built
    second = _body(out, "/second-post/")
    assert "<p>这个链接 [坏的]({{ page.url }}/x) 无法解析。</p>" in second
    assert "<code>[x]({{ site.baseurl }}/about/)</code>" in second  # code is never rewritten
    (problem,) = report.warnings
    assert (problem.path, problem.line) == ("_posts/2020-02-01-second-post.md", 11)
    assert problem.message == "Liquid `{{ page.url }}` in a link target is not understood; the link is shown as written"
    assert "{{ site.baseurl }}" in problem.hint and "{% post_url name %}" in problem.hint
    assert not report.errors


def test_kramdown_escapes_in_math_are_undone_in_jekyll_notes_only(built) -> None:
    out, _ = built
    first = _body(out, "/first-post/")
    assert "<msub><mi>y</mi><mi>t</mi></msub></mrow></math> 满足" in first  # $y\_t$ is y_t
    assert "<mo>&#x0003C;</mo><mn>1</mn>" in first  # \< is <
    assert "<msub><mi>x</mi><mi>i</mi></msub>" in first and "&#x0005F;" not in first
    plain = _body(out, "/plain-note/")
    assert "<mi>&#x0005F;</mi>" in plain  # not Jekyll-flavoured: `\_` is a literal underscore, as in LaTeX


@pytest.mark.parametrize(
    "text, resolved",
    [
        ("[x]({{ site.baseurl }}/a/)", "[x](/a/)"),
        ("[x]({{site.baseurl}}/a/)", "[x](/a/)"),
        ("[x]({{- site.baseurl -}}/a/)", "[x](/a/)"),
        ("[x]({{ site.url }}{{ site.baseurl }}/a/)", "[x](/a/)"),
        ("[x]({{ site.github.url }}/a/)", "[x](/a/)"),
        ('![i]({{ "/img/a.png" | relative_url }} "title")', '![i](/img/a.png "title")'),
        ("![i]({{ 'img/a.png' | absolute_url }})", "![i](/img/a.png)"),
        ('[x]({{ "/my page/" | relative_url }})', "[x](/my%20page/)"),
        ("[p]({% post_url 2020-01-01-x %})", "[p](/_posts/2020-01-01-x)"),
        ("[p]({% post_url sub/2020-01-01-x %})", "[p](/_posts/sub/2020-01-01-x)"),
        ("[l]({% link _posts/x.md %})", "[l](/_posts/x.md)"),
        ("[x]( {{ site.baseurl }}/a)", "[x]( /a)"),
        ("`[x]({{ site.baseurl }}/a/)`", "`[x]({{ site.baseurl }}/a/)`"),
        ("``a`b``[x]({{site.baseurl}}/c)", "``a`b``[x](/c)"),
        ("{{ site.baseurl }} in text", "{{ site.baseurl }} in text"),
        ("[x](/a/) {{ site.baseurl }}", "[x](/a/) {{ site.baseurl }}"),
    ],
)
def test_liquid_in_targets(text: str, resolved: str) -> None:
    assert resolve_targets(text) == (resolved, [])


def test_unknown_liquid_leaves_the_target_and_says_where() -> None:
    assert resolve_targets("a [x]({{ page.url }}/y) [z]({{ site.baseurl }}/z)") == (
        "a [x]({{ page.url }}/y) [z](/z)",
        [(6, "{{ page.url }}")],
    )
    assert resolve_targets("[x]({% include a.html %})")[1] == [(4, "{% include a.html %}")]


def test_a_warning_names_the_line_in_a_long_paragraph(md) -> None:
    note = parse_note("n.md", "# T\n\nline one\nline two [bad]({{ page.url }})\n".encode(), md)
    assert [(d.line, d.level) for d in note.diagnostics] == [(4, "warning")]


def test_which_notes_are_jekyll_flavoured() -> None:
    assert jekyll_flavoured("_posts/2020-01-01-x.md", ["# x"])
    assert jekyll_flavoured("blog/_posts/x.md", [])
    assert jekyll_flavoured("about.md", ["---", "layout: page", "---", "text"])
    assert not jekyll_flavoured("about.md", ["---", "title: About", "---", "layout: page"])  # after the front matter
    assert not jekyll_flavoured("notes/posts.md", ["# x"])


def test_an_escaped_backslash_is_kept(md) -> None:
    note = parse_note("_posts/x.md", "$a\\\\_b$ and $c\\_d$\n".encode(), md)
    inline = next(t for t in note.tokens if t.type == "inline")
    assert [c.content for c in inline.children if c.type == "math_inline"] == ["a\\\\_b", "c_d"]
