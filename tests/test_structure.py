"""Code structure: imports flow downwards (cli → build → stages → model/paths/errors)."""

from __future__ import annotations

import ast
from pathlib import Path

import mlnotes_site

PACKAGE = Path(mlnotes_site.__file__).parent

# module -> the project modules it may import
LAYERS = {
    "errors": set(),
    "paths": set(),
    "model": {"errors"},
    "config": {"errors"},
    "theme": set(),
    "progress": set(),
    "markdown": {"markdown"},
    "discover": set(),
    "tasks": {"errors", "model"},
    "load": {"errors", "model", "paths", "tasks"},
    "topics": {"errors", "model", "paths"},
    "mentions": {"model"},
    "related": {"export", "mentions", "model"},
    "graph": {"errors", "mentions", "model", "paths", "topics"},
    "indexdeps": {"graph", "model", "paths"},
    "sitestate": {"errors", "graph", "indexdeps", "mentions", "model", "related", "topics"},
    "tracker": {"graph", "model", "paths"},
    "export": {"model", "paths"},
    "linker": {"model", "paths"},
    "render": {"config", "export", "linker", "model", "paths", "theme", "tracker"},
    "write": {"errors", "paths", "render"},
    "build": {"config", "discover", "errors", "load", "markdown", "model", "progress", "render", "sitestate", "theme", "tracker", "write"},
    "live": {"build", "config", "discover", "errors", "export", "linker", "load", "markdown", "model", "paths", "render", "sitestate", "theme"},
    "watch": set(),
    "serve_http": set(),
    "serve": {"config", "discover", "errors", "export", "live", "serve_http", "watch"},
    "cli": {"build", "config", "errors", "markdown", "progress", "serve", "tracker"},
}


def _project_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(a.name for a in node.names if (PACKAGE / f"{a.name}.py").exists() or (PACKAGE / a.name).is_dir())
    return found - {""}


def test_imports_flow_downwards():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        module = rel.parts[0] if len(rel.parts) > 1 else path.stem
        if module in ("__init__", "__main__"):
            continue
        allowed = LAYERS[module]
        imported = _project_imports(path)
        if len(rel.parts) > 1:  # inside the markdown package, sibling imports are fine
            imported = {m for m in imported if not (PACKAGE / "markdown" / f"{m}.py").exists()}
        assert imported <= allowed, f"{rel} imports {sorted(imported - allowed)}"


def test_templates_and_static_ship_with_the_package():
    from mlnotes_site.theme import shipped_dir

    for name, must in (("templates", "base.html"), ("static", "style.css")):
        folder = shipped_dir(name)
        assert (folder / must).is_file(), folder
        if "site-packages" in str(PACKAGE):  # a real (non-editable) install: files are inside the wheel
            assert folder.parent == PACKAGE
