"""Bare URLs as GitHub links them, ending where CJK text or full-width punctuation starts.

A bare link has a scheme (`https://…`) or starts with `www.`, or is an e-mail address;
file names in running text (`train.py`, `utils.sh`, `foo.ai`) stay text, which linkify-it's
fuzzy mode would turn into links to `http://train.py`. `…/trl，https://…` is two links.
A text without `://`, `www.` or `@` is not given to linkify-it at all: its pretest is a
large regex run on every paragraph, and most paragraphs of notes hold no link.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from markdown_it import MarkdownIt


def url_end(url: str) -> int:
    """Length of the URL part of `url`: up to the first wide (CJK / full-width) character."""
    for i, ch in enumerate(url):
        if ord(ch) > 0x2E7F and unicodedata.east_asian_width(ch) in ("W", "F"):
            return i
    return len(url)


def _cut(match: Any) -> Any:
    if match is None:
        return None
    keep = url_end(match.text)
    if keep == len(match.text):
        return match
    removed = len(match.text) - keep
    match.text = match.text[:keep]
    match.raw = match.raw[: len(match.raw) - removed]
    match.url = match.url[: len(match.url) - removed]  # url is text with a scheme in front
    match.last_index -= removed
    return match


def _may_link(text: str) -> bool:
    return "://" in text or "@" in text or "www." in text or "WWW." in text or "Www." in text


def _kept(match: Any) -> bool:
    """A match with a scheme (an e-mail's is `mailto:`), or a bare `www.` host."""
    return bool(match.text) and (bool(match.schema) or match.text[:4].lower() == "www.")


class _CjkAwareLinkify:
    """Wraps a LinkifyIt instance: only GitHub's kinds of bare link, each cut at the first
    wide character."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def pretest(self, text: str) -> bool:
        return _may_link(text) and bool(self._inner.pretest(text))

    def test(self, text: str) -> bool:
        return bool(self.match(text))

    def match_at_start(self, text: str) -> Any:
        return _cut(self._inner.match_at_start(text))

    def match(self, text: str) -> Any:
        if not _may_link(text):
            return None
        matches = self._inner.match(text)
        if not matches:
            return matches
        return [m for m in (_cut(m) for m in matches) if _kept(m)] or None


def plugin(md: MarkdownIt) -> None:
    """Install the CJK-aware URL matcher (needs linkify-it-py)."""
    if md.linkify is not None and not isinstance(md.linkify, _CjkAwareLinkify):
        md.linkify = _CjkAwareLinkify(md.linkify)
