"""Third-country reactions (placeholder)."""

from __future__ import annotations

from ..models import Document, Quote, Reaction
from .actors import Gazetteer


def extract_reactions(doc: Document, quotes: list[Quote], gazetteer: Gazetteer) -> list[Reaction]:
    return []
