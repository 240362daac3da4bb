"""A progress line on stderr for long runs, shown only when stderr is a terminal (not in cron)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Documents done, rate and time left, redrawn at most ten times a second."""

    def __init__(self, total: int, label: str = "extracting", stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = total > 0 and self.stream.isatty()
        self.done = 0
        self.started = time.monotonic()
        self._last_draw = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last_draw >= 0.1 or self.done >= self.total:
            self._last_draw = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        width = 24
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total} docs"
            f"  {rate:,.0f} docs/s  {int(left) // 60}:{int(left) % 60:02d} left "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
