"""Key facts (placeholder)."""

from __future__ import annotations

from ..config import Story
from ..models import Document, Fact


def extract_facts(doc: Document, story: Story) -> list[Fact]:
    return []


def merge_facts(facts: list[Fact], n_docs: int) -> list[Fact]:
    return facts
