"""Where templates and static files come from: the user's project folder first, then the
files shipped inside the package (or, in a source checkout, the repository's top level)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The default `templates/` or `static/` folder: inside the wheel, else the repo's top level."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent.parent / name


def theme_dirs(project_dir: Path, name: str) -> list[Path]:
    """Folders to look in, highest priority first: `<project>/<name>` overrides the shipped one."""
    user = project_dir / name
    shipped = shipped_dir(name)
    dirs = [user] if user.is_dir() and user.resolve() != shipped.resolve() else []
    return dirs + [shipped]
