"""Config loading: defaults, file values, command-line overrides, errors naming the key."""

from pathlib import Path

import pytest

from mlnotes_site.config import load_config
from mlnotes_site.errors import ConfigError


def test_defaults(tmp_path):
    cfg = load_config(None, cwd=tmp_path)
    assert cfg.notes_dir == tmp_path / "notes"
    assert cfg.out_dir == tmp_path / "site"
    assert cfg.base_path == "/"
    assert cfg.language == ""  # chosen from the notes


def test_file_values_and_overrides(tmp_path):
    (tmp_path / "mlnotes.yaml").write_text(
        "title: 我的笔记\nbase_url: https://me.example/notes/\nexclude: ['private/*']\nnotes: vault\nout: public\n",
        encoding="utf-8",
    )
    cfg = load_config(None, cwd=tmp_path, drafts=True)
    assert cfg.title == "我的笔记"
    assert cfg.base_path == "/notes/"
    assert cfg.exclude == ("private/*",)
    assert cfg.notes_dir == tmp_path / "vault"
    assert cfg.out_dir == tmp_path / "public"
    assert cfg.drafts is True
    cli = load_config(None, cwd=tmp_path, notes=Path("other"))
    assert cli.notes_dir == tmp_path / "other"


def test_unknown_key_is_named(tmp_path):
    (tmp_path / "mlnotes.yaml").write_text("titel: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mlnotes.yaml: unknown key 'titel'"):
        load_config(None, cwd=tmp_path)


def test_wrong_type_is_named(tmp_path):
    (tmp_path / "mlnotes.yaml").write_text("drafts: yes please\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="key 'drafts' must be a bool"):
        load_config(None, cwd=tmp_path)


def test_yaml_error_has_line(tmp_path):
    (tmp_path / "mlnotes.yaml").write_text("title: ok\nexclude: [a\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mlnotes.yaml:\d+: invalid YAML"):
        load_config(None, cwd=tmp_path)


def test_missing_explicit_config(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml", cwd=tmp_path)


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)//{path}",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "//evil.example/{path}",
        "/edit/{path}",
        "ftp://x.org/{path}",
        "https://",
        "file:///etc/passwd",
    ],
)
def test_edit_url_must_be_http(tmp_path, value):
    (tmp_path / "mlnotes.yaml").write_text(f"edit_url: '{value}'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mlnotes.yaml: key 'edit_url' must be an http:// or https:// URL"):
        load_config(None, cwd=tmp_path)
    with pytest.raises(ConfigError, match=r"command line: key 'edit_url'"):
        load_config(None, cwd=tmp_path / "nowhere", edit_url=value)


@pytest.mark.parametrize("value", ["https://github.com/me/notes/edit/main/{path}", "http://localhost:8080/{path}"])
def test_edit_url_http_is_accepted(tmp_path, value):
    (tmp_path / "mlnotes.yaml").write_text(f"edit_url: '{value}'\n", encoding="utf-8")
    assert load_config(None, cwd=tmp_path).edit_url == value


def test_keep_and_raw_html_defaults_and_values(tmp_path):
    cfg = load_config(None, cwd=tmp_path)
    assert cfg.keep == ("CNAME", ".nojekyll", ".git") and cfg.raw_html is True
    (tmp_path / "mlnotes.yaml").write_text("keep: [CNAME, 'downloads/*.zip']\nraw_html: false\n", encoding="utf-8")
    cfg = load_config(None, cwd=tmp_path)
    assert cfg.keep == ("CNAME", "downloads/*.zip") and cfg.raw_html is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("keep: CNAME\n", "key 'keep' must be a list"),
        ("keep: [1]\n", "key 'keep' must be a list of glob strings"),
        ("keep: ['../x']\n", r"key 'keep': pattern '\.\./x' contains `\.\.`"),
        ("keep: ['/etc']\n", "key 'keep': pattern '/etc' is absolute"),
        ("raw_html: 'no'\n", "key 'raw_html' must be a bool"),
    ],
)
def test_keep_and_raw_html_are_validated(tmp_path, text, message):
    (tmp_path / "mlnotes.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(None, cwd=tmp_path)


def test_parse_limits(tmp_path):
    from mlnotes_site.markdown.limits import MAX_NOTE_BYTES, MAX_PARSE_STEPS

    default = load_config(None, cwd=tmp_path)
    assert (default.max_note_bytes, default.max_parse_steps) == (MAX_NOTE_BYTES, MAX_PARSE_STEPS)
    (tmp_path / "mlnotes.yaml").write_text("max_note_bytes: 2000000\nmax_parse_steps: 50000\n", encoding="utf-8")
    cfg = load_config(None, cwd=tmp_path)
    assert (cfg.max_note_bytes, cfg.max_parse_steps) == (2_000_000, 50_000)


@pytest.mark.parametrize("value", ["0", "-5", "yes", "'big'", "1.5"])
def test_parse_limits_must_be_positive_integers(tmp_path, value):
    (tmp_path / "mlnotes.yaml").write_text(f"max_parse_steps: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 'max_parse_steps' must be a (positive number|int)"):
        load_config(None, cwd=tmp_path)
