"""Command-line interface: the only module that prints or exits."""

from __future__ import annotations

import contextlib
import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click

from . import __version__
from .config import Config, Smtp, load_config
from .errors import BriefingError

EXIT_CODES = """Exit codes: 0 done, 1 runtime failure, 2 usage or config error,
3 no usable document among the inputs."""


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time of the message (not at set-up), so that
    messages follow a redirected stderr, as under click's CliRunner.

    The message's arguments (file names, reasons) are data from outside: control characters,
    bidi controls and bytes that are not UTF-8 are escaped, so a file named "x\nbriefing:
    error: ..." cannot add a line of its own to stderr or to a cron mail."""

    def format(self, record: logging.LogRecord) -> str:
        if record.args:
            record = logging.makeLogRecord(record.__dict__)
            if isinstance(record.args, dict):
                record.args = {k: _printable_arg(v) for k, v in record.args.items()}
            elif isinstance(record.args, tuple):
                record.args = tuple(_printable_arg(a) for a in record.args)
        return super().format(record)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def _printable_arg(arg: object) -> object:
    if isinstance(arg, int | float):
        return arg
    from .ingest.safetext import printable

    return printable(str(arg))


def _setup_logging(verbose: int, quiet: int) -> None:
    level = logging.WARNING + 10 * (quiet - verbose)
    logger = logging.getLogger("briefing")
    logger.setLevel(max(level, logging.DEBUG))
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("briefing: %(message)s"))
        logger.addHandler(handler)
    # Our own handler is the only one: no duplicate lines through the root logger.
    logger.propagate = False


def _load(config_path: str | None) -> Config:
    return load_config(config_path)


class BriefingGroup(click.Group):
    """Turns BriefingError into one clean line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BriefingError as exc:
            from .ingest.safetext import printable

            # Line by line: a multi-line message (a config's errors) keeps its lines, while
            # a file name inside one cannot add a line of its own.
            message = "\n".join(printable(line) for line in str(exc).split("\n"))
            click.echo(f"briefing: error: {message}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=BriefingGroup, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="briefing")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (repeatable).")
@click.option("-q", "--quiet", count=True, help="Fewer messages on stderr (repeatable).")
def cli(verbose: int, quiet: int) -> None:
    """Turn news articles about one story into a one-page situation brief."""
    _setup_logging(verbose, quiet)


jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    help="Extraction processes; 0 = one per core (default: config ingest.jobs).",
)

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: ./config.yaml, else a story-neutral one: the story is inferred).",
)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@jobs_option
@config_option
def extract(paths: tuple[str, ...], fmt: str, jobs: int | None, config_path: str | None) -> None:
    """Print what the extractors find in PATHS (files, folders, globs) as JSON.

    \b
    Example:
      briefing extract seeds --format json > extraction.json
    """
    from .pipeline import default_jobs, run_extract, story_config

    config = _load(config_path)
    workers = default_jobs(config, jobs)
    config = story_config(config, list(paths) or None, workers)
    from .extract.spool import Spool
    from .render.json import write_json

    # Quotes, reactions and documents wait in a temporary database, not in memory; the
    # texts, which the JSON leaves out, are not kept.
    extraction = run_extract(config, list(paths) or None, workers, spool=Spool(None), texts=False)
    with _gathered_stdout() as out:
        write_json(out, None, extraction)  # a piece at a time, as json.dumps(indent=2)


class _Gathered(io.StringIO):
    """Writes to `stream` in pieces of about `size` characters, however small the pieces it
    is given. The JSON is written in pieces of about 200 bytes: where stdout is unbuffered
    (`python -u`, PYTHONUNBUFFERED), each was a system call of its own, 44,000 for 2,000
    articles. A StringIO drained as it fills, rather than a second wrapper of stdout's bytes:
    stdout itself stays the only owner of its stream, whatever fails."""

    def __init__(self, stream: IO[str], size: int = 1 << 16) -> None:
        super().__init__()
        self.stream = stream
        self.size = size

    def write(self, text: str) -> int:
        written = super().write(text)
        if self.tell() >= self.size:
            self.drain()
        return written

    def drain(self) -> None:
        if self.tell():
            self.stream.write(self.getvalue())
            self.seek(0)
            self.truncate()


@contextlib.contextmanager
def _gathered_stdout() -> Iterator[IO[str]]:
    """sys.stdout, written in large pieces (see _Gathered)."""
    out = _Gathered(sys.stdout)
    try:
        yield out
    finally:
        out.drain()  # what was written before a failure still goes out, as before


@cli.command(name="eval")
@click.argument("gold_dir", type=click.Path(file_okay=False, exists=True))
@click.argument("paths", nargs=-1)
@click.option(
    "--min",
    "minimums",
    multiple=True,
    metavar="METRIC=VALUE",
    help="Fail (exit 1) when METRIC is below VALUE; repeatable.",
)
@click.option("--show-misses", is_flag=True, help="List each missed or wrong item first.")
@config_option
def evaluate_command(
    gold_dir: str,
    paths: tuple[str, ...],
    minimums: tuple[str, ...],
    show_misses: bool,
    config_path: str | None,
) -> None:
    """Score the extraction of PATHS against gold annotations in GOLD_DIR.

    Gold files are YAML, one per article, named after the article's file (format: see
    README, "Measuring the extractors"). Prints one line per metric.

    \b
    Examples:
      briefing eval tests/gold/seeds seeds
      briefing eval gold/ articles/ --min attributed_recall=0.9
    """
    from pathlib import Path

    from .errors import UsageError
    from .evaluate import score_detailed
    from .pipeline import run_extract

    config = _load(config_path)
    corpus = list(paths) or None
    extraction = run_extract(config, corpus)
    metrics, misses = score_detailed(
        extraction.to_json(),
        Path(gold_dir),
        Path(paths[0]) if paths else config.resolve(config.inputs[0]),
        {name: country.aliases for name, country in config.countries.items()},
    )
    if show_misses:
        for line in misses:
            click.echo(f"  {line}")
    for name, value in metrics.items():
        click.echo(f"{name}: {value:.3f}")
    failed = []
    for spec in minimums:
        name, _, floor = spec.partition("=")
        if name not in metrics or not floor:
            raise UsageError(
                f"--min {spec!r}: expected METRIC=VALUE with METRIC among {', '.join(metrics)}"
            )
        if metrics[name] < float(floor):
            failed.append(f"{name} {metrics[name]:.3f} < {floor}")
    if failed:
        click.echo("briefing: below target: " + "; ".join(failed), err=True)
        raise SystemExit(1)


def _parse_formats(value: str | None, config: Config) -> list[str]:
    from .config import FORMATS
    from .errors import UsageError

    if not value:
        return list(config.formats)
    formats = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        bad = ", ".join(unknown) or repr(value)
        raise UsageError(f"unknown format {bad}; valid formats: {', '.join(FORMATS)}")
    return formats


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "formats",
    metavar="LIST",
    help="Comma-separated formats among md,html,pdf,json (default: config formats).",
)
@click.option("--audience", help="Audience (a key of config audiences; default: default_audience).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Output folder (default: config out).",
)
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Folder searched first for templates.",
)
@jobs_option
@config_option
def build(
    paths: tuple[str, ...],
    formats: str | None,
    audience: str | None,
    out_dir: str | None,
    templates_dir: str | None,
    jobs: int | None,
    config_path: str | None,
) -> None:
    """Build the one-page brief from PATHS (default: config inputs).

    Writes OUT/brief.md, brief.html, brief.pdf and brief.json (each written to a temporary
    name, then renamed, so an interrupted run leaves the previous brief intact).

    \b
    Examples:
      briefing build
      briefing build seeds --audience executive --format pdf,md --out /tmp/brief
      briefing build articles/ --templates my-templates/ --config story.yaml
    """
    from pathlib import Path

    from .pipeline import build as run_build
    from .pipeline import default_jobs, story_config

    config = _load(config_path)
    name = audience or config.default_audience
    config.audience(name)  # unknown audiences stop here, listing the valid ones
    target = Path(out_dir) if out_dir else config.resolve(config.out)
    config = story_config(config, list(paths) or None, default_jobs(config, jobs), [target])
    written = run_build(
        config,
        list(paths) or None,
        name,
        _parse_formats(formats, config),
        target,
        templates_dir,
        default_jobs(config, jobs),
    )
    for path in written:
        logging.getLogger("briefing").info("wrote %s", path)


def _smtp_settings(config: Config, host: str | None, port: int | None) -> Smtp:
    """The configured SMTP settings with the command line's overrides."""
    from dataclasses import replace

    settings = config.digest.smtp
    return replace(
        settings,
        host=host if host is not None else settings.host,
        port=port if port is not None else settings.port,
    )


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--audience", help="Audience (a key of config audiences; default: default_audience).")
@click.option(
    "--to",
    "to_addresses",
    multiple=True,
    metavar="ADDR",
    help="Recipient, repeatable (default: config audiences.NAME.recipients).",
)
@click.option("--send", "send_mail", is_flag=True, help="Send the digest over SMTP.")
@click.option(
    "--eml",
    "eml_dir",
    type=click.Path(file_okay=False),
    help="Dry run: write the message to DIR as a .eml file; mark nothing as sent.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False),
    help="State file (default: config digest.state).",
)
@click.option("--since", metavar="DATE", help="Only articles published on or after YYYY-MM-DD.")
@click.option("--force", is_flag=True, help="Send even when nothing is new (the whole corpus).")
@click.option("--smtp-host", help="SMTP server (default: config digest.smtp.host).")
@click.option(
    "--smtp-port",
    type=click.IntRange(1, 65535),
    help="SMTP port (default: config digest.smtp.port).",
)
@jobs_option
@config_option
def digest(
    paths: tuple[str, ...],
    audience: str | None,
    to_addresses: tuple[str, ...],
    send_mail: bool,
    eml_dir: str | None,
    state_path: str | None,
    since: str | None,
    force: bool,
    smtp_host: str | None,
    smtp_port: int | None,
    jobs: int | None,
    config_path: str | None,
) -> None:
    """E-mail the brief of PATHS to an audience, marking the articles it has not had yet.

    Articles are known by their content, so a re-saved file is not new. Made for cron: with
    nothing new it sends and prints nothing; while another run holds the state's lock it
    steps aside (exit 0); when the server refuses or cannot be reached it exits 1 and marks
    nothing, so the next run sends the same articles. The state file is checked (a digest
    state, readable and writable) before anything is sent; any doubt is exit 1 and one line,
    nothing sent. See docs/digest.md.

    \b
    Examples:
      briefing digest articles/ --audience executive --send
      briefing digest articles/ --audience executive --to me@example.org --eml /tmp/digest
    """
    from pathlib import Path

    from .deliver.mail import parse_recipients
    from .errors import UsageError
    from .pipeline import default_jobs, story_config
    from .pipeline import digest as run_digest
    from .plan import DigestRequest, check_since

    if send_mail == bool(eml_dir):
        raise UsageError("choose one of --send (deliver) or --eml DIR (dry run)")
    config = _load(config_path)
    name = audience or config.default_audience
    settings = config.audience(name)
    request = DigestRequest(
        audience=name,
        recipients=parse_recipients(list(to_addresses) or settings.recipients),
        mode="send" if send_mail else "eml",
        state_path=Path(state_path) if state_path else config.resolve(config.digest.state),
        smtp=_smtp_settings(config, smtp_host, smtp_port),
        eml_dir=Path(eml_dir) if eml_dir else None,
        since=check_since(since),
        force=force,
    )
    workers = default_jobs(config, jobs)
    config = story_config(config, list(paths) or None, workers)
    outcome = run_digest(config, list(paths) or None, request, workers)
    log = logging.getLogger("briefing")
    if outcome.status == "sent":
        log.info("sent %s to %s", outcome.message_id, ", ".join(outcome.recipients))
    elif outcome.path is not None:
        click.echo(str(outcome.path))  # a dry run is run by hand: say where the message is


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False), required=False)
@click.option(
    "--from",
    "from_paths",
    multiple=True,
    metavar="ARTICLES",
    help="Write only config.yaml, with the story inferred from ARTICLES (repeatable).",
)
def init(directory: str | None, from_paths: tuple[str, ...]) -> None:
    """Create a workspace for a new story in DIRECTORY (default with --from: here).

    Writes a commented config.yaml, a templates/ folder with one example audience (desk)
    and an empty articles/ folder. Files that already exist are left as they are. With
    --from ARTICLES, writes only config.yaml: the story a build without a config infers
    from ARTICLES (title, principals, third countries, date), to edit.

    \b
    Examples:
      briefing init ~/stories/harbour-accord
      cd ~/stories/harbour-accord && briefing build
      briefing init --from articles/        # then edit config.yaml
    """
    from pathlib import Path

    from .errors import DeliveryError, UsageError
    from .workspace import scaffold

    if from_paths:
        _init_from(Path(directory or "."), list(from_paths))
        return
    if directory is None:
        raise UsageError("give a DIRECTORY for the workspace, or --from ARTICLES")
    target = Path(directory)
    try:
        written = scaffold(target)
    except OSError as exc:
        raise DeliveryError(f"cannot create workspace {target}: {exc.strerror or exc}") from exc
    for path in written:
        click.echo(f"created {path}")
    if not written:
        click.echo(f"{target}: workspace already set up; nothing changed")
    click.echo(
        f"next: edit {target / 'config.yaml'}, put articles in {target / 'articles'}/"
        f" and run `briefing build` in {target}"
    )


def _init_from(target: Path, paths: list[str]) -> None:
    """`briefing init --from`: the inferred story written down as TARGET/config.yaml."""
    from .config import builtin_config_text, parse_config
    from .errors import DeliveryError, UsageError
    from .infer import config_yaml
    from .pipeline import default_jobs, story_config

    destination = target / "config.yaml"
    if destination.exists():
        raise UsageError(f"{destination} exists; remove it or choose another folder")
    default = parse_config(builtin_config_text(), "<built-in config.yaml>")
    config = story_config(default, paths, default_jobs(default), announce=False)
    text = config_yaml(config, paths, target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DeliveryError(f"cannot write {destination}: {exc.strerror or exc}") from exc
    click.echo(f"created {destination}")
    click.echo(f"next: edit it, then run `briefing build` in {target}")


def main() -> None:
    from .lifetime import end_children_on_signals

    end_children_on_signals()
    cli(prog_name="briefing")
