"""The typed configuration of briefing, validated on load.

Every key is a dataclass field with a docstring-like comment; `load_config` walks the YAML node
tree (not the plain dict) so that each error names the key path, the file and the line. All
errors are collected before stopping, as MkDocs does, so a user fixes them in one go.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import string
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import yaml

from .errors import ConfigError
from .escape import strip_unsafe
from .models import DEFAULT_STANCE_COLOURS, Theme
from .resources import default_config_path
from .safe_yaml import YamlLimitError, compose_limited

SECTION_NAMES = (
    "bottom_line",
    "agreement",
    "context",
    "reactions",
    "quotes",
    "timeline",
    "questions",
    "sources",
)
Format = Literal["md", "html", "pdf", "json"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf", "json")


# What digest.subject may name (render/digest.py fills them in).
SUBJECT_PLACEHOLDERS = ("story", "date", "count", "articles", "audience")


@dataclass
class Country:
    # Words that point to this country in text: adjectives, capitals, governments, offices
    # and leaders ("Vestrian", "Tallberg", "Tallberg Palace"). Matched as whole words.
    aliases: list[str] = field(default_factory=list)
    # People who speak for the country ("Elena Varga"): matched like aliases, and known as
    # people, so that "Varga" resolves to the full name and a title is not taken for a name.
    people: list[str] = field(default_factory=list)
    # How the country is named in output (defaults to the key).
    label: str | None = None


@dataclass
class Story:
    # The story's title, shown in every brief's header.
    title: str
    # The event's date (YYYY-MM-DD); relative dates of undated articles resolve against it.
    date: str | None = field(default=None, metadata={"date": True})
    # The story's principal parties (keys of `countries`): their words are not reactions.
    principals: list[str] = field(default_factory=list)
    # The third countries whose reactions the brief reports (keys of `countries`).
    third_countries: list[str] = field(default_factory=list)
    # Terms naming the agreement; sentences with them rank as "the agreement".
    agreement_terms: list[str] = field(default_factory=list)
    # Other words that make a sentence relevant to the story (weapons, sanctions...).
    key_terms: list[str] = field(default_factory=list)


@dataclass
class Audience:
    # Shown in the header ("Executive brief").
    title: str | None = None
    # Sections to show, in order (any of: bottom_line, agreement, context, reactions, quotes,
    # timeline, questions, sources).
    sections: list[str] = field(default_factory=lambda: list(SECTION_NAMES))
    # Most items per section (section name -> count); sections not named are unlimited.
    limits: dict[str, int] = field(default_factory=dict)
    # Template folder (relative to the config file's folder, or a folder under templates/).
    templates: str | None = None
    # Paper size of the PDF and the HTML's print CSS (default: render.page_size).
    page_size: Literal["A4", "Letter"] | None = None
    # Base font size in points; the one-page fitter never goes below render.min_font_pt.
    font_pt: float = field(default=9.5, metadata={"above": 0})
    # Most words of the Markdown brief (0: no limit).
    word_budget: int = field(default=700, metadata={"min": 0})
    # Default e-mail recipients of this audience's digest.
    recipients: list[str] = field(default_factory=list)


@dataclass
class Render:
    # Smallest font size the one-page fitter may use.
    min_font_pt: float = field(default=8.0, metadata={"above": 0})
    # Default paper size when an audience does not set one.
    page_size: Literal["A4", "Letter"] = "A4"


@dataclass
class Ingest:
    # Files larger than this are skipped with a warning.
    max_file_mb: float = field(default=5.0, metadata={"above": 0})
    # Worker processes for extraction; 0 means one per core.
    jobs: int = field(default=0, metadata={"min": 0})


@dataclass
class Smtp:
    # SMTP server's host name (--smtp-host overrides).
    host: str = "localhost"
    # SMTP port: 587 for starttls, 465 for ssl, 25 for a local mail server (--smtp-port).
    port: int = field(default=587, metadata={"min": 1, "max": 65535})
    # starttls, ssl or none. The certificate is always verified; none sends in clear and is
    # meant for a mail server on the same machine (a password is never sent in clear).
    security: Literal["starttls", "ssl", "none"] = "starttls"
    # Login name; no login when unset.
    username: str | None = None
    # Name of the environment variable holding the password (never the password itself).
    password_env: str | None = None
    # The From address of the digest.
    sender: str = "briefing@localhost"
    # Seconds to wait for the server before giving up (the run then exits 1).
    timeout_s: float = field(default=30.0, metadata={"above": 0})


@dataclass
class Digest:
    # Subject line; placeholders {story}, {date} (the day sent), {count} (new articles),
    # {articles} ("3 new articles"), {audience} (the audience's title); {{ and }} for braces.
    subject: str = field(
        default="{story}: {articles}, {date}",
        metadata={"placeholders": SUBJECT_PLACEHOLDERS},
    )
    # SQLite file recording documents seen and digests sent (relative to the config file;
    # --state overrides). The lock file is this path plus ".lock".
    state: str = "out/state.sqlite"
    smtp: Smtp = field(default_factory=Smtp)


@dataclass
class Config:
    story: Story
    # Gazetteer: country name -> aliases.
    countries: dict[str, Country] = field(default_factory=dict)
    # Default input paths (files, folders or globs), relative to the config file.
    inputs: list[str] = field(default_factory=lambda: ["seeds"])
    # Default output folder, relative to the config file.
    out: str = "out"
    # Default output formats.
    formats: list[Format] = field(default_factory=lambda: list(FORMATS))
    # Audience used when --audience is not given.
    default_audience: str = "analyst"
    audiences: dict[str, Audience] = field(default_factory=dict)
    render: Render = field(default_factory=Render)
    ingest: Ingest = field(default_factory=Ingest)
    digest: Digest = field(default_factory=Digest)
    # Colours, fonts and the logo of every format (see briefing.models.Theme and the README).
    theme: Theme = field(default_factory=Theme)
    # Where the file was read from; not a key.
    source: str = field(default="<built-in>", metadata={"internal": True})

    def __post_init__(self) -> None:
        # An audience without a paper size of its own takes render.page_size.
        for audience in (self.audiences or {}).values():
            if audience is not None and audience.page_size is None and self.render is not None:
                audience.page_size = self.render.page_size

    @property
    def base_dir(self) -> Path:
        return Path(self.source).parent if self.source != "<built-in>" else Path.cwd()

    def resolve(self, relative: str) -> Path:
        path = Path(relative).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def audience(self, name: str) -> Audience:
        if name not in self.audiences:
            valid = ", ".join(sorted(self.audiences)) or "(none)"
            raise ConfigError(f"unknown audience {name!r}; valid audiences: {valid}")
        return self.audiences[name]

    def country_label(self, name: str) -> str:
        country = self.countries.get(name)
        return (country.label if country and country.label else None) or name


class _Collector:
    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[str] = []
        self.nodes: dict[str, yaml.Node] = {}  # key path -> its value's node, for lines

    def add(self, key: str, node: yaml.Node | None, message: str) -> None:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        self.errors.append(f"{key or '(top level)'}: {message} ({self.source}{line})")

    def add_at(self, key: str, fallback: yaml.Node, message: str) -> None:
        """An error about a value checked after loading: the line of its own node."""
        self.add(key, self.nodes.get(key, fallback), message)


def _type_name(tp: Any) -> str:
    if tp is str:
        return "a string"
    if tp is int:
        return "an integer"
    if tp is float:
        return "a number"
    if tp is bool:
        return "true or false"
    if get_origin(tp) is list:
        return "a list"
    if get_origin(tp) is dict or dataclasses.is_dataclass(tp):
        return "a mapping"
    return str(tp)


def _scalar(node: yaml.Node) -> Any:
    # Construct from the node itself: re-serialising and re-parsing each scalar was the
    # slowest part of loading a config.
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError):
        # Shaped like a timestamp but no real day ("2031-13-40"): the text as written, which
        # the key's own check then reports with its line.
        return node.value if isinstance(node, yaml.ScalarNode) else None


# Keys whose text is a path: kept as written. Every other text of the config (the story's
# title, country names and labels, audience titles, the subject) is shown in the brief and
# the mail, and loses invisible format characters as article text does: a bidi override in
# a title would show its words reversed in the PDF (escape.strip_unsafe).
_PATH_KEYS = frozenset({"inputs", "out", "templates", "state", "logo"})


def _convert(tp: Any, node: yaml.Node, key: str, errs: _Collector, raw: bool = False) -> Any:
    errs.nodes[key] = node
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return None
        return _convert(options[0], node, key, errs, raw)
    if origin is Literal:
        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if value not in get_args(tp):
            errs.add(
                key, node, f"must be one of {', '.join(map(str, get_args(tp)))}, not {value!r}"
            )
        return value
    if dataclasses.is_dataclass(tp):
        return _build(tp, node, key, errs)
    if origin is list:
        if not isinstance(node, yaml.SequenceNode):
            errs.add(key, node, f"must be {_type_name(tp)}")
            return []
        (item,) = get_args(tp)
        return [
            _convert(item, child, f"{key}[{i}]", errs, raw) for i, child in enumerate(node.value)
        ]
    if origin is dict:
        if not isinstance(node, yaml.MappingNode):
            errs.add(key, node, "must be a mapping")
            return {}
        _, value_tp = get_args(tp)
        out = {}
        for knode, vnode in node.value:
            name = strip_unsafe(str(_scalar(knode)))
            out[name] = _convert(value_tp, vnode, f"{key}.{name}", errs)
        return out
    if not isinstance(node, yaml.ScalarNode):
        errs.add(key, node, f"must be {_type_name(tp)}")
        return None
    value = _scalar(node)
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp is str and value is not None and not isinstance(value, str | bool):
        return str(value)  # dates and numbers written unquoted are still fine as text
    if tp is str and isinstance(value, str) and not raw:
        return strip_unsafe(value)
    if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
        errs.add(key, node, f"must be {_type_name(tp)}, not {value!r}")
        return None
    return value


def _build(cls: Any, node: yaml.Node, key: str, errs: _Collector) -> Any:
    if not isinstance(node, yaml.MappingNode):
        errs.add(key, node, "must be a mapping")
        # An empty mapping in its place, at its line: missing keys are reported there.
        node = yaml.MappingNode("tag:yaml.org,2002:map", [], node.start_mark, node.end_mark)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    given: dict[str, Any] = {}
    for knode, vnode in node.value:
        name = str(_scalar(knode))
        path = f"{key}.{name}" if key else name
        if name in given:
            errs.add(path, knode, "key given twice")
            continue
        if name not in fields:
            errs.add(path, knode, f"unknown key; valid keys: {', '.join(fields)}")
            continue
        given[name] = _convert(hints[name], vnode, path, errs, name in _PATH_KEYS)
        problem = _out_of_range(fields[name], given[name])
        if problem:
            errs.add(path, vnode, problem)
    for name, f in fields.items():
        missing = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if missing and name not in given:
            errs.add(f"{key}.{name}" if key else name, node, "required value is missing")
            given[name] = None
    return cls(**given)


def _is_date(value: object) -> bool:
    """YYYY-MM-DD, a real day; a time may follow ("2024-06-19T10:00", an unquoted YAML
    timestamp): the story's date is read from the first ten characters."""
    text = str(value)
    if len(text) < 10 or (len(text) > 10 and text[10] not in "T "):
        return False
    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def template_problem(text: str, names: tuple[str, ...]) -> str | None:
    """What is wrong with a template that may use only plain `{name}` placeholders among
    `names`. Python's format syntax also reaches into objects ({story.__class__},
    {story[x]}), converts ({story!r}) and pads ({count:>999999999}); none of that is a
    placeholder here, so a config cannot show Python's internals or build a huge line."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as exc:
        return f"{exc} (write {{{{ and }}}} for a brace)"
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in names or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            valid = ", ".join("{" + n + "}" for n in names[:-1]) + " or {" + names[-1] + "}"
            return f"{shown} is not a placeholder; use {valid} (and {{{{ }}}} for a brace)"
    return None


def _out_of_range(spec: dataclasses.Field[Any], value: Any) -> str | None:
    """What is wrong with a well-typed value whose field sets bounds, a date format or the
    placeholders of a template."""
    if value is None:
        return None
    limits = spec.metadata
    if "placeholders" in limits and isinstance(value, str):
        return template_problem(value, limits["placeholders"])
    if limits.get("date") and not _is_date(value):
        return f"must be a date as YYYY-MM-DD, not {value!r}"
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if "above" in limits and not value > limits["above"]:
        return f"must be more than {limits['above']}, not {value!r}"
    if "min" in limits and value < limits["min"]:
        return f"must be at least {limits['min']}, not {value!r}"
    if "max" in limits and value > limits["max"]:
        return f"must be at most {limits['max']}, not {value!r}"
    return None


def _known_countries(config: Config) -> set[str]:
    """Keys of `countries` and every name of the built-in world gazetteer."""
    from .world import world_entries  # read only when a story names a country

    known = set(config.countries)
    for entry in world_entries():
        known.update(entry.names)
    return known


def _check_story(config: Config, root: yaml.Node, errs: _Collector) -> None:
    known: set[str] | None = None
    for list_name in ("principals", "third_countries"):
        for i, name in enumerate(getattr(config.story, list_name) or []):
            if name in config.countries:
                continue
            known = known if known is not None else _known_countries(config)
            if name not in known:
                errs.add_at(
                    f"story.{list_name}[{i}]",
                    root,
                    f"{name!r} is neither a key of countries nor a country of the world gazetteer",
                )
    for name, audience in config.audiences.items():
        for i, section in enumerate(audience.sections or []):
            if section not in SECTION_NAMES:
                errs.add_at(
                    f"audiences.{name}.sections[{i}]",
                    root,
                    f"unknown section {section!r}; valid: {', '.join(SECTION_NAMES)}",
                )
        for section, count in (audience.limits or {}).items():
            key = f"audiences.{name}.limits.{section}"
            if section not in SECTION_NAMES:
                valid = ", ".join(SECTION_NAMES)
                errs.add_at(key, root, f"unknown section {section!r}; valid: {valid}")
            elif count is not None and count < 0:
                errs.add_at(key, root, f"must be at least 0, not {count!r}")
    if config.default_audience not in config.audiences:
        valid = ", ".join(sorted(config.audiences)) or "(none)"
        errs.add_at(
            "default_audience",
            root,
            f"{config.default_audience!r} is not a key of audiences; valid audiences: {valid}",
        )


_BUILTIN_SOURCE = "<built-in config.yaml>"


_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
# A CSS font-family list: names, quoted or not, and commas; nothing that ends the rule.
_FONTS = re.compile(r"[\w \-\",']{1,300}")
_IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}


def _check_theme(config: Config, root: yaml.Node, errs: _Collector) -> None:
    """Theme values go into CSS and SVG as written: colours must be colours, fonts font
    lists, and the logo an image file that exists (relative to the config file)."""
    theme = config.theme
    colours = {name: getattr(theme, name) for name in ("accent", "text", "muted", "rule")}
    colours |= {"shade": theme.shade, "tint": theme.tint}
    colours |= {f"stance_colours.{k}": v for k, v in theme.stance_colours.items()}
    for name, value in colours.items():
        if not _COLOUR.fullmatch(str(value)):
            problem = f"must be a colour as #rgb or #rrggbb, not {value!r}"
            errs.add_at(f"theme.{name}", root, problem)
    for stance in theme.stance_colours:
        if stance not in DEFAULT_STANCE_COLOURS:
            valid = ", ".join(DEFAULT_STANCE_COLOURS)
            errs.add_at(f"theme.stance_colours.{stance}", root, f"unknown stance; valid: {valid}")
    for name in ("sans", "serif"):
        if not _FONTS.fullmatch(str(getattr(theme, name))):
            errs.add_at(
                f"theme.{name}", root, "must be a CSS font-family list (names, quotes, commas)"
            )
    if theme.logo:
        logo = Path(theme.logo).expanduser()
        base = Path(errs.source).parent
        path = logo if logo.is_absolute() else base / logo
        if path.suffix.lower() not in _IMAGE_TYPES:
            errs.add_at("theme.logo", root, "must be a .png, .jpg, .gif or .svg file")
        elif not path.is_file():
            errs.add_at("theme.logo", root, f"{path} does not exist")
        else:
            theme.logo = str(path.resolve())


def parse_config(text: str, source: str) -> Config:
    errs = _Collector(source)
    try:
        # Limits first (aliases, depth, size, tags): a 4 KB alias bomb fails in microseconds
        # with its key and line, instead of expanding for minutes.
        root = compose_limited(text)
    except YamlLimitError as exc:
        where = f":{exc.line}" if exc.line is not None else ""
        raise ConfigError(f"{source}{where}: {exc.key or '(top level)'}: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(
            f"{source}{where}: not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from exc
    if root is None:
        raise ConfigError(f"{source}: the config file is empty")
    config: Config = _build(Config, root, "", errs)
    if not errs.errors and "audiences" not in errs.nodes and source != _BUILTIN_SOURCE:
        # A story's config need not repeat the audiences: the built-in ones serve.
        config.audiences = builtin_audiences()
    if not errs.errors:
        _check_story(config, root, errs)
        _check_theme(config, root, errs)
    if errs.errors:
        raise ConfigError("invalid config:\n  " + "\n  ".join(errs.errors))
    config.source = source
    return config


def builtin_audiences() -> dict[str, Audience]:
    """The audiences of the packaged config (executive, analyst, press)."""
    return dict(parse_config(builtin_config_text(), _BUILTIN_SOURCE).audiences)


def builtin_config_text() -> str:
    """The packaged default config: story-neutral (the story is then inferred from the
    articles, briefing/infer.py). The sample story's config is the repo's config.yaml."""
    return default_config_path().read_text(encoding="utf-8")


def load_config(path: str | Path | None = None) -> Config:
    """Read `path`, or ./config.yaml when it exists, or the packaged default."""
    if path is None:
        local = Path("config.yaml")
        if not local.exists():
            return parse_config(builtin_config_text(), _BUILTIN_SOURCE)
        path = local
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config is not UTF-8 ({exc.reason})") from exc
    return parse_config(text, str(path))
