"""The gender of a speaker, where its words tell it, for resolving "he" and "she".

A speaker's title and name words tell it ("Mrs.", "congresswoman", "his wife": the last
gendered word, the head of the phrase), and so does the first word of a name of two words or
more, looked up in the given-name lists of rules/gender.yaml; when the two disagree, or say
nothing, the gender is unknown, and an unknown speaker fits either pronoun (resolve.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..resources import load_rules

FEMALE = "female"
MALE = "male"


@dataclass(frozen=True)
class GenderTable:
    pronouns: dict[str, str]  # "she" -> female
    words: dict[str, str]  # "congresswoman" -> female
    given_names: dict[str, str]  # "maria" -> female


def _by_word(table: dict[str, list[str]]) -> dict[str, str]:
    return {str(w).lower(): gender for gender in (FEMALE, MALE) for w in table[gender]}


@cache
def gender_table() -> GenderTable:
    data = load_rules("gender.yaml")
    return GenderTable(
        _by_word(data["pronouns"]), _by_word(data["words"]), _by_word(data["given_names"])
    )


def _plain(word: str) -> str:
    """A word in lower case without its possessive or abbreviation period: "Mrs." -> mrs."""
    low = word.lower().strip(".,")
    for ending in ("'s", "\u2019s"):
        if low.endswith(ending):
            return low[: -len(ending)]
    return low


def pronoun_gender(pronoun: str) -> str | None:
    """female for "she", male for "he", None for any other word."""
    return gender_table().pronouns.get(pronoun.lower())


def speaker_gender(name: str, title: str | None) -> str | None:
    """The gender that the title and the name of a person speaker tell, or None; None too
    when they disagree ("spokesman" is written of women as well)."""
    table = gender_table()
    words = [_plain(w) for w in f"{title or ''} {name}".split()]
    by_word = next((table.words[w] for w in reversed(words) if w in table.words), None)
    names = name.split()
    by_name = table.given_names.get(_plain(names[0])) if len(names) >= 2 else None
    if by_word and by_name and by_word != by_name:
        return None
    return by_word or by_name
