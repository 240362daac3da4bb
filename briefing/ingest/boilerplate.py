"""Scraped page furniture: navigation and share lines, footers, photo credits, link lists.

The rules are data (briefing/rules/boilerplate.yaml); this module only applies them. Every
test looks at a bounded prefix or suffix of a line, so a 2 MB line costs no more than a
short one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lines import ends_sentence, foreign_share, word_count
from .tables import load_rules, words_of

RULES = "boilerplate.yaml"
MAX_FURNITURE_CHARS = 200  # longer lines are article text, never furniture
MAX_CREDIT_LINE_WORDS = 12
ANCHORED_TAIL_CHARS = 80

_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'))
_EDGE_PUNCTUATION = " \t.,:;!?\"'()[]{}<>|*#=~_-\u2013\u2014\u2022\u00b7\u203a\u00bb\u00ab"
_TRAILING_PAREN = re.compile(r"\(([^()]{1,80})\)\s{0,3}$")
_FOREIGN_PAREN = re.compile(r"\s{0,3}\([^()]{1,200}\)")


@dataclass(frozen=True)
class Rules:
    exact: frozenset[str]
    patterns: re.Pattern[str]
    tail: frozenset[str]
    tail_words: int
    credit_line: re.Pattern[str]
    inline_credits: tuple[re.Pattern[str], ...]
    credit_words: frozenset[str]
    caption_prefix: re.Pattern[str]
    foreign_share: float
    menu_words: int
    menu_chars: int
    min_words: int


@cache
def rules() -> Rules:
    data = load_rules(RULES)

    def any_of(key: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in data[key]), re.IGNORECASE)

    return Rules(
        exact=words_of(RULES, "exact_lines"),
        patterns=any_of("line_patterns"),
        tail=words_of(RULES, "tail_markers"),
        tail_words=int(data["tail_marker_max_words"]),
        credit_line=any_of("credit_lines"),
        # Searched one by one: an alternation would lose each pattern's literal-prefix scan.
        inline_credits=tuple(re.compile(p, re.IGNORECASE) for p in data["inline_credits"]),
        credit_words=words_of(RULES, "credit_words"),
        caption_prefix=any_of("caption_prefixes"),
        foreign_share=float(data["foreign_script_share"]),
        menu_words=int(data["menu_line_max_words"]),
        menu_chars=int(data["menu_line_max_chars"]),
        min_words=int(data["paragraph_min_words"]),
    )


def normalise(line: str) -> str:
    """Lower case, folded quotes, single spaces, no punctuation at either end."""
    folded = line[:MAX_FURNITURE_CHARS].lower()
    if not folded.isascii():
        for curly, straight in _QUOTES:
            folded = folded.replace(curly, straight)
    return " ".join(folded.split()).strip(_EDGE_PUNCTUATION)


def is_furniture(line: str, latin_document: bool, key: str | None = None) -> bool:
    """Navigation, share buttons, cookie notes, footers, or a line in another script.
    `key` is normalise(line) when the caller has it already."""
    table = rules()
    if foreign_share(line, latin_document) > table.foreign_share:
        return True
    if len(line) > MAX_FURNITURE_CHARS:
        return False
    key = normalise(line) if key is None else key
    if not key:
        return True  # only punctuation or symbols: a separator
    if key in table.exact or table.patterns.match(key) is not None:
        return True
    # One token that reads like code (bar_progress): a widget's name left in the text.
    return " " not in key and "_" in key


def is_tail_marker(line: str, key: str | None = None) -> bool:
    """A short heading ("Related stories", "Most read today") after which the page lists
    other stories, not the article."""
    if len(line) > MAX_FURNITURE_CHARS:
        return False
    words = (normalise(line) if key is None else key).split()
    table = rules()
    if not words or len(words) > table.tail_words:
        return False
    return any(" ".join(words[:n]) in table.tail for n in range(1, len(words) + 1))


def is_credit_line(line: str) -> bool:
    """A photo credit on its own line: the line before it is the photo's caption."""
    if len(line) > MAX_FURNITURE_CHARS or word_count(line) > MAX_CREDIT_LINE_WORDS:
        return False
    return rules().credit_line.match(line) is not None


def split_inline_credit(line: str) -> tuple[str, bool]:
    """(line without its photo credit or caption label, whether it had one): such a line is
    a caption."""
    table = rules()
    label = table.caption_prefix.match(line)
    if label is not None:
        return line[label.end() :].strip(), True
    for pattern in table.inline_credits:
        # A pattern anchored at the line's end only needs to see its last characters.
        tail = line[-ANCHORED_TAIL_CHARS:] if pattern.pattern.endswith("$") else line[-300:]
        match = pattern.search(tail)
        if match is not None:
            start = len(line) - len(tail) + match.start()
            end = len(line) - len(tail) + match.end()
            return (line[:start] + line[end:]).strip(), True
    tail = line[-300:]
    if not tail.rstrip().endswith(")"):
        return line, False
    paren = _TRAILING_PAREN.search(tail)
    if paren is not None and _is_credit(paren.group(1)):
        return line[: len(line) - len(tail) + paren.start()].strip(), True
    return line, False


def _is_credit(inside: str) -> bool:
    """'Agency/Agency', 'Photo: X', 'Getty Images': a photo credit in parentheses."""
    words = inside.replace("/", " ").replace(":", " ").replace("=", " ").split()
    if not words or len(words) > 8:
        return False
    if "/" in inside and all(w[:1].isupper() for w in words):
        return True
    return any(w.lower().strip(".,") in rules().credit_words for w in words)


def is_menu_line(line: str) -> bool:
    """A short line with no sentence punctuation: a menu entry, tag list or crosshead."""
    table = rules()
    if len(line) > table.menu_chars or ends_sentence(line):
        return False
    return word_count(line) <= table.menu_words


def too_short(line: str) -> bool:
    return len(line) < 40 and word_count(line) < rules().min_words


def strip_foreign_parentheses(line: str, latin_document: bool) -> str:
    """Drop parenthesised text in another script ("(translated menu)") from a line."""
    if (latin_document and line.isascii()) or len(line) > MAX_FURNITURE_CHARS:
        return line
    return _FOREIGN_PAREN.sub(
        lambda m: "" if foreign_share(m.group(0), latin_document) > 0.5 else m.group(0),
        line,
    ).strip()
