"""Exceptions of briefing; the CLI turns each into one clean message and an exit code."""

from __future__ import annotations


class BriefingError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class ConfigError(BriefingError):
    """A bad config file or command-line value: exit 2."""

    exit_code = 2


class RuleTableError(BriefingError):
    """A rule table under briefing/rules/ does not match its schema (briefing/ruleschema.py)."""


class UsageError(ConfigError):
    """A bad command-line choice (unknown audience, format...): exit 2."""


class IngestError(BriefingError):
    """One input file cannot be used; the caller skips it with a warning."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NoDocumentsError(BriefingError):
    """No usable document among the inputs: exit 3."""

    exit_code = 3


class RenderError(BriefingError):
    """A template or the PDF engine failed."""


class DeliveryError(BriefingError):
    """Writing output or sending mail failed."""
