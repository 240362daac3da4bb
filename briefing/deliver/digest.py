"""Delivering a digest: send it and record it, or write it as a .eml file (the dry run).

What goes in the message is decided upstream (pipeline.digest); this module only hands the
message over and records what the server accepted.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from ..config import Smtp
from ..errors import DeliveryError
from ..models import Document
from .files import write_atomic
from .mail import send
from .state import SentDigest, State

log = logging.getLogger("briefing")


def send_and_record(
    message: EmailMessage,
    smtp: Smtp,
    state: State,
    audience: str,
    documents: list[Document],
) -> list[str]:
    """Record the digest as pending, send `message`, then mark it sent; return the
    recipients the server accepted.

    The pending row is written first, so a state that cannot take it stops the run before
    anything is sent. A failed send removes it; a run that dies after sending leaves it, and
    the next run sends those documents again (with the same Message-ID, made upstream from
    the digest's articles and the state, so mail clients can tell the copy).
    """
    recipients = [str(a) for a in message["To"].addresses]
    planned = SentDigest(_now(), audience, recipients, str(message["Message-ID"]), documents)
    digest_id, stale = state.begin(planned)
    for begun, message_id in stale:
        log.warning(
            "an earlier digest %s (begun %s) may have reached the SMTP server but was not "
            "recorded as sent; what it carried is sent again",
            message_id,
            begun,
        )
    try:
        accepted = send(message, smtp)
    except BaseException:
        state.discard(digest_id)
        raise
    state.mark_sent(digest_id, replace(planned, sent_at=_now(), recipients=accepted))
    return accepted


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_eml(message: EmailMessage, folder: Path, audience: str, when: datetime) -> Path:
    """The dry run: the message as `folder/digest-AUDIENCE-YYYYMMDDTHHMMSS.eml`."""
    path = folder / f"digest-{audience}-{when:%Y%m%dT%H%M%S}.eml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, message.as_bytes())
    except OSError as exc:
        raise DeliveryError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
