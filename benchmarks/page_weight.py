"""Page weight and first render of one page of built sites, in Chromium, alternating sites.

    python benchmarks/page_weight.py SITE [SITE ...] [--page /some-topic/] [--loads 7]

Each SITE is an output folder of `mlnotes build` (e.g. of benchmarks/work/vault-10000, built
by two commits). Every site is served over HTTP on 127.0.0.1 and the same page is opened in
headless Chromium (the browser tests' launch arguments), the sites taking turns, so drift of
this shared machine's speed falls on all of them alike. Measured, median of --loads:

- weight: the page's HTML (bytes, and gzip -6 bytes), and every response a cold load receives
  (new browser context: empty cache), summed, until the network has been idle for 0.5 s;
- cold and warm first render: first contentful paint, DOMContentLoaded and load, in ms since
  navigation start; cold in a new context, warm the same page again in a context that has
  loaded it once (static files and /explorer.js cached as a browser caches them);
- explorer: when the explorer's tree was drawn (`#explorer[data-ready]`, seen by a
  MutationObserver), where the site has one.

Without --page, the topic page at the middle of the first site's sitemap is used.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]

# installed before any script of the page: note when the explorer's tree is drawn
WATCH = """
window.__explorerReady = null;
new MutationObserver((_, obs) => {
  const nav = document.getElementById('explorer');
  if (nav && nav.hasAttribute('data-ready')) { window.__explorerReady = performance.now(); obs.disconnect(); }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready']});
"""

TIMES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return {fcp: fcp ? fcp.startTime : null, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          explorer: window.__explorerReady};
}"""


def middle_topic(site: Path) -> str:
    """The page at the middle of the sitemap's topic pages (a top-level `/<slug>/`)."""
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    paths = [urlsplit(loc).path for loc in locs]
    topics = [p for p in paths if p.count("/") == 2 and not re.match(r"^/(tags|tasks|topics|notes|graph|search)/", p)]
    return unquote(topics[len(topics) // 2])


def size(response: Any) -> int:
    try:
        return len(response.body()) if response.ok else 0
    except Exception:  # a redirect or a response the browser dropped has no body
        return 0


def load(browser: Browser, url: str, warm: bool) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.add_init_script(WATCH)
        if warm:
            page.goto(url, wait_until="load")
            page.wait_for_timeout(1000)
            page.goto("about:blank")
        received: list[int] = []
        page.on("response", lambda r: received.append(size(r)))
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        times = page.evaluate(TIMES)
        times["bytes"] = sum(received)
        times["requests"] = len(received)
        return times
    finally:
        context.close()


def median(values: list[Any]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--page", help="root-relative URL of the page (default: a topic in the middle)")
    parser.add_argument("--loads", type=int, default=7)
    args = parser.parse_args()
    page = args.page or middle_topic(args.sites[0])
    servers = [serve(site) for site in args.sites]
    runs: dict[Path, dict[str, list[dict[str, Any]]]] = {site: {"cold": [], "warm": []} for site in args.sites}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(args.loads):
            for site, (_, base) in zip(args.sites, servers, strict=True):
                for kind in ("cold", "warm"):
                    runs[site][kind].append(load(browser, base + quote(page.lstrip("/")), kind == "warm"))
        browser.close()
    print(f"page {page}, median of {args.loads} loads, 1280x800, ms since navigation start")
    for site in args.sites:
        html = (site / page.strip("/") / "index.html").read_bytes()
        data = site / "explorer.js"
        print(f"\n{site}")
        print(f"  HTML {len(html):,} bytes, {len(gzip.compress(html, 6)):,} gzip")
        if data.is_file():
            raw = data.read_bytes()
            print(f"  explorer.js {len(raw):,} bytes, {len(gzip.compress(raw, 6)):,} gzip")
        for kind in ("cold", "warm"):
            r = runs[site][kind]
            row = {k: median([x[k] for x in r]) for k in ("fcp", "dcl", "load", "explorer", "bytes", "requests")}
            shown = ", ".join(
                f"{k} {v:,.0f}" if v is not None else f"{k} -" for k, v in row.items() if k not in ("bytes", "requests")
            )
            print(f"  {kind}: {shown}; {row['requests']:.0f} responses, {row['bytes']:,.0f} bytes received")


if __name__ == "__main__":
    main()
