"""Renderer rules that put site knowledge into the HTML: resolved links, heading ids, images.

They ask `env["linker"]` (see `mlnotes_site.render.Linker`); without one (a bare
`md.render(text)`), they fall back to plain markdown-it output, which keeps them testable.
"""

from __future__ import annotations

from typing import Any, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token


def _attrs(attrs: dict[str, Any]) -> str:
    return "".join(f' {k}="{escapeHtml(str(v))}"' for k, v in attrs.items() if v is not None)


def plugin(md: MarkdownIt) -> None:
    """Install the link, image, wikilink, hashtag and heading rules."""
    default_link_open = md.renderer.rules.get("link_open") or _render_token_default
    default_image = md.renderer.rules.get("image")

    def link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        token = tokens[idx]
        linker = env.get("linker")
        if linker is None:
            return default_link_open(self, tokens, idx, options, env)
        href = str(token.attrGet("href") or "")
        result = linker.link(href, auto=token.info == "auto")
        env.setdefault("_link_stack", []).append(result.broken)
        if result.broken:
            return f'<span class="broken-link" title="{escapeHtml(result.title)}">'
        attrs = {"href": result.href, "class": result.css or None, "title": token.attrGet("title")}
        if result.external:
            attrs["rel"] = "noopener noreferrer"
        return f"<a{_attrs(attrs)}>"

    def link_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        stack = env.get("_link_stack")
        if stack and stack.pop():
            return "</span>"
        return "</a>"

    def image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        token = tokens[idx]
        linker = env.get("linker")
        alt = self.renderInlineAsText(token.children or [], options, env)
        if linker is None:
            return default_image(tokens, idx, options, env) if default_image else ""  # bound method
        src = str(token.attrGet("src") or "")
        result = linker.image(src)
        if result.broken:
            return f'<span class="missing-image" title="{escapeHtml(result.title)}">{escapeHtml(alt or src)}</span>'
        attrs = {"src": result.href, "alt": alt, "title": token.attrGet("title")}
        if result.external:
            attrs["loading"] = "lazy"
        return f"<img{_attrs(attrs)}>"

    def wikilink(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        meta = tokens[idx].meta
        linker = env.get("linker")
        label = escapeHtml(meta["label"])
        if linker is None:
            return f'<a class="wikilink">{label}</a>'
        result = linker.wiki(meta["page"], meta["heading"])
        if result.broken:
            return f'<span class="broken-link" title="{escapeHtml(result.title)}">{label}</span>'
        return f'<a class="internal" href="{escapeHtml(result.href)}">{label}</a>'

    def hashtag(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        meta = tokens[idx].meta
        linker = env.get("linker")
        text = escapeHtml("#" + meta["tag"])
        if linker is None:
            return f'<span class="tag">{text}</span>'
        return f'<a class="tag" href="{escapeHtml(linker.tag(meta["tag"]))}">{text}</a>'

    def heading_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        ids = env.get("heading_ids") or {}
        anchor = ids.get(env.get("token_offset", 0) + idx)
        attrs = {"id": anchor} if anchor else {}
        return f"<{tokens[idx].tag}{_attrs(attrs)}>"

    def heading_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
        ids = env.get("heading_ids") or {}
        anchor = ids.get(env.get("token_offset", 0) + idx - 2)
        link = f' <a class="heading-anchor" href="#{escapeHtml(anchor)}" aria-label="Link to this section">#</a>' if anchor else ""
        return f"{link}</{tokens[idx].tag}>\n"

    rules = {
        "link_open": link_open,
        "link_close": link_close,
        "image": image,
        "wikilink": wikilink,
        "hashtag": hashtag,
        "heading_open": heading_open,
        "heading_close": heading_close,
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)


def _render_token_default(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    return self.renderToken(tokens, idx, options, env)
