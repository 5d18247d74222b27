"""Bare URLs end where CJK text or full-width punctuation starts (`…/trl，https://…` is two links)."""

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


class _CjkAwareLinkify:
    """Wraps a LinkifyIt instance; every match is cut at the first wide character."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def match_at_start(self, text: str) -> Any:
        return _cut(self._inner.match_at_start(text))

    def match(self, text: str) -> Any:
        matches = self._inner.match(text)
        if not matches:
            return matches
        return [m for m in (_cut(m) for m in matches) if m.text]


def plugin(md: MarkdownIt) -> None:
    """Install the CJK-aware URL matcher (needs linkify-it-py)."""
    if md.linkify is not None and not isinstance(md.linkify, _CjkAwareLinkify):
        md.linkify = _CjkAwareLinkify(md.linkify)
