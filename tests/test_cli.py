"""The `mlnotes` command as a user runs it: exit codes, summary line, quiet, strict."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from conftest import BASIC_VAULT, DEMO_VAULT
from mlnotes_site.progress import Progress

MLNOTES = str(Path(sys.executable).parent / "mlnotes")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MLNOTES, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def write_vault(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_console_script_and_module_entry_point(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("mlnotes ")
    module = subprocess.run([sys.executable, "-m", "mlnotes_site", "--version"], capture_output=True, text=True)
    assert module.returncode == 0 and module.stdout == result.stdout


def test_default_folders_and_summary_line(tmp_path):
    write_vault(tmp_path / "notes", {"a.md": "# A\n\n[[B]]\n", "b.md": "# B\n"})
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 2 notes, 2 topics, ")
    assert "1 warnings" in result.stdout and str(tmp_path / "site") in result.stdout
    assert (tmp_path / "site" / "b" / "index.html").is_file()
    # no progress bar when not a terminal; the one warning: the feed and sitemap need base_url
    [said] = result.stderr.splitlines()
    assert said.startswith(f"{tmp_path / 'mlnotes.yaml'}: warning: base_url is not set")
    (tmp_path / "mlnotes.yaml").write_text("base_url: https://me.example/notes/\n", encoding="utf-8")
    again = run("build", cwd=tmp_path)
    assert again.returncode == 0 and again.stderr == "" and "0 warnings" in again.stdout


def test_warnings_exit_0_but_1_with_strict(tmp_path):
    write_vault(tmp_path / "notes", {"a.md": "# A\n\n[[Nowhere]]\n"})
    loose = run("build", cwd=tmp_path)
    assert loose.returncode == 0
    assert "a.md:3: warning: broken link [[Nowhere]]" in loose.stderr
    strict = run("build", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert "--strict" in strict.stderr


def test_quiet_prints_only_problems(tmp_path):
    write_vault(tmp_path / "notes", {"a.md": "# A\n"})
    (tmp_path / "mlnotes.yaml").write_text("base_url: https://me.example/\n", encoding="utf-8")
    result = run("build", "--quiet", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


def test_errors_exit_1_and_the_rest_is_built(tmp_path):
    write_vault(tmp_path / "notes", {"bad.md": "---\ntitle: [oops\n---\n# Body\n", "good.md": "# Good\n"})
    result = run("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "bad.md:2: error: invalid front matter" in result.stderr
    assert (tmp_path / "site" / "good" / "index.html").is_file()
    assert "1 errors" in result.stdout
    # the broken note still shows its body (titled by its H1, the front matter being unreadable)
    assert "Body" in (tmp_path / "site" / "body" / "index.html").read_text(encoding="utf-8")


def test_usage_errors_exit_2(tmp_path):
    assert run("build", "--notes", "missing", cwd=tmp_path).returncode == 2
    assert run("build", "--bogus", cwd=tmp_path).returncode == 2
    assert run(cwd=tmp_path).returncode == 2
    (tmp_path / "mlnotes.yaml").write_text("colour: blue\n", encoding="utf-8")
    (tmp_path / "notes").mkdir()
    bad_config = run("build", cwd=tmp_path)
    assert bad_config.returncode == 2 and "unknown key 'colour'" in bad_config.stderr


def test_config_file_options(tmp_path):
    write_vault(tmp_path / "vault", {"a.md": "# A\n", "private/secret.md": "# Secret\n"})
    (tmp_path / "mlnotes.yaml").write_text(
        "title: 我的知识库\nnotes: vault\nout: public\nexclude: ['private']\n", encoding="utf-8"
    )
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert "<title>我的知识库</title>" in home and "Secret" not in home


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    write_vault(tmp_path / "notes", {"a.md": "# A\n"})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "important.txt").write_text("keep me", encoding="utf-8")
    result = run("build", "--out", "docs", cwd=tmp_path)
    assert result.returncode == 1 and "not written by mlnotes" in result.stderr
    assert (tmp_path / "docs" / "important.txt").read_text(encoding="utf-8") == "keep me"


def test_builds_the_bundled_demo_vault_from_anywhere(tmp_path):
    result = run("build", "--notes", str(DEMO_VAULT), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "todo" / "index.html").is_file()
    assert (tmp_path / "out" / "static" / "style.css").is_file()


def test_fixture_vault_via_cli(tmp_path):
    result = run("build", "--notes", str(BASIC_VAULT), "--out", "o", cwd=tmp_path)
    assert result.returncode == 0
    assert "1 drafts skipped" in result.stdout and "3 warnings" in result.stdout  # two notes', and base_url


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_after_the_delay_only():
    stream = _Tty()
    quick = Progress(stream=stream, delay=3600)
    quick.begin("load", 10)
    quick.advance(10)
    quick.finish()
    assert stream.getvalue() == ""
    slow = Progress(stream=stream, delay=0)
    slow.begin("render", 4)
    slow.advance(2)
    assert "render" in stream.getvalue() and "0/4" in stream.getvalue()
    slow.finish()
    assert stream.getvalue().endswith("\r")
    off = Progress(enabled=False, stream=_Tty(), delay=0)
    off.begin("load", 1)
    assert off.stream.getvalue() == ""


def test_an_unwritable_output_folder_is_one_clear_line(tmp_path):
    """A disk error while writing (here: the output's parent is a file) is one line naming the
    folder, exit status 1, no traceback."""
    import subprocess
    import sys

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "blocker").write_text("a file, not a folder\n", encoding="utf-8")
    out = tmp_path / "blocker" / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mlnotes_site", "build", "--notes", str(notes), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot write the site" in done.stderr or "exists and is not a folder" in done.stderr, done.stderr


def test_build_timings_table(tmp_path):
    write_vault(tmp_path / "notes", {"a.md": "# A\n\n- [ ] todo\n"})
    done = run("build", "--timings", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built 1 notes")  # printed before the script's fast exit
    lines = [line for line in done.stderr.splitlines() if "base_url" not in line]
    assert lines[0].split() == ["step", "wall", "s", "CPU", "s", "peak", "MiB"]
    steps = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert {"discover", "load", "search", "related", "render+write", "total"} <= set(steps)
    assert 10 < float(steps["total"][2]) < 100_000  # peak memory in MiB, read from the OS
