"""Command-line interface: the only module that prints or exits."""

from __future__ import annotations

import json
import logging
import sys

import click

from . import __version__
from .config import Config, load_config
from .errors import BriefingError

EXIT_CODES = """Exit codes: 0 done, 1 runtime failure, 2 usage or config error,
3 no usable document among the inputs."""


def _setup_logging(verbose: int, quiet: int) -> None:
    level = logging.WARNING + 10 * (quiet - verbose)
    logging.basicConfig(
        level=max(level, logging.DEBUG), format="briefing: %(message)s", stream=sys.stderr
    )


def _load(config_path: str | None) -> Config:
    return load_config(config_path)


class BriefingGroup(click.Group):
    """Turns BriefingError into one clean line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BriefingError as exc:
            click.echo(f"briefing: error: {exc}", err=True)
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
    type=click.IntRange(min=1),
    help="Extraction processes (default: config ingest.jobs, else one per core).",
)

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: ./config.yaml, else the built-in one).",
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
    from .pipeline import default_jobs, run_extract

    config = _load(config_path)
    extraction = run_extract(config, list(paths) or None, jobs or default_jobs(config))
    json.dump(extraction.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


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
        name, _, value = spec.partition("=")
        if name not in metrics or not value:
            raise UsageError(
                f"--min {spec!r}: expected METRIC=VALUE with METRIC among {', '.join(metrics)}"
            )
        if metrics[name] < float(value):
            failed.append(f"{name} {metrics[name]:.3f} < {value}")
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
    from .pipeline import default_jobs

    config = _load(config_path)
    name = audience or config.default_audience
    config.audience(name)  # unknown audiences stop here, listing the valid ones
    target = Path(out_dir) if out_dir else config.resolve(config.out)
    written = run_build(
        config,
        list(paths) or None,
        name,
        _parse_formats(formats, config),
        target,
        templates_dir,
        jobs or default_jobs(config),
    )
    for path in written:
        logging.getLogger("briefing").info("wrote %s", path)


def main() -> None:
    cli(prog_name="briefing")
