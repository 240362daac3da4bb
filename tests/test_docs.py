"""The README documents every command and option of the CLI, so a new flag cannot ship
undocumented (the config keys have their own check beside the schema)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from briefing.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, click.Command]]:
    return sorted(cli.commands.items())  # type: ignore[attr-defined]


def _flags() -> list[tuple[str, str]]:
    """(command, longest flag) for every option of every command and of the group."""
    found: list[tuple[str, str]] = []
    for name, command in [("briefing", cli), *_commands()]:
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                found.append((name, max(param.opts, key=len)))
    return found


def test_there_is_something_to_check() -> None:
    names = [name for name, _ in _commands()]
    assert {"build", "digest", "extract", "init"} <= set(names)
    assert ("build", "--out") in _flags()


@pytest.mark.parametrize("name", [name for name, _ in _commands()])
def test_every_command_is_in_the_readme(name: str) -> None:
    assert re.search(rf"briefing {re.escape(name)}\b", README), f"`briefing {name}` not in README"


@pytest.mark.parametrize(("command", "flag"), _flags())
def test_every_option_is_in_the_readme(command: str, flag: str) -> None:
    assert re.search(rf"{re.escape(flag)}(?![\w-])", README), f"{command} {flag} not in README"
