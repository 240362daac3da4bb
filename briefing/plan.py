"""The digest's plan: which documents an audience has not had yet.

A document is new for an audience until a digest that included it was accepted by the SMTP
server (deliver/state.py records that). Documents are known by their content hash, so a
re-saved or moved file is not new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from .config import Smtp
from .errors import UsageError
from .models import Document


@dataclass
class DigestRequest:
    """What the command line asked for."""

    audience: str
    recipients: list[str]
    mode: Literal["send", "eml"]
    state_path: Path
    smtp: Smtp
    eml_dir: Path | None = None
    since: str | None = None  # YYYY-MM-DD: only articles published on or after it are new
    force: bool = False  # send even when nothing is new


@dataclass
class Outcome:
    status: Literal["sent", "written", "nothing_new", "busy"]
    new_count: int = 0
    recipients: list[str] = field(default_factory=list)
    message_id: str | None = None
    path: Path | None = None


@dataclass
class Plan:
    """The documents a digest covers: `new` ones are marked, all `included` are recorded."""

    new: list[Document]
    included: list[Document]


def check_recipients(request: DigestRequest) -> None:
    """A digest without recipients is a usage error (exit 2), found before any work."""
    if not request.recipients:
        raise UsageError(
            f"no recipients for audience {request.audience!r}: give --to ADDR or set "
            f"audiences.{request.audience}.recipients in the config"
        )


def check_since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError as exc:
        raise UsageError(f"--since {value!r}: expected a date as YYYY-MM-DD") from exc


def plan_digest(
    documents: Sequence[Document], sent: set[str], since: str | None, force: bool
) -> Plan:
    """New = not yet sent to the audience (by content hash) and, with --since, published on or
    after that date (undated articles are then left out). --force includes every document."""
    eligible = [d for d in documents if since is None or (d.published or "")[:10] >= since]
    if since is not None:
        eligible = [d for d in eligible if d.published]
    new: list[Document] = []
    hashes: set[str] = set()
    for doc in eligible:
        if doc.content_hash not in sent and doc.content_hash not in hashes:
            hashes.add(doc.content_hash)
            new.append(doc)
    return Plan(new=new, included=eligible if force else new)


def digest_key(audience: str, sent_before: int, plan: Plan) -> str:
    """What identifies a digest: its audience, how many digests the audience had before it,
    and the articles it carries and marks new. A run that sends again what an earlier run
    sent but could not record has the same key (its Message-ID stays); a later digest of the
    same articles (--force after a recorded one) has another."""
    included = sorted({d.content_hash for d in plan.included})
    new = sorted({d.content_hash for d in plan.new})
    return "\n".join([audience, str(sent_before), "included", *included, "new", *new])
