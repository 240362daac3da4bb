"""Titles written around a name: which words after a comma are a title (the appositive
", spokesperson of the Vestrian ministry,") and which are a circumstance or a clause, and the
affiliation an analyst's appositive names ("Senior Fellow at the Nordic Institute")."""

from __future__ import annotations

import re
from functools import cache

from ..resources import load_rules
from .speakers import Lexicon, Token


@cache
def _appositive_breaks() -> frozenset[str]:
    """Words after a comma that end a title written after a name: what follows is a
    circumstance ("..., the President of X, at the ceremony") or a clause, not the title."""
    return frozenset(str(w).lower() for w in load_rules("titles.yaml")["appositive_breaks"])


def is_appositive_break(token: Token) -> bool:
    """A lower-case word that opens a circumstance or a clause: "at", "who", "adding"."""
    if not token.is_word or token.capitalized:
        return False
    return token.low in _appositive_breaks() or token.low.endswith("ing")


def title_part(tokens: list[Token]) -> list[Token]:
    """The words of an appositive that are a title: none when it opens with a circumstance
    ("adding that ..."), up to the comma before one ("the President of X, at the ceremony")."""
    if tokens and is_appositive_break(tokens[0]):
        return []
    for k in range(1, len(tokens) - 1):
        if tokens[k].text == "," and is_appositive_break(tokens[k + 1]):
            return tokens[:k]
    return tokens


_ARTICLE = re.compile(r"(?:the|an?)\s+", re.IGNORECASE)


def _without_article(title: str) -> str:
    """ "the President of X" -> "President of X"."""
    match = _ARTICLE.match(title)
    return title[match.end() :] if match and match.end() < len(title) else title


# Compiled once: a pattern string passed to re.findall/search/sub is looked up in the re
# module's cache at every call, and these run for every resolved speaker.
ROLE_WORD = re.compile(r"[\w-]+")
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+")


@cache
def _organisation_link(links: frozenset[str]) -> re.Pattern[str]:
    """ " of the " / " at ": an affiliation link word, at the start or after a space."""
    words = "|".join(re.escape(w) for w in sorted(links))
    return re.compile(rf"(?:^|\s)(?:{words})\s+(?:the\s+)?")


def split_affiliation(appositive: str | None, lex: Lexicon) -> tuple[str | None, str | None]:
    """("Nordic Institute for X", "Senior Fellow") from an analyst's appositive."""
    if not appositive:
        return None, None
    words = [w.lower() for w in ROLE_WORD.findall(appositive)]
    if not any(w in lex.analyst for w in words):
        lead = _organisation_link(lex.affiliation_links).match(appositive)  # "of the X ministry"
        return None, (appositive[lead.end() :] if lead else _without_article(appositive))
    match = _organisation_link(lex.affiliation_links).search(appositive)
    if match is None:
        return None, appositive
    title = appositive[: match.start()].strip()
    title = _LEADING_ARTICLE.sub("", title)
    org = appositive[match.end() :].split(",")[0].strip()
    return (org or None), (title or None)
