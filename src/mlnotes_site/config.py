"""One validated, frozen configuration object, loaded at the edge and passed explicitly."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import ConfigError
from .i18n import available, canonical

CONFIG_NAME = "mlnotes.yaml"
# what a build keeps of the old output folder besides its dot-files (output/disk.py)
DEFAULT_KEEP: tuple[str, ...] = ("CNAME", ".nojekyll", ".git")
MAX_NOTE_BYTES = 10_000_000  # the defaults of markdown/limits.py (config imports no stage)
MAX_PARSE_STEPS = 1_000_000
TRACKER_PAGE_ITEMS = 1_000  # checklist items per tracker page (emit/tracker.py)
DATE_SOURCES = ("front_matter", "git", "file")  # where dates come from, in order (graph/dates.py)
HOME_PAGE_TOPICS = 2_000  # topics the home page lists before the list goes on at /topics/2/ (emit/home.py)

# key -> (type, meaning); the README's table of config keys says the same, keep them together
KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "title": (str, "site title shown in the header and the browser tab"),
    "description": (str, "one line under the title on the home page"),
    "base_url": (str, "where the site will live, e.g. https://me.example/notes/ (absolute sitemap, base path)"),
    "language": (
        str,
        "the interface's language and every page's `lang`: `en` or `zh-CN` (one catalogue each in "
        "src/mlnotes_site/i18n/); unset: chosen from the notes, zh-CN when they are mostly Han text",
    ),
    "notes": (str, "notes folder, relative to the config file"),
    "out": (str, "output folder, relative to the config file"),
    "exclude": (list, "glob patterns (relative to the notes folder) of files and folders to skip"),
    "drafts": (bool, "publish notes marked `draft: true` / `published: false`"),
    "edit_url": (str, "link to edit a note; `{path}` is replaced by its path in the notes folder"),
    "autolink": (bool, "link text that mentions another topic's title, alias or heading"),
    "keep": (list, "glob patterns (relative to the output folder) of files a build keeps; dot-files are always kept"),
    "file_urls": (
        bool,
        "links end in index.html and the graph loads without fetch, so the site opens from disk (file://)",
    ),
    "breaks": (bool, "every newline inside a paragraph is a line break, as in Obsidian (default: false)"),
    "raw_html": (bool, "raw HTML in notes is passed through (true) or shown as text (false)"),
    "max_note_bytes": (int, f"a note bigger than this is shown as plain text, with a warning ({MAX_NOTE_BYTES:,})"),
    "max_parse_steps": (
        int,
        f"Markdown look-ahead steps one note may take (ordinary notes: under 0.1 per byte) before it is shown "
        f"as plain text, with a warning ({MAX_PARSE_STEPS:,}; a line of 100,000 `[` takes 2 million)",
    ),
    "dates": (
        list,
        "where notes' created and updated dates come from, tried in this order: `front_matter`"
        " (`date`/`created`, `updated`/`lastmod`/`modified`), `git` (the notes folder's history), `file`"
        " (modification time); default: all three; `[]`: no dates",
    ),
    "tracker_page_items": (
        int,
        f"checklist items per page of the TODO tracker ({TRACKER_PAGE_ITEMS:,}); a bigger vault's tracker is paged",
    ),
    "home_page_topics": (
        int,
        f"topics the home page lists ({HOME_PAGE_TOPICS:,}); a bigger vault's list goes on at /topics/2/, …",
    ),
}


@dataclass(frozen=True)
class SiteConfig:
    """Everything a build needs to know besides the notes themselves."""

    notes_dir: Path
    out_dir: Path
    project_dir: Path
    config_file: Path | None = None
    title: str = "mlnotes"
    description: str = ""
    base_url: str = ""
    language: str = ""  # "": chosen from the notes (graph/language.py)
    exclude: tuple[str, ...] = ()
    drafts: bool = False
    edit_url: str = ""
    autolink: bool = True
    keep: tuple[str, ...] = DEFAULT_KEEP
    raw_html: bool = True
    breaks: bool = False
    file_urls: bool = False
    max_note_bytes: int = MAX_NOTE_BYTES
    max_parse_steps: int = MAX_PARSE_STEPS
    tracker_page_items: int = TRACKER_PAGE_ITEMS
    home_page_topics: int = HOME_PAGE_TOPICS
    dates: tuple[str, ...] = DATE_SOURCES

    @property
    def site_url(self) -> str:
        """`base_url` without its last `/` when it is an http(s) address (absolute links: the
        feed, the sitemap, Open Graph), else ""."""
        return self.base_url.rstrip("/") if self.base_url.startswith(("http://", "https://")) else ""

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, always starting and ending with `/`."""
        path = urlsplit(self.base_url).path if self.base_url else "/"
        path = "/" + path.strip("/") + "/"
        return "/" if path == "//" else path


def _check(data: dict[str, Any], source: str) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{source}: unknown key '{key}' (known keys: {known})")
        kind, _ = KEYS[key]
        if value is None:
            continue
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            want = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise ConfigError(f"{source}: key '{key}' must be a {want}, got {type(value).__name__}")
        if isinstance(value, list):
            value = _list(key, value, source)
        if key in ("max_note_bytes", "max_parse_steps", "tracker_page_items", "home_page_topics") and value < 1:
            raise ConfigError(f"{source}: key '{key}' must be a positive number, got {value}")
        if key == "base_url" and value and not (value.startswith(("http://", "https://", "/"))):
            raise ConfigError(f"{source}: key 'base_url' must start with http://, https:// or /, got '{value}'")
        if key == "language":
            value = _language(value, source)
        if key == "edit_url" and value and not _is_web_url(value):
            raise ConfigError(f"{source}: key 'edit_url' must be an http:// or https:// URL, got '{value}'")
        clean[key] = value
    return clean


def _list(key: str, value: list[Any], source: str) -> tuple[Any, ...]:
    """A list-valued key, checked: `exclude` and `keep` globs, `dates` sources."""
    if key in ("exclude", "keep") and not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{source}: key '{key}' must be a list of glob strings")
    if key == "keep":
        for item in value:
            why = bad_keep_pattern(item)
            if why:
                raise ConfigError(f"{source}: key 'keep': pattern '{item}' {why}")
    if key == "dates" and (any(item not in DATE_SOURCES for item in value) or len(set(value)) != len(value)):
        raise ConfigError(f"{source}: key 'dates' must list some of {', '.join(DATE_SOURCES)} once each, got {value}")
    return tuple(value)


def _language(value: str, source: str) -> str:
    """A configured language as its catalogue names it (`zh-cn` → `zh-CN`); "" when unset."""
    if not value.strip():
        return ""
    found = canonical(value)
    if found is None:
        langs = ", ".join(available())
        raise ConfigError(
            f"{source}: key 'language': no catalogue for '{value}' (available: {langs}; "
            f"leave it unset to choose from the notes, or add src/mlnotes_site/i18n/{value}.yaml)"
        )
    return found


def bad_keep_pattern(pattern: str) -> str | None:
    """Why `pattern` cannot be a `keep` glob (empty, absolute, `..`), or None when it can."""
    if not pattern.strip():
        return "is empty"
    if pattern.startswith(("/", "\\")) or PurePosixPath(pattern).is_absolute() or re.match(r"^[A-Za-z]:", pattern):
        return "is absolute; keep globs are relative to the output folder"
    if ".." in re.split(r"[/\\]", pattern):
        return "contains `..`; keep globs are relative to the output folder"
    return None


def _is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host (`javascript:`, `//host`, `/path` are not)."""
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and value == value.strip()


def read_config_file(path: Path) -> dict[str, Any]:
    """Parse and validate an `mlnotes.yaml`; errors name the file, the line and the key."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML ({getattr(exc, 'problem', exc)})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping of keys to values")
    return _check(data, str(path))


def find_config(cwd: Path, notes_dir: Path | None) -> Path | None:
    """The implicit config: `mlnotes.yaml` in the working folder, else beside the notes folder."""
    for folder in (cwd, notes_dir.parent if notes_dir else None):
        if folder is not None and (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return None


def load_config(
    config_file: Path | None = None,
    *,
    notes: Path | None = None,
    out: Path | None = None,
    cwd: Path | None = None,
    **overrides: Any,
) -> SiteConfig:
    """Build the SiteConfig: defaults < config file < command-line values."""
    cwd = (cwd or Path.cwd()).resolve()
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"{config_file}: config file not found")
    if config_file is None:
        config_file = find_config(cwd, (cwd / notes) if notes else None)
    data = read_config_file(config_file) if config_file else {}
    base = config_file.parent.resolve() if config_file else cwd
    notes_dir = (cwd / notes) if notes else base / data.pop("notes", "notes")
    out_dir = (cwd / out) if out else base / data.pop("out", "site")
    data.pop("notes", None)
    data.pop("out", None)
    project_dir = config_file.parent.resolve() if config_file else notes_dir.resolve().parent
    clean_overrides = _check({k: v for k, v in overrides.items() if v is not None}, "command line")
    cfg = SiteConfig(
        notes_dir=notes_dir.resolve(),
        out_dir=out_dir.resolve(),
        project_dir=project_dir,
        config_file=config_file.resolve() if config_file else None,
    )
    return replace(cfg, **{**data, **clean_overrides})
