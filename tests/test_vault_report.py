"""benchmarks/vault_report.py counts what a new user checks first; its counts on a fixture
vault whose contents are known (tests/fixtures/vaults/attachments, see its notes)."""

from __future__ import annotations

import importlib.util
import sys

from conftest import FIXTURES, REPO


def _module():
    spec = importlib.util.spec_from_file_location("vault_report", REPO / "benchmarks" / "vault_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["vault_report"] = module
    spec.loader.exec_module(module)
    return module


def test_warning_kinds_drop_the_names():
    kind = _module().warning_kind
    assert kind("broken link [[Nope]]: no note, topic, alias, heading or file by that name") == "broken link …"
    assert kind("missing image 'a b.png': not in the notes folder") == "missing image …"


def test_counts_on_the_attachments_vault(tmp_path):
    found = _module().report_for(FIXTURES / "vaults" / "attachments", tmp_path / "site")
    diag = found["diagnostics"]
    assert diag["errors"] == 0
    assert diag["broken-link warnings"] == 1  # the one broken sized embed the vault writes on purpose
    attachments = found["attachments in notes"]
    assert attachments["images written"] == 8 and attachments["images found"] == 7
    assert attachments["files linked or embedded"] == 2
    assert found["media elements with a local file"]["missing"] == 0
    assert found["media elements with a local file"]["shown"] >= 7
    assert found["dangling"]["count"] == 0
    assert found["math"]["fallbacks"] == 0


def test_math_fallbacks_are_counted(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "m.md").write_text("# M\n\n$x^2$ and $\\frac{1}{$ and $$\\sum_i x_i$$\n", encoding="utf-8")
    found = _module().report_for(notes, tmp_path / "site")
    assert found["math"]["MathML"] >= 2
    assert found["math"]["fallbacks"] == 1
    assert "\\frac{1}{" in found["math"]["first fallbacks"][0]
