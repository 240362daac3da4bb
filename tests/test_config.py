"""Config validation: every error names the key, the file and the line; exit code 2."""

from __future__ import annotations

import re
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
    # The story's parties and third countries all have a gazetteer entry.
    assert len(config.story.principals) == 2
    assert set(config.story.principals + config.story.third_countries) <= set(config.countries)
    assert config.render.min_font_pt == 8.0


def test_minimal_config_takes_defaults() -> None:
    config = parse_config(MINIMAL, "story.yaml")
    assert config.story.title == "Harbour accord"
    assert config.formats == ["md", "html", "pdf", "json"]
    assert config.audiences["analyst"].page_size == "A4"
    assert config.digest.smtp.security == "starttls"


def test_config_without_audiences_takes_the_built_in_ones() -> None:
    config = parse_config(MINIMAL.replace("audiences:\n  analyst: {}\n", ""), "story.yaml")
    assert sorted(config.audiences) == ["analyst", "executive", "press"]
    assert config.audience("executive").sections[0] == "bottom_line"


def test_empty_audiences_still_need_the_default_one() -> None:
    with pytest.raises(ConfigError, match=r"default_audience: 'analyst' is not a key"):
        parse_config(MINIMAL.replace("  analyst: {}\n", "  board: {}\n"), "story.yaml")


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
    message = str(info.value)
    # Each error points at the offending item's own line, not the top of the file.
    assert (
        "story.principals[1]: 'Lemuria' is neither a key of countries nor a country of the "
        "world gazetteer (s.yaml:3)" in message
    )
    assert "audiences.press.sections[0]: unknown section 'gossip'; valid: bottom_line," in message
    assert "(s.yaml:8)" in message


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


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "digest:\n  smtp:\n    security: tls\n",
            "digest.smtp.security: must be one of starttls, ssl, none, not 'tls'",
        ),
        (
            "digest:\n  smtp:\n    port: 70000\n",
            "digest.smtp.port: must be at most 65535, not 70000",
        ),
        (
            "digest:\n  smtp:\n    timeout_s: 0\n",
            "digest.smtp.timeout_s: must be more than 0, not 0.0",
        ),
        ("ingest:\n  max_file_mb: -1\n", "ingest.max_file_mb: must be more than 0, not -1.0"),
        ("ingest:\n  jobs: -2\n", "ingest.jobs: must be at least 0, not -2"),
        ("render:\n  min_font_pt: 0\n", "render.min_font_pt: must be more than 0, not 0.0"),
        (
            "default_audience: board\n",
            "default_audience: 'board' is not a key of audiences; valid audiences: analyst",
        ),
    ],
)
def test_bad_values_name_key_file_and_line_more(extra: str, expected: str) -> None:
    text = MINIMAL + extra
    with pytest.raises(ConfigError) as info:
        parse_config(text, "story.yaml")
    message = str(info.value)
    assert expected in message
    last_line = text.count("\n")
    assert f"(story.yaml:{last_line})" in message


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("{page_size: A5}", "audiences.desk.page_size: must be one of A4, Letter, not 'A5'"),
        ("{font_pt: -3}", "audiences.desk.font_pt: must be more than 0, not -3.0"),
        ("{word_budget: -1}", "audiences.desk.word_budget: must be at least 0, not -1"),
        ("{sections: [agreement, gossip]}", "audiences.desk.sections[1]: unknown section 'gossip'"),
        ("{limits: {gossip: 2}}", "audiences.desk.limits.gossip: unknown section 'gossip'"),
        ("{limits: {quotes: -2}}", "audiences.desk.limits.quotes: must be at least 0, not -2"),
        (
            "{limits: {quotes: many}}",
            "audiences.desk.limits.quotes: must be an integer, not 'many'",
        ),
        ("{sections: agreement}", "audiences.desk.sections: must be a list"),
    ],
)
def test_bad_audience_values_name_key_file_and_line(audience: str, expected: str) -> None:
    text = MINIMAL + f"  desk: {audience}\n"
    with pytest.raises(ConfigError) as info:
        parse_config(text, "story.yaml")
    assert expected in str(info.value)
    assert "(story.yaml:8)" in str(info.value)


@pytest.mark.parametrize("value", ["2031-13-40", "tomorrow", "2031", "19/06/2031", "2031-06-19x"])
def test_bad_story_date_names_key_file_and_line(value: str) -> None:
    text = MINIMAL.replace(
        "  title: Harbour accord\n", f"  title: Harbour accord\n  date: {value}\n"
    )
    with pytest.raises(ConfigError) as info:
        parse_config(text, "story.yaml")
    assert f"story.date: must be a date as YYYY-MM-DD, not '{value}' (story.yaml:3)" in str(
        info.value
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2031-06-19", "2031-06-19"),
        ("'2031-06-19'", "2031-06-19"),
        ("2031-06-19T10:00:00", "2031-06-19 10:00:00"),
        ("null", None),
    ],
)
def test_good_story_dates_load(value: str, expected: str | None) -> None:
    text = MINIMAL.replace(
        "  title: Harbour accord\n", f"  title: Harbour accord\n  date: {value}\n"
    )
    assert parse_config(text, "story.yaml").story.date == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("story:\n  title: x\n bad: [\n", r"s\.yaml:3: not valid YAML"),
        ("story:\n  title: 'unclosed\n", r"s\.yaml:3: not valid YAML"),
        ("story:\n\ttitle: x\n", r"s\.yaml:2: not valid YAML"),
        ("story: {title: x\n", r"s\.yaml:2: not valid YAML"),
        ("", r"s\.yaml: the config file is empty"),
        ("- a\n- b\n", r"\(top level\): must be a mapping \(s\.yaml:1\)"),
    ],
)
def test_yaml_syntax_and_shape_errors_name_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        parse_config(text, "s.yaml")


def test_missing_and_unreadable_config_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"gone\.yaml: cannot read config"):
        load_config(tmp_path / "gone.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("story:\n  title: Caf\u00e9 talks\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin\.yaml: config is not UTF-8"):
        load_config(latin)


def test_cli_missing_config_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = CliRunner().invoke(cli, ["build", "--config", str(missing), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{missing}: cannot read config" in result.output


def test_cli_bad_date_exits_2_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "config.yaml"
    bad.write_text(MINIMAL.replace("  title: Harbour accord\n", "  title: x\n  date: soon\n"))
    result = CliRunner().invoke(cli, ["extract", "--config", str(bad)])
    assert result.exit_code == 2
    assert f"story.date: must be a date as YYYY-MM-DD, not 'soon' ({bad}:3)" in result.output


@pytest.fixture
def story_config(tmp_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(MINIMAL + "  press: {}\n", encoding="utf-8")
    (tmp_path / "articles").mkdir()
    return config


@pytest.mark.parametrize("command", ["build", "digest"])
def test_cli_unknown_audience_lists_the_valid_ones(story_config: Path, command: str) -> None:
    args = [command, str(story_config.parent / "articles"), "--config", str(story_config)]
    args += ["--audience", "nope"]
    args += ["--eml", str(story_config.parent / "mail")] if command == "digest" else []
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "unknown audience 'nope'; valid audiences: analyst, press" in result.output


@pytest.mark.parametrize("formats", ["docx", "md,docx", "md,,PDF", ","])
def test_cli_unknown_format_lists_the_valid_ones(story_config: Path, formats: str) -> None:
    args = ["build", str(story_config.parent / "articles"), "--config", str(story_config)]
    result = CliRunner().invoke(cli, [*args, "--format", formats])
    assert result.exit_code == 2
    assert "valid formats: md, html, pdf, json" in result.output


def test_cli_extract_unknown_format_lists_the_valid_one(story_config: Path) -> None:
    args = ["extract", "--config", str(story_config), "--format", "docx"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "'docx' is not 'json'" in result.output


def _schema_keys(cls: type, prefix: str = "") -> list[str]:
    """Every key path the config schema accepts ("countries.NAME.people")."""
    import dataclasses
    import typing

    keys: list[str] = []
    hints = typing.get_type_hints(cls)
    for spec in dataclasses.fields(cls):
        if spec.metadata.get("internal"):
            continue
        path = f"{prefix}{spec.name}"
        kind = hints[spec.name]
        if not dataclasses.is_dataclass(kind):
            keys.append(path)  # a section (story, render...) is documented by its keys
        if typing.get_origin(kind) is dict:
            kind, path = typing.get_args(kind)[1], f"{path}.NAME"
        if dataclasses.is_dataclass(kind):
            keys += _schema_keys(kind, f"{path}.")  # type: ignore[arg-type]
    return keys


def test_every_config_key_is_in_the_readme() -> None:
    from briefing.config import Config

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    keys = _schema_keys(Config)
    assert {"countries.NAME.people", "story.principals", "digest.smtp.timeout_s"} <= set(keys)
    missing = []
    for key in keys:
        parent, _, last = key.rpartition(".")
        # "`digest.smtp.host`, `.port`": a sibling written after its parent's first key.
        sibling = re.search(rf"`{re.escape(parent)}\.[^`]+`[^|\n]*`\.{re.escape(last)}`", readme)
        if f"`{key}`" not in readme and not (parent and sibling):
            missing.append(key)
    assert not missing, f"config keys missing from README's Configuration table: {missing}"
