"""Open questions (placeholder)."""

from __future__ import annotations

from ..models import Document, Question


def extract_questions(doc: Document) -> list[Question]:
    return []


def merge_questions(questions: list[Question]) -> list[Question]:
    return questions
