"""The JSON brief is written a piece at a time; its bytes stay those of one json.dumps."""

from __future__ import annotations

import io
import json
from dataclasses import asdict

from brief_fixture import harbour_config, harbour_extraction

from briefing.assemble import assemble
from briefing.render.json import _encode, json_writer, write_json


def test_encoder_matches_json_dumps_on_awkward_values() -> None:
    value = {
        "text": 'line\nbreak "quoted" é \u2028 \x00',
        "numbers": [0, -3, 2.5, 1e-7, 10**20, -0.0, float("inf")],
        "flags": [True, False, None],
        "empty": [[], {}, ""],
        7: {"nested": [{"deeper": [[1]]}]},
    }
    assert _encode(value, "") == json.dumps(value, ensure_ascii=False, indent=2)


def test_streamed_brief_is_byte_identical_to_one_dump() -> None:
    config = harbour_config()
    extraction = harbour_extraction()
    brief = assemble(extraction, config, "analyst")
    whole = extraction.to_json()
    whole["brief"] = asdict(brief)
    del whole["brief"]["theme"]
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    binary = io.BytesIO()
    json_writer(brief, extraction)(binary)
    assert binary.getvalue().decode("utf-8") == expected
    assert len(json.loads(expected)["quotes"]) == len(extraction.quotes) > 0


def test_extraction_alone_ends_without_a_brief() -> None:
    extraction = harbour_extraction()
    text = io.StringIO()
    write_json(text, None, extraction)
    expected = json.dumps(extraction.to_json(), ensure_ascii=False, indent=2) + "\n"
    assert text.getvalue() == expected
