"""Relative links with a memory: a page renders ~40 links to the same few URLs (style sheets,
scripts, the home page, the tag index…), and every page at the same depth links to them
the same way, so each answer is computed once per depth instead of once per link.

`paths.relative_url(page, target)` depends on the page's folders only through their
number when `target` does not start with the page's first folder (no common prefix): then
the answer is `../` per folder of the page, then the target. Those answers are remembered;
any other link is computed as before.

The same fact says which pages link alike to all of the site's own URLs (`urls.py`): pages
of one depth outside the site's own folders (`place`). Templates reuse the parts of a page
that show only such links and words (`Renderer` `once`).
"""

from __future__ import annotations

from .. import urls
from ..paths import relative_url

# the first folder of every URL a template can name (`urls.*`, and the list of topics):
# a page in one of these folders may share a prefix with them, so its links are its own
_OWN_FOLDERS = frozenset(
    u.split("/")[1] for u in (*urls.as_context().values(), urls.TOPICS, urls.topics_page(2)) if u.count("/") > 1
)


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


def place(page_url: str) -> int | None:
    """The depth of the page when its links to the site's own URLs (`urls.as_context()`,
    the list of topics) depend on nothing else, as for every topic page; None for a page in
    one of the folders of those URLs (`/tags/…`, `/tasks/…`, `/notes/…`)."""
    depth = page_url.count("/") - 1
    if depth and page_url.split("/", 2)[1] in _OWN_FOLDERS:
        return None
    return depth
