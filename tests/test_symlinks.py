"""Nothing outside the notes folder is read: a symlinked note or image pointing out of the
vault is a warning naming it, and its content never reaches the site (build and serve)."""

from __future__ import annotations

from pathlib import Path

from conftest import build_vault
from mlnotes_site.config import load_config
from mlnotes_site.serve.live import LiveSite


def _vault(tmp_path: Path) -> Path:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret.md").write_text("# Secret\n\nTOP-SECRET-TEXT\n", encoding="utf-8")
    (secret / "pw.png").write_bytes(b"root:x:0:0:SECRET-BYTES\n")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n\n![pw](pw.png) and [[Secret]]\n", encoding="utf-8")
    (notes / "b.md").write_text("plain text, titled by its file name\n", encoding="utf-8")
    (notes / "inside.md").symlink_to(notes / "b.md")  # a link that stays inside is fine
    (notes / "secret.md").symlink_to(secret / "secret.md")
    (notes / "pw.png").symlink_to(secret / "pw.png")
    return notes


def test_build_never_reads_through_a_symlink_out_of_the_vault(tmp_path):
    notes = _vault(tmp_path)
    out = tmp_path / "site"
    report = build_vault(notes, out)
    shown = [d.format() for d in report.diagnostics]
    assert any(s.startswith("secret.md: warning: is a symbolic link to a file outside the notes folder") for s in shown)
    assert any(s.startswith("pw.png: warning: is a symbolic link to a file outside") for s in shown)
    assert any(s.startswith("a.md:3: warning: missing image 'pw.png'") for s in shown), shown
    site = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"TOP-SECRET-TEXT" not in site and b"SECRET-BYTES" not in site
    assert (out / "a" / "index.html").is_file() and (out / "inside" / "index.html").is_file()


def test_serve_never_reads_through_a_symlink_out_of_the_vault(tmp_path):
    notes = _vault(tmp_path)
    live = LiveSite(load_config(None, notes=notes, out=tmp_path / "never", cwd=tmp_path))
    report = live.start()
    assert {d.path for d in report.warnings} >= {"secret.md", "pw.png"}
    output = live.output()
    assert not any(b"TOP-SECRET-TEXT" in v or b"SECRET-BYTES" in v for v in output.values())
    assert live.response("/assets/pw.png") is None
