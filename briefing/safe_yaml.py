"""YAML from users (config files, front matter), parsed with limits.

PyYAML's safe loader still lets a few kilobytes cost minutes and gigabytes: an alias to a
structure of aliases doubles at each level (a "billion laughs"), and code that walks or
prints the result (a mapping key that is such an alias gets turned into text) pays for the
whole expansion. Deep nesting exhausts Python's recursion limit in the constructor. And tags
such as `!!python/object` or a custom `!tag` are silently dropped by some callers.

`check_events` reads the event stream first (libyaml's C parser, iterative, no tree): it
counts nesting depth and the number of nodes the document would have with every alias
expanded (an alias adds the size of the node it names, known once that node has ended), and
refuses explicit tags outside plain YAML and mapping keys that are not plain scalars. Any
breach raises YamlLimitError naming the key path and the line, before a tree is built.
Only then is the document composed (C loader) or loaded, so a good file costs one extra
event pass in C.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Explicit tags a plain YAML document may carry ("!!str 2024"); anything else is refused.
_PLAIN_TAGS = frozenset(
    {"!", *(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null"))}
    | {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
)


@dataclass(frozen=True)
class YamlLimits:
    # Nested mappings and lists; real configs use about six levels.
    max_depth: int = 32
    # Nodes with every alias expanded; the built-in config has about 300, a gazetteer of
    # every country with fifty aliases each about 13,000. An alias bomb passes any bound
    # within a few levels: its cost is what lies below the bound, here milliseconds.
    max_nodes: int = 100_000
    # Characters of the whole text.
    max_chars: int = 1_000_000


DEFAULT_LIMITS = YamlLimits()


class YamlLimitError(ValueError):
    """The text breaks a limit or uses a refused feature; `line` is 1-based."""

    def __init__(self, problem: str, line: int | None, key: str) -> None:
        where = f" (line {line})" if line is not None else ""
        shown = key if len(key) <= 100 else key[:100] + "..."
        super().__init__(f"{shown or '(top level)'}: {problem}{where}")
        self.problem = problem
        self.line = line
        self.key = key


@dataclass
class _Frame:
    """One open mapping or list, while the events are read."""

    mapping: bool
    path: str
    anchor: str | None
    line: int
    size: int = 1
    expect_key: bool = True  # mappings alternate key, value
    key: str = ""  # the last key read in a mapping
    index: int = 0  # the next item's position in a list


@dataclass
class _Reader:
    limits: YamlLimits
    stack: list[_Frame] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # anchor -> expanded size
    total: int = 0

    def path(self) -> str:
        """Key path of the node the next event starts ("audiences.desk.sections[2]")."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if not top.mapping:
            return f"{top.path}[{top.index}]"
        if top.expect_key:
            return top.path
        return f"{top.path}.{top.key}" if top.path else top.key

    def fail(self, problem: str, event: Any) -> None:
        mark = getattr(event, "start_mark", None)
        raise YamlLimitError(problem, mark.line + 1 if mark is not None else None, self.path())

    def add(self, size: int, event: Any, key_text: str | None) -> None:
        """A finished node of `size` expanded nodes: count it in its parent."""
        self.total += size
        if self.total > self.limits.max_nodes:
            limit = self.limits.max_nodes
            self.fail(f"more than {limit:,} nodes (aliases counted expanded)", event)
        if not self.stack:
            return
        top = self.stack[-1]
        top.size += size
        if not top.mapping:
            top.index += 1
        elif top.expect_key:
            if key_text is None:
                self.fail("a mapping key must be plain text, not a list, mapping or alias", event)
            top.key = " ".join(str(key_text).split())[:80]
            top.expect_key = False
        else:
            top.expect_key = True

    def tag(self, event: Any) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _PLAIN_TAGS:
            self.fail(f"tag {tag[:60]!r} is not allowed (plain YAML only)", event)

    def event(self, event: Any) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.tag(event)
            if event.anchor is not None:
                self.sizes[event.anchor] = 1
            self.add(1, event, event.value)
        elif isinstance(event, yaml.AliasEvent):
            # An alias always names an anchor; an unknown one is the parser's error, not ours.
            self.add(self.sizes.get(event.anchor or "", 1), event, None)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self.tag(event)
            if len(self.stack) >= self.limits.max_depth:
                self.fail(f"nested more than {self.limits.max_depth} levels deep", event)
            mapping = isinstance(event, yaml.MappingStartEvent)
            line = event.start_mark.line + 1 if event.start_mark else 0
            self.stack.append(_Frame(mapping, self.path(), event.anchor, line))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.sizes[frame.anchor] = frame.size
            self.total -= frame.size - 1  # its children were counted as they ended
            self.add(frame.size, event, None)


def check_events(text: str, limits: YamlLimits = DEFAULT_LIMITS) -> None:
    """YamlLimitError when `text` breaks a limit; yaml.YAMLError when it is not YAML."""
    if len(text) > limits.max_chars:
        raise YamlLimitError(f"longer than {limits.max_chars:,} characters", None, "")
    reader = _Reader(limits)
    for event in yaml.parse(text, Loader=_LOADER):
        reader.event(event)


def compose_limited(text: str, limits: YamlLimits = DEFAULT_LIMITS) -> yaml.Node | None:
    """The node tree of `text` (C loader), after `check_events`."""
    check_events(text, limits)
    node: yaml.Node | None = yaml.compose(text, Loader=_LOADER)
    return node


class _TextDates(yaml.constructor.SafeConstructor):
    """A safe constructor that leaves dates and times as the text written: the caller
    validates them (an impossible day such as 2024-02-30 is no reason to fail the file)."""


def _date_as_text(constructor: Any, node: yaml.ScalarNode) -> str:
    return str(node.value)


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", _date_as_text)


def load_limited(text: str, limits: YamlLimits = DEFAULT_LIMITS) -> Any:
    """Plain Python data (dicts, lists, str, int, float, bool, None) of `text`, with limits;
    dates stay text."""
    node = compose_limited(text, limits)
    if node is None:
        return None
    return _TextDates().construct_document(node)
