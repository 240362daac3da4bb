"""Delivering a digest: send it and record it, or write it as a .eml file (the dry run).

What goes in the message is decided upstream (pipeline.digest); this module only hands the
message over and records what the server accepted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from ..config import Smtp
from ..errors import DeliveryError
from ..models import Document
from .files import write_atomic
from .mail import send
from .state import SentDigest, State


def send_and_record(
    message: EmailMessage,
    smtp: Smtp,
    state: State,
    audience: str,
    documents: list[Document],
) -> list[str]:
    """Send `message`; once the server accepted it, record `documents` as sent to `audience`.

    Returns the recipients the server accepted.
    """
    accepted = send(message, smtp)
    sent_at = datetime.now(UTC).isoformat(timespec="seconds")
    state.record(SentDigest(sent_at, audience, accepted, str(message["Message-ID"]), documents))
    return accepted


def write_eml(message: EmailMessage, folder: Path, audience: str, when: datetime) -> Path:
    """The dry run: the message as `folder/digest-AUDIENCE-YYYYMMDDTHHMMSS.eml`."""
    path = folder / f"digest-{audience}-{when:%Y%m%dT%H%M%S}.eml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, message.as_bytes())
    except OSError as exc:
        raise DeliveryError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
