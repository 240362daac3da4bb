"""Direct quotes and their speakers (placeholder)."""

from __future__ import annotations

from ..models import Document, Quote
from .actors import Gazetteer


def extract_quotes(doc: Document, gazetteer: Gazetteer) -> list[Quote]:
    return []
