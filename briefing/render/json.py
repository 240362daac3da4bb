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
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, fields, is_dataclass
from pathlib import Path
from typing import IO, Any

from ..models import Brief, BriefSource, Extraction

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


def _write_list(
    stream: IO[str], key: str, rows: Iterable[dict[str, Any]], last: bool, piecewise: bool = False
) -> None:
    """One top-level key holding a list, its items encoded one at a time (`piecewise`: each
    item's long lists a piece at a time too, see `_write_value`)."""
    stream.write(f"  {_STRING(key)}: ")
    _write_rows(stream, rows, "  ", piecewise)
    stream.write("\n" if last else ",\n")


def _write_rows(stream: IO[str], rows: Iterable[Any], pad: str, piecewise: bool = False) -> None:
    """A list as `_encode(list(rows), pad)` writes it, its items encoded one at a time."""
    inner = pad + "  "
    opened = False
    for row in rows:
        stream.write(",\n" + inner if opened else "[\n" + inner)
        if piecewise:
            _write_value(stream, row, inner)
        else:
            stream.write(_encode(row, inner))
        opened = True
    stream.write("\n" + pad + "]" if opened else "[]")


# A list longer than this is written an item at a time (see _write_value).
_LONG_LIST = 1_000


def _write_value(stream: IO[str], value: Any, pad: str) -> None:
    """`_encode(value, pad)`, with its long lists written an item at a time: a merged item
    that every article of a day of news reports lists 100,000 documents, which encoded
    whole took 13 MB (a string per id, their join and the item's) at the build's peak."""
    if isinstance(value, dict) and value:
        inner = pad + "  "
        opened = False
        for key, item in value.items():
            stream.write((",\n" if opened else "{\n") + inner + _key(key) + ": ")
            _write_value(stream, item, inner)
            opened = True
        stream.write("\n" + pad + "}")
    elif isinstance(value, list | tuple) and len(value) > _LONG_LIST:
        _write_rows(stream, value, pad)
    else:
        stream.write(_encode(value, pad))


# The brief's keys in brief.json: its fields but the theme (how it looks, not what it says).
_BRIEF_KEYS = tuple(f.name for f in fields(Brief) if f.name != "theme")
_SOURCE_KEYS = tuple(f.name for f in fields(BriefSource))


def _write_brief(stream: IO[str], brief: Brief) -> None:
    """The brief as `_encode` writes asdict(brief) without its theme, nested at "  ": its
    source list (every article) a source at a time, without asdict."""
    inner = "    "
    for number, key in enumerate(_BRIEF_KEYS):
        stream.write(("{\n" if number == 0 else ",\n") + inner + _STRING(key) + ": ")
        value = getattr(brief, key)
        if key == "sources":
            _write_rows(stream, _source_rows(value), inner)
        else:
            stream.write(_encode(_plain(value), inner))
    stream.write("\n  }")


def _source_rows(sources: Iterable[BriefSource]) -> Iterator[dict[str, Any]]:
    """Each source's fields, made as the row is written. (A generator function: compiled
    with mypyc, a generator expression is made into a list, 27 MB at 100,000 sources.)"""
    for source in sources:
        yield {key: getattr(source, key) for key in _SOURCE_KEYS}


def _plain(value: Any) -> Any:
    """The value as asdict gives it within a dataclass: dataclasses become dicts."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def write_json(stream: IO[str], brief: Brief | None, extraction: Extraction | None = None) -> None:
    """The JSON brief, written to `stream` a piece at a time; without a brief, the extraction
    alone (`briefing extract --format json`)."""
    write_extraction(stream, extraction, brief_follows=brief is not None)
    if brief is not None:
        write_brief(stream, brief)


def write_extraction(stream: IO[str], extraction: Extraction | None, brief_follows: bool) -> None:
    """The JSON's opening and its extraction keys (what `write_brief` completes when
    `brief_follows`)."""
    write_spooled_keys(stream, extraction)
    write_merged_keys(stream, extraction, brief_follows)


# The extraction's first keys, those a build's spool holds (documents, quotes, reactions):
# nearly all of a large corpus's JSON, which a helper process writes (helpers.py).
_SPOOLED_KEYS = 3


def write_spooled_keys(stream: IO[str], extraction: Extraction | None) -> None:
    """The JSON's opening and the extraction's documents, quotes and reactions (what
    `write_merged_keys` continues)."""
    parts = list((extraction or Extraction()).json_parts())[:_SPOOLED_KEYS]
    stream.write("{\n")
    for key, rows in parts:
        _write_list(stream, key, rows, last=False)


def write_merged_keys(stream: IO[str], extraction: Extraction | None, brief_follows: bool) -> None:
    """The extraction's merged items (events, open questions, facts), after
    `write_spooled_keys`, and the JSON's end unless the brief follows (`write_brief`)."""
    parts = list((extraction or Extraction()).json_parts())[_SPOOLED_KEYS:]
    for number, (key, rows) in enumerate(parts, start=1):
        last = not brief_follows and number == len(parts)
        _write_list(stream, key, rows, last, piecewise=True)
    if not brief_follows:
        stream.write("}\n")


def write_brief(stream: IO[str], brief: Brief) -> None:
    """The JSON's "brief" key and its end, after `write_extraction`."""
    stream.write('  "brief": ')
    _write_brief(stream, brief)
    stream.write("\n}\n")


def json_writer(
    brief: Brief,
    extraction: Extraction | None = None,
    written: Callable[[], Path | None] | None = None,
) -> Callable[[IO[bytes]], None]:
    """A function that writes the JSON brief (UTF-8) to a binary file, for deliver.
    `written`: when it gives a file, that file holds the JSON's first part (write_spooled_keys,
    made by another process): it is copied, and only the merged items and the brief are
    written here."""

    def write(binary: IO[bytes]) -> None:
        part = written() if written is not None else None
        if part is not None:
            with part.open("rb") as made:
                shutil.copyfileobj(made, binary, _COPY_CHUNK)
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="\n", write_through=False)
        if part is None:
            write_spooled_keys(text, extraction)
        write_merged_keys(text, extraction, brief_follows=True)
        write_brief(text, brief)
        text.flush()
        text.detach()

    return write


_COPY_CHUNK = 1 << 20


def render_json(brief: Brief, extraction: Extraction | None = None) -> str:
    text = io.StringIO()
    write_json(text, brief, extraction)
    return text.getvalue()
