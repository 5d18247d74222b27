"""How well mlnotes understands a vault: counts a new user would check first (issue 14).

    python benchmarks/vault_report.py notes                       # the demo vault
    python benchmarks/vault_report.py ~/vault --out /tmp/site     # keep the built site
    python benchmarks/vault_report.py benchmarks/work/vault-1000/mlnotes/notes --json

It builds the folder once, in this process, into a temporary folder (or `--out`), then
counts from the build report and the written pages:

- **diagnostics** by level, and warnings by kind (the message with its quoted parts taken
  out: "broken link …", "ambiguous link …"), broken-link warnings on their own line;
- **attachments**: local images and file embeds the notes write, how many resolved to a
  file of the vault, and how many media elements (`img`, `iframe`, `object`, `audio`,
  `video`, `source`) the pages show with a local file, and of those how many are missing;
- **mentions** by target kind (a whole page, or a heading section) and the most linked
  targets, where nonsense shows first (one section linked 37 times);
- **math**: formulas rendered to MathML and formulas shown as TeX source instead (the
  `math-error` fallback), with the first few fallbacks and where they are;
- **dangling**: internal `href`/`src` values of the pages that point at no file.

It is a measuring script, not a test: it prints numbers and never fails on them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from mlnotes_site.build import BuildReport, build  # noqa: E402
from mlnotes_site.config import load_config  # noqa: E402

MEDIA = ("img", "iframe", "object", "audio", "video", "source", "embed")
_QUOTED = re.compile(
    r"\[\[.*?\]\]|!?\[[^\]]*\]\([^)]*\)|'[^']*'|\"[^\"]*\"|`[^`]*`|\S+\.(?:md|png|jpe?g|gif|svg|pdf)\b"
)


class _Page(HTMLParser):
    """The references, ids and math of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.math = 0
        self.fallbacks: list[str] = []
        self._in_fallback = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src", "data"):
            if values.get(name):
                self.refs.append((tag, values[name] or ""))
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "math":
            self.math += 1
        if tag == "code" and "math-error" in (values.get("class") or "").split():
            self._in_fallback = True
            self.fallbacks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._in_fallback = False

    def handle_data(self, data: str) -> None:
        if self._in_fallback:
            self.fallbacks[-1] += data


def _url_of(site: Path, file: Path) -> str:
    rel = file.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _file_of(site: Path, path: str) -> Path:
    rel = unquote(path).lstrip("/")
    return site / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def warning_kind(message: str) -> str:
    """A warning's kind: its message up to the first colon, with quoted names taken out."""
    head = _QUOTED.sub("…", message).split(":")[0]
    return re.sub(r"\s+", " ", head).strip()


def attachment_counts(report: BuildReport) -> dict[str, int]:
    """Local images and file embeds written in the notes, and how many resolved to a file."""
    site = report.site
    counts = Counter[str]()
    if site is None:
        return dict(counts)
    for rel, answers in site.resolved.items():
        note = site.notes.get(rel)
        if note is None:
            continue
        for (kind, target, _), answer in answers.items():
            if kind == "image" and not urlsplit(target).scheme:
                counts["images written"] += 1
                counts["images found"] += bool(answer.asset)
            elif kind == "wiki" and answer.asset:
                counts["files linked or embedded"] += 1
    return dict(counts)


def mention_counts(report: BuildReport, top: int) -> dict[str, object]:
    """Linked mentions by target kind and the most linked targets."""
    site = report.site
    kinds = Counter[str]()
    targets = Counter[str]()
    for mentions in (site.mentions.values() if site else ()):
        for mention in mentions:
            kinds["heading section" if mention.target.anchor else "page"] += 1
            targets[mention.target.href] += 1
    return {"by kind": dict(kinds), "total": sum(kinds.values()), "top targets": targets.most_common(top)}


def page_counts(out: Path, top: int) -> dict[str, object]:
    """Media shown, math and dangling references, read from the written pages."""
    pages = sorted(out.rglob("*.html"))
    parsed: dict[str, _Page] = {}
    for page in pages:
        parsed[_url_of(out, page)] = _Page()
        parsed[_url_of(out, page)].feed(page.read_text(encoding="utf-8"))
    media = Counter[str]()
    dangling: list[str] = []
    fallbacks: list[str] = []
    math = 0
    for url, page in parsed.items():
        math += page.math
        fallbacks += [f"{url}: {text.strip()[:80]}" for text in page.fallbacks]
        if url.endswith("404.html"):
            continue  # its links are absolute under the base path
        for tag, ref in page.refs:
            split = urlsplit(ref)
            if split.scheme or ref.startswith("//"):
                continue
            target = urlsplit(urljoin("http://x" + url, ref))
            exists = _file_of(out, target.path).is_file()
            if tag in MEDIA:
                media["shown"] += 1
                media["missing"] += not exists
            if not exists:
                dangling.append(f"{url}: <{tag}> {ref}")
            elif target.fragment and target.path in parsed and unquote(target.fragment) not in parsed[target.path].ids:
                dangling.append(f"{url}: <{tag}> {ref} (no such id)")
    return {
        "pages": len(pages),
        "media elements with a local file": dict(media),
        "math": {"MathML": math, "fallbacks": len(fallbacks), "first fallbacks": fallbacks[:top]},
        "dangling": {"count": len(dangling), "first": dangling[:top]},
    }


def report_for(notes: Path, out: Path, top: int = 10) -> dict[str, object]:
    """Build `notes` into `out` and count everything above."""
    cfg = load_config(None, notes=notes, out=out, cwd=out.parent)
    report = build(cfg, jobs=1)
    warnings = [d for d in report.diagnostics if d.level == "warning"]
    kinds = Counter(warning_kind(d.message) for d in warnings)
    return {
        "vault": str(notes),
        "notes": report.notes,
        "topics": report.topics,
        "diagnostics": {
            "errors": len(report.errors),
            "warnings": len(warnings),
            "broken-link warnings": sum(n for kind, n in kinds.items() if kind.startswith("broken link")),
            "warnings by kind": kinds.most_common(),
        },
        "attachments in notes": attachment_counts(report),
        "mentions": mention_counts(report, top),
        **page_counts(out, top),
    }


def as_markdown(found: dict) -> str:
    """The counts as a short Markdown report."""
    diag, math, mentions = found["diagnostics"], found["math"], found["mentions"]
    lines = [
        f"## {found['vault']}",
        "",
        f"{found['notes']} notes, {found['topics']} topics, {found['pages']} pages",
        "",
        "| count | value |",
        "|---|---:|",
        f"| errors | {diag['errors']} |",
        f"| warnings | {diag['warnings']} |",
        f"| broken-link warnings | {diag['broken-link warnings']} |",
    ]
    lines += [f"| attachments: {k} | {v} |" for k, v in found["attachments in notes"].items()]
    lines += [f"| pages: media elements {k} | {v} |" for k, v in found["media elements with a local file"].items()]
    lines += [f"| mentions to a {k} | {v} |" for k, v in mentions["by kind"].items()]
    lines += [
        f"| math: MathML formulas | {math['MathML']} |",
        f"| math: fallbacks (TeX shown) | {math['fallbacks']} |",
        f"| dangling internal hrefs | {found['dangling']['count']} |",
        "",
    ]
    if diag["warnings by kind"]:
        lines += ["Warnings by kind:", ""] + [f"- {n} × {kind}" for kind, n in diag["warnings by kind"]] + [""]
    if mentions["top targets"]:
        lines += ["Most mentioned targets:", ""] + [f"- {n} × {url}" for url, n in mentions["top targets"]] + [""]
    for title, items in (("Math fallbacks", math["first fallbacks"]), ("Dangling", found["dangling"]["first"])):
        if items:
            lines += [f"{title} (first {len(items)}):", ""] + [f"- {item}" for item in items] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vaults", nargs="+", type=Path, help="notes folders to build and count")
    parser.add_argument("--out", type=Path, help="build here (one vault only) instead of a temporary folder")
    parser.add_argument("--top", type=int, default=10, help="how many examples to list per count")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)
    if args.out is not None and len(args.vaults) > 1:
        parser.error("--out takes one vault")
    results = []
    for vault in args.vaults:
        with tempfile.TemporaryDirectory() as tmp:
            out = args.out or Path(tmp) / "site"
            results.append(report_for(vault.resolve(), out.resolve(), args.top))
    print(json.dumps(results, ensure_ascii=False, indent=1) if args.json else "\n".join(map(as_markdown, results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
