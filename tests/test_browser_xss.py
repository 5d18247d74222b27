"""XSS probes in real Chromium: script written into every metadata field, into math, link
labels and names never runs on any page of the built site (a dialog fails the test).

Raw HTML in a note's body runs as written unless `raw_html: false` (README, "Safety"), so the
probes here sit only where a note's text is data: front matter, labels, link names, math.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

pytest.importorskip("playwright.sync_api", reason="playwright is not installed; install the 'test' extra")

from conftest import build_vault
from test_browser import Served, browser, new_page, serve_folder  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

P = "<img src=x onerror=alert(1)>"
Q = '"><svg onload=alert(2)>'
R = "</script><script>alert(3)</script>"


def _front(**meta: Any) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"


NOTES = {
    "probe.md": _front(title=f"T {P} {Q}", tags=[P, f"x{R}"], aliases=[f"A {Q}"], date=P)
    + f"""Intro mentions A and links [[Other {P}|label {P}]] and [[Other {P}]] and [[#Sub|to {R}]].

## Sub

- [ ] task with [[Other {P}|a label {Q}]]

$\\tag{{{P}}} x$ and $\\mbox{{<svg/onload=alert(4)>}}$ and $\\text{{when a<b and c>d}} y$

$$\\text{{{R}}} z$$

![alt {Q}](missing.png) ![[gone {P}.png]] [[missing {P}]]
""",
    # (a label must not start with `"`: the probe would be a diagram that does not parse, left as text)
    "diagram.md": f"""# Diagram $\\text{{{P}}}$

```mermaid
graph TD
  A["{P}"] --> B["{R}"]
  B --> C{{"<svg onload=alert(2)>"}}
  click A call alert(6)
  click B "javascript:alert(7)"
```
""",
    "other.md": _front(title=f"Other {P}", permalink="javascript:alert(5)/**")
    + f"""Text of the other page, [[probe|back {R}]].
""",
}


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("xss")
    notes = root / "notes"
    notes.mkdir()
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    report = build_vault(notes, root / "site")
    # the unsafe permalink is refused (and the note published at its own URL); nothing else is an error
    assert [d.path for d in report.errors] == ["other.md"], report.errors
    yield from serve_folder(root / "site", report)


def _pages(root: Path) -> list[str]:
    return sorted("/" + p.relative_to(root).as_posix() for p in root.rglob("*.html"))


def test_no_probe_runs_on_any_page(probes: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    page, _ = new_page()
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(f"{page.url}: dialog {d.message}"), d.dismiss()))
    pages = _pages(probes.root)
    assert len(pages) >= 8, pages
    for path in pages:
        page.goto(probes.url(path))
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)
        for link in page.locator("main a.internal").all()[:3]:  # a preview copies the target into this page
            if link.is_visible():
                link.hover()
                page.wait_for_timeout(450)
    assert not fired, fired


def test_probes_are_shown_as_text(probes: Served) -> None:
    html = "".join(p.read_text(encoding="utf-8") for p in probes.root.rglob("*.html"))
    assert "<img src=x onerror" not in html and "<svg onload" not in html and "<svg/onload" not in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    graph = (probes.root / "graph.json").read_text(encoding="utf-8")
    assert "onerror" in graph  # the titles are there, as data


def test_mermaid_labels_and_clicks_run_nothing(probes: Served, new_page: Any) -> None:  # noqa: F811 - fixture argument
    """securityLevel "strict" (static/mermaid-init.js): label markup goes through mermaid's
    sanitizer (no scripts, handlers or javascript: links) and `click` lines do nothing."""
    page, _ = new_page()
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(f"dialog {d.message}"), d.dismiss()))
    page.goto(probes.url("/diagram-text-img-src-x-onerror-alert-1/"))
    diagram = page.locator("pre.mermaid > svg")
    diagram.wait_for(state="visible", timeout=15000)  # the probe diagram parses: it is drawn
    found = page.evaluate(
        """() => Array.from(document.querySelectorAll('pre.mermaid svg *')).filter(e =>
            e.localName === 'script' || Array.from(e.attributes).some(a => a.name.startsWith('on')
            || /^\\s*javascript:/i.test(a.value))).map(e => e.outerHTML)"""
    )
    assert found == []
    for node in page.locator("pre.mermaid svg .node").all():
        node.click(force=True)
    page.wait_for_timeout(300)
    assert not fired, fired
    assert page.url.startswith(probes.url("/"))
