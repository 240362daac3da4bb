"""The Jinja environments of the renderers, built from the template search path.

Lookup (see templates/README.md): a template name such as "brief.html.j2" is searched in each
folder of the search path in turn, most specific first; "builtin/<name>" always names the
shipped template, so an override can extend the very template it replaces
(`{% extends "builtin/executive/brief.html.j2" %}`). HTML templates autoescape; in Markdown
templates every `{{ ... }}` is Markdown-escaped unless marked safe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2

from ..errors import RenderError
from ..models import Theme
from ..resources import data_path
from . import filters, template_source
from .layout_cache import cache_root

BUILTIN_PREFIX = "builtin"
# Sections across the page when no template of the chain declares `wide_sections`.
DEFAULT_WIDE = ("bottom_line", "sources")


def builtin_templates() -> Path:
    return data_path("templates")


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Templates compiled once, not at every start (about 0.1 s of a build's two processes);
    Jinja keys each by its source's checksum and its own version."""
    root = cache_root()
    if root is None:
        return None
    folder = root / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietBytecodeCache(str(folder))


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A cache folder that cannot be written (read-only, full) costs the compile, never the
    render."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _loader(template_dirs: list[Path]) -> jinja2.BaseLoader:
    builtin = jinja2.FileSystemLoader(str(builtin_templates()))
    return jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({BUILTIN_PREFIX: builtin}, delimiter="/"),
            *(jinja2.FileSystemLoader(str(path)) for path in template_dirs),
        ]
    )


class Templates:
    """The HTML and Markdown environments over one search path."""

    def __init__(self, template_dirs: list[Path]) -> None:
        self.search_path = [Path(p) for p in template_dirs]
        self._chains: dict[tuple[int, str], list[template_source.Parsed]] = {}
        self._checked: set[tuple[int, str]] = set()
        loader = _loader(self.search_path)
        common: dict[str, Any] = {
            "loader": loader,
            "bytecode_cache": _bytecode_cache(),
            "trim_blocks": True,
            "lstrip_blocks": True,
            "undefined": jinja2.StrictUndefined,
            "auto_reload": False,
        }
        self.html = jinja2.Environment(autoescape=True, **common)
        self.markdown = jinja2.Environment(
            autoescape=False, finalize=filters.md_finalize, keep_trailing_newline=True, **common
        )
        for env in (self.html, self.markdown):
            env.filters.update(
                escape_md=filters.escape_md,
                md_code=filters.md_code,
                long_date=filters.long_date,
                short_date=filters.short_date,
                cite=filters.cite,
                md_cite=filters.md_cite,
                stance_dots=filters.stance_dots,
                safe_url=filters.safe_url,
                css=filters.css_value,
                svg_font=filters.svg_font,
            )
            env.globals.update(
                scale_pt=filters.scale_pt,
                group_sections=filters.group_sections,
                stance_step=filters.stance_step,
                timeline_marks=filters.timeline_marks,
                STANCE_SCALE=filters.STANCE_SCALE,
                default_theme=Theme(),
            )

    def chain(self, env: jinja2.Environment, name: str) -> list[template_source.Parsed]:
        """`name` and the templates it extends, parsed (once per environment)."""
        key = (id(env), name)
        if key not in self._chains:
            self._chains[key] = template_source.chain(env, name)
        return self._chains[key]

    def wide_sections(self, template: str) -> list[str]:
        """The sections the HTML `template` sets across the page, as it declares them."""
        declared = template_source.declared(self.chain(self.html, template), "wide_sections")
        if isinstance(declared, list | tuple) and all(isinstance(n, str) for n in declared):
            return list(declared)
        return list(DEFAULT_WIDE)

    def describe(self) -> str:
        folders = [str(p) for p in self.search_path]
        folders.append(f"{BUILTIN_PREFIX}/ = {builtin_templates()}")
        return "; ".join(folders)

    def get(self, env: jinja2.Environment, name: str) -> jinja2.Template:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            missing = exc.name or name
            raise RenderError(
                f"template {missing!r} not found; search path: {self.describe()}"
            ) from exc
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc
        if (id(env), name) not in self._checked:
            template_source.check_blocks(self.chain(env, name))
            self._checked.add((id(env), name))
        return template

    def render(self, env: jinja2.Environment, name: str, **context: Any) -> str:
        template = self.get(env, name)
        with self._errors_named(name):
            return template.render(**context)

    def generate(self, env: jinja2.Environment, name: str, **context: Any) -> Iterator[str]:
        """What `render` returns, a piece at a time: a caller that only measures the text
        (a brief listing a day of news's sources) need not hold all of it."""
        template = self.get(env, name)
        with self._errors_named(name):
            yield from template.generate(**context)

    @contextlib.contextmanager
    def _errors_named(self, name: str) -> Iterator[None]:
        """Template errors as RenderErrors naming the template and where it went wrong."""
        try:
            yield
        except jinja2.TemplateNotFound as exc:
            raise RenderError(
                f"template {exc.name!r} (needed by {name!r}) not found; "
                f"search path: {self.describe()}"
            ) from exc
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc
        except jinja2.TemplateError as exc:
            raise template_source.runtime_error(exc, name) from exc
