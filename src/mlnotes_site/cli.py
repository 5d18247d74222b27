"""The command line: `mlnotes build`, `mlnotes serve` and `mlnotes todo`. The only module that prints and exits.

Exit status: 0 success, 1 errors in the notes (or warnings with --strict) or an unusable
output folder, 2 usage errors (bad options, missing notes folder, bad config file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import webbrowser
from pathlib import Path

from . import __version__
from .build import build, default_jobs, load
from .config import SiteConfig, load_config
from .errors import ConfigError, OutputError
from .graph.tracker import STATUSES, QuestionGroup, build_tracker
from .progress import Progress

DEFAULT_PORT = 8000


def _port(text: str) -> int:
    """A TCP port number for argparse (0: any free port)."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {text!r}")
    return int(text)


def _jobs(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError(f"invalid number of jobs: {text!r} (1 to 256)")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlnotes", description="Turn a folder of Markdown notes into a cross-linked topic site."
    )
    parser.add_argument("--version", action="version", version=f"mlnotes {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="publish the notes as a static site (default notes/ -> site/)")
    b.add_argument("--notes", type=Path, help="notes folder (default: notes/, or `notes` in mlnotes.yaml)")
    b.add_argument("--out", type=Path, help="output folder (default: site/, or `out` in mlnotes.yaml)")
    b.add_argument("--config", type=Path, help="config file (default: mlnotes.yaml here or beside the notes folder)")
    b.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="build even when nothing changed since the last build, and parse every note again (the record and"
        " the note cache in .mlnotes-cache/ beside the output)",
    )
    b.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        metavar="N",
        help="processes that parse notes and render and write pages (default: one per core)",
    )
    b.add_argument("--timings", action="store_true", help="print each step's wall and CPU time and peak memory")
    b.add_argument("--quiet", "-q", action="store_true", help="print only warnings and errors")
    b.add_argument("--drafts", action="store_true", default=None, help="also publish notes marked draft")
    s = sub.add_parser("serve", help="preview the site at http://127.0.0.1:8000/, rebuilt and reloaded on every save")
    s.add_argument("--notes", type=Path, help="notes folder (default: notes/, or `notes` in mlnotes.yaml)")
    s.add_argument("--config", type=Path, help="config file (default: mlnotes.yaml here or beside the notes folder)")
    s.add_argument("--port", type=_port, help=f"port (default {DEFAULT_PORT}, or the next free one)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--open", action="store_true", help="open the site in the web browser")
    s.add_argument("--drafts", action="store_true", default=None, help="also show notes marked draft")
    t = sub.add_parser("todo", help="list checklist items in the terminal, with file:line")
    t.add_argument("--notes", type=Path, help="notes folder (default: notes/, or `notes` in mlnotes.yaml)")
    t.add_argument("--config", type=Path, help="config file (default: mlnotes.yaml here or beside the notes folder)")
    t.add_argument("--all", action="store_true", help="every item, not only open ones")
    t.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help="only these statuses (open, done, in-progress, cancelled, question, other); repeat or comma-separate;"
        " question lists the open questions (？ headings and [?] items)",
    )
    t.add_argument("--json", action="store_true", help="print a JSON array, one object per item")
    return parser


def _config(args: argparse.Namespace, **overrides) -> SiteConfig | None:
    """The config for a command, or None after printing a usage error (exit status 2)."""
    try:
        cfg = load_config(args.config, notes=args.notes, **overrides)
    except ConfigError as exc:
        print(f"mlnotes: error: {exc}", file=sys.stderr)
        return None
    if not cfg.notes_dir.is_dir():
        print(f"mlnotes: error: notes folder not found: {cfg.notes_dir} (use --notes DIR)", file=sys.stderr)
        return None
    return cfg


def _wanted(args: argparse.Namespace) -> set[str] | None:
    """The statuses asked for (None: every one); raises ValueError naming an unknown one."""
    if args.status:
        wanted = {s.strip() for value in args.status for s in value.split(",") if s.strip()}
        unknown = sorted(wanted - set(STATUSES))
        if unknown:
            raise ValueError(f"unknown status {', '.join(unknown)} (choose from {', '.join(STATUSES)})")
        return wanted
    return None if args.all else {"open", "in-progress"}


def _question_rows(questions: tuple[QuestionGroup, ...]) -> list[dict]:
    """The open questions the site shows (`？` headings and `[?]` items), one row per place."""
    return [
        {"status": "question", "text": q.text, "file": p.note_rel, "line": p.line, "topic": p.page_title, "url": p.url}
        for q in questions
        for p in q.places
    ]


def run_todo(args: argparse.Namespace) -> int:
    """`mlnotes todo`: checklist items grouped by topic, and with `--status question` the
    open questions the tracker page shows, as text or JSON."""
    try:
        wanted = _wanted(args)
    except ValueError as exc:
        print(f"mlnotes todo: error: {exc}", file=sys.stderr)
        return 2
    cfg = _config(args)
    if cfg is None:
        return 2
    site = load(cfg, cache=True, jobs=default_jobs()).site  # notes parsed before come from the note cache
    assert site is not None
    tracker = build_tracker(site)
    asked = wanted is not None and "question" in wanted
    # asked for questions: `[?]` items are listed once, among the `？` headings, as the tracker page does
    items = [t for t in tracker.tasks if wanted is None or (t.task.status in wanted and t.task.status != "question")]
    questions = _question_rows(tracker.questions) if asked else []
    if args.json:
        rows = [
            {
                "id": t.task.id,
                "status": t.task.status,
                "mark": t.task.mark,
                "text": t.task.text,
                "file": t.note_rel,
                "line": t.task.line,
                "topic": t.page_title,
                "url": t.href,
                "heading_path": list(t.task.heading_path),
                "parent": t.task.parent,
                "date": t.task.date,
                "period": t.task.period,
                "due": t.task.due,
                "priority": t.task.priority,
                "tags": list(t.tags),
            }
            for t in items
        ]
        json.dump(rows + questions, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    page = None
    for t in items:
        if t.page_url != page:
            page = t.page_url
            print(f"\n{t.page_title}  ({page})")
        path = f"  [{' › '.join(t.task.heading_path)}]" if t.task.heading_path else ""
        print(f"  {t.note_rel}:{t.task.line}: [{t.task.mark}] {t.task.text}{path}")
    if questions:
        print("\nOpen questions")
        for q in questions:
            print(f"  {q['file']}:{q['line']}: ？{q['text']}  ({q['url']})")
    counts = [f"{len(items)} items"] if not asked or (wanted or set()) - {"question"} else []
    counts += [f"{len(tracker.questions)} open questions"] if questions else []
    print("\n" + ", ".join(counts))
    return 0


def run_build(args: argparse.Namespace) -> int:
    """`mlnotes build`: returns the exit status."""
    cfg = _config(args, out=args.out, drafts=args.drafts)
    if cfg is None:
        return 2
    try:
        report = build(cfg, Progress(enabled=not args.quiet), record=not args.no_cache, jobs=args.jobs)
    except OutputError as exc:
        print(f"mlnotes: error: {exc}", file=sys.stderr)
        return 1
    for diag in report.diagnostics:
        print(diag.format(), file=sys.stderr)
    if args.timings and not report.up_to_date:
        for line in report.steps():
            print(line, file=sys.stderr)
    if not args.quiet:
        print(f"{report.summary()} → {cfg.out_dir}")
    if report.errors or (args.strict and report.warnings):
        if args.strict and report.warnings and not report.errors:
            print(f"mlnotes: {len(report.warnings)} warnings and --strict: exit 1", file=sys.stderr)
        return 1
    return 0


def _echo(line: str) -> None:
    print(line, flush=True)


def run_serve(args: argparse.Namespace) -> int:
    """`mlnotes serve`: build in memory, serve, rebuild on change; returns 0 after Ctrl-C."""
    from .serve.preview import Preview, ServeError  # here: `mlnotes build` with nothing to do needs none of it

    cfg = _config(args, drafts=args.drafts)
    if cfg is None:
        return 2
    port = DEFAULT_PORT if args.port is None else args.port
    preview = None
    try:
        preview = Preview(
            cfg,
            host=args.host,
            port=port,
            port_explicit=args.port is not None,
            log=_echo,
            reload_config=lambda: load_config(args.config, notes=args.notes, drafts=args.drafts),
        )
        print(f"Reading {cfg.notes_dir} …", flush=True)
        preview.start()
        if preview.server.server_address[1] != port and port != 0:
            print(f"Port {port} is in use, using {preview.server.server_address[1]}.")
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            print(f"Listening on {args.host}: other machines can see the preview.")
        print(f"Serving {cfg.notes_dir} at {preview.url} (Ctrl-C to stop)", flush=True)
        if args.open:  # some browsers block the caller until they exit
            threading.Thread(target=webbrowser.open, args=(preview.url,), daemon=True).start()
        preview.serve_forever()
    except ServeError as exc:
        print(f"mlnotes: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        if preview is not None:
            preview.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `mlnotes` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    commands = {"build": run_build, "serve": run_serve, "todo": run_todo}
    if args.command not in commands:
        parser.print_help(sys.stderr)
        return 2
    try:
        return commands[args.command](args)
    except BrokenPipeError:  # `mlnotes todo | head`
        sys.stdout = open(os.devnull, "w")
        return 0


def entry() -> None:
    """The console script: `main`, then exit without the interpreter's teardown (freeing a
    loaded vault object by object took 7% of a big build); output is flushed first."""
    try:
        code = main()
    except SystemExit as exc:  # argparse: --help, usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if not isinstance(exc.code, (int, type(None))):
            print(exc.code, file=sys.stderr)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
