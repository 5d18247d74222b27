"""Relative links with a memory: a page renders ~40 links to the same few URLs (style sheets,
scripts, the home page, the tag index…), and every page at the same depth links to them
the same way, so each answer is computed once per depth instead of once per link.

`paths.relative_url(page, target)` depends on the page's folders only through their
number when `target` does not start with the page's first folder (no common prefix): then
the answer is `../` per folder of the page, then the target. Those answers are remembered;
any other link is computed as before.
"""

from __future__ import annotations

from ..paths import relative_url


class RelativeUrls:
    """`relative_url`, remembered per (depth of the page, target) where that is all it
    depends on. Answers never change, so one instance may serve a whole Site."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, str], str] = {}

    def __call__(self, page_url: str, target: str) -> str:
        """The link from the page at `page_url` to `target` (both root-relative site URLs)."""
        depth = page_url.count("/") - 1  # the page's folders: "/a/b/" -> 2, "/a/x.html" -> 1, "/" -> 0
        if not target.startswith("/") or (depth and target.startswith(page_url[: page_url.index("/", 1) + 1])):
            return relative_url(page_url, target)  # a fragment alone, or a link into the page's first folder
        key = (depth, target)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = relative_url(page_url, target)
        return found
