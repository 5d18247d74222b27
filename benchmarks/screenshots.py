"""Screenshots of every page type, desktop and phone, light and dark, for a person to look at.

    python benchmarks/screenshots.py                              # the demo vault -> benchmarks/work/shots/
    python benchmarks/screenshots.py --notes ../shared/seed-notes --out /tmp/shots
    python benchmarks/screenshots.py --width 320 --only topic     # one narrow phone, one page type

It builds the notes folder into a temporary folder, serves it on 127.0.0.1 (an ephemeral
port), opens each page type in Debian's Chromium through Playwright and writes
`<kind>-<desktop|phone>-<light|dark>.png` (the first screen, plus `-full` for the whole page
of the topic). Page types: home, topic (the longest one), collection note, tags, one tag,
tracker, graph, search (with a query), 404. It prints each file written and any console
error a page logged; it checks nothing else (the browser tests do).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from mlnotes_site.build import build  # noqa: E402
from mlnotes_site.config import load_config  # noqa: E402
from serving import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


def page_urls(report) -> dict[str, str]:
    """Root-relative URL of one page of each type in the built site."""
    site = report.site
    topics = [t for t in site.topics.values() if not t.place_id]
    longest = max(topics, key=lambda t: (t.token_end - t.token_start, t.url))
    found = {"home": "/", "topic": longest.url, "tags": "/tags/", "tracker": "/tasks/", "graph": "/graph/"}
    if site.note_pages:
        found["note"] = next(iter(site.note_pages.values())).url
    if site.tags:
        found["tag"] = site.tag_urls.get(next(iter(site.tag_urls)), "/tags/")
    words = longest.title.split()
    found["search"] = "/search/?q=" + quote(words[0] if words else longest.title[:2])
    found["404"] = "/no-such-page/"
    return found


def shoot(
    notes: Path,
    out: Path,
    sizes: list[str],
    schemes: list[str],
    only: list[str] | None,
    width: int | None,
    language: str | None = None,
) -> int:
    """Build, serve and photograph; returns how many console errors the pages logged."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(None, notes=notes, out=Path(tmp) / "site", cwd=Path(tmp), language=language)
        report = build(cfg, jobs=1)
        server, base = serve(cfg.out_dir)
        errors = 0
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                for kind, url in page_urls(report).items():
                    if only and kind not in only:
                        continue
                    for size in sizes:
                        viewport = dict(SIZES[size], **({"width": width} if width else {}))
                        for scheme in schemes:
                            context = browser.new_context(viewport=viewport, color_scheme=scheme)
                            page = context.new_page()
                            logged: list[str] = []
                            page.on("console", lambda m, logged=logged: m.type == "error" and logged.append(m.text))
                            page.on("pageerror", lambda e, logged=logged: logged.append(str(e)))
                            page.goto(base + quote(url.lstrip("/"), safe="/?=&%"))
                            page.wait_for_load_state("networkidle")
                            if kind == "graph":
                                page.wait_for_selector("#graph[data-ready='1']", timeout=10000)
                            name = out / f"{kind}-{size}-{scheme}.png"
                            page.screenshot(path=str(name))
                            print(name)
                            if kind == "topic":
                                full = out / f"{kind}-{size}-{scheme}-full.png"
                                page.screenshot(path=str(full), full_page=True)
                                print(full)
                            if kind != "404":  # the 404 page itself is a "Failed to load resource"
                                for text in logged:
                                    print(f"  console error on {url}: {text}")
                                errors += len(logged)
                            context.close()
                browser.close()
        finally:
            server.shutdown()
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=Path, default=HERE.parent / "notes", help="notes folder (default: demo vault)")
    parser.add_argument("--out", type=Path, default=HERE / "work" / "shots", help="where the PNG files go")
    parser.add_argument("--size", nargs="+", choices=sorted(SIZES), default=sorted(SIZES))
    parser.add_argument("--scheme", nargs="+", choices=["light", "dark"], default=["light", "dark"])
    parser.add_argument("--only", nargs="+", help="page types (home topic note tags tag tracker graph search 404)")
    parser.add_argument("--width", type=int, help="viewport width instead of the size's own (e.g. 320)")
    parser.add_argument("--language", help="interface language (default: as the notes decide)")
    args = parser.parse_args(argv)
    errors = shoot(args.notes.resolve(), args.out, args.size, args.scheme, args.only, args.width, args.language)
    print(f"{errors} console errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
