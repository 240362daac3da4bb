"""Shared pieces of the one-bad-file tests: two good invented articles, the story config, and
a runner that builds or extracts a folder through the CLI and splits out the warnings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli

from .story import STORY_YAML

GOOD = {
    "pact-signed.txt": (
        "Tarvos and Quellin sign fishing pact\n\n"
        "Published: May 14, 2033\n\n"
        "Tarvos and Quellin signed a fishing pact on Monday that shares the northern banks "
        "between their trawlers for ten years.\n\n"
        '"The quotas are fair to both coasts," Foreign Minister Ilse Varga said after the '
        "signing, adding that the coast guard would check every catch.\n\n"
        "Ardenne condemned the pact on Tuesday, saying its own trawlers had fished the banks "
        "for a century.\n"
    ),
    "pact-reaction.txt": (
        "Morrow welcomes the northern fishing pact\n\n"
        "Published: May 15, 2033\n\n"
        "Morrow welcomed the fishing pact between Tarvos and Quellin on Tuesday and said it "
        "hoped the quotas would calm the northern banks.\n\n"
        '"This pact ends years of quarrels at sea," Oren Bask told reporters in Quellin, '
        "where the agreement was signed a day earlier.\n"
    ),
}
GOOD_IDS = sorted(Path(name).stem for name in GOOD)


def write_good(folder: Path) -> None:
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")


def write_config(folder: Path) -> Path:
    path = folder / "story.yaml"
    path.write_text(STORY_YAML, encoding="utf-8")
    return path


@dataclass
class Run:
    exit_code: int
    stdout: str
    warnings: list[str]


def run_cli(args: list[str], config: Path) -> Run:
    result = CliRunner().invoke(cli, [*args, "--config", str(config)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    lines = result.stderr.splitlines()
    return Run(result.exit_code, result.stdout, [line for line in lines if "skipped" in line])


def extracted_ids(run: Run) -> list[str]:
    return sorted(doc["id"] for doc in json.loads(run.stdout)["documents"])
