"""The pipeline as library calls: ingest -> extract -> assemble -> render -> deliver.

The CLI is a thin layer over these functions: `build` writes the brief's files, `digest`
e-mails it; tests call them too.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import multiprocessing
import os
import pickle
import shlex
import sqlite3
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .apart import run_apart
from .config import Config
from .errors import IngestError, NoDocumentsError
from .extract import ExtractContext, Merge, Shipment, extract_document, ship, undated
from .extract.spool import Spool, spooled_extraction
from .extract.textkeys import Mentions
from .helpers import BuildHelpers
from .ingest import (
    PathQueue,
    document_ids,
    iter_input_files,
    read_documents,
    read_file,
    unexpected_reason,
)
from .lifetime import die_with_parent
from .memory import keep_large_blocks_apart, release_freed_memory
from .models import (
    DocIds,
    Document,
    DocumentExtraction,
    Event,
    Extraction,
    Fact,
    IdColumn,
    Question,
)
from .plan import DigestRequest, Outcome, Plan, check_recipients, digest_key, plan_digest
from .progress import Progress

if TYPE_CHECKING:
    from .deliver.mail import Letter
    from .deliver.state import State

log = logging.getLogger("briefing")

SkipHandler = Callable[[str, str], None]


def warn_skip(path: str, reason: str) -> None:
    log.warning("skipped %s: %s", path, reason)


def _inputs(config: Config, paths: list[str] | None) -> tuple[list[str], Path]:
    """Command-line paths are relative to the working directory, config ones to the config."""
    if paths:
        return list(paths), Path.cwd()
    return list(config.inputs), config.base_dir


# Worker-process state: the context is sent once per worker, not once per file.
_WORKER: dict[str, object] = {}


class _WorkerSettings(NamedTuple):
    """What each extraction worker is given once, when it starts (_init_worker)."""

    ctx: ExtractContext
    max_bytes: int
    # The build's process, which a pool worker must not outlive; None: extracting in it.
    parent_pid: int | None
    # Whether the merge spools: the worker then sends the spool's rows (extract.ship).
    spooled: bool
    # Whether the run reads the documents' texts after extraction (a build's citation check
    # does; `briefing extract` does not: its JSON leaves them out).
    texts: bool


def _init_worker(settings: _WorkerSettings) -> None:
    if settings.parent_pid is not None:
        die_with_parent(settings.parent_pid)
        # A worker only extracts: fewer collections for all its life (see below; the build
        # sets them around its own extraction, after the workers are forked).
        gc.freeze()
        gc.set_threshold(*_EXTRACTION_GC_THRESHOLD)
    _WORKER["settings"] = settings


# Extraction makes millions of small objects that form no cycles; at CPython's default
# threshold (700 allocations) the collector runs every few sentences and rescans what was
# made before. A higher gen-0 threshold, with what exists when extraction starts (the config,
# loaded rule tables) frozen out of the scans, takes about 4.7% off extraction's instruction
# count (valgrind, 0.3 MB of the samples). The usual thresholds are back afterwards.
_EXTRACTION_GC_THRESHOLD = (10_000, 50, 50)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*_EXTRACTION_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


# Files merged between two returns of the freed heap to the system (a few ms each).
_RELEASE_EVERY = 5_000

# A build's documents, quotes and reactions, in its output folder (extract/spool.py).
SPOOL_NAME = ".extraction.sqlite"


def _slim(item: DocumentExtraction, keep_text: bool, texts: bool) -> DocumentExtraction:
    """Drop the captions once extracted, unless `keep_text` (an undated document, read again
    once the corpus's date is known), and the paragraphs too when the run wants no `texts`.
    A build wants them: the brief cites a source for an item only when the source's text
    carries it (assemble/support.py), which costs the spool the corpus's text."""
    if not keep_text:
        item.document.captions = []
        if not texts:
            item.document.paragraphs = []
    return item


@dataclass
class _FileResult:
    """What one file gave: its extracted documents, and (name, reason) for each skip."""

    path: str
    # Each document's extraction as the merge takes it (extract.ship): as much of the merge's
    # work as can be is done here, in the worker, rather than in the parent, which merges
    # every worker's results.
    docs: list[Shipment] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)


def _extract_file(path: str, doc_id: str | None = None) -> _FileResult:
    """Read and extract one file (`doc_id`: its id when its name is not, see
    ingest.document_ids). Whatever goes wrong with it (or with one of a feed's documents)
    comes back as a skip with its reason, never as an error: one bad file must not cost the
    rest of the corpus."""
    settings = _WORKER["settings"]
    assert isinstance(settings, _WorkerSettings)
    ctx = settings.ctx
    result = _FileResult(path)
    try:
        docs = read_file(Path(path), settings.max_bytes, doc_id)
    except IngestError as exc:
        result.skips.append((path, exc.reason))
        return result
    except Exception as exc:  # any failure of one file is that file's skip
        result.skips.append((path, unexpected_reason(exc, "reading")))
        return result
    for doc in docs:
        name = path if len(docs) == 1 else f"{path} (item {doc.id})"
        try:
            extracted = extract_document(doc, ctx)
        except Exception as exc:  # one document's failure skips that document
            result.skips.append((name, unexpected_reason(exc, "extraction")))
            continue
        # Undated articles are re-read for events after the corpus date is known, unless the
        # config gives the story's date.
        slim = _slim(extracted, undated(doc.published, ctx), settings.texts)
        result.docs.append(ship(slim, settings.spooled))
    return result


def default_jobs(config: Config, jobs: int | None = None) -> int:
    """Worker processes: --jobs when given, else ingest.jobs; 0 in either means one per
    core."""
    wanted = config.ingest.jobs if jobs is None else jobs
    return wanted or os.cpu_count() or 1


# Starting worker processes costs about 0.3 s (each imports the extractors and loads the
# rules); below about a megabyte of input, one process finishes sooner.
_POOL_MIN_BYTES = 1_000_000


def _total_bytes(files: Iterable[str]) -> int:
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # reported by the reader, with its reason
            total += os.stat(path).st_size
        if total >= _POOL_MIN_BYTES:
            break
    return total


def _pooled(files: PathQueue, jobs: int) -> bool:
    """Are the files extracted in worker processes (else in this one)?"""
    return jobs > 1 and len(files) >= 2 * jobs and _total_bytes(files) >= _POOL_MIN_BYTES


def _extract_files(paths: list[str], ids: dict[str, str]) -> list[_FileResult]:
    return [_extract_file(path, ids.get(path)) for path in paths]


# Chunks of files in flight per worker: enough to keep each worker busy while the parent
# merges, few enough that results do not pile up in the parent when it falls behind.
_IN_FLIGHT_PER_WORKER = 4


# Workers are forked where forking is safe and cheap (Linux, as the helpers are): started
# early, they copy nothing of the build's memory but what it held then (see _Workers).
# Elsewhere they start the platform's own way, once the corpus is known to need them.
_FORKING = sys.platform == "linux"


def _pool(jobs: int, settings: _WorkerSettings) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("fork") if _FORKING else None
    return ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(settings,)
    )


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool that failed to start all its processes: those it started are ended (a
    pool with no manager thread yet would leave them waiting)."""
    started = list((getattr(pool, "_processes", None) or {}).values())  # (CPython keeps them
    pool.shutdown(wait=False, cancel_futures=True)  # there, until the pool shuts down)
    for process in started:
        process.terminate()
        process.join()


class _Workers:
    """The extraction's worker processes, started (forked) when made. They are made before
    the inputs are listed: a fork holds what this process holds by then, and counts it in
    its RSS (the workers of a 100,000-file build started at 65 MB each, not 48)."""

    def __init__(self, jobs: int, settings: _WorkerSettings) -> None:
        self.jobs = jobs
        self.settings = settings
        self.pool = self._started()

    def _started(self) -> ProcessPoolExecutor:
        pool = _pool(self.jobs, self.settings)
        try:
            pool.submit(int)  # a forking pool starts all its processes with its first task
        except BaseException:
            _stop(pool)
            raise
        return pool

    def submit(self, chunk: list[str], ids: dict[str, str]) -> Future[list[_FileResult]]:
        try:
            return self.pool.submit(_extract_files, chunk, ids)
        except BrokenProcessPool:  # a worker died: a new pool for the chunks to come
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = self._started()
            return self.pool.submit(_extract_files, chunk, ids)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _started_workers(jobs: int, settings: _WorkerSettings) -> _Workers | None:
    """Worker processes when `jobs` asks for more than one; None (this process extracts)
    when it does not, or when they cannot start (no fork allowed, a process limit)."""
    if jobs <= 1:
        return None
    try:
        return _Workers(jobs, settings)
    except OSError as exc:
        log.warning("extracting in one process: worker processes could not start (%s)", exc)
        return None


def _taken_in_chunks(files: PathQueue, size: int) -> Iterator[list[str]]:
    """`files` in order, `size` at a time, each chunk taken out of the queue."""
    while chunk := files.take(size):
        yield chunk


def _results(
    files: PathQueue, settings: _WorkerSettings, workers: _Workers | None
) -> Generator[_FileResult, None, None]:
    """Each file's results, in input order: from the `workers` (taking the files out of
    `files` as they go), else extracted in this process."""
    ids = document_ids(files)
    if workers is None:
        _init_worker(settings._replace(parent_pid=None))
        yield from (_extract_file(path, ids.get(path)) for path in files)
        return
    jobs = workers.jobs
    chunks = _taken_in_chunks(files, max(1, min(64, len(files) // (jobs * 8))))
    # Results are taken in input order, so they are identical to --jobs 1; a bounded window
    # of chunks is in flight, and the parent merges each as the workers go on.
    window: deque[tuple[list[str], dict[str, str], Future[list[_FileResult]]]] = deque()
    for chunk in chunks:
        named = {path: ids[path] for path in chunk if path in ids} if ids else {}
        window.append((chunk, named, workers.submit(chunk, named)))
        if len(window) >= jobs * _IN_FLIGHT_PER_WORKER:
            yield from _chunk_results(*window.popleft(), settings)
    while window:
        yield from _chunk_results(*window.popleft(), settings)


def _chunk_results(
    chunk: list[str],
    ids: dict[str, str],
    future: Future[list[_FileResult]],
    settings: _WorkerSettings,
) -> Iterator[_FileResult]:
    """A chunk's results; when the worker holding it died outright (a segfault, os._exit,
    the OOM killer), its files again, one at a time in a process of their own."""
    try:
        results = future.result()
    except BrokenProcessPool:
        log.info("an extraction process ended abruptly; its files are read again one by one")
        yield from _isolated(chunk, ids, settings)
        return
    yield from results


# Why a file is skipped when the process reading it died even on a second, lone try.
_CRASH_REASON = "extraction process crashed on it (a fault in a library, or killed: out of memory?)"


def _isolated(
    files: list[str], ids: dict[str, str], settings: _WorkerSettings
) -> Iterator[_FileResult]:
    """Each file in one worker process, alone: a file that kills this process too is
    skipped with its reason, and a fresh process takes the next file."""
    pool: ProcessPoolExecutor | None = None
    try:
        for path in files:
            if pool is None:
                pool = _pool(1, settings)
            try:
                yield pool.submit(_extract_file, path, ids.get(path)).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = None
                yield _FileResult(path, skips=[(path, _CRASH_REASON)])
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


def _events_skip(on_skip: SkipHandler) -> Callable[[Document, Exception], None]:
    """The merge's report of an undated document whose events could not be read: one
    warning; the document stays, without its events."""

    def report(doc: Document, exc: Exception) -> None:
        on_skip(f"the events of {doc.path}", unexpected_reason(exc, "extraction"))

    return report


def _merge_results(
    merging: Merge,
    results: Iterator[_FileResult],
    count: int,
    on_skip: SkipHandler,
    freeze: bool,
) -> None:
    """Merge each file's results as they come, reporting its skips, with progress.

    When workers extract (`freeze`), what this process keeps (the merge's groups) forms no
    cycles: frozen after each file, the collector stops rescanning it (10% of this process's
    time during extraction); _fewer_collections unfreezes it at the end. (Extracting here,
    the extractors' garbage would be frozen too.)"""
    progress = Progress(count)
    try:
        with _fewer_collections():
            for read, result in enumerate(results, start=1):
                for name, reason in result.skips:
                    on_skip(name, reason)
                for shipment in result.docs:
                    merging.receive(shipment)
                if freeze:
                    gc.freeze()
                if read % _RELEASE_EVERY == 0:  # what the merge evicted (memory.py)
                    release_freed_memory()
                progress.advance()
    finally:
        progress.close()


def run_extract(
    config: Config,
    paths: list[str] | None,
    jobs: int = 1,
    on_skip: SkipHandler = warn_skip,
    skip_dirs: list[Path] | None = None,
    spool: Spool | None = None,
    texts: bool = True,
    merge_apart: bool = False,
) -> Extraction:
    """Ingest and extract the corpus, one file at a time, in `jobs` processes; folders in
    `skip_dirs` (the output folder) are not read. With a `spool`, the documents, quotes and
    reactions go there as they come, and the Extraction reads them back from it. Captions
    are kept only for the documents read again (`extract.undated`); without `texts`, the
    others come back without their paragraphs too (a run that only reports the
    extraction). `merge_apart`: this process ends with the extraction, and when workers
    extract, it only merges; its memory, not its time, then bounds a day's build, and it
    maps its large blocks apart (memory.keep_large_blocks_apart)."""
    inputs, base = _inputs(config, paths)
    ctx = ExtractContext.from_config(config)
    max_bytes = int(config.ingest.max_file_mb * 1024 * 1024)
    settings = _WorkerSettings(ctx, max_bytes, os.getpid(), spool is not None, texts)
    # Forked before the inputs are listed (see _Workers).
    workers = _started_workers(jobs, settings) if _FORKING else None
    try:
        # Packed: as strings, a day's 100,000 paths take 10 MB; Path objects, 32 MB.
        files = PathQueue(iter_input_files(inputs, base, skip_dirs))
        pooled = _pooled(files, jobs)
        if workers is not None and not pooled:
            workers.close()  # a small corpus is extracted here: sooner than sent to them
            workers = None
        elif pooled and not _FORKING:
            workers = _started_workers(jobs, settings)
        if workers is not None and merge_apart:
            keep_large_blocks_apart()  # (memory.py) this process only merges, then ends
        merging = Merge(ctx, spool=spool, on_failure=_events_skip(on_skip))
        count = len(files)  # (the workers take the files out of the list)
        with contextlib.closing(_results(files, settings, workers)) as results:
            _merge_results(merging, results, count, on_skip, freeze=workers is not None)
    finally:
        if workers is not None:
            workers.close()
    if not merging.count:
        raise NoDocumentsError("no usable document among the inputs")
    return merging.finish()


@contextlib.contextmanager
def _warnings_muted() -> Iterator[None]:
    """The inference passes read the inputs before the build does: their skip warnings
    would repeat the build's own."""
    previous = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(previous)


# The story is inferred from at most this many files, spread evenly over the inputs: a sample
# that size names the parties, reactions and date of a story as all of them do, and a day of
# wire copy (100,000 files) is then read twice over 2%, not twice over.
INFERENCE_SAMPLE = 2_000


def inference_sample(files: list[Path], size: int | None = None) -> list[Path]:
    """Every file when there are at most `size` (INFERENCE_SAMPLE), else `size` of them evenly
    spaced, in order."""
    size = size or INFERENCE_SAMPLE
    if len(files) <= size:
        return files
    return [files[i * len(files) // size] for i in range(size)]


def story_config(
    config: Config,
    paths: list[str] | None,
    jobs: int = 1,
    skip_dirs: list[Path] | None = None,
    announce: bool = True,
) -> Config:
    """The config itself, or, when it names no story (no config.yaml was found), the story
    inferred from the articles (briefing/infer.py), with one line saying so (`announce`).
    The principals come from the lead sentences; the third countries and the date from an
    extraction run with the principals known; both read at most INFERENCE_SAMPLE files."""
    from . import infer

    if not infer.needs_inference(config):
        return config
    inputs, base = _inputs(config, paths)
    max_bytes = int(config.ingest.max_file_mb * 1024 * 1024)
    sample = [
        str(path) for path in inference_sample(list(iter_input_files(inputs, base, skip_dirs)))
    ]
    with _warnings_muted():
        docs = list(read_documents(sample, base, max_bytes, lambda path, why: None))
        if not docs:
            raise NoDocumentsError("no usable document among the inputs")
        with_parties = infer.with_parties(config, docs)
        first = run_extract(with_parties, sample, jobs, lambda path, why: None)
    inferred = infer.with_reactions(with_parties, first)
    if announce:
        log.warning(
            "no config.yaml: inferred %s; to change it, run `briefing init --from %s` and "
            "edit config.yaml",
            infer.summary(inferred),
            shlex.join(paths or inputs),
        )
    return inferred


def template_search_path(config: Config, audience: str, templates_dir: str | None) -> list[Path]:
    """Where templates are looked up, most specific first (see templates/README.md)."""
    from .resources import data_path

    candidates: list[Path] = []
    if templates_dir:
        candidates.append(Path(templates_dir))
    configured = config.audiences[audience].templates
    if configured:
        candidates.append(config.resolve(configured))
    # Beside the config file, as its other paths are (the working directory when the
    # built-in config is used).
    local = config.base_dir / "templates"
    builtin = data_path("templates")
    candidates += [local / audience, local, builtin / audience, builtin]
    seen: set[Path] = set()
    search: list[Path] = []
    for path in candidates:
        resolved = path.resolve()
        if resolved.is_dir() and resolved not in seen:
            seen.add(resolved)
            search.append(resolved)
    return search


def build(
    config: Config,
    paths: list[str] | None,
    audience: str,
    formats: list[str],
    out_dir: Path,
    templates_dir: str | None = None,
    jobs: int = 1,
) -> list[Path]:
    """The main job: articles in, brief.{md,html,pdf,json} out (written atomically)."""
    from .assemble import assemble
    from .deliver.files import Content, write_outputs
    from .render import PdfWorker, render
    from .render.json import json_writer

    config.audience(audience)  # an unknown audience fails here, before any work
    # The PDF's process imports WeasyPrint while this one reads, extracts and assembles.
    pdf_worker = PdfWorker.start(jobs) if "pdf" in formats else None
    # Two more write brief.json's extraction and check half the citations meanwhile.
    helpers = BuildHelpers.start(jobs)
    spool = _open_spool(out_dir)
    try:
        if _FORKING and spool.path is not None:
            extraction, spool = _extracted_apart(config, paths, jobs, out_dir, spool)
        else:
            extraction = run_extract(config, paths, jobs, skip_dirs=[out_dir], spool=spool)
        if helpers is not None and "json" in formats:
            helpers.submit(spool, out_dir / f"{SPOOL_NAME}.json.tmp")
        release_freed_memory()  # what the merge let go (memory.py)
        brief = assemble(extraction, config, audience, helpers.pool if helpers else None)
        release_freed_memory()  # what assemble read and let go
        rendered = render(
            brief,
            [fmt for fmt in formats if fmt != "json"],
            template_search_path(config, audience, templates_dir),
            config.render.min_font_pt,
            extraction,
            pdf_worker,
        )
        release_freed_memory()  # what render's fitting passes let go, before the writing
    except BaseException:
        if helpers is not None:
            helpers.close()
        spool.close()
        if spool.path is not None:
            with contextlib.suppress(OSError):
                spool.path.unlink()
        raise
    finally:
        if pdf_worker is not None:
            pdf_worker.close()
    # The JSON (the whole extraction) is written a piece at a time, straight to its file.
    made = helpers.written if helpers is not None else None
    outputs: dict[str, Content] = {
        fmt: json_writer(brief, extraction, made) if fmt == "json" else rendered[fmt]
        for fmt in formats
    }
    try:
        written = write_outputs(outputs, out_dir)
    finally:
        if helpers is not None:
            helpers.close()
        spool.close()
    if spool.path is not None:  # the whole extraction, beside the brief (README, "Output files")
        spool.path.rename(out_dir / SPOOL_NAME)  # (os.rename: it replaces, as os.replace)
    return written


def _doc_ids(deltas: bytes, count: int, last: int, ids: IdColumn) -> DocIds:
    """A merged item's documents again, from what _MergedItemsPickler kept of them."""
    kept = Mentions(True)
    kept.deltas, kept.count, kept.last = bytearray(deltas), count, last
    return DocIds(kept, ids)


class _MergedItemsPickler(pickle.Pickler):
    """Pickles merged items with their documents as the merge keeps them (varint numbers and
    the merges' one column of ids, IdColumn), where a DocIds alone pickles as its list of
    ids: a day of news's merged items name 1.5 M documents, 12 MB of list slots."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is DocIds and isinstance(obj.numbered, Mentions):
            kept = obj.numbered
            return _doc_ids, (bytes(kept.deltas), kept.count, kept.last, obj.named_by)
        return NotImplemented


def _extract_to_spool(
    config: Config, paths: list[str] | None, jobs: int, out_dir: Path, path: Path
) -> bytes:
    """The extraction's own process (_extracted_apart): the spool written at `path`, and
    the merged items returned, pickled."""
    spool = Spool(path)
    try:
        extraction = run_extract(
            config, paths, jobs, skip_dirs=[out_dir], spool=spool, merge_apart=True
        )
    finally:
        spool.close()
    return _pickled_merged((extraction.events, extraction.open_questions, extraction.facts))


def _pickled_merged(merged: tuple[list[Event], list[Question], list[Fact]]) -> bytes:
    """The merged events, questions and facts, pickled (see _MergedItemsPickler)."""
    pickled = io.BytesIO()
    _MergedItemsPickler(pickled, protocol=pickle.HIGHEST_PROTOCOL).dump(merged)
    return pickled.getvalue()


def _extracted_apart(
    config: Config, paths: list[str] | None, jobs: int, out_dir: Path, spool: Spool
) -> tuple[Extraction, Spool]:
    """run_extract in a process of its own (apart.py), which writes the spool's file anew
    with a connection of its own and sends back the merged items; the extraction here reads
    the spool it wrote. The build then assembles in a process that never held the merges'
    working state: at 100,000 articles its peak fell from 120 to about 105 MB, while the
    extraction's process peaks about where the build's extraction did (docs/speed.md, "The
    extraction in a process of its own, lighter drafting")."""
    assert spool.path is not None
    spool.close()
    pickled = run_apart(
        "the extraction", _extract_to_spool, config, paths, jobs, out_dir, spool.path
    )
    events, questions, facts = pickle.loads(pickled)
    written = Spool(spool.path, written=True)
    return spooled_extraction(written, events, questions, facts), written


def _open_spool(out_dir: Path) -> Spool:
    """The build's spool, in its output folder; where that cannot be written, a temporary
    one (writing the brief then reports the folder's problem)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return Spool(out_dir / f"{SPOOL_NAME}.tmp")
    except (OSError, sqlite3.Error):
        return Spool(None)


# --- the e-mail digest -------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


def digest(
    config: Config,
    paths: list[str] | None,
    request: DigestRequest,
    jobs: int = 1,
    now: Callable[[], datetime] = _now,
) -> Outcome:
    """The e-mail digest: extract -> plan from the state -> assemble -> render -> send ->
    record (or, with mode "eml", write the message and record nothing).

    The run holds the state's lock from its start to recording the delivery, so two
    overlapping cron runs cannot both send the same documents; the second steps aside.
    """
    from .deliver.state import State, StateBusy, exclusive_lock

    check_recipients(request)
    # The state is opened and checked (readable, a digest state, writable) before the
    # articles are read: a state that would stop the run stops it at once.
    if request.mode == "eml":
        with State.peek(request.state_path) as state:
            return _digest_with(config, paths, jobs, request, state, now)
    try:
        with exclusive_lock(request.state_path), State.open(request.state_path) as state:
            return _digest_with(config, paths, jobs, request, state, now)
    except StateBusy:
        log.info("another digest run holds %s; leaving it to that run", request.state_path)
        return Outcome("busy")


def _digest_with(
    config: Config,
    paths: list[str] | None,
    jobs: int,
    request: DigestRequest,
    state: State,
    now: Callable[[], datetime],
) -> Outcome:
    from .deliver.digest import send_and_record, write_eml
    from .deliver.mail import build_message

    extraction = run_extract(config, paths, jobs)
    plan = plan_digest(
        extraction.documents, state.sent_hashes(request.audience), request.since, request.force
    )
    if not plan.included:
        return Outcome("nothing_new")
    when = now()
    identity = digest_key(request.audience, state.digest_count(request.audience), plan)
    message = build_message(_letter(extraction, config, request, plan, when, identity), when)
    message_id = str(message["Message-ID"])
    if request.mode == "eml":
        assert request.eml_dir is not None
        path = write_eml(message, request.eml_dir, request.audience, when)
        return Outcome("written", len(plan.new), request.recipients, message_id, path)
    accepted = send_and_record(message, request.smtp, state, request.audience, plan.included)
    return Outcome("sent", len(plan.new), accepted, message_id)


def _letter(
    extraction: Extraction,
    config: Config,
    request: DigestRequest,
    plan: Plan,
    when: datetime,
    identity: str,
) -> Letter:
    """Assemble the whole corpus's brief and render it as the digest's text and subject."""
    from .assemble import assemble
    from .assemble.changes import changes_since
    from .deliver.mail import Letter
    from .render.digest import compose_text, counted, subject_line

    brief = assemble(extraction, config, request.audience)
    new_ids = {d.id for d in plan.new}
    changes = changes_since(brief, extraction, config, request.audience, new_ids)
    today = when.date().isoformat()
    template_dirs = template_search_path(config, request.audience, None)
    markdown, html = compose_text(brief, extraction, plan.new, template_dirs, today, changes)
    subject = subject_line(
        config.digest.subject,
        {
            "story": config.story.title,
            "date": today,
            "count": len(plan.new),
            "articles": counted(len(plan.new), "new article"),
            "audience": brief.audience_title,
        },
    )
    return Letter(subject, request.smtp.sender, request.recipients, markdown, html, identity)
