"""The JSON brief: the extraction contract (the keys of `briefing extract --format json`:
documents, quotes, reactions, events, open_questions, facts) plus the assembled brief under
"brief", so that one file feeds both scorers and other tools."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..models import Brief, Extraction


def render_json(brief: Brief, extraction: Extraction | None = None) -> str:
    data: dict[str, Any] = (extraction or Extraction()).to_json()
    data["brief"] = asdict(brief)
    del data["brief"]["theme"]  # how it looks, not what it says
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
