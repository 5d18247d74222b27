"""Helpers for tests: read a built site and check that every internal href/src resolves."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, value))
            if name == "id" and value:
                self.ids.add(value)


def parse(html: str) -> _Refs:
    """All href/src values and element ids of a page."""
    parser = _Refs()
    parser.feed(html)
    return parser


def url_of(site: Path, file: Path) -> str:
    """Root-relative URL of an output file (`a/index.html` -> `/a/`)."""
    rel = file.relative_to(site).as_posix()
    if rel == "index.html":
        return "/"
    return "/" + (rel[: -len("index.html")] if rel.endswith("/index.html") else rel)


def file_of(site: Path, url: str) -> Path:
    """Output file for a root-relative URL."""
    path = unquote(url).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return site / path


def broken_refs(site: Path) -> list[str]:
    """Every internal href/src (and #fragment) of every page that does not resolve."""
    problems = []
    pages = sorted(site.rglob("*.html"))
    ids = {url_of(site, p): parse(p.read_text(encoding="utf-8")).ids for p in pages}
    for page in pages:
        if page.name == "404.html":
            continue  # its links are absolute under the base path; checked separately
        base = url_of(site, page)
        for tag, ref in parse(page.read_text(encoding="utf-8")).refs:
            split = urlsplit(ref)
            if split.scheme or ref.startswith("//"):
                continue
            absolute = urljoin("http://x" + base, ref)
            target = urlsplit(absolute)
            target_file = file_of(site, target.path)
            if not target_file.is_file():
                problems.append(f"{base}: <{tag}> {ref} -> missing {target.path}")
                continue
            if target.fragment:
                target_url = url_of(site, target_file)
                if target_url in ids and unquote(target.fragment) not in ids[target_url]:
                    problems.append(f"{base}: <{tag}> {ref} -> no id #{unquote(target.fragment)} on {target_url}")
    return problems


def text_of(html: str) -> str:
    """Visible-ish text of a page (tags removed), for simple assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page_html(out: Path, url: str) -> str:
    """The HTML of the page at root-relative `url` in the built site `out`."""
    return (out / url.strip("/") / "index.html").read_text(encoding="utf-8")


def markdown_body(out: Path, url: str) -> str:
    """The rendered note text of a page (inside its `<div class="markdown">`)."""
    return page_html(out, url).split('<div class="markdown">', 1)[1].split("\n  </div>", 1)[0]
