"""Gazetteer of countries and their aliases (placeholder)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Config


@dataclass
class Gazetteer:
    aliases: dict[str, list[str]] = field(default_factory=dict)
    principals: list[str] = field(default_factory=list)
    third_countries: list[str] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: Config) -> Gazetteer:
        return cls(
            {name: c.aliases for name, c in config.countries.items()},
            list(config.story.principals),
            list(config.story.third_countries),
        )
