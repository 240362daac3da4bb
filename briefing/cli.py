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
    logging.basicConfig(level=max(level, logging.DEBUG), format="briefing: %(message)s",
                        stream=sys.stderr)


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


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False),
    help="Config file (default: ./config.yaml, else the built-in one).",
)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@config_option
def extract(paths: tuple[str, ...], fmt: str, config_path: str | None) -> None:
    """Print what the extractors find in PATHS (files, folders, globs) as JSON.

    \b
    Example:
      briefing extract seeds --format json > extraction.json
    """
    from .pipeline import run_extract

    config = _load(config_path)
    extraction = run_extract(config, list(paths) or None)
    json.dump(extraction.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def main() -> None:
    cli(prog_name="briefing")
