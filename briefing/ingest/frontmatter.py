"""Optional YAML front matter of .txt and .md files ("---" lines around `key: value` pairs).

Its headline, publisher, published, url and byline override what the text suggests. Bad
front matter makes the file unusable, with a reason: the author meant to set these fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from ..errors import IngestError
from .dates import parse_full_date

FIELDS = ("headline", "publisher", "published", "url", "byline")
MAX_FRONT_MATTER_CHARS = 65_536
_OPEN = "---"
_CLOSE = ("---", "...")


def split_front_matter(text: str, path: str) -> tuple[dict[str, str], str]:
    """(fields set by the front matter, the text after it); no front matter -> ({}, text)."""
    first, newline, rest = text.partition("\n")
    if first.rstrip() != _OPEN or not newline:
        return {}, text
    end = _closing_line(rest)
    if end is None:
        raise IngestError(path, "front matter opened with '---' is never closed")
    block, body = rest[: end[0]], rest[end[1] :]
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise IngestError(path, f"bad front matter: {problem}{where}") from exc
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise IngestError(path, "bad front matter: expected 'key: value' lines")
    return _fields(data, path), body


def _closing_line(rest: str) -> tuple[int, int] | None:
    """(start, end) of the closing '---' line within `rest`."""
    position = 0
    limit = min(len(rest), MAX_FRONT_MATTER_CHARS)
    while position <= limit:
        newline = rest.find("\n", position)
        line_end = len(rest) if newline < 0 else newline
        if rest[position:line_end].rstrip() in _CLOSE:
            return position, min(len(rest), line_end + 1)
        if newline < 0:
            return None
        position = newline + 1
    return None


def _fields(data: dict[Any, Any], path: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for key in FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if key == "published":
            fields[key] = _published(value, path)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            text = " ".join(str(value).split())
            if text:
                fields[key] = text
        else:
            raise IngestError(path, f"bad front matter: '{key}' must be text")
    return fields


def _published(value: object, path: str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        iso = parse_full_date(value)
        if iso:
            return iso
    raise IngestError(path, f"bad front matter: 'published' is not a full date: {value!r:.40}")
