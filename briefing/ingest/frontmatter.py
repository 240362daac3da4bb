"""Optional YAML front matter of .txt and .md files ("---" lines around `key: value` pairs).

Its headline, publisher, published, url and byline override what the text suggests. Bad
front matter makes the file unusable, with a reason: the author meant to set these fields.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import IngestError
from ..safe_yaml import YamlLimitError, YamlLimits, load_limited
from .dates import parse_full_date

FIELDS = ("headline", "publisher", "published", "url", "byline")
MAX_FRONT_MATTER_CHARS = 65_536
# A handful of keys is all front matter holds: a few levels and nodes are plenty.
_LIMITS = YamlLimits(max_depth=8, max_nodes=2_000, max_chars=MAX_FRONT_MATTER_CHARS)
_OPEN = "---"
_CLOSE = ("---", "...")


def split_front_matter(text: str, path: str) -> tuple[dict[str, str], str]:
    """(fields set by the front matter, the text after it); no front matter -> ({}, text)."""
    first, newline, rest = text.partition("\n")
    if first.rstrip() != _OPEN or not newline:
        return {}, text
    end = _closing_line(rest)
    if end is None:
        raise IngestError(path, _unclosed_reason(rest))
    block, body = rest[: end[0]], rest[end[1] :]
    try:
        data = load_limited(block, _LIMITS)
    except YamlLimitError as exc:
        line = f" (line {exc.line + 1})" if exc.line is not None else ""
        problem = f"{exc.key or 'top level'}: {exc.problem}{line}"
        raise IngestError(path, f"bad front matter: {problem}") from exc
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


def _unclosed_reason(rest: str) -> str:
    """Why no closing line was found: there is none, or it lies past the size limit."""
    for line in rest[MAX_FRONT_MATTER_CHARS:].split("\n"):
        if line.rstrip() in _CLOSE:
            return f"front matter longer than {MAX_FRONT_MATTER_CHARS:,} characters"
    return "front matter opened with '---' is never closed"


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
    # Dates come as the text written (load_limited): parse_full_date checks the day is real
    # and within the years a news article can have.
    if isinstance(value, str):
        iso = parse_full_date(value)
        if iso:
            return iso
    raise IngestError(path, f"bad front matter: 'published' is not a full date: {value!r:.40}")
