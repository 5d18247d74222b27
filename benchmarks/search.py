"""Search at scale: index build time, bytes on disk, bytes a first query downloads, and query
latency in Chromium, on the synthetic vaults (make_vault.py).

    python benchmarks/search.py                      # 1,000 and 10,000 notes, 20 queries each
    python benchmarks/search.py --sizes 1000 --queries 10

For each size the vault is built once in-process (`report.timings["search"]` against the
other steps), the `search/` folder is measured (files, raw and gzip bytes, largest file),
and the site is served on 127.0.0.1. Queries are drawn (seeded) from the vault's own text:
two- to four-character Chinese words and English words of real notes, plus a few words in
no note. Each query runs in a fresh browser context (cold: nothing cached) through the
page's search API: the bytes of every `search/*.js` response (raw, and gzip as a server
would send them) and the query's time in the page. Precision: every shown page's text must
contain the query (checked on the notes, NFKC and lower-cased); absent words must find
nothing. Pagefind is not run here: FINDINGS.md has its numbers on the same kind of vault.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import statistics
import sys
import threading
import time
import unicodedata
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_vault import write_vault  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
ABSENT = ["向量数据库", "zyxwvut", "量子纠缠态", "flibbertigibbet"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def queries(notes: Path, n: int, seed: int) -> list[str]:
    """`n` words of the vault's own notes (half Chinese, half English), seeded."""
    rng = random.Random(seed)
    files = sorted(notes.rglob("*.md"))
    found: list[str] = []
    while len(found) < n:
        text = rng.choice(files).read_text(encoding="utf-8")
        if len(found) % 2 == 0:
            runs = re.findall(r"[\u4e00-\u9fff]{4,}", text)
            if runs:
                run = rng.choice(runs)
                size = rng.randint(2, 4)
                at = rng.randint(0, len(run) - size)
                found.append(run[at : at + size])
        else:
            words = [w for w in re.findall(r"[A-Za-z]{5,}", text) if not w.isupper()]
            if words:
                found.append(rng.choice(words).lower())
    return found


def measure(size: int, n: int, seed: int) -> dict:
    from playwright.sync_api import sync_playwright

    from mlnotes_site.build import build
    from mlnotes_site.config import load_config

    vault = HERE / "work" / f"vault-{size}"
    write_vault(vault, size, seed)
    notes = vault / "mlnotes" / "notes"
    out = HERE / "work" / f"search-site-{size}"
    report = build(load_config(None, notes=notes, out=out, cwd=HERE / "work"))
    steps = {k: v for k, v in report.timings.items() if k != "render+write"}
    files = [p for p in (out / "search").rglob("*.js")]
    raw = [p.stat().st_size for p in files]
    zipped = sum(len(gzip.compress(p.read_bytes())) for p in files)
    texts = {p: _norm(p.read_text(encoding="utf-8")) for p in notes.rglob("*.md")}
    result = {
        "size": size,
        "search_s": steps.get("search", 0.0),
        "rest_s": sum(v for k, v in steps.items() if k != "search"),
        "files": len(files),
        "raw": sum(raw),
        "gzip": zipped,
        "largest": max(raw),
        "runs": [],
    }
    handler = partial(_Quiet, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for query in [*queries(notes, n, seed), *ABSENT]:
                context = browser.new_context()
                page = context.new_page()
                sizes: list[tuple[int, int]] = []

                def seen(response, sizes=sizes) -> None:  # noqa: ANN001 - playwright object
                    path = response.url.removeprefix(base)
                    if path.startswith("search/") and path.endswith(".js"):
                        data = (out / path).read_bytes()  # what the server sent: the file itself
                        sizes.append((len(data), len(gzip.compress(data))))

                page.on("response", seen)
                page.goto(base)
                page.locator("#search-input").focus()
                page.wait_for_function("() => !!(window.mlnSearch && window.mlnSearch.search)")
                t0 = time.perf_counter()
                shown = page.evaluate("q => mlnSearch.search(q).then(r => r.pages.map(p => p.url))", query)
                ms = 1000 * (time.perf_counter() - t0)
                site = report.site
                assert site is not None
                wrong = 0
                for url in shown:
                    rels = [t.note_rel for t in site.topics.values() if t.url == url]
                    rels += [p.note_rel for p in site.note_pages.values() if p.url == url]
                    if not any(_norm(query) in texts[notes / rel] for rel in rels):
                        wrong += 1
                result["runs"].append(
                    {
                        "query": query,
                        "absent": query in ABSENT,
                        "shown": len(shown),
                        "wrong": wrong,
                        "raw": sum(r for r, _ in sizes),
                        "gzip": sum(g for _, g in sizes),
                        "ms": ms,
                    }
                )
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return result


def report_lines(results: list[dict]) -> list[str]:
    lines = [
        "| notes | search step / rest of build | files | on disk (gzip) | largest file |"
        " first query: median gzip (p95) |"
        " median raw | latency median / p95 | shown pages not containing the query | absent words found |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        runs = [x for x in r["runs"] if not x["absent"]]
        gz = sorted(x["gzip"] for x in runs)
        ms = sorted(x["ms"] for x in r["runs"])
        p95 = lambda v: v[min(len(v) - 1, int(0.95 * len(v)))]  # noqa: E731 - one line
        lines.append(
            f"| {r['size']:,} | {r['search_s']:.2f} s / {r['rest_s']:.2f} s "
            f"({100 * r['search_s'] / r['rest_s']:.0f}%) "
            f"| {r['files']:,} | {r['raw'] / 1e6:.1f} MB ({r['gzip'] / 1e6:.1f} MB) | {r['largest'] / 1e3:.0f} KB "
            f"| {statistics.median(gz) / 1e3:.1f} KB ({p95(gz) / 1e3:.1f} KB) "
            f"| {statistics.median(x['raw'] for x in runs) / 1e3:.1f} KB "
            f"| {statistics.median(ms):.0f} / {p95(ms):.0f} ms | {sum(x['wrong'] for x in runs)} of "
            f"{sum(x['shown'] for x in runs)} | {sum(x['shown'] for x in r['runs'] if x['absent'])} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    results = []
    for size in args.sizes:
        print(f"[{size:,} notes]", flush=True)
        results.append(measure(size, args.queries, args.seed))
    print("\n".join(report_lines(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
