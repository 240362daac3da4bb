"""Config validation: every error names the key, the file and the line; exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import load_config, parse_config
from briefing.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """\
story:
  title: Harbour accord
  principals: [Atlantis]
countries:
  Atlantis: {aliases: [Atlantean]}
audiences:
  analyst: {}
"""


def test_repo_config_loads_with_its_audiences() -> None:
    config = load_config(ROOT / "config.yaml")
    assert sorted(config.audiences) == ["analyst", "executive", "press"]
    assert config.story.principals == ["Russia", "North Korea"]
    assert config.render.min_font_pt == 8.0


def test_minimal_config_takes_defaults() -> None:
    config = parse_config(MINIMAL, "story.yaml")
    assert config.story.title == "Harbour accord"
    assert config.formats == ["md", "html", "pdf", "json"]
    assert config.audiences["analyst"].page_size == "A4"
    assert config.digest.smtp.security == "starttls"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("colour: blue\n", "colour: unknown key; valid keys: story, countries"),
        ("render:\n  min_font_pt: small\n", "render.min_font_pt: must be a number, not 'small'"),
        ("render:\n  page_size: A5\n", "render.page_size: must be one of A4, Letter, not 'A5'"),
        ("formats: md\n", "formats: must be a list"),
        ("ingest:\n  jobs: true\n", "ingest.jobs: must be an integer, not True"),
        ("inputs: [a]\ninputs: [b]\n", "inputs: key given twice"),
    ],
)
def test_bad_values_name_key_file_and_line(extra: str, expected: str) -> None:
    text = MINIMAL + extra
    with pytest.raises(ConfigError) as info:
        parse_config(text, "story.yaml")
    message = str(info.value)
    assert expected in message
    first_extra_line = MINIMAL.count("\n") + 1
    lines = {f"(story.yaml:{first_extra_line}", f"(story.yaml:{first_extra_line + 1}"}
    assert any(line in message for line in lines)


def test_missing_required_value() -> None:
    with pytest.raises(ConfigError, match=r"story\.title: required value is missing \(s\.yaml:2\)"):
        parse_config("story:\n  date: 2024-01-01\n", "s.yaml")


def test_story_refers_to_known_countries_and_sections() -> None:
    text = MINIMAL.replace("[Atlantis]", "[Atlantis, Lemuria]") + "  press: {sections: [gossip]}\n"
    with pytest.raises(ConfigError) as info:
        parse_config(text, "s.yaml")
    assert "story.principals: 'Lemuria' is not a key of countries" in str(info.value)
    assert "audiences.press.sections: unknown section 'gossip'" in str(info.value)


def test_all_errors_are_reported_together() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(MINIMAL + "colour: 1\nsize: 2\n", "s.yaml")
    assert "colour: unknown key" in str(info.value)
    assert "size: unknown key" in str(info.value)


def test_invalid_yaml_names_line() -> None:
    with pytest.raises(ConfigError, match=r"s\.yaml:3: not valid YAML"):
        parse_config("story:\n  title: x\n bad: [\n", "s.yaml")


def test_cli_exits_2_and_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "config.yaml"
    bad.write_text(MINIMAL + "surprise: yes\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--config", str(bad)])
    assert result.exit_code == 2
    assert "surprise: unknown key" in result.output
    assert f"{bad}:8" in result.output
