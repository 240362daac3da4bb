"""An invented story for the hostile-input tests: two principals, two third countries.

Nothing here comes from the sample articles: Tarvos and Quellin sign a fishing pact, Ardenne
and Morrow react. The extractors only need a config to run; the tests here check that they
survive and stay fast, not what they find.
"""

from __future__ import annotations

import datetime as dt

from briefing.config import Config, parse_config
from briefing.extract import ExtractContext
from briefing.models import Document

STORY_YAML = """\
story:
  title: "Fishing pact: Tarvos and Quellin share the northern banks"
  date: 2033-05-14
  principals: [Tarvos, Quellin]
  third_countries: [Ardenne, Morrow]
  agreement_terms: [fishing pact, pact, quota agreement]
  key_terms: [trawlers, quotas, coast guard, sanctions]
countries:
  Tarvos: {aliases: [Tarvos, Tarvosian], people: [Ilse Varga]}
  Quellin: {aliases: [Quellin, Quellish], people: [Oren Bask]}
  Ardenne: {aliases: [Ardenne, Ardennian], people: [Piet Lorn]}
  Morrow: {aliases: [Morrow, Morrowan]}
default_audience: desk
audiences:
  desk:
    title: Desk brief
"""

ANCHOR = dt.date(2033, 5, 14)


def story_config() -> Config:
    return parse_config(STORY_YAML, "hostile-story.yaml")


def story_context() -> ExtractContext:
    return ExtractContext.from_config(story_config())


def document(*paragraphs: str, published: str | None = "2033-05-14") -> Document:
    return Document(
        id="hostile", path="hostile.txt", paragraphs=list(paragraphs), published=published
    )
