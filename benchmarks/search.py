"""Search at scale, side by side with Pagefind: index build CPU time, bytes on disk, bytes a
first query downloads, query latency in Chromium, and precision/recall of the top 10 against
the pages that really contain the query.

    python benchmarks/search.py                      # 1,000 and 10,000 notes, 20 queries each
    python benchmarks/search.py --sizes 1000 --queries 10
    python benchmarks/search.py --no-pagefind        # mlnotes only

For each size the vault (make_vault.py) is built once in-process; the search step's CPU time
(`report.cpu["search"]`, process time of that step) is set against the CPU time of all other
steps. Then Pagefind `[extended]` (`pip install "pagefind[extended]"`, if installed) indexes the
same built site in a child process (`--root-selector article`, the same sections left out that
the mlnotes index leaves out, `--force-language zh`, its best setting for this text); its CPU
time and peak memory come from `getrusage(RUSAGE_CHILDREN)`. Both indexes are measured on disk
(files, raw and gzip bytes, largest file) and served from one local HTTP server on 127.0.0.1.

Queries are drawn (seeded) from the vault's own text: two- to four-character Chinese words
and English words, plus words in no note (checked against every note). Each query runs in a
fresh browser context (cold: nothing cached) for each engine, alternating which goes first:
the bytes of every index response (raw, and gzip as a server would send them) and the time
in the page from the call to the top 10 results (`performance.now()`).

**Truth**: a page "contains" the query when the text of its `<article>` (without the
backlink/related/graph sections, breadcrumb, pager and meta line; inline tags such as a
mention's `<a>` removed without a space, block tags as a space; plus its link and image
targets and alt texts, which both engines index), NFKC-folded and lower-cased, contains the
query. Precision@10 = shown pages that contain it / shown;
recall@10 = shown pages that contain it / min(10, pages that contain it). Pagefind also
reports how many results it has in all, set against how many pages contain the query.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import threading
import unicodedata
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_vault import write_vault  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
ABSENT = ["拓扑绝缘体", "zyxwvut", "量子纠缠态", "flibbertigibbet"]
LEFT_OUT = ".backlinks,.local-graph,.breadcrumb,.pager,.meta,.place-source"
_CUT = re.compile(r'<nav class="pager"|<section class="backlinks|<section class="local-graph')
_DROP = re.compile(
    r'<nav class="breadcrumb".*?</nav>|<p class="meta">.*?</p>|<p class="place-source[^"]*">.*?</p>'
    r"|<script.*?</script>|<style.*?</style>",
    re.S,
)
_INLINE = re.compile(r"</?(?:a|span|em|strong|b|i|code|mark|sub|sup|del|s|kbd|small|abbr|time)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_ATTRS = re.compile(r'\s(?:href|src|alt)="([^"]*)"')


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


def page_texts(out: Path, urls: list[str]) -> dict[str, str]:
    """url -> the folded text of its article, as both engines index it."""
    texts = {}
    for url in urls:
        file = out / url.strip("/") / "index.html" if url.endswith("/") else out / url.strip("/")
        try:
            doc = file.read_text(encoding="utf-8")
        except OSError:
            continue
        start = doc.find("<article")
        if start < 0:
            continue
        body = doc[start : doc.find("</article>", start)]
        cut = _CUT.search(body)
        if cut:
            body = body[: cut.start()]
        body = _DROP.sub(" ", body)
        attrs = " ".join(_ATTRS.findall(body))  # link and image targets and alt texts are indexed too
        texts[url] = _norm(html.unescape(_TAG.sub(" ", _INLINE.sub("", body)) + " " + attrs))
    return texts


def _tree(root: Path, pattern: str) -> dict:
    files = [p for p in root.rglob(pattern) if p.is_file()]
    raw = [p.stat().st_size for p in files]
    return {
        "files": len(files),
        "raw": sum(raw),
        "gzip": sum(len(gzip.compress(p.read_bytes())) for p in files),
        "largest": max(raw, default=0),
    }


def run_pagefind(out: Path) -> dict | None:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(out),
            "--output-subdir",
            "_pagefind",
            "--root-selector",
            "article",
            "--exclude-selectors",
            LEFT_OUT,
            "--force-language",
            "zh",
            "--silent",
        ],
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    # ru_maxrss of children is the largest child so far (the Python wrapper or its binary)
    return {"cpu_s": cpu, "peak_mib": after.ru_maxrss / 1024, **_tree(out / "_pagefind", "*")}


MLNOTES_JS = """async q => {
  const t = performance.now();
  const r = await mlnSearch.search(q);
  return { ms: performance.now() - t, urls: r.pages.map(p => p.url), total: null };
}"""

PAGEFIND_JS = """async q => {
  const t = performance.now();
  const pf = await import("/_pagefind/pagefind.js");
  const r = await pf.search(q);
  const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return { ms: performance.now() - t, urls: top.map(d => d.url), total: r.results.length };
}"""


def one_query(browser, base: str, out: Path, engine: str, query: str) -> dict:  # noqa: ANN001
    context = browser.new_context()
    page = context.new_page()
    sizes: list[tuple[int, int]] = []
    prefix = "search/" if engine == "mlnotes" else "_pagefind/"

    def seen(response) -> None:  # noqa: ANN001 - playwright object
        path = response.url.removeprefix(base).split("?")[0]
        if path.startswith(prefix) and (out / path).is_file():
            data = (out / path).read_bytes()  # what the server sent: the file itself
            sizes.append((len(data), len(gzip.compress(data))))

    page.on("response", seen)
    page.goto(base)
    if engine == "mlnotes":
        page.locator("#search-input").focus()
        page.wait_for_function("() => !!(window.mlnSearch && window.mlnSearch.search)")
        got = page.evaluate(MLNOTES_JS, query)
    else:
        got = page.evaluate(PAGEFIND_JS, query)
    context.close()
    return {**got, "raw": sum(r for r, _ in sizes), "gzip": sum(g for _, g in sizes)}


def measure(size: int, n: int, seed: int, with_pagefind: bool) -> dict:
    from playwright.sync_api import sync_playwright

    from mlnotes_site.build import build
    from mlnotes_site.config import load_config

    vault = HERE / "work" / f"vault-{size}"
    write_vault(vault, size, seed)
    notes = vault / "mlnotes" / "notes"
    out = HERE / "work" / f"search-site-{size}"
    report = build(load_config(None, notes=notes, out=out, cwd=HERE / "work"))
    site = report.site
    assert site is not None
    cpu = dict(report.cpu)
    urls = sorted({t.url for t in site.topics.values()} | {p.url for p in site.note_pages.values()})
    texts = page_texts(out, urls)
    notes_text = "\n".join(_norm(p.read_text(encoding="utf-8")) for p in notes.rglob("*.md"))
    absent = [w for w in ABSENT if _norm(w) not in notes_text]
    result: dict = {
        "size": size,
        "pages": len(texts),
        "search_cpu": cpu.get("search", 0.0),
        "rest_cpu": sum(v for k, v in cpu.items() if k != "search"),
        "mlnotes": _tree(out / "search", "*.js"),
        "pagefind": run_pagefind(out) if with_pagefind else None,
        "absent_dropped": [w for w in ABSENT if w not in absent],
        "runs": [],
    }
    engines = ["mlnotes"] + (["pagefind"] if result["pagefind"] else [])
    handler = partial(_Quiet, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for i, query in enumerate([*queries(notes, n, seed), *absent]):
                q = _norm(query)
                truth = {u for u, t in texts.items() if q in t}
                order = engines if i % 2 == 0 else engines[::-1]
                for engine in order:
                    got = one_query(browser, base, out, engine, query)
                    shown = [u if u.endswith("/") else u.removesuffix("index.html") for u in got["urls"]]
                    right = sum(1 for u in shown if u in truth)
                    result["runs"].append(
                        {
                            "engine": engine,
                            "query": query,
                            "absent": query in absent,
                            "truth": len(truth),
                            "shown": len(shown),
                            "right": right,
                            "total": got["total"],
                            "ms": got["ms"],
                            "raw": got["raw"],
                            "gzip": got["gzip"],
                        }
                    )
            browser.close()
    finally:
        server.shutdown()
    return result


def _p95(values: list[float]) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(0.95 * len(v)))] if v else 0.0


def report_lines(results: list[dict]) -> list[str]:
    lines = [
        "| notes | engine | index CPU (share of the rest of the build) | files | on disk raw (gzip) | largest file "
        "| first query: median gzip (p95) | median raw | latency median / p95 | precision@10 | recall@10 "
        "| results in all / pages containing | absent words: pages shown |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for engine in ("mlnotes", "pagefind"):
            tree = r[engine]
            if tree is None:
                continue
            runs = [x for x in r["runs"] if x["engine"] == engine]
            present = [x for x in runs if not x["absent"]]
            if engine == "mlnotes":
                cpu = f"{r['search_cpu']:.1f} s ({100 * r['search_cpu'] / r['rest_cpu']:.0f}% of {r['rest_cpu']:.0f} s)"
                totals = "—"
            else:
                share = 100 * tree["cpu_s"] / r["rest_cpu"]
                cpu = f"{tree['cpu_s']:.1f} s ({share:.0f}%), peak {tree['peak_mib']:.0f} MiB"
                totals = f"{sum(x['total'] for x in present):,} / {sum(x['truth'] for x in present):,}"
            shown = sum(x["shown"] for x in present)
            gz = [x["gzip"] for x in present]
            lines.append(
                f"| {r['size']:,} | {engine} | {cpu} | {tree['files']:,} | {tree['raw'] / 1e6:.1f} MB "
                f"({tree['gzip'] / 1e6:.1f} MB) | {tree['largest'] / 1e3:.0f} KB "
                f"| {statistics.median(gz) / 1e3:.1f} KB ({_p95(gz) / 1e3:.1f} KB) "
                f"| {statistics.median(x['raw'] for x in present) / 1e3:.1f} KB "
                f"| {statistics.median(x['ms'] for x in runs):.0f} / {_p95([x['ms'] for x in runs]):.0f} ms "
                f"| {sum(x['right'] for x in present) / max(1, shown):.2f} "
                f"| {sum(x['right'] for x in present) / max(1, sum(min(10, x['truth']) for x in present)):.2f} "
                f"| {totals} | {sum(x['shown'] for x in runs if x['absent'])} |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-pagefind", action="store_true", help="measure mlnotes only")
    parser.add_argument("--json", type=Path, help="also write every query's numbers here")
    args = parser.parse_args(argv)
    results = []
    for size in args.sizes:
        print(f"[{size:,} notes]", flush=True)
        results.append(measure(size, args.queries, args.seed, not args.no_pagefind))
        if results[-1]["absent_dropped"]:
            print(f"  (in the vault, so not used as absent words: {results[-1]['absent_dropped']})")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(report_lines(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
