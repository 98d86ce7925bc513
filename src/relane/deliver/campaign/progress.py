"""Progress on stderr: a bar redrawn in place on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from relane.redact import scrub

WIDTH = 24


class Progress:
    """Counts repositories as they finish; ``total`` is how many this run takes."""

    def __init__(
        self, total: int, stream: TextIO | None = None, *, tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = total
        self.done = self.failed = self.opened = 0
        self.clock = clock
        self.started = clock()
        self._drawn = False

    def finished(self, repo: str, line: str, *, failed: bool = False, opened: bool = False) -> None:
        self.done += 1
        self.failed += failed
        self.opened += opened
        if self.tty:
            self._draw()
        else:
            self._line(f"[{self.done}/{self.total}] {line}")

    def note(self, text: str) -> None:
        """Something the user waits on (a rate limit)."""
        if self.tty:
            self._clear()
        self._line(text)
        if self.tty:
            self._draw()

    def close(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def bar(self) -> str:
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        text = (
            f"[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total}"
            f"  failed {self.failed}  pull requests {self.opened}"
        )
        left = self.left()
        return text + (f"  ~{left} left" if left else "")

    def left(self) -> str:
        if not self.done or self.done >= self.total:
            return ""
        seconds = int((self.clock() - self.started) / self.done * (self.total - self.done))
        return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"

    def _draw(self) -> None:
        self.stream.write("\r\x1b[K" + self.bar())
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")

    def _line(self, text: str) -> None:
        self.stream.write(f"relane: {scrub(text)}\n")
        self.stream.flush()
