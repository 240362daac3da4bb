"""Asides around a speaker phrase that are no part of it: a party parenthesis after a
lawmaker's name ("(D-Vt.)") and a dateline opening a paragraph ("PORT TOWN, March 3
(Agency) --"). They work on tokens only, so speaker parsing skips them in one step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .speakers import Token


def skip_parenthetical(tokens: list[Token], j: int, limit: int = 8) -> int:
    """The index after a short parenthesis at tokens[j] ("(D-Vt.)" after a lawmaker's
    name), or j when there is none."""
    if j >= len(tokens) or tokens[j].text != "(":
        return j
    for k in range(j + 1, min(len(tokens), j + limit)):
        if tokens[k].text == ")":
            return k + 1
        if tokens[k].text == "(":
            break
    return j


def before_parenthetical(tokens: list[Token], m: int, lo: int) -> int:
    """The index before a short parenthesis ending at tokens[m] ("Ruiz (D-Vt.)"), else m."""
    if m < lo or tokens[m].text != ")":
        return m
    for k in range(m - 1, max(lo, m - 8) - 1, -1):
        if tokens[k].text == "(":
            return k - 1
    return m


_DATELINE_TOKENS = 16  # "PORT TOWN, March 3 (Agency) --": a dateline's length at most


def skip_dateline(tokens: list[Token], i: int) -> int:
    """After a dateline opening the clause ("VALMARK CITY, Dec. 8 (Agency) — Ana Ruiz
    said"): a word in capitals first, then a dash within a few tokens."""
    if i >= len(tokens) or not (tokens[i].text.isupper() and len(tokens[i].text) > 2):
        return i
    for k in range(i + 1, min(len(tokens), i + _DATELINE_TOKENS)):
        if tokens[k].text in ("\u2014", "\u2013") or (
            tokens[k].text == "-" and k + 1 < len(tokens) and tokens[k + 1].text == "-"
        ):
            return k + (2 if tokens[k].text == "-" else 1)
    return i
