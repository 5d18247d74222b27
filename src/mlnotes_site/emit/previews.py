"""Link previews for a site opened from disk (config `file_urls`): `/previews/<k>.js`.

On a web server, static/preview.js reads the linked page itself with `fetch`. A browser
refuses `fetch` on `file://`, so a `file_urls` site also gets each page's title and summary
(emit/summary.py) in small script files, which preview.js loads with a `<script>` tag. A
page's file is `shard_of(url)`: a hash of its URL's UTF-8 bytes that preview.js computes the
same way, over `previews_count` files of about 200 pages (emit/render.py); pages say the count in
`<html data-previews>`. Each file's description is its text, so an edit re-renders only the
file of the page it changed.
"""

from __future__ import annotations

from .. import urls
from ..config import SiteConfig
from ..model import Site
from ..paths import safe_json
from .render import Emitter, PageSpec, Renderer, What, previews_count
from .summary import summary


def shard_of(url: str, count: int) -> int:
    """The preview file holding page `url` (static/preview.js computes the same)."""
    h = 0
    for byte in url.encode("utf-8"):
        h = (h * 31 + byte) & 0xFFFFFFFF
    return h % count


def file_url(k: int) -> str:
    """The URL of preview file `k`."""
    return f"{urls.PREVIEWS}{k}.js"


def file_urls(site: Site, made: dict[str, tuple[str, What]], cfg: SiteConfig) -> list[tuple[str, What]]:
    """The preview files of a `file_urls` site (none otherwise), each with the pages it holds."""
    if not cfg.file_urls:
        return []
    count = previews_count(site)
    shards: list[list[str]] = [[] for _ in range(count)]
    for topic in site.topics.values():
        if not topic.place_id:
            shards[shard_of(topic.url, count)].append(topic.key)
    for rel, page in site.note_pages.items():
        shards[shard_of(page.url, count)].append("note:" + rel)
    return [(file_url(k), (k, tuple(keys))) for k, keys in enumerate(shards)]


def describe(r: Renderer, what: tuple[int, tuple[str, ...]]) -> PageSpec:
    """One preview file: `window.mlnPreviews({url: [title, summary], …});`."""
    site = r.site
    entries: dict[str, list[str]] = {}
    for key in what[1]:
        if key.startswith("note:"):
            page = site.note_pages[key[5:]]
            entries[page.url] = [page.title, summary(site.notes[page.note_rel], 0, page.token_end)]
        else:
            topic = site.topics[key]
            note = site.notes[topic.note_rel]
            entries[topic.url] = [topic.title, summary(note, topic.token_start, topic.token_end)]
    text = f"window.mlnPreviews({safe_json(entries, compact=True)});\n"
    return PageSpec(file_url(what[0]), "", "", {"text": text}, make=lambda: text)


EMITTER = Emitter("previews", file_urls, describe)
