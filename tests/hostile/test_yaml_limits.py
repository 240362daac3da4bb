"""Configs and front matter are parsed with limits: alias expansion, depth and size bounded,
tags outside plain YAML refused, each with its key and line (issue 16: a 4 KB alias bomb took
96 s and 13.7 GB; a `!!python/...` tag on one value was silently dropped)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import parse_config
from briefing.errors import ConfigError
from briefing.safe_yaml import YamlLimitError, YamlLimits, load_limited

from .story import STORY_YAML


def _alias_bomb() -> str:
    """About 4 KB: nine levels of lists of nine aliases, the last used as a mapping key."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * 9) + "]"]
    for level in range(1, 10):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    lines.append("countries:\n  ? *l9\n  : {aliases: [Tarvos]}")
    return STORY_YAML + "\n".join(lines) + "\n" + "# padding\n" * 200


def test_alias_bomb_in_a_config_fails_fast_with_key_and_line(tmp_path: Path) -> None:
    text = _alias_bomb()
    assert 3_000 < len(text) < 5_000
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["extract", "--config", str(path)])
    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    assert len(result.stderr) < 500
    # l0 is the line after the story; l4 holds 9**5 = 59,049 lols, l5 passes 100,000 nodes
    line = STORY_YAML.count("\n") + 6
    assert f"bomb.yaml:{line}: l5[" in result.stderr
    assert "nodes (aliases counted expanded)" in result.stderr


@pytest.mark.parametrize(
    ("extra", "offset", "key", "problem"),
    [
        ("out: !!python/object/apply:os.system [ls]\n", 1, "out", "tag"),
        ("out: !secret value\n", 1, "out", "tag '!secret' is not allowed"),
        ("render: {page_size: !!binary aGk=}\n", 1, "render.page_size", "not allowed"),
        ("inputs: " + "[" * 100 + "]" * 100 + "\n", 1, "inputs[0]", "nested more than"),
        ("a: &a {b: 1}\nx:\n  ? *a\n  : 2\n", 3, "x", "mapping key must be plain text"),
    ],
)
def test_refused_yaml_names_key_and_line(extra: str, offset: int, key: str, problem: str) -> None:
    line = STORY_YAML.count("\n") + offset  # offset: the line within `extra`
    with pytest.raises(ConfigError) as caught:
        parse_config(STORY_YAML + extra, "story.yaml")
    message = str(caught.value)
    assert message.startswith(f"story.yaml:{line}: {key}")
    assert problem in message


def test_plain_anchors_and_merge_keys_still_load() -> None:
    text = STORY_YAML + "render: &r {page_size: Letter}\n"
    config = parse_config(text, "story.yaml")
    assert config.render.page_size == "Letter"
    data = load_limited("base: &b {x: 1, y: [1, 2]}\nother:\n  <<: *b\n  z: 3\n")
    assert data == {"base": {"x": 1, "y": [1, 2]}, "other": {"x": 1, "y": [1, 2], "z": 3}}


def test_limits_are_exact() -> None:
    limits = YamlLimits(max_depth=3, max_nodes=10, max_chars=100)
    assert load_limited("a: [[1]]", limits) == {"a": [[1]]}
    with pytest.raises(YamlLimitError, match="nested more than 3"):
        load_limited("a: [[[1]]]", limits)
    assert load_limited("a: &x [1, 2]\nb: *x", limits) == {"a": [1, 2], "b": [1, 2]}
    with pytest.raises(YamlLimitError, match="more than 10 nodes"):
        load_limited("a: &x [1, 2, 3]\nb: *x\nc: *x", limits)
    with pytest.raises(YamlLimitError, match="longer than 100"):
        load_limited("a: " + "x" * 100, limits)


def test_dates_stay_text_for_the_caller_to_check() -> None:
    data = load_limited("a: 2024-02-30\nb: 2024-13-45\nc: 2024-01-01T10:00:00+99:00\nd: 2024-06-19")
    assert data == {
        "a": "2024-02-30",
        "b": "2024-13-45",
        "c": "2024-01-01T10:00:00+99:00",
        "d": "2024-06-19",
    }
