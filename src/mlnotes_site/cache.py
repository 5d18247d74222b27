"""The build record: skip a build whose inputs and output are exactly as the last build left them.

A build is a pure function of its inputs (notes and other files in the notes folder, the
resolved config, the templates and static files, the mlnotes code): no clock, no network.
So when every input is byte-identical to the last build's and the output folder still holds
exactly the files that build wrote (same paths, sizes and modification times), building
again would write the same bytes: `mlnotes build` says the site is up to date and replays
that build's diagnostics instead.

The record is one JSON file beside the output folder, `.mlnotes-cache/<out>.json`: the
key (mlnotes version, a hash of its code and message catalogues, templates, static files and config), every input
file's stat and SHA-256, every output file's size and mtime, the report's counts and
diagnostics. A file whose stat changed is hashed again (a `touch` alone keeps the record
valid, unless notes are dated by their files' times: config `dates` lists `file`, the
default, and then a note's new mtime is a change). With `git` in `dates`, the key holds the
commit the notes folder's repository is at, so a commit is a change. Safe to delete; a
record that cannot be read, or one from another version, is ignored with a warning and a
full build runs. The record is written only after the new site
is in place, so a build that fails midway can never leave a record describing it.

This is the first layer of the persistent cache (issue 13): it makes a no-change build
instant; a build with changes still parses and renders every note.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from . import __version__
from .config import SiteConfig
from .errors import Diagnostic, warning
from .load.codehash import PACKAGE, code_hash, tree_hash
from .load.discover import NOTE_SUFFIXES, discover
from .load.history import head
from .theme import theme_dirs

FORMAT = 1


def record_path(cfg: SiteConfig) -> Path:
    """Where the record of builds into `cfg.out_dir` lives: beside it, never inside it."""
    out = cfg.out_dir.resolve()
    return out.parent / ".mlnotes-cache" / f"{out.name}.json"


def build_key(cfg: SiteConfig) -> str:
    """Everything besides the notes folder that decides the output bytes."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT} {__version__}\n".encode())
    digest.update(code_hash().encode())
    digest.update(tree_hash([PACKAGE / "i18n"], "*.yaml").encode())  # the interface's words
    for name in ("templates", "static"):
        digest.update(tree_hash(theme_dirs(cfg.project_dir, name), "*").encode())
    settings = {f.name: str(getattr(cfg, f.name)) for f in fields(cfg)}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    if "git" in cfg.dates:  # a commit dates notes anew
        digest.update(f"git {head(cfg.notes_dir)}".encode())
    return digest.hexdigest()


def _stat(path: Path) -> list[int] | None:
    """What says a file may have changed: size, mtime, ctime, inode (of the target of a link)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _link(path: Path) -> str:
    try:
        return os.readlink(path) if path.is_symlink() else ""
    except OSError:
        return "?"


def _inputs(cfg: SiteConfig, old: dict[str, Any]) -> dict[str, list[Any]] | None:
    """rel -> [stat, sha256, link target] of every file of the notes folder a build reads;
    files whose stat matches `old` keep their recorded hash. None when one cannot be read."""
    rels, files = discover(cfg.notes_dir, cfg.exclude, skip=(cfg.out_dir,))
    found: dict[str, list[Any]] = {}
    for rel in [*rels, *sorted(files)]:
        path = cfg.notes_dir / rel
        st, link = _stat(path), _link(path)
        if st is None:
            return None
        before = old.get(rel)
        if before is not None and before[0] == st and before[2] == link:
            found[rel] = before
            continue
        sha = _sha(path)
        if sha is None:
            return None
        found[rel] = [st, sha, link]
    return found


def _outputs(out: Path, keep: tuple[str, ...]) -> dict[str, list[int]]:
    """rel -> [size, mtime] of every file of the site in `out` (top-level dot entries and
    `keep` matches are the user's, not the build's). Plain strings, no Path per file: a
    10,000-note site has 35,000 files, and this walk is most of a no-change build."""
    found: dict[str, list[int]] = {}
    kept = {os.fspath(p.resolve()) for pattern in keep for p in out.glob(pattern)}
    stack = [(os.fspath(out), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not prefix and entry.name.startswith("."):
                continue
            if kept and os.path.realpath(entry.path) in kept:
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, rel + "/"))
            else:
                st = entry.stat(follow_symlinks=False)
                found[rel] = [st.st_size, st.st_mtime_ns]
    return found


def _same_inputs(old: dict[str, list[Any]], new: dict[str, list[Any]], mtimes: bool) -> bool:
    """The same files with the same bytes; with `mtimes` (notes dated by their files), the
    notes' modification times too."""
    if old.keys() != new.keys() or any(old[k][1:] != new[k][1:] for k in old):
        return False
    return not mtimes or all(old[k][0][1] == new[k][0][1] for k in old if k.endswith(NOTE_SUFFIXES))


@dataclass(frozen=True)
class Replay:
    """What the recorded build reported, to report again."""

    counts: dict[str, int]
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class BuildRecord:
    """The last build's record for one output folder (see the module doc)."""

    cfg: SiteConfig
    key: str = ""
    inputs: dict[str, list[Any]] | None = None
    problem: Diagnostic | None = None  # the record was unreadable or foreign: a full build runs
    _data: dict[str, Any] | None = None

    @classmethod
    def open(cls, cfg: SiteConfig) -> BuildRecord:
        record = cls(cfg, key=build_key(cfg))
        path = record_path(cfg)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return record
        except (OSError, UnicodeDecodeError) as exc:
            record.problem = _ignored(path, str(exc))
            return record
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError(f"not a format-{FORMAT} record")
            if data.get("version") != __version__:
                record.problem = _ignored(path, f"written by mlnotes {data.get('version')}")
                return record
            _check_shape(data)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            record.problem = _ignored(path, f"unreadable ({exc})")
            return record
        record._data = data
        return record

    def up_to_date(self) -> Replay | None:
        """The recorded report when nothing changed since the recorded build, else None."""
        data = self._data
        old_inputs = data["inputs"] if data is not None and data["key"] == self.key else {}
        self.inputs = _inputs(self.cfg, old_inputs)
        if data is None or data["key"] != self.key or self.inputs is None:
            return None
        if not _same_inputs(data["inputs"], self.inputs, "file" in self.cfg.dates):
            return None
        if _outputs(self.cfg.out_dir, self.cfg.keep) != data["outputs"]:
            return None
        diagnostics = tuple(Diagnostic(**d) for d in data["diagnostics"])
        if self.inputs != data["inputs"]:  # touched but unchanged files: remember their new stat
            self.save(data["counts"], list(diagnostics))
        return Replay(dict(data["counts"]), diagnostics)

    def save(self, counts: dict[str, int], diagnostics: list[Diagnostic]) -> Diagnostic | None:
        """Record the build just written; a warning when the record cannot be written."""
        inputs = self.inputs if self.inputs is not None else _inputs(self.cfg, {})
        path = record_path(self.cfg)
        if inputs is None:
            return None
        data = {
            "format": FORMAT,
            "version": __version__,
            "key": self.key,
            "counts": counts,
            "diagnostics": [asdict(d) for d in diagnostics],
            "inputs": inputs,
            "outputs": _outputs(self.cfg.out_dir, self.cfg.keep),
        }
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            return warning(
                str(path), 0, f"cannot write the build record ({exc.strerror or exc})", "the next build is a full one"
            )
        return None

    def forget(self) -> None:
        """Drop the record (the output folder no longer matches it)."""
        record_path(self.cfg).unlink(missing_ok=True)


def _check_shape(data: dict[str, Any]) -> None:
    ok = (
        isinstance(data.get("key"), str)
        and isinstance(data.get("counts"), dict)
        and set(data["counts"]) == {"notes", "drafts", "topics", "pages", "files"}
        and all(isinstance(v, int) for v in data["counts"].values())
        and isinstance(data.get("inputs"), dict)
        and all(isinstance(v, list) and len(v) == 3 for v in data["inputs"].values())
        and isinstance(data.get("outputs"), dict)
        and isinstance(data.get("diagnostics"), list)
        and all(_diagnostic_shape(d) for d in data["diagnostics"])
    )
    if not ok:
        raise ValueError("unexpected contents")


def _diagnostic_shape(d: Any) -> bool:
    if not isinstance(d, dict) or set(d) != {f.name for f in fields(Diagnostic)}:
        return False
    return isinstance(d["line"], int) and all(isinstance(d[k], str) for k in ("path", "level", "message", "hint"))


def _ignored(path: Path, why: str) -> Diagnostic:
    return warning(str(path), 0, f"build record ignored: {why}", "a full build runs and writes a new one")
