"""What the templates say before they render: read from their parsed source.

Three things are read this way: a constant a template declares at its top level (the
sections it sets across the page, which the PDF fitter needs before any layout), the
blocks an override defines (a block its base does not have is a typo that would silently
draw nothing), and where in a template an error happened (file and line).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes

from ..errors import RenderError


@dataclass
class Parsed:
    name: str
    filename: str
    tree: nodes.Template

    @property
    def parent(self) -> str | None:
        """The template it extends, when named by a constant."""
        for node in self.tree.body:
            if isinstance(node, nodes.Extends) and isinstance(node.template, nodes.Const):
                return str(node.template.value)
        return None

    def top_blocks(self) -> list[nodes.Block]:
        """The blocks at its top level: in an override, those that replace the base's."""
        return [node for node in self.tree.body if isinstance(node, nodes.Block)]

    def all_blocks(self) -> set[str]:
        return {block.name for block in self.tree.find_all(nodes.Block)}


def chain(env: jinja2.Environment, name: str) -> list[Parsed]:
    """The template and those it extends, child first (as far as the source can tell)."""
    found: list[Parsed] = []
    seen: set[str] = set()
    current: str | None = name
    assert env.loader is not None
    while current is not None and current not in seen:
        seen.add(current)
        try:
            source, filename, _ = env.loader.get_source(env, current)
            tree = env.parse(source, current, filename)
        except jinja2.TemplateError:
            break  # rendering reports it, with the search path
        parsed = Parsed(current, filename or current, tree)
        found.append(parsed)
        current = parsed.parent
    return found


def declared(templates: list[Parsed], variable: str) -> Any:
    """The value the chain gives `variable` at its top level (`{% set wide_sections = [...]
    %}`): the child's own, else its parent's, up the chain; `{% set x = x|default(v) %}`
    gives v when nothing below set x. None when no template sets it to a constant."""
    fallback: Any = None
    for parsed in templates:
        for node in parsed.tree.body:
            if not (
                isinstance(node, nodes.Assign)
                and isinstance(node.target, nodes.Name)
                and node.target.name == variable
            ):
                continue
            value = node.node
            if isinstance(value, nodes.Filter) and value.name == "default" and value.args:
                if fallback is None:
                    fallback = _constant(value.args[0])
                continue
            found = _constant(value)
            if found is not None:
                return found
    return fallback


def check_blocks(templates: list[Parsed]) -> None:
    """Every block an override defines must be one of the template it extends: a typo
    (`{% block headr %}`) would otherwise draw nothing and say nothing."""
    for index, parsed in enumerate(templates[:-1]):
        ancestors = templates[index + 1 :]
        valid = set().union(*(p.all_blocks() for p in ancestors))
        for block in parsed.top_blocks():
            if block.name not in valid:
                raise RenderError(
                    f"{parsed.filename}:{block.lineno}: block {block.name!r} is not a block of "
                    f"{ancestors[0].name!r}; valid blocks: {', '.join(sorted(valid))}"
                )


def where(exc: BaseException) -> str | None:
    """'file:line' of the template line that raised `exc` (Jinja puts the template's file
    and line in the traceback's frames), or None."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(".j2") or "/templates/" in frame.filename:
            return f"{frame.filename}:{frame.lineno}"
    return None


def runtime_error(exc: jinja2.TemplateError, name: str) -> RenderError:
    """A template's error while rendering, with the template file and line when known:
    "templates/board/brief.html.j2:12: 'headline' is undefined"."""
    place = where(exc)
    message = exc.message or str(exc)
    return RenderError(f"{place}: {message}" if place else f"template {name!r}: {message}")


def _constant(node: nodes.Node) -> Any:
    try:
        return node.as_const() if isinstance(node, nodes.Expr) else None
    except nodes.Impossible:
        return None
