"""The parsed-note cache: a note whose bytes were parsed before is loaded, not parsed again.

Parsing is the largest step of a build (markdown-it-py: ~4.6 ms a note); reading a parsed
note back is ~0.8 ms. So every note a build or `mlnotes serve` parses is kept beside the
output folder, and the next build (or serve start-up) parses only notes whose bytes changed:

    .mlnotes-cache/notes/<key>/<h[:2]>/<h>     h = sha256(path of the note, its bytes)

`<key>` covers what else decides a parse: the mlnotes code, the versions of the parsing
libraries and of Python, and the parser's settings (`raw_html`, `breaks`, `max_note_bytes`,
`max_parse_steps`). A cache from another version is never read: its folder is another
key's, and is removed when this one is opened. A file is `MAGIC` + zlib(pickle(Note)), its
tokens pickled field by field (`_token`), so a truncated or damaged file fails to decompress
or to unpickle: it is then parsed again, one warning names it, and the file is replaced.

The cache is safe to delete. A build removes the entries it did not use (`prune`), so the
folder holds one entry per note of the vault. Pickle runs code when loaded: the cache is as
trusted as the checkout it sits beside (like `__pycache__`), and never shared.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import shutil
import sys
import zlib
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from markdown_it.token import Token

from .. import __version__
from ..config import SiteConfig
from ..errors import Diagnostic, warning
from ..model import Note
from .codehash import code_hash
from .note import NOTHING

MAGIC = b"mlnotes-note 1\n"
# the libraries whose objects a parsed note holds or whose output it keeps
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "linkify-it-py", "PyYAML", "latex2mathml", "pyahocorasick")


def cache_root(cfg: SiteConfig) -> Path:
    """Where the note cache of builds into `cfg.out_dir` lives: beside the output, never in it."""
    out = cfg.out_dir.resolve()
    return out.parent / ".mlnotes-cache" / "notes"


def parse_key(cfg: SiteConfig) -> str:
    """Everything besides a note's path and bytes that decides what it parses to."""
    parts = [MAGIC.decode().strip(), __version__, code_hash(), sys.version]
    for name in _LIBRARIES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} -")
    parts.append(f"{cfg.raw_html} {cfg.breaks} {cfg.max_note_bytes} {cfg.max_parse_steps}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _token(
    type: str,
    tag: str,
    nesting: int,
    attrs: dict | None,
    map: list[int] | None,
    level: int,
    children: list[Token] | None,
    content: str,
    markup: str,
    info: str,
    meta: dict | None,
    block: bool,
    hidden: bool,
) -> Token:
    """A Token from its fields in `_FIELDS` order. Empty attrs and meta are the shared empty
    mapping, and the few names a token's type, tag and markup take are interned (as the
    parser's own literals are, in every note at once: each note unpickled its own copies)."""
    token = object.__new__(Token)
    token.type, token.tag, token.nesting = _intern(type), _intern(tag), nesting  # type: ignore[assignment]
    token.attrs = attrs or NOTHING
    token.map, token.level, token.children, token.content = map, level, children, content
    token.markup, token.info, token.meta = _intern(markup), info, meta or NOTHING
    token.block, token.hidden = block, hidden
    return token


_intern = sys.intern


_FIELDS = (
    *("type", "tag", "nesting", "attrs", "map", "level", "children"),
    *("content", "markup", "info", "meta", "block", "hidden"),
)


def _reduce_token(token: Token) -> tuple[Any, tuple[Any, ...]]:
    values = [getattr(token, name) for name in _FIELDS]
    values[3] = dict(token.attrs) if token.attrs else None  # the shared empty mapping does not pickle
    values[10] = dict(token.meta) if token.meta else None
    return _token, tuple(values)


_DISPATCH = copyreg.dispatch_table.copy()
_DISPATCH[Token] = _reduce_token


def dumps(note: Note) -> bytes:
    """A note as the bytes of its cache file."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(note)
    return MAGIC + zlib.compress(buffer.getvalue(), 1)


def loads(data: bytes) -> Note:
    """The note of a cache file's bytes; ValueError when they are not one."""
    if not data.startswith(MAGIC):
        raise ValueError("not a note cache file")
    try:
        note = pickle.loads(zlib.decompress(data[len(MAGIC) :]))
    except Exception as exc:  # zlib.error, pickle.UnpicklingError, EOFError, AttributeError…
        raise ValueError(f"damaged ({type(exc).__name__}: {exc})") from exc
    if not isinstance(note, Note):
        raise ValueError("not a note")
    return note


def entry_name(rel: str, data: bytes) -> str:
    return hashlib.sha256(rel.encode() + b"\0" + data).hexdigest()[:40]


class NoteCache:
    """The cache folder of one key (see the module doc)."""

    def __init__(self, root: Path, key: str) -> None:
        self.root = root
        self.folder = root / key
        self.used: set[str] = set()  # entries read or written by this process
        self.problems: list[Diagnostic] = []  # damaged entries and write failures, each said once
        self._cannot_write = False
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, cfg: SiteConfig) -> NoteCache:
        """The cache of `cfg`; the folders of other keys (other versions, settings) are removed."""
        cache = cls(cache_root(cfg), parse_key(cfg))
        try:
            for other in cache.root.iterdir():
                if other != cache.folder and other.is_dir() and not other.is_symlink():
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            pass  # no cache yet, or not listable: entries are simply missed
        return cache

    def _path(self, name: str) -> Path:
        return self.folder / name[:2] / name

    def get(self, rel: str, data: bytes) -> Note | None:
        """The cached note of `rel` with these bytes, or None (never cached, or damaged)."""
        name = entry_name(rel, data)
        path = self._path(name)
        try:
            stored = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            note = loads(stored)
            if note.rel != rel:
                raise ValueError(f"holds {note.rel}, not {rel}")
        except ValueError as exc:
            self.problems.append(
                warning(
                    str(path),
                    0,
                    f"a cached note ({rel}) could not be read: {exc}",
                    "it was parsed again and the entry replaced; the cache folder is safe to delete",
                )
            )
            self.misses += 1
            return None
        self.used.add(name)
        self.hits += 1
        return note

    def put(self, rel: str, data: bytes, note: Note | bytes) -> None:
        """Keep the parse of `rel` with these bytes (`note` or its `dumps`)."""
        if self._cannot_write:
            return
        name = entry_name(rel, data)
        path = self._path(name)
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(note if isinstance(note, bytes) else dumps(note))
            os.replace(tmp, path)
        except OSError as exc:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:  # the folder itself cannot be made (a file stands in its way)
                pass
            self._cannot_write = True
            self.problems.append(
                warning(
                    str(self.folder),
                    0,
                    f"cannot write the note cache ({exc.strerror or exc})",
                    "the next build parses every note again",
                )
            )
            return
        self.used.add(name)

    def prune(self) -> None:
        """Remove the entries this process did not use (notes changed or gone since)."""
        for name in self._stored():
            if name not in self.used:
                self._path(name).unlink(missing_ok=True)

    def _stored(self) -> Iterable[str]:
        try:
            shards = list(self.folder.iterdir())
        except OSError:
            return []
        return [entry.name for shard in shards if shard.is_dir() for entry in os.scandir(shard) if entry.is_file()]
