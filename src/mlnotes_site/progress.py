"""A progress bar on a terminal, shown only when a build takes longer than a second; peak memory."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


class Progress:
    """Counts work done; draws `stage [#####     ] n/total` on stderr when it is a TTY,
    the build has run for more than `delay` seconds, and it is not quiet."""

    def __init__(self, enabled: bool = True, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.start = time.perf_counter()
        self.delay = delay
        self.stage, self.done, self.total = "", 0, 0
        self.drawn = False
        self._last = 0.0

    def begin(self, stage: str, total: int) -> None:
        """Start counting a stage of `total` steps."""
        self.stage, self.done, self.total = stage, 0, total
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        """Record `n` more steps done."""
        self.done += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.start < self.delay or (not force and now - self._last < 0.1):
            return
        self._last = now
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + " " * (width - filled)
        self.stream.write(f"\r{self.stage:<8} [{bar}] {self.done}/{self.total}")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        """Clear the bar so the summary line starts on a clean line."""
        if self.drawn:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def peak_mib(children: bool = False) -> float:
    """The peak resident memory of this process so far (or of its largest waited-for child), in MiB."""
    try:
        import resource
    except ImportError:  # not on Unix
        return 0.0
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    kib = resource.getrusage(who).ru_maxrss
    return kib / (1 << 20) if sys.platform == "darwin" else kib / 1024  # bytes on macOS, KiB elsewhere


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that ended (forked workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
