"""Dated events (placeholder)."""

from __future__ import annotations

import datetime as dt

from ..models import Document, Event


def extract_events(doc: Document, anchor: dt.date, inferred: bool) -> list[Event]:
    return []


def merge_events(events: list[Event]) -> list[Event]:
    return events
