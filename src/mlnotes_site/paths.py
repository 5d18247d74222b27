"""Slugs, site URLs and output paths: pure functions, one home for every path rule.

Site URLs here are always root-relative and "pretty": `/`, `/<slug>/`, `/tags/<tag>/`,
`/assets/<file>`. Pages link to each other with *relative* URLs (see `relative_url`),
so a site works under any base path without rebuilding links.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from . import urls
from .urls import RESERVED_SLUGS  # top-level URL segments the site uses itself (no slug takes one)

_SEPARATORS = re.compile(r"[^\w]+", re.UNICODE)
_DASHES = re.compile(r"[-_]*-[-_]*")


# A URL segment becomes a folder name in the output; file systems allow 255 bytes per name.
# Segments are cut well below that (room for `index.html` siblings and `-N` suffixes).
SEGMENT_BYTES = 180
_HASH_CHARS = 8


def cap_segment(segment: str, limit: int = SEGMENT_BYTES, *, key: str | None = None) -> str:
    """`segment` if it fits in `limit` UTF-8 bytes; else cut on a character boundary and
    ended with `-` and 8 hex digits of the SHA-1 of `key` (default: the whole segment), so
    two long names that share a beginning still get different, stable segments."""
    data = segment.encode("utf-8")
    if len(data) <= limit:
        return segment
    digest = hashlib.sha1((segment if key is None else key).encode("utf-8")).hexdigest()[:_HASH_CHARS]
    head = data[: limit - _HASH_CHARS - 1].decode("utf-8", errors="ignore")  # a cut character is dropped whole
    while head and unicodedata.category(head[-1]).startswith("M"):
        head = head[:-1]  # never leave a combining mark without the letter it belonged to
    return f"{head.rstrip('-_')}-{digest}"


# The string functions below are pure and called for every title and name of the vault on
# every build and every structural update of `mlnotes serve`: their answers are cached.
_CACHE = 1 << 18


@lru_cache(maxsize=_CACHE)
def slugify(text: str, fallback: str = "untitled") -> str:
    """Lower-case, NFKC-folded slug that keeps CJK and other letters; never empty.

    Full-width punctuation (`？（）`) and Latin punctuation become single dashes; emoji and
    symbols are dropped; `fallback` is used when nothing is left. A slug longer than
    SEGMENT_BYTES is cut and gets a hash of the whole slug (`cap_segment`).
    """
    text = unicodedata.normalize("NFKC", text).lower()
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat.startswith(("L", "N")) or ch in "_-":
            kept.append(ch)
        elif cat.startswith("M"):
            if kept:  # combining marks stay attached to their letter
                kept.append(ch)
        elif cat.startswith("S") and ch not in "+<>=|~^":
            continue  # emoji and symbols vanish (NFKC already turned "6🈷️" into "6月")
        else:
            kept.append("-")
    slug = _SEPARATORS.sub("-", "".join(kept))
    slug = _DASHES.sub("-", slug).strip("-_")
    return cap_segment(slug) if slug else fallback


@lru_cache(maxsize=_CACHE)
def fold(text: str) -> str:
    """Key for case-insensitive matching: NFKC (full-width → half-width), case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=_CACHE)
def title_key(title: str) -> str:
    """Topics with equal keys are one topic: `fold`ed, without a leading `？`/`?`."""
    return fold(title).lstrip("?").strip()


def unique_url(slug: str, taken: set[str], prefix: str = "/") -> str:
    """`<prefix><slug>/`, or with `-2`, `-3`, … appended: the first URL not in `taken`
    (which is updated). Top-level URLs never take a reserved name (`/tags/`, `/assets/`, …).
    A suffix never makes the segment longer than SEGMENT_BYTES: the slug is cut for it."""
    candidate, n = cap_segment(slug), 1
    while True:
        url = f"{prefix}{candidate}/"
        if url not in taken and not (prefix == "/" and candidate in RESERVED_SLUGS):
            taken.add(url)
            return url
        n += 1
        suffix = f"-{n}"
        candidate = cap_segment(slug, SEGMENT_BYTES - len(suffix)) + suffix


def folder_url(folder: str, slug: str, taken: set[str]) -> str:
    """`unique_url` below a folder: `/<folder>/<slug>/`, each folder name a slug, for a page
    whose title another page shares (`folder1/Intro.md` -> `/folder1/intro/`). At the top of
    the vault (`folder` "") it is `/<slug>/`; below a folder named like a section of the site
    (`notes/`, `tags/`, …) it is `/<folder>-<slug>/`, which no page of the site uses."""
    if not folder:
        return unique_url(slug, taken)
    parts = [slugify(part, fallback="folder") for part in folder.split("/") if part]
    if parts[0] in RESERVED_SLUGS:
        return unique_url("-".join([*parts, slug]), taken)
    return unique_url(slug, taken, prefix="/" + "/".join(parts) + "/")


_TAG_WORDS = (("+", "-plus-"), ("#", "-sharp-"))


def tag_url(tag: str) -> str:
    """URL of a tag's page; nested tags `a/b` become `/tags/a/b/`. `+` and `#` are words
    (`C++` -> `/tags/c-plus-plus/`, `C#` -> `/tags/c-sharp/`), so they stay apart from `c`."""
    parts = [slugify(_tag_words(part), "tag") for part in tag.split("/") if part.strip()]
    return urls.TAGS + "/".join(parts or ["tag"]) + "/"


def _tag_words(part: str) -> str:
    for char, word in _TAG_WORDS:
        part = part.replace(char, word)
    return part


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def permalink_problem(permalink: str) -> str | None:
    """Why a front-matter `permalink` cannot be a page URL of the site, or None when it can:
    a URL scheme (`javascript:`), a `//host` prefix, a backslash, a control character or a
    `..` segment (also when percent-encoded)."""
    raw = str(permalink).strip()
    for text in dict.fromkeys((raw, unquote(raw))):
        if _SCHEME.match(text):
            return "it has a URL scheme"
        if text.startswith("//"):
            return "it starts with `//` (a link to another host)"
        if "\\" in text:
            return "it contains a backslash"
        if any(unicodedata.category(ch) == "Cc" for ch in text):
            return "it contains a control character"
        if ".." in text.split("/"):
            return "it contains a `..` segment"
    return None


def normalize_permalink(permalink: str) -> str:
    """A front-matter `permalink` as a root-relative URL: `todo` -> `/todo/`, `/a/b.html` kept."""
    path = posixpath.normpath("/" + unquote(str(permalink)).strip().strip("/"))
    path = "/" + path.lstrip("/")
    if path == "/":
        return "/"
    last = path.rsplit("/", 1)[-1]
    return path if "." in last else path + "/"


def output_file(url: str) -> str:
    """Relative output path for a URL: `/a/` -> `a/index.html`, `/x.xml` -> `x.xml`."""
    path = unquote(url).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path


_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~!$&'()*+,;=:@")


def encode_path(path: str) -> str:
    """Percent-encode the ASCII characters a URL path cannot hold (space, `%`, `#`, `?`, quotes…).

    Non-ASCII letters such as CJK stay as they are: HTML5 accepts them in `href`, browsers
    show them readably, and the slugs in the issue (`/利用键盘选定文本的快捷键/`) look like that.
    """
    return "".join(ch if ch in _URL_SAFE or ord(ch) > 127 else "".join(f"%{b:02X}" for b in ch.encode()) for ch in path)


def relative_url(from_url: str, to_url: str) -> str:
    """Relative link from the page at `from_url` to `to_url` (both root-relative site URLs).

    `relative_url("/a/", "/b/")` == `"../b/"`; the fragment of `to_url` is kept. Plain
    segment arithmetic (a page renders ~20 of these, so `posixpath.relpath` is too slow).
    """
    target, _, fragment = to_url.partition("#")
    from_parts = from_url.split("/")[1:-1]  # folders of the page: "/a/b/" -> a, b
    to_parts = (target or from_url).split("/")[1:]  # "/x/y/" -> x, y, "" ; "/s.css" -> s.css
    common = 0
    while common < len(from_parts) and common < len(to_parts) - 1 and from_parts[common] == to_parts[common]:
        common += 1
    rel = "../" * (len(from_parts) - common) + "/".join(to_parts[common:])
    if not rel:  # the page itself
        return f"#{fragment}" if fragment else "./"
    if ":" in rel.split("/", 1)[0]:
        rel = "./" + rel  # `a:b/` would be read as a URL with the scheme `a:` (RFC 3986, 4.2)
    return encode_path(rel) + (f"#{fragment}" if fragment else "")


# a relative href/src to a folder: no scheme, not root-relative, not only a fragment
_FOLDER_REF = re.compile(r'(\s(?:href|src)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"#?]*/)([?#][^"]*)?"')


def with_index_html(html: str) -> str:
    """`html` with every relative link to a folder written as a link to its `index.html`
    (`../b/#x` -> `../b/index.html#x`, `./` -> `./index.html`): a browser opening the site
    from disk (file://) shows a folder's listing, not its index page (config `file_urls`)."""
    return _FOLDER_REF.sub(lambda m: f'{m[1]}{m[2]}index.html{m[3] or ""}"', html)


def asset_url(note_dir: str, src: str) -> str:
    """Site URL of a local file referenced from a note in folder `note_dir` (posix, relative
    to the notes root): it is copied to `/assets/<same path>`."""
    joined = posixpath.normpath(posixpath.join(note_dir, unquote(src)))
    return urls.ASSETS + joined.lstrip("/")


def source_relative(note_dir: str, target: str) -> str | None:
    """Resolve a relative link target against the note's folder; None if it leaves the vault."""
    joined = posixpath.normpath(posixpath.join(note_dir, unquote(target)))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined


def is_external(target: str) -> bool:
    """True for links that leave the site: any URL with a scheme or a `//host` prefix."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target)) or target.startswith("//")


@lru_cache(maxsize=1 << 16)
def reference_key(url: str) -> str:
    """Two citations of the same resource: no scheme, no `www.`, no fragment, no trailing slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def safe_json(value: object, compact: bool = False) -> str:
    """JSON for a file of the site (graph.json, search files): UTF-8 text, with `<`, `>` and `&`
    written `\\u003c`, `\\u003e`, `\\u0026` (they only occur inside strings, where the escapes
    mean the same), so no note text can close a script block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":") if compact else None)
    # str.replace, not str.translate, which maps a non-ASCII text one character at a time
    # (the search files' documents of 1,000 notes: 0.18 CPU-s with translate, 0.01 with replace)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "avif", "ico"})
AUDIO_EXTENSIONS = frozenset({"mp3", "ogg", "wav", "m4a", "flac", "oga", "opus", "weba"})
VIDEO_EXTENSIONS = frozenset({"mp4", "webm", "ogv", "mov", "m4v", "mkv"})


def media_kind(name: str) -> str:
    """ "image", "pdf", "audio" or "video" for a file an embed shows as such, else ""."""
    ext = name.split("#", 1)[0].split("?", 1)[0].rpartition(".")[2].casefold() if "." in name else ""
    if ext in IMAGE_EXTENSIONS:
        return "image"
    if ext == "pdf":
        return "pdf"
    return "audio" if ext in AUDIO_EXTENSIONS else "video" if ext in VIDEO_EXTENSIONS else ""
