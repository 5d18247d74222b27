"""The command line: `mlnotes build`. The only module that prints and exits.

Exit status: 0 success, 1 errors in the notes (or warnings with --strict) or an unusable
output folder, 2 usage errors (bad options, missing notes folder, bad config file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .build import build
from .config import load_config
from .errors import ConfigError, OutputError
from .progress import Progress


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlnotes", description="Turn a folder of Markdown notes into a cross-linked topic site.")
    parser.add_argument("--version", action="version", version=f"mlnotes {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="publish the notes as a static site (default notes/ -> site/)")
    b.add_argument("--notes", type=Path, help="notes folder (default: notes/, or `notes` in mlnotes.yaml)")
    b.add_argument("--out", type=Path, help="output folder (default: site/, or `out` in mlnotes.yaml)")
    b.add_argument("--config", type=Path, help="config file (default: mlnotes.yaml here or beside the notes folder)")
    b.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    b.add_argument("--quiet", "-q", action="store_true", help="print only warnings and errors")
    b.add_argument("--drafts", action="store_true", default=None, help="also publish notes marked draft")
    return parser


def run_build(args: argparse.Namespace) -> int:
    """`mlnotes build`: returns the exit status."""
    try:
        cfg = load_config(args.config, notes=args.notes, out=args.out, drafts=args.drafts)
    except ConfigError as exc:
        print(f"mlnotes: error: {exc}", file=sys.stderr)
        return 2
    if not cfg.notes_dir.is_dir():
        print(f"mlnotes: error: notes folder not found: {cfg.notes_dir} (use --notes DIR)", file=sys.stderr)
        return 2
    try:
        report = build(cfg, Progress(enabled=not args.quiet))
    except OutputError as exc:
        print(f"mlnotes: error: {exc}", file=sys.stderr)
        return 1
    for diag in report.diagnostics:
        print(diag.format(), file=sys.stderr)
    if not args.quiet:
        print(f"{report.summary()} → {cfg.out_dir}")
    if report.errors or (args.strict and report.warnings):
        if args.strict and report.warnings and not report.errors:
            print(f"mlnotes: {len(report.warnings)} warnings and --strict: exit 1", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `mlnotes` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "build":
        return run_build(args)
    parser.print_help(sys.stderr)
    return 2
