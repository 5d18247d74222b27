"""Renderer rules that put site knowledge into the HTML: resolved links, heading ids, images.

They ask `env["linker"]` (see `mlnotes_site.linker.Linker`); without one (a bare
`md.render(text)`), they fall back to plain markdown-it output, which keeps them testable.
The words they add (link titles, labels) come from `env["messages"]` (i18n.Messages; English
when the env has none).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence, cast

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..i18n import Messages, messages
from ..paths import media_kind
from .image_size import split_size
from .math import tied_to_formula

EMBED_DEPTH = 3  # embeds inside embeds, at most; deeper ones are plain links


def _words(env: dict) -> Messages:
    """The interface's words for this rendering (English without a renderer's env)."""
    found = env.get("messages")
    return found if isinstance(found, Messages) else messages("en")


def _broken(env: dict, result: Any) -> str:
    """The title of a broken link or missing image: what is wrong, in the interface's language."""
    return escapeHtml(_words(env).t(result.problem, what=result.title))


def _sole_embed(tokens: Sequence[Token], idx: int) -> bool:
    """True when tokens[idx] is an inline token holding one `![[embed]]` and nothing else."""
    if not 0 <= idx < len(tokens) or tokens[idx].type != "inline":
        return False
    rest = [
        c
        for c in tokens[idx].children or []
        if c.type != "softbreak" and not (c.type == "text" and not c.content.strip())
    ]
    return len(rest) == 1 and rest[0].type == "wikilink" and bool(rest[0].meta.get("embed"))


def _embed(self: Any, meta: dict, options: Any, env: dict) -> str | None:
    """HTML of `![[…]]`: an image, or the target's content in a `div.embed`; None for a plain link."""
    linker = env["linker"]
    page, heading, label = meta["page"], meta["heading"], meta["label"]
    if page and linker.is_image(page):  # a file shown as itself (`![[icon.svg#icon]]`: the fragment is the file's)
        result = linker.image(page)
        name = page.rpartition("/")[2]
        if result.broken:  # like a broken link, showing the file's name (never a size label)
            return f'<span class="broken-link" title="{_broken(env, result)}">{escapeHtml(name)}</span>'
        own_label = label not in (page, f"{page} › {heading}")  # else the label is made from the target
        alt, width, height = split_size(label) if own_label else ("", None, None)  # `|250`, `|alt|250x100`
        shown = alt or name
        kind = media_kind(page)
        if kind != "image":
            return _media(kind, result.href, shown)
        return f"<img{_attrs(_sized({'src': result.href, 'alt': shown, 'class': 'embed-image'}, width, height))}>"
    depth = env.get("embed_depth", 0)
    chain = env.get("embed_chain", ())
    if depth >= EMBED_DEPTH:
        return None
    plan = linker.embed(page, heading)
    if plan is None or plan.key in chain:
        return None
    sub_env = dict(plan.note.parse_env)
    sub_env.update(
        linker=linker.for_note(plan.note),
        heading_ids={},
        token_offset=plan.start,
        mentions={},
        embed_depth=depth + 1,
        embed_chain=(*chain, plan.key),
    )
    inner = self.render(list(plan.note.tokens[plan.start : plan.end]), options, sub_env)
    header = f'<a class="internal embed-source" href="{escapeHtml(plan.href)}">{escapeHtml(label)}</a>'
    return (
        f'<div class="embed"><div class="embed-header">{header}</div><div class="embed-content">\n{inner}</div></div>\n'
    )


def _media(kind: str, href: str, title: str) -> str:
    """A PDF, audio or video file of the vault shown in the page, with a link to the file."""
    src, shown = escapeHtml(href), escapeHtml(title)
    link = f'<a class="internal" href="{src}">{shown}</a>'
    if kind == "pdf":
        return f'<iframe class="embed-pdf" src="{src}" title="{shown}" loading="lazy"></iframe>'
    tag = "audio" if kind == "audio" else "video"
    return f'<{tag} class="embed-{tag}" src="{src}" controls preload="metadata" title="{shown}">{link}</{tag}>'


def _sized(attrs: dict[str, Any], width: str | None, height: str | None) -> dict[str, Any]:
    """`attrs` with the image's `width` and `height` (a given height keeps the aspect it says: class `sized`)."""
    if width:
        attrs["width"] = width
    if height:
        attrs["height"] = height
        attrs["class"] = f"{attrs['class']} sized" if attrs.get("class") else "sized"
    return attrs


def _attrs(attrs: dict[str, Any]) -> str:
    return "".join(f' {k}="{escapeHtml(str(v))}"' for k, v in attrs.items() if v is not None)


def _link_open_rule(default_link_open: Callable[..., str]) -> Callable[..., str]:
    """The `link_open` rule: resolved through the linker, else `default_link_open`."""

    def link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        token = tokens[idx]
        linker = env.get("linker")
        if linker is None:
            return default_link_open(self, tokens, idx, options, env)
        href = str(token.attrGet("href") or "")
        result = linker.link(href, auto=token.info == "auto")
        env.setdefault("_link_stack", []).append(result.broken)
        if result.broken:
            return f'<span class="broken-link" title="{_broken(env, result)}">'
        attrs = {"href": result.href, "class": result.css or None, "title": token.attrGet("title")}
        if result.external:
            attrs["rel"] = "noopener noreferrer"
        return f"<a{_attrs(attrs)}>"

    return link_open


def _link_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    stack = env.get("_link_stack")
    if stack and stack.pop():
        return "</span>"
    return "</a>"


def _image_rule(default_image: Callable[..., str] | None) -> Callable[..., str]:
    """The `image` rule: resolved through the linker, else the bound `default_image` (or nothing)."""

    def image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        token = tokens[idx]
        linker = env.get("linker")
        alt = self.renderInlineAsText(token.children or [], options, env)
        if linker is None:
            return default_image(tokens, idx, options, env) if default_image else ""  # bound method
        src = str(token.attrGet("src") or "")
        result = linker.image(src)
        if result.broken:
            label = escapeHtml(_words(env).t("link.missing_image_label"))  # shown by the style sheet
            return (
                f'<span class="missing-image" title="{_broken(env, result)}" data-label="{label}">'
                f"{escapeHtml(alt or src)}</span>"
            )
        kind = media_kind(src)
        if kind not in ("image", "") and not result.external:  # `![](paper.pdf)`, `![](talk.mp3)`
            return _media(kind, result.href, alt or src.rpartition("/")[2])
        attrs = {"src": result.href, "alt": alt, "title": token.attrGet("title")}
        if result.external:
            attrs["loading"] = "lazy"
        width, height = token.attrGet("width"), token.attrGet("height")  # `![alt|250x100](…)`: image_size.py
        return f"<img{_attrs(_sized(attrs, str(width or '') or None, str(height or '') or None))}>"

    return image


def _wikilink(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    meta = tokens[idx].meta
    linker = env.get("linker")
    label = escapeHtml(meta["label"])
    if linker is None:
        return f'<a class="wikilink">{label}</a>'
    own_paragraph = env.pop("_embed_paragraph", False)  # paragraph_open left out the <p>
    if meta.get("embed"):
        html = _embed(self, meta, options, env)
        if html is not None:
            if not html.startswith("<div"):  # an image, a player, a missing file: inline
                return f"<p>{html}</p>\n" if own_paragraph else html
            if env.get("_open_paragraph"):  # mid-paragraph: a <div> cannot sit inside <p>
                return f"</p>\n{html}<p>"
            return html
    result = linker.wiki(meta["page"], meta["heading"])
    if result.broken:
        html = f'<span class="broken-link" title="{_broken(env, result)}">{label}</span>'
    else:
        html = f'<a class="internal" href="{escapeHtml(result.href)}">{label}</a>'
    return f"<p>{html}</p>\n" if own_paragraph else html


def _paragraph_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    if not tokens[idx].hidden and env.get("linker") is not None and _sole_embed(tokens, idx + 1):
        env["_embed_paragraph"] = True  # an embed alone in its paragraph: a block, not inside <p>
        return ""
    env["_open_paragraph"] = not tokens[idx].hidden
    return self.renderToken(tokens, idx, options, env)


def _paragraph_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    if not tokens[idx].hidden and env.get("linker") is not None and _sole_embed(tokens, idx - 1):
        return ""
    env["_open_paragraph"] = False
    return self.renderToken(tokens, idx, options, env)


def _hashtag(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    meta = tokens[idx].meta
    linker = env.get("linker")
    text = escapeHtml("#" + meta["tag"])
    if linker is None:
        return f'<span class="tag">{text}</span>'
    return f'<a class="tag" href="{escapeHtml(linker.tag(meta["tag"]))}">{text}</a>'


def _text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    content = tokens[idx].content
    spans = (env.get("mentions") or {}).get(id(tokens[idx]))
    # after a formula, its closing punctuation ends the span the math rule opened
    tie, at = ("</span>", 1) if tied_to_formula(tokens, idx) else ("", 0)
    if not spans:
        return escapeHtml(content[:at]) + tie + escapeHtml(content[at:])
    out = [escapeHtml(content[:at]), tie]
    words = _words(env)
    for start, end, href, title in spans:  # the mentions graph.py chose (see mentions.py; never at a comma)
        out.append(escapeHtml(content[at:start]))
        shown = escapeHtml(words.t("link.mention", title=title))
        out.append(
            f'<a class="internal mention" href="{escapeHtml(href)}" title="{shown}">'
            f"{escapeHtml(content[start:end])}</a>"
        )
        at = end
    out.append(escapeHtml(content[at:]))
    return "".join(out)


def _heading_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    ids = env.get("heading_ids") or {}
    anchor = ids.get(env.get("token_offset", 0) + idx)
    attrs = {"id": anchor} if anchor else {}
    return f"<{tokens[idx].tag}{_attrs(attrs)}>"


def _heading_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    ids = env.get("heading_ids") or {}
    anchor = ids.get(env.get("token_offset", 0) + idx - 2)
    label = escapeHtml(_words(env).t("link.anchor")) if anchor else ""
    link = f' <a class="heading-anchor" href="#{escapeHtml(anchor)}" aria-label="{label}">#</a>' if anchor else ""
    return f"{link}</{tokens[idx].tag}>\n"


_WIDE = re.compile(r"[\u2e80-\u303f\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def _softbreak(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    """A single newline in a paragraph: nothing between two CJK characters (Chinese is written
    without spaces, so a line wrapped in the source must not gain one), else a space as
    usual; with the `breaks` option (config `breaks: true`, Obsidian's default) a `<br>`."""
    if options.get("breaks"):
        return "<br>\n"
    before = tokens[idx - 1].content[-1:] if idx > 0 and tokens[idx - 1].type == "text" else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) and tokens[idx + 1].type == "text" else ""
    return "" if _WIDE.match(before) and _WIDE.match(after) else "\n"


def plugin(md: MarkdownIt) -> None:
    """Install the link, image, wikilink, hashtag, heading and line-break rules."""
    # make_parser's MarkdownIt has the default RendererHTML, which has `rules`; the declared
    # type of `md.renderer` is RendererProtocol, which does not
    renderer = cast(RendererHTML, md.renderer)
    default_link_open = renderer.rules.get("link_open") or _render_token_default
    default_image = renderer.rules.get("image")
    rules = {
        "link_open": _link_open_rule(default_link_open),
        "link_close": _link_close,
        "image": _image_rule(default_image),
        "wikilink": _wikilink,
        "hashtag": _hashtag,
        "text": _text,
        "heading_open": _heading_open,
        "paragraph_open": _paragraph_open,
        "paragraph_close": _paragraph_close,
        "heading_close": _heading_close,
        "softbreak": _softbreak,
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)


def _render_token_default(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return self.renderToken(tokens, idx, options, env)
