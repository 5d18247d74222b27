"""Diagnostics: every warning or error names a file and a line, a cause and a hint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the input, located at `path:line` (line is 1-based, 0 = whole file)."""

    path: str
    line: int
    level: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render as `path:line: level: message (hint)`, the form editors can jump to."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def warning(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    """A problem that does not stop the page from being published."""
    return Diagnostic(str(path), line, WARNING, message, hint)


def error(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    """A problem that makes the build exit with status 1 (the rest of the site is still built)."""
    return Diagnostic(str(path), line, ERROR, message, hint)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Stable order for reports: by file, then line, then text; duplicates dropped."""
    return sorted(set(diags))


class ConfigError(Exception):
    """The configuration file or a command-line value is unusable (exit status 2)."""


class OutputError(Exception):
    """The output folder cannot be written safely (exit status 1)."""
