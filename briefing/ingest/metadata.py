"""Metadata cues in article text: copyright and source lines, mastheads, bylines, addresses,
datelines. Each function reads one line and returns what it states, or None; nothing is
guessed. Word lists live in briefing/rules/ingest.yaml.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from ..language import calendar
from .dates import find_dates
from .lines import word_count
from .tables import load_rules, words_of

RULES = "ingest.yaml"
MAX_META_CHARS = 200
MAX_NAME_WORDS = 8
MAX_NAME_CHARS = 80

_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]{3,2000}", re.IGNORECASE)
_DOMAIN = re.compile(
    r"\(?\s{0,2}((?:https?://)?(?:www\.)?[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,4})\s{0,2}\)?"
    r"\s{0,2}$",
    re.IGNORECASE,
)
_BARE_DOMAIN = re.compile(r"(?:[a-z0-9-]{1,63}\.){1,4}[a-z]{2,24}", re.IGNORECASE)
_YEARS = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:\s{0,2}[-\u2013/]\s{0,2}(?:19|20)?\d{2})?(?!\d)")
_COPYRIGHT_MARK = re.compile(r"\u00a9|\(c\)|\bcopyright\b", re.IGNORECASE)
_RIGHTS = re.compile(r"\ball\s{1,3}rights\s{1,3}reserved\b\.?", re.IGNORECASE)
_NAME_STOP = re.compile(r"[(|;\[]|\s[-\u2013\u2014]\s")
_PAREN_NAME = re.compile(r"\(([^()]{2,60})\)")
_DASHES = (" -- ", " \u2014 ", " \u2013 ", " - ", "\u2014", "--")
_EDGE = " \t.,:;-\u2013\u2014|\"'\u201c\u201d\u2018\u2019"


def _label_pattern(key: str, tail: str) -> re.Pattern[str]:
    labels = sorted(words_of(RULES, key), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(w) for w in labels) + r")" + tail, re.IGNORECASE)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "source": _label_pattern(
            "source_labels", r"\s{0,3}[:=\-\u2013\u2014]?\s{0,3}(\S.{1,150})$"
        ),
        "byline_prefix": _label_pattern("byline_prefixes", r"\s{1,3}(\S.{1,150})$"),
        "byline_label": _label_pattern("byline_labels", r"\s{0,3}[:=]\s{0,3}(\S.{1,150})$"),
        "url_label": _label_pattern("url_labels", r"\s{0,3}[:=]?\s{0,3}$"),
    }


@cache
def _calendar_words() -> frozenset[str]:
    """Full month and weekday names: "By Tuesday, ..." opens a sentence, not a byline."""
    months = (m.lower() for m in calendar().month_numbers())
    weekdays = (w.lower() for w in calendar().weekdays)
    return frozenset(m for m in months if len(m) > 3) | frozenset(weekdays)


def clean_name(value: str) -> str | None:
    """A publisher or person name: trimmed; None when it is not a short name."""
    name = " ".join(value.split()).strip(_EDGE)
    if not name or len(name) > MAX_NAME_CHARS or word_count(name) > MAX_NAME_WORDS:
        return None
    if not any(c.isalpha() for c in name):
        return None
    return name


def domain_of(url: str) -> str | None:
    """'https://www.example.com/a' -> 'example.com'."""
    candidate = url if "//" in url else "//" + url
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def _cut_sentence(text: str) -> str:
    """Text up to the first sentence end that is not a corporate abbreviation ("Co.")."""
    keep = words_of(RULES, "name_abbreviations")
    start = 0
    while True:
        dot = text.find(". ", start)
        if dot < 0:
            return text
        word = text[:dot].rsplit(" ", 1)[-1].lower()
        if word not in keep:
            return text[:dot]
        start = dot + 2


def copyright_holder(line: str) -> str | None:
    """'© 2024 The Harbour Herald (harbourherald.com). All rights reserved.' -> the name; the
    domain when the line names nothing else."""
    if len(line) > MAX_META_CHARS:
        return None
    mark = _COPYRIGHT_MARK.search(line)
    rights = _RIGHTS.search(line)
    if mark is None and rights is None:
        return None
    text = _RIGHTS.sub(" ", line)
    text = _COPYRIGHT_MARK.sub(" ", text)
    text = _YEARS.sub(" ", text)
    text = " ".join(text.split()).strip(_EDGE)
    if text.lower().startswith("by "):
        text = text[3:]
    domain = _PAREN_NAME.search(text)
    name = clean_name(_NAME_STOP.split(_cut_sentence(text), 1)[0])
    if name and _BARE_DOMAIN.fullmatch(name):
        return domain_of(name)
    if name:
        return name
    if domain and _BARE_DOMAIN.fullmatch(domain.group(1).strip()):
        return domain_of(domain.group(1).strip())
    return None


def source_name(line: str) -> str | None:
    """'Source: The Harbour Herald' -> 'The Harbour Herald'; an address gives its domain."""
    if len(line) > MAX_META_CHARS or line[:1] in "[(":
        return None
    match = _patterns()["source"].match(line)
    if match is None:
        return None
    value = match.group(1)
    url = _URL.search(value)
    if url is not None:
        return domain_of(url.group(0))
    if word_count(value) > MAX_NAME_WORDS:
        return None  # a sentence that starts with "Source", not a label
    return clean_name(_cut_sentence(value))


def _person(value: str) -> str | None:
    """The leading person name(s) of a byline value, stopping at a comma, bar or role."""
    particles = words_of(RULES, "name_particles")
    calendar = _calendar_words()
    words: list[str] = []
    for word in _NAME_STOP.split(value.split(",", 1)[0], 1)[0].split():
        bare = word.strip(".,'\u2019")
        particle = bare.lower() in particles and bool(words)
        if not (particle or (bare[:1].isupper() and bare.lower() not in calendar)):
            break
        words.append(word)
    while words and words[-1].lower() in particles:
        words.pop()
    return clean_name(" ".join(words)) if words else None


def byline_name(line: str) -> str | None:
    """'By Jane Roe, staff reporter' -> 'Jane Roe'; 'Reporter: Jane Roe' likewise."""
    if len(line) > MAX_META_CHARS or word_count(line) > 14:
        return None
    patterns = _patterns()
    match = patterns["byline_label"].match(line) or patterns["byline_prefix"].match(line)
    if match is None:
        return None
    value = match.group(1)
    if value.rstrip().endswith(".") and not value.rstrip()[-2:-1].isupper():
        return None  # a sentence ("By Tuesday the talks had stalled.")
    return _person(value)


def byline_outlet(line: str) -> str | None:
    """'By Meridian Daily correspondents' -> 'Meridian Daily': a byline that credits an
    outlet's staff names the publisher, not a person ("By the Harbour Herald staff" too)."""
    if len(line) > MAX_META_CHARS or word_count(line) > 10:
        return None
    match = _patterns()["byline_prefix"].match(line)
    if match is None:
        return None
    words = match.group(1).strip(_EDGE).split()
    if len(words) < 2 or words[-1].lower() not in words_of(RULES, "byline_staff_words"):
        return None
    name = words[:-1]
    if name[0].lower() == "the" and len(name) > 1:
        name = name[1:]
    if name[-1].lower() in words_of(RULES, "byline_staff_words"):
        name = name[:-1]  # "staff writers"
    if not name or not all(w[:1].isupper() or w[:1].isdigit() for w in name):
        return None
    return clean_name(" ".join(name))


def url_in_line(line: str) -> str | None:
    """The address of a line that holds one and little else ("URL: https://...")."""
    if len(line) > 2100:
        return None
    match = _URL.search(line)
    if match is None:
        return None
    rest = (line[: match.start()] + " " + line[match.end() :]).strip(_EDGE)
    if rest and word_count(rest) > 6 and _patterns()["url_label"].match(rest) is None:
        return None
    return match.group(0).rstrip(".,;:")


def outlet_name(line: str) -> str | None:
    """A masthead ("The Harbour Herald"): a few capitalised words ending in an outlet word."""
    if len(line) > MAX_NAME_CHARS or line.rstrip()[-1:] in ".!?:":
        return None
    words = line.split()
    if not 1 <= len(words) <= 6:
        return None
    if words[-1].lower().strip(".,") not in words_of(RULES, "outlet_words"):
        return None
    small = {"of", "the", "and", "&", "for", "de", "la"}
    if all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small for w in words):
        return clean_name(line)
    return None


def split_title_suffix(line: str) -> tuple[str, str] | None:
    """'Ministers sign accord | World | The Harbour Herald' -> ('Ministers sign accord',
    'The Harbour Herald'): a page title ending with the site's name."""
    for separator in (" | ", " :: ", " - ", " \u2013 ", " \u2014 "):
        head, found, tail = line[:MAX_META_CHARS].rpartition(separator)
        if not found or not head.strip():
            continue
        tail = tail.strip()
        outlet = outlet_name(tail)
        if outlet is None and separator in (" | ", " :: ") and _BARE_DOMAIN.fullmatch(tail):
            outlet = domain_of(tail)
        if outlet is not None:
            # Section names may sit between the title and the site: "Title | World | Site".
            return head.split(separator, 1)[0].strip(), outlet
    return None


def dateline(paragraph: str) -> tuple[str | None, str | None]:
    """(full date, agency) of a dateline opening the first paragraph:
    'GENEVA, March 3, 2023 (Agency) -- Ministers ...'."""
    head = paragraph[:160]
    cuts = [i for i in (head.find(d) for d in _DASHES) if 0 < i <= 120]
    if not cuts:
        return None, None
    prefix = head[: min(cuts)]
    if not prefix[:1].isupper():
        return None, None
    agency_match = _PAREN_NAME.search(prefix)
    agency = _agency(agency_match.group(1)) if agency_match else None
    dates = find_dates(prefix)
    place = prefix
    if agency_match is not None:
        place = place[: agency_match.start()] + " " + place[agency_match.end() :]
    for date in dates:
        place = place.replace(prefix[date.start : date.end], " ")
    # What is left is the place: capitalised words (a day without a year is dropped too).
    place_words = [w for w in place.replace(",", " ").split() if not _calendar_token(w)]
    if not place_words or len(place_words) > 4 or not all(w[:1].isupper() for w in place_words):
        return None, None
    if not dates and agency is None:
        return None, None
    return (dates[0].iso if dates else None), agency


@cache
def _dateline_pattern() -> re.Pattern[str]:
    return re.compile(str(load_rules(RULES)["dateline"]))


# Paragraphs looked at for the dateline: the first, or the one after a headline or a kicker
# line that was not recognised as one.
DATELINE_PARAGRAPHS = 3


def dateline_text(paragraphs: list[str]) -> str:
    """The dateline opening one of the first paragraphs ("PORT ELLAN — ", "VESSA, May 4
    (Nordpress) -- "), place-only ones too; "" when there is none (rules: dateline)."""
    for paragraph in paragraphs[:DATELINE_PARAGRAPHS]:
        match = _dateline_pattern().match(paragraph[:400])
        if match:
            return match.group()
    return ""


def _calendar_token(word: str) -> bool:
    bare = word.strip(".").lower()
    return bare.isdigit() or bare in _month_words()


@cache
def _month_words() -> frozenset[str]:
    """Month names and abbreviations, lower-cased."""
    return frozenset(m.lower() for m in calendar().month_numbers())


def _agency(inside: str) -> str | None:
    words = inside.split()
    if not 1 <= len(words) <= 5 or "/" in inside:
        return None
    if " ".join(words).lower() in words_of(RULES, "wire_markers"):
        return None
    if not all(w[:1].isupper() or w.lower() in {"of", "the", "and", "&"} for w in words):
        return None
    return clean_name(inside)


def wire_credit(line: str) -> str | None:
    """'(Agency)' alone on a line: the news agency credited for the story."""
    stripped = line.strip()
    if len(stripped) > 62 or not (stripped.startswith("(") and stripped.endswith(")")):
        return None
    return _agency(stripped[1:-1])


def strip_wire_marker(line: str) -> str:
    """'The accord takes effect next year. (END)' -> the sentence without the marker."""
    stripped = line.rstrip()
    if not stripped.endswith(")") or len(stripped) < 3:
        return line
    opening = stripped.rfind("(", max(0, len(stripped) - 30))
    if opening <= 0:
        return line
    inside = stripped[opening + 1 : -1].strip().lower()
    if inside not in words_of(RULES, "wire_markers"):
        return line
    return stripped[:opening].rstrip()
