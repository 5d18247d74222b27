"""Code structure: the stages are subpackages, and imports flow one way between them.

    cli → serve → pipeline → output, emit → graph → load → model, paths, errors, config

`markdown/` serves load and emit and imports no stage; emit never imports load (rendering
never reads notes); graph never imports emit; output imports neither emit nor graph (sinks
take bytes); nothing below the pipeline imports serve or cli.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mlnotes_site

PACKAGE = Path(mlnotes_site.__file__).parent

BASE = {"model", "paths", "urls", "errors", "config", "theme", "progress", "i18n"}  # plain data and pure rules
# unit (a subpackage or a top-level module) -> the units it may import
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "paths": {"urls"},
    "urls": set(),
    "theme": set(),
    "progress": set(),
    "model": {"errors"},
    "i18n": set(),  # the message catalogues: plain data, imports nothing of the package
    "config": {"errors", "paths", "i18n"},
    "markdown": {"paths", "i18n"},
    "load": BASE | {"markdown"},
    "graph": BASE | {"load"},
    "emit": BASE | {"graph", "markdown"},
    "output": BASE,
    "pipeline": BASE | {"load", "graph", "emit", "output", "markdown"},
    "cache": BASE | {"load"},
    "build": BASE | {"pipeline", "output", "cache"},
    "serve": BASE | {"pipeline", "output"},
    "cli": BASE | {"build", "serve", "pipeline", "graph", "load", "markdown"},
}


def _unit(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else path.stem


def _imports(path: Path) -> set[str]:
    """Units of this package that `path` imports (relative imports resolved)."""
    rel = path.relative_to(PACKAGE)
    package = list(rel.parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            base = package[: len(package) - (node.level - 1)]
            parts = [*base, *(node.module.split(".") if node.module else [])]
            if parts:
                found.add(parts[0])
            else:  # `from . import x`: x is a module or subpackage, or a name of __init__
                found.update(
                    a.name for a in node.names if (PACKAGE / f"{a.name}.py").exists() or (PACKAGE / a.name).is_dir()
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mlnotes_site."):
            found.add(node.module.split(".")[1])
    return found


def test_stages_are_subpackages():
    for name in ("load", "graph", "emit", "output", "serve", "markdown"):
        assert (PACKAGE / name / "__init__.py").is_file(), name
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert top <= set(ALLOWED), f"unexpected top-level modules: {sorted(top - set(ALLOWED))}"


def test_imports_flow_one_way():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        if unit in ("__init__", "__main__"):
            continue
        assert unit in ALLOWED, f"{path.relative_to(PACKAGE)}: no rule for unit {unit!r}"
        bad = _imports(path) - ALLOWED[unit] - {unit}
        if bad:
            problems.append(f"{path.relative_to(PACKAGE)} imports {sorted(bad)}")
    assert not problems, "\n".join(problems)


def test_the_rules_themselves_flow_one_way():
    """No two units may import each other, directly or through others (the rules are a DAG)."""
    seen: dict[str, int] = {}

    def visit(unit: str, stack: tuple[str, ...]) -> None:
        assert unit not in stack, " → ".join((*stack, unit))
        if seen.get(unit):
            return
        for dep in ALLOWED[unit]:
            visit(dep, (*stack, unit))
        seen[unit] = 1

    for unit in ALLOWED:
        visit(unit, ())
    for low in ("load", "graph", "emit", "output", "pipeline"):
        assert not {"serve", "cli"} & ALLOWED[low]
    assert "load" not in ALLOWED["emit"] and "emit" not in ALLOWED["graph"]
    assert not {"emit", "graph"} & ALLOWED["output"]
    assert not ({"load", "graph", "emit", "output", "pipeline", "serve", "build", "cli"} & ALLOWED["markdown"])


def test_templates_and_static_ship_with_the_package():
    from mlnotes_site.theme import shipped_dir

    for name, must in (("templates", "base.html"), ("static", "style.css")):
        folder = shipped_dir(name)
        assert (folder / must).is_file(), folder
        if "site-packages" in str(PACKAGE):  # a real (non-editable) install: files are inside the wheel
            assert folder.parent == PACKAGE
