"""The progress line: drawn on a terminal, silent when stderr is a file or a pipe (cron)."""

from __future__ import annotations

import io

from briefing.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_bar_count_rate_and_time_left() -> None:
    stream = _Terminal()
    progress = Progress(4, stream=stream)
    for _ in range(4):
        progress.advance()
    progress.close()
    last = stream.getvalue().rstrip("\n").split("\r")[-1]
    assert last.startswith("extracting [" + "#" * 24 + "] 4/4 docs")
    assert "docs/s" in last
    assert last.rstrip().endswith("0:00 left")
    assert stream.getvalue().endswith("\n")


def test_first_and_last_documents_are_drawn_even_when_fast() -> None:
    stream = _Terminal()
    progress = Progress(10, stream=stream)
    for _ in range(10):
        progress.advance()
    drawn = [part for part in stream.getvalue().split("\r") if part]
    # Redraws are throttled to ten a second, but the final count always shows.
    assert drawn[0].split("] ")[1].startswith("1/10 docs")
    assert drawn[-1].split("] ")[1].startswith("10/10 docs")


def test_not_a_terminal_writes_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(3, stream=stream)
    for _ in range(3):
        progress.advance()
    progress.close()
    assert stream.getvalue() == ""
