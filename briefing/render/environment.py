"""The Jinja environments of the renderers, built from the template search path.

Lookup (see templates/README.md): a template name such as "brief.html.j2" is searched in each
folder of the search path in turn, most specific first; "builtin/<name>" always names the
shipped template, so an override can extend the very template it replaces
(`{% extends "builtin/executive/brief.html.j2" %}`). HTML templates autoescape; in Markdown
templates every `{{ ... }}` is Markdown-escaped unless marked safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ..errors import RenderError
from ..resources import data_path
from . import filters

BUILTIN_PREFIX = "builtin"


def builtin_templates() -> Path:
    return data_path("templates")


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
        loader = _loader(self.search_path)
        common: dict[str, Any] = {
            "loader": loader,
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
            )
            env.globals.update(
                scale_pt=filters.scale_pt,
                group_sections=filters.group_sections,
                stance_step=filters.stance_step,
                timeline_marks=filters.timeline_marks,
                STANCE_SCALE=filters.STANCE_SCALE,
            )

    def describe(self) -> str:
        folders = [str(p) for p in self.search_path]
        folders.append(f"{BUILTIN_PREFIX}/ = {builtin_templates()}")
        return "; ".join(folders)

    def get(self, env: jinja2.Environment, name: str) -> jinja2.Template:
        try:
            return env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            missing = exc.name or name
            raise RenderError(
                f"template {missing!r} not found; search path: {self.describe()}"
            ) from exc
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc

    def render(self, env: jinja2.Environment, name: str, **context: Any) -> str:
        template = self.get(env, name)
        try:
            return template.render(**context)
        except jinja2.TemplateNotFound as exc:
            raise RenderError(
                f"template {exc.name!r} (needed by {name!r}) not found; "
                f"search path: {self.describe()}"
            ) from exc
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from exc
        except jinja2.TemplateError as exc:
            raise RenderError(f"template {name!r}: {exc}") from exc
