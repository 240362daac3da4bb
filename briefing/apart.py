"""A job run in a forked process of its own, as if it ran in this one: its log records are
handled here, its exception raised here, its result (bytes) returned.

Why: a process's memory high-water mark stays. pymalloc gives an arena back only once it is
wholly empty, and a job that makes and drops millions of small objects (a day of news's
extraction: its merges' working state) leaves arenas that each keep a few survivors. The
build's own later stages then run on top of them. Run apart, the job's memory goes with
its process; the build keeps only what the job returns (see pipeline.build).

Linux only (a fork: the job needs no pickling, and starts in a millisecond or two).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from .errors import BriefingError
from .lifetime import die_with_parent

# The loggers whose records the job's process sends back (the package's).
_LOGGER = "briefing"


class ApartError(BriefingError):
    """The job's process ended without an answer (killed: out of memory?)."""


class _SendingHandler(logging.Handler):
    """In the job's process: each record, to this process's log (see run_apart)."""

    def __init__(self, sending: Connection) -> None:
        super().__init__()
        self.sending = sending

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.sending.send(("log", _portable_record(record)))
        except Exception:
            self.handleError(record)


def _portable_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record, picklable: its traceback as text, its arguments as they are when they
    pickle (the handler here formats and escapes them, as for its own records), else as
    text."""
    record = logging.makeLogRecord(record.__dict__)
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    try:
        pickle.dumps(record.args)
    except Exception:
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(map(str, args))
        elif args is not None:
            record.args = {key: str(value) for key, value in args.items()}
    return record


def _portable_error(exc: BaseException) -> BaseException:
    """The exception, or, when it does not come through pickling whole (a constructor of
    its own), one with its message: a BriefingError keeps its exit code."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        if isinstance(exc, BriefingError):
            copy = BriefingError(str(exc))
            copy.exit_code = exc.exit_code
            return copy
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _job(
    sending: Connection, parent: int, what: str, job: Callable[..., bytes], args: tuple[Any, ...]
) -> None:
    """The job's process: run it, and send back its records, then its result or error."""
    die_with_parent(parent)
    logger = logging.getLogger(_LOGGER)
    logger.handlers = [_SendingHandler(sending)]
    logger.propagate = False  # every record once, by this process's handlers
    try:
        result = job(*args)
    except BaseException as exc:
        error = _portable_error(exc)
        error.add_note(f"(in {what}'s process)\n" + "".join(traceback.format_exception(exc)))
        sending.send(("error", error))
        return
    # The result's bytes as they are, after a word that they come: sent in the message,
    # they were pickled again (a copy of them: 4.5 MB at 100,000 articles).
    sending.send(("done", None))
    sending.send_bytes(result)


def run_apart(what: str, job: Callable[..., bytes], *args: Any) -> bytes:
    """`job(*args)` in a forked process: what it logs is logged here as it comes, what it
    raises is raised here, what it returns is returned. `what` names the job in messages.
    Call it from the main thread (the process is killed with it: lifetime.die_with_parent)."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):  # (a fork would write their buffers twice)
        stream.flush()
    process = context.Process(target=_job, args=(sending, os.getpid(), what, job, args))
    process.start()
    sending.close()
    answered = False
    try:
        while True:
            try:
                kind, payload = receiving.recv()
                result = receiving.recv_bytes() if kind == "done" else None
            except EOFError:
                process.join()
                raise ApartError(
                    f"{what}'s process ended without an answer (exit code {process.exitcode}:"
                    " killed, out of memory?)"
                ) from None
            if kind == "log":
                logging.getLogger(payload.name).handle(payload)
                continue
            answered = True
            if kind == "error":
                raise payload
            assert result is not None
            return result
    finally:
        receiving.close()
        if not answered:  # this process was interrupted first: the job is not wanted
            process.kill()
        process.join()
