"""The JSON brief: the extraction contract (the keys of `briefing extract --format json`:
documents, quotes, reactions, events, open_questions, facts) plus the assembled brief under
"brief", so that one file feeds both scorers and other tools.

The file is written piece by piece (`write_json`): at 100,000 articles it holds over a
gigabyte, which must not sit in memory as one object or one string. Its bytes are those of
`json.dumps(..., ensure_ascii=False, indent=2)` of the whole, which with `indent` runs the
pure-Python encoder; the small encoder here makes the same text several times faster.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import IO, Any

from ..models import Brief, Extraction

_STRING: Callable[[str], str] = json.encoder.encode_basestring
_FLOAT = float.__repr__
_INT = int.__repr__


def _encode(value: Any, pad: str) -> str:
    """`value` as json.dumps(indent=2) writes it, nested at `pad` (its closing bracket's
    indentation)."""
    if isinstance(value, str):
        return _STRING(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return _INT(value)
    if isinstance(value, float):
        return _encode_float(value)
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = [f"{_key(k)}: {_encode(v, inner)}" for k, v in value.items()]
        return "{\n" + inner + (",\n" + inner).join(parts) + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [_encode(v, inner) for v in value]
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)  # anything else: as json would (or its error)


def _key(key: Any) -> str:
    return _STRING(key) if isinstance(key, str) else _STRING(json.dumps(key))


def _encode_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return _FLOAT(value)


def _write_list(stream: IO[str], key: str, rows: Iterable[dict[str, Any]], last: bool) -> None:
    """One top-level key holding a list, its items encoded one at a time."""
    stream.write(f"  {_STRING(key)}: ")
    opened = False
    for row in rows:
        stream.write(",\n    " if opened else "[\n    ")
        stream.write(_encode(row, "    "))
        opened = True
    stream.write("\n  ]" if opened else "[]")
    stream.write("\n" if last else ",\n")


def write_json(stream: IO[str], brief: Brief | None, extraction: Extraction | None = None) -> None:
    """The JSON brief, written to `stream` a piece at a time; without a brief, the extraction
    alone (`briefing extract --format json`)."""
    parts = list((extraction or Extraction()).json_parts())
    stream.write("{\n")
    for number, (key, rows) in enumerate(parts, start=1):
        _write_list(stream, key, rows, last=brief is None and number == len(parts))
    if brief is not None:
        data = asdict(brief)
        del data["theme"]  # how it looks, not what it says
        stream.write(f'  "brief": {_encode(data, "  ")}\n')
    stream.write("}\n")


def json_writer(brief: Brief, extraction: Extraction | None = None) -> Callable[[IO[bytes]], None]:
    """A function that writes the JSON brief (UTF-8) to a binary file, for deliver."""

    def write(binary: IO[bytes]) -> None:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="\n", write_through=False)
        write_json(text, brief, extraction)
        text.flush()
        text.detach()

    return write


def render_json(brief: Brief, extraction: Extraction | None = None) -> str:
    text = io.StringIO()
    write_json(text, brief, extraction)
    return text.getvalue()
