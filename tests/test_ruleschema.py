"""Rule tables are checked against their schema; errors name the file, the line and the key."""

from __future__ import annotations

import pytest

from briefing.errors import RuleTableError
from briefing.resources import load_rules, load_yaml_text, rules_path
from briefing.ruleschema import SCHEMAS, check_table


def errors_of(name: str, text: str) -> list[str]:
    """The error lines check_table gives for `text` as the table `name` ([] when none)."""
    try:
        check_table(load_yaml_text(text), text, name)
    except RuleTableError as exc:
        first, *lines = str(exc).splitlines()
        assert first == "invalid rule table:"
        return [line.strip() for line in lines]
    return []


def test_every_table_has_a_schema_and_matches_it() -> None:
    files = sorted(p.name for p in rules_path("").glob("*.yaml"))
    assert files == sorted(SCHEMAS)
    for name in files:
        assert isinstance(load_rules(name), dict)


def test_a_wrong_type_names_the_file_the_line_and_the_key() -> None:
    text = "abbreviations: [etc, approx]\nsentence_final_acronyms: none given\n"
    assert errors_of("abbreviations.yaml", text) == [
        "rules/abbreviations.yaml:2: sentence_final_acronyms: must be a list, not 'none given'"
    ]


def test_an_unknown_key_is_reported_at_its_own_line_with_the_valid_keys() -> None:
    text = "stopwords:\n  - the\n  - of\nstopword: [and]\n"
    assert errors_of("stopwords.yaml", text) == [
        "rules/stopwords.yaml:4: stopword: unknown key; valid keys: stopwords"
    ]


def test_a_nested_value_is_checked_with_its_path() -> None:
    text = rules_path("dates.yaml").read_text(encoding="utf-8")
    unit = "\n  week: {days: 7, precision: month}"  # the unit, not the phrase "next week"
    assert text.count(unit) == 1
    broken = text.replace(unit, "\n  week: {days: seven, precision: wk}")
    line = text[: text.index(unit)].count("\n") + 2
    assert errors_of("dates.yaml", broken) == [
        f"rules/dates.yaml:{line}: units.week.days: must be an integer, not 'seven'",
        f"rules/dates.yaml:{line}: units.week.precision: must be one of day, month, year, not 'wk'",
    ]


def test_an_unquoted_yes_or_no_in_a_word_list_is_refused_with_the_reason() -> None:
    text = "stopwords: [the, no, of]\n"
    assert errors_of("stopwords.yaml", text) == [
        "rules/stopwords.yaml:1: stopwords[1]: must be a string, not False "
        "(quote yes, no, on and off to keep them words)"
    ]


def test_a_missing_key_is_reported_at_the_mapping_and_every_problem_at_once() -> None:
    text = "finite: [said]\nparticiple: [saying]\nphrases: said\n"
    assert errors_of("speech_verbs.yaml", text) == [
        "rules/speech_verbs.yaml:3: phrases: must be a list, not 'said'",
        "rules/speech_verbs.yaml:1: between: required value is missing",
    ]


def test_a_table_that_is_not_a_mapping_is_refused() -> None:
    assert errors_of("stopwords.yaml", "- the\n- of\n") == [
        "rules/stopwords.yaml:1: (top level): must be a mapping, not ['the', 'of']"
    ]


def test_a_table_without_a_schema_is_refused() -> None:
    with pytest.raises(RuleTableError, match=r"rules/colours\.yaml: no schema"):
        check_table({}, "", "colours.yaml")


def test_stances_and_roles_must_be_known_ones() -> None:
    text = rules_path("stance.yaml").read_text(encoding="utf-8")
    line = text[: text.index("\npriority:")].count("\n") + 2
    broken = text.replace("\npriority: [", "\npriority: [furious, ", 1)
    assert errors_of("stance.yaml", broken) == [
        f"rules/stance.yaml:{line}: priority[0]: must be one of condemns, concerned, neutral, "
        "welcomes, supports, not 'furious'"
    ]


def test_the_stance_and_the_claims_read_the_one_negation_table() -> None:
    from briefing.extract import claims, reactions
    from briefing.language import negations

    table = negations()
    assert {"not", "never", "n't"} <= table.words
    assert reactions.stance_rules().negations == table.words
    assert claims.tables().negations == table.words | table.denials
    assert claims.tables().negation_exceptions == table.exceptions
    assert ("not", "only") in table.exceptions


def test_every_stage_reads_the_months_of_the_one_calendar() -> None:
    from briefing.extract.dates import tables
    from briefing.ingest.dates import find_dates
    from briefing.language import calendar
    from briefing.render.filters import long_date, short_date

    months = calendar().month_numbers()
    assert months["Sept"] == months["September"] == 9
    assert tables().months["sept"] == 9
    assert [d.iso for d in find_dates("Posted Sept. 3, 2031")] == ["2031-09-03"]
    assert (long_date("2031-09-03"), short_date("2031-09")) == ("3 September 2031", "Sep 2031")
