"""JSON written into the site never holds a raw `<`, `>` or `&`: a note title such as
`</script><img src=x onerror=alert(1)>` cannot close a script block wherever graph.json is embedded."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import build_vault
from mlnotes_site.paths import safe_json as dumps

TITLE = "</script><img src=x onerror=alert(1)> & <!-- Q&A"


def test_dumps_escapes_only_html_characters() -> None:
    assert dumps({"title": "a<b>&c", "n": 1}) == '{"title": "a\\u003cb\\u003e\\u0026c", "n": 1}'
    assert json.loads(dumps({"title": TITLE})) == {"title": TITLE}
    ordinary = {"title": 'Policy gradients — 策略梯度 "quoted" \\ back', "tags": ["rl"], "x": -1.5}
    assert dumps(ordinary) == json.dumps(ordinary, ensure_ascii=False)


def test_graph_json_has_no_raw_html_characters(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "evil.md").write_text(
        f"---\ntitle: '{TITLE}'\ntags: [sec]\n---\n\n# {TITLE}\n\nSee [[other]].\n\n## A <b>&amp; heading\n\ntext\n",
        encoding="utf-8",
    )
    (notes / "other.md").write_text("# Other & more\n\nBack to [[evil]].\n", encoding="utf-8")
    report = build_vault(notes, tmp_path / "site")
    assert not report.errors, report.errors
    text = (tmp_path / "site" / "graph.json").read_text(encoding="utf-8")
    assert not set("<>&") & set(text), [line for line in text.splitlines() if set("<>&") & set(line)]
    data = json.loads(text)
    titles = {node["title"] for node in data["nodes"]}
    assert TITLE in titles and "Other & more" in titles, titles
    assert "\\u003c/script\\u003e" in text and "\\u0026" in text
    ids = {node["id"] for node in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert any(e["kind"] == "link" for e in data["edges"])
