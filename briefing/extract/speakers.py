"""Speaker phrases: tokens, rule tables, and the parsing of "who said it" around a quote.

Everything here works on short, bounded windows of text (a clause, a few hundred characters),
so its cost per quote is bounded whatever the document. The word lists come from
briefing/rules/speech_verbs.yaml and briefing/rules/titles.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import islice, repeat
from typing import NamedTuple

from ..language import calendar
from ..resources import load_rules
from .asides import before_parenthetical, skip_dateline, skip_parenthetical

# A word (with inner hyphens or apostrophes: Marie-Claire, Norland's), a dotted acronym (U.S.),
# or one punctuation mark. Bounded repetitions keep it linear on a 2 MB line without spaces.
# (The acronym is written "[A-Z]\.(?:[A-Z]\.){1,3}", not "(?:[A-Z]\.){2,4}": the same tokens,
# but the regex engine sets up its repeat only after a capital and a period, not at every
# word: tokenizing is ~15% faster.)
_TOKEN = re.compile(r"[A-Z]\.(?:[A-Z]\.){1,3}|\w[\w'\u2019-]{0,80}|[^\w\s]")
_PUNCT = ".,;:!?\"'()[]\u201c\u201d\u2018\u2019\u2014\u2013-"
MAX_WINDOW = 300  # characters of the clause read before a quote
AFTER_WINDOW = 200  # characters read after a quote for its attribution
AFTER_TOKENS = 45  # enough for "said X, a research fellow at the Institute for Y"


@dataclass(frozen=True)
class Lexicon:
    """The rule tables speaker parsing needs, as sets of lower-case words."""

    finite: frozenset[str]
    participle: frozenset[str]
    speech: frozenset[str]  # finite | participle
    verb_starts: frozenset[str]  # speech | the first words of multi-word verbs

    phrases: dict[str, tuple[tuple[str, ...], ...]]  # first word -> multi-word verbs
    between: frozenset[str]
    person: frozenset[str]
    institution: frozenset[str]
    ambiguous_offices: tuple[str, ...]
    analyst: frozenset[str]
    media: frozenset[str]
    not_person: frozenset[str]
    person_pronouns: frozenset[str]
    institution_pronouns: frozenset[str]
    openers: frozenset[str]
    determiners: frozenset[str]
    possessives: frozenset[str]  # "its", "his": dropped from the front of a title
    connectors: frozenset[str]
    abbreviated: frozenset[str]  # "sen", "rep": titles written "Sen." before a name
    not_name: frozenset[str]  # "that", "more": capitalized at a sentence start, never a name
    people_nouns: frozenset[str]  # "donor", "pollster": people who speak without an office
    bodies: frozenset[str]  # "report", "campaign": documents and bodies that speak
    times: frozenset[str]  # "Friday", "night": a time between a speaker and the verb
    time_links: frozenset[str]  # "on", "last": the word before such a time
    particles: frozenset[str]  # "de", "van": lower-case words inside a name
    conjunctions: frozenset[str]  # "and", "but": skipped at the start of a clause
    affiliation_links: frozenset[str]  # "of", "at": a workplace follows, not a title

    def is_person_noun(self, low: str) -> bool:
        """A title or a noun for a person: the head of a phrase that is one person."""
        return low in self.person or low in self.people_nouns

    def is_role_word(self, low: str) -> bool:
        """A word of titles, offices, analysts or media: never part of a person's name."""
        return (
            low in self.person
            or low in self.abbreviated
            or low in self.people_nouns
            or low in self.bodies
            or low in self.institution
            or low in self.analyst
            or low in self.media
        )


def _words(values: list[str]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


def _calendar_names() -> frozenset[str]:
    """The full month and weekday names, lower-cased (not their abbreviations: "Jan" may
    well be a person's name)."""
    names = calendar()
    return _words([*names.month_names(), *names.weekdays])


@cache
def lexicon() -> Lexicon:
    verbs = load_rules("speech_verbs.yaml")
    titles = load_rules("titles.yaml")
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for phrase in verbs["phrases"]:
        words = tuple(str(phrase).lower().split())
        phrases.setdefault(words[0], []).append(words)
    finite, participle = _words(verbs["finite"]), _words(verbs["participle"])
    return Lexicon(
        finite=finite,
        participle=participle,
        speech=finite | participle,
        verb_starts=finite | participle | frozenset(phrases),
        phrases={first: tuple(group) for first, group in phrases.items()},
        between=_words(verbs["between"]),
        person=_words(titles["person"]),
        institution=_words(titles["institution"]),
        ambiguous_offices=tuple(p.lower() for p in titles["ambiguous_offices"]),
        analyst=_words(titles["analyst"]),
        media=_words(titles["media"]),
        not_person=_words(titles["not_person"]) | _calendar_names(),
        person_pronouns=_words(titles["person_pronouns"]),
        institution_pronouns=_words(titles["institution_pronouns"]),
        openers=_words(titles["adverbial_openers"]),
        determiners=_words(titles["determiners"]),
        possessives=_words(titles["possessive_determiners"]),
        connectors=_words(titles["connectors"]),
        abbreviated=_words(titles["abbreviated_titles"]),
        not_name=_words(titles["not_name_words"]),
        people_nouns=_words(titles["people_nouns"]),
        bodies=_words(titles["bodies"]),
        times=_words(titles["times"]),
        time_links=_words(titles["time_links"]),
        particles=_words(titles["name_particles"]),
        conjunctions=_words(titles["clause_conjunctions"]),
        affiliation_links=_words(titles["affiliation_links"]),
    )


class Token(NamedTuple):
    text: str
    start: int  # offsets into the document text
    end: int
    low: str  # the text in lower case

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


def has_speech_verb(text: str, start: int, end: int) -> bool:
    """A quick look (no tokens) for a speech verb in text[start:end]."""
    lex = lexicon()
    for word in text[start:end].lower().split():
        word = word.strip(_PUNCT)
        if word in lex.speech or word in lex.phrases:
            return True
    return False


def strip_possessive(word: str) -> str:
    """The word without a possessive ending: "Norland's" -> "Norland"."""
    return word[:-2] if word.endswith(("'s", "\u2019s")) else word


_new_token = tuple.__new__  # skips NamedTuple's argument parsing: tokens are made by the million
_group, _start, _end, _lower = re.Match.group, re.Match.start, re.Match.end, str.lower


def tokenize(text: str, start: int, end: int, limit: int | None = None) -> list[Token]:
    """Tokens of text[start:end] (the first `limit` of them), with offsets into `text`."""
    # Column by column with map (loops in C) rather than a Python loop over the matches:
    # about a third faster, and thousands of windows are tokenized per megabyte.
    matches = list(islice(_TOKEN.finditer(text, start, end), limit))
    words = list(map(_group, matches))
    columns = zip(words, map(_start, matches), map(_end, matches), map(_lower, words), strict=True)
    return list(map(_new_token, repeat(Token), columns))


@dataclass
class Phrase:
    """A speaker phrase as written: "Harbour Authority spokesperson Marie-Claire Dufort"."""

    tokens: list[Token]
    appositive: list[Token] = field(default_factory=list)  # ", Director of the Office,"

    # Written out: compiled by mypyc, where the __init__ that @dataclass writes runs
    # interpreted (see docs/speed.md, "Constructors compiled").
    def __init__(self, tokens: list[Token], appositive: list[Token] | None = None) -> None:
        self.tokens = tokens
        self.appositive = [] if appositive is None else appositive

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    @property
    def pronoun(self) -> str | None:
        lex = lexicon()
        if len(self.tokens) == 1:
            low = self.tokens[0].low
            if low in lex.person_pronouns or low in lex.institution_pronouns:
                return low
        return None


def _is_name_word(token: Token, lex: Lexicon) -> bool:
    """A capitalized word that may belong to a name or an office (not a verb or an opener)."""
    if not token.capitalized or not token.is_word:
        return False
    low = token.low.replace("\u2019", "'")
    return not (
        low in lex.speech or low in lex.openers or low in lex.determiners or low in lex.not_name
    )


def _np_word(token: Token, lex: Lexicon) -> bool:
    if _is_name_word(token, lex):
        return True
    return token.is_word and lex.is_role_word(strip_possessive(token.low))


def dotted(tokens: list[Token], j: int, lex: Lexicon) -> bool:
    """Whether tokens[j] is an abbreviated title or an initial whose period follows it
    ("Sen." / the "J." of "Ana J. Ruiz"): the period then belongs to the phrase."""
    if j + 1 >= len(tokens) or tokens[j + 1].text != "." or tokens[j + 1].start != tokens[j].end:
        return False
    word = tokens[j].text
    return (len(word) == 1 and word.isupper()) or (
        word[:1].isupper() and tokens[j].low in lex.abbreviated
    )


def parse_phrase(tokens: list[Token], i: int, limit: int = 14) -> tuple[Phrase | None, int]:
    """The speaker-like noun phrase starting at tokens[i], and the index after it.

    A phrase is an optional determiner, then capitalized words and title/office words, joined
    by small connectors ("an official in Vestria's foreign ministry"), or one pronoun. An
    abbreviated title or an initial keeps its period ("Sen. Ana J. Ruiz"); a short
    parenthesis right after the phrase ("(D-Vt.)") is skipped, not part of it.
    """
    lex = lexicon()
    n = len(tokens)
    if i >= n:
        return None, i
    low = tokens[i].low
    if low in lex.person_pronouns or low in lex.institution_pronouns:
        return Phrase([tokens[i]]), i + 1
    j = i
    if low in lex.determiners:
        j += 1
    body_start = j
    while j < n and j - i < limit:
        token = tokens[j]
        if _np_word(token, lex):
            j += 2 if dotted(tokens, j, lex) else 1
            continue
        if token.low in lex.particles and j + 1 < n and _is_name_word(tokens[j + 1], lex):
            j += 1  # "de" of "Ana de Varga": a name goes on
            continue
        # After a name word, a past form opens the predicate: "the Ostrian ministry issued
        # a statement", not "the Ostrian port board".
        named = any(_is_name_word(t, lex) for t in tokens[body_start:j])
        ahead = _modified_noun(tokens, j, lex, determiner=body_start > i, named=named)
        if ahead > j:
            j = ahead  # "one longtime party donor", "election lawyer Ana Ruiz"
            continue
        if token.low in lex.connectors and j > body_start:
            k = j + 1
            if k < n and tokens[k].low in lex.determiners:
                k += 1
            if k < n and _np_word(tokens[k], lex) and token.low != "and":
                j = k
                continue
            if token.low == "and" and k < n and _is_name_word(tokens[k], lex):
                j = k
                continue
        break
    if j == body_start:
        return None, i
    return Phrase(tokens[i:j]), skip_parenthetical(tokens, j)


_MODIFIERS = 5  # words before the noun of a speaker phrase: "longtime party data"


def _modified_noun(tokens: list[Token], j: int, lex: Lexicon, determiner: bool, named: bool) -> int:
    """The index after "longtime party donor" when tokens[j] opens lower-case modifiers of
    a role noun, else j. Without a determiner the noun must be a title before a name
    ("election lawyer Ana Ruiz"), so that a clause ("critics said") is not read as one."""
    k = j
    while k < len(tokens) and k - j <= _MODIFIERS:
        token = tokens[k]
        if not token.is_word or token.low in lex.speech or token.low in lex.connectors:
            return j
        if token.low in lex.between or token.low in lex.not_name or token.low in lex.determiners:
            return j
        if named and not token.capitalized and token.low.endswith(("ed", "ing")):
            return j
        noun = k > j and not token.capitalized and lex.is_role_word(strip_possessive(token.low))
        if noun and (determiner or (k + 1 < len(tokens) and _is_name_word(tokens[k + 1], lex))):
            return k + 1
        k += 1
    return j


def skip_between(tokens: list[Token], j: int) -> int:
    """Skip the adverbs and auxiliaries that may stand between a speaker and its verb."""
    lex = lexicon()
    while j < len(tokens) and (tokens[j].low in lex.between or tokens[j].low.endswith("ly")):
        if not tokens[j].is_word:
            break
        j += 1
    return j


def speech_verb_at(tokens: list[Token], j: int, finite_only: bool = False) -> int:
    """How many tokens a speech verb at tokens[j] spans (0 when there is none)."""
    lex = lexicon()
    if j >= len(tokens):
        return 0
    low = tokens[j].low
    for phrase in lex.phrases.get(low, ()):
        if tuple(t.low for t in tokens[j : j + len(phrase)]) == phrase:
            return len(phrase)
    if low in lex.finite or (not finite_only and low in lex.participle):
        return 1
    return 0


def find_appositive(tokens: list[Token], j: int, max_tokens: int = 40) -> tuple[list[Token], int]:
    """After a name: ", a research fellow at X, said" -> (appositive tokens, index of "said").

    Returns ([], j) when tokens[j] does not open an appositive that a speech verb follows.
    """
    if j >= len(tokens) or tokens[j].text != ",":
        return [], j
    stop = min(len(tokens), j + max_tokens)
    for k in range(j + 1, stop):
        if tokens[k].text != ",":
            continue
        after = skip_between(tokens, k + 1)
        if speech_verb_at(tokens, after):
            return tokens[j + 1 : k], after
    return [], j


def appositive_to_end(tokens: list[Token], j: int) -> list[Token]:
    """After "said X": ", a research fellow at Y." up to the end of the window."""
    if j >= len(tokens) or tokens[j].text != ",":
        return []
    tail = tokens[j + 1 :]
    while tail and not tail[-1].is_word:
        tail = tail[:-1]
    return tail[:40]


@dataclass
class Clause:
    """What the words before a quote say about it."""

    subject: Phrase | None = None
    has_verb: bool = False  # a speech verb follows the subject
    introduced: bool = False  # the verb directly introduces the quote ("said," / "said:")
    source: Phrase | None = None  # "According to X, ..."
    source_tokens: list[Token] = field(default_factory=list)

    # Written out: compiled by mypyc, where the __init__ that @dataclass writes runs
    # interpreted (see docs/speed.md, "Constructors compiled").
    def __init__(
        self,
        subject: Phrase | None = None,
        has_verb: bool = False,
        introduced: bool = False,
        source: Phrase | None = None,
        source_tokens: list[Token] | None = None,
    ) -> None:
        self.subject = subject
        self.has_verb = has_verb
        self.introduced = introduced
        self.source = source
        self.source_tokens = [] if source_tokens is None else source_tokens


def _skip_lead(tokens: list[Token], i: int) -> int:
    i = skip_dateline(tokens, i)
    while i < len(tokens) and (not tokens[i].is_word or tokens[i].low in lexicon().conjunctions):
        if tokens[i].text in "([":
            break
        i += 1
    return i


def _skip_adverbials(tokens: list[Token], i: int, clause: Clause) -> int:
    """Skip "Earlier," / "In a statement on Monday," / "According to X," before a subject."""
    lex = lexicon()
    for _ in range(3):
        if i >= len(tokens):
            return i
        token = tokens[i]
        low = token.low
        opener = low in lex.openers or (low.endswith("ly") and token.is_word)
        if token.capitalized and low.endswith(("ing", "ed")) and low not in lex.speech:
            opener = True  # "Speaking at the summit, Ruiz said" / "Asked about it, ..."
        if not opener:
            return i
        comma = next(
            (k for k in range(i + 1, min(len(tokens), i + 30)) if tokens[k].text == ","), None
        )
        if comma is None:
            return i
        if low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
            clause.source_tokens = tokens[i + 2 : comma]
            clause.source, _ = parse_phrase(tokens, i + 2)
        i = _skip_lead(tokens, comma + 1)
    return i


def parse_before(tokens: list[Token]) -> Clause:
    """Parse the clause that precedes a quote: subject, speech verb, introduction."""
    clause = Clause()
    lead = _skip_lead(tokens, 0)
    inverted = speech_verb_at(tokens, lead, finite_only=True) if lead < len(tokens) else 0
    if inverted and tokens[lead].capitalized:
        # "Said Ana Ruiz, a harbour pilot, ..." opening the clause: the speaker follows.
        subject, j = parse_phrase(tokens, lead + inverted)
        if subject is not None and _valid_subject(subject):
            subject.appositive = appositive_to_end(tokens, j)
            clause.subject, clause.has_verb = subject, True
            clause.introduced = tokens[-1].text in (",", ":")
            return clause
    i = _skip_adverbials(tokens, lead, clause)
    subject, j = parse_phrase(tokens, i)
    if subject is None or not _valid_subject(subject):
        subject, j = subject_before_verb(tokens, lead)
    if subject is not None and _valid_subject(subject):
        appositive, verb_at = find_appositive(tokens, j)
        if appositive:
            subject.appositive = appositive
            j = verb_at
        clause.subject = subject
    else:
        j = i
    # A speech verb anywhere after the subject; only the tokens that may start one are
    # looked at closely (a set look-up for the others).
    starts = lexicon().verb_starts
    clause.has_verb = any(
        speech_verb_at(tokens, k) for k in range(j, len(tokens)) if tokens[k].low in starts
    )
    if clause.has_verb and tokens:
        last = tokens[-1]
        if last.text in (",", ":") or speech_verb_at(tokens, len(tokens) - 1):
            clause.introduced = True
    return clause


def phrase_ending_at(tokens: list[Token], last: int, lo: int) -> Phrase | None:
    """The speaker phrase whose last token is tokens[last] (not before tokens[lo]): a
    pronoun, or title and name words with the periods of abbreviations and initials."""
    lex = lexicon()
    if tokens[last].low in lex.person_pronouns or tokens[last].low in lex.institution_pronouns:
        return Phrase([tokens[last]])
    start = last + 1
    k = last
    while k >= lo:
        token = tokens[k]
        if token.text == "." and k > lo and dotted(tokens, k - 1, lex) and start <= last:
            k -= 1
            continue
        if not _np_word(token, lex):
            break
        start = k
        k -= 1
    if start > last:
        return None
    if start > lo and tokens[start - 1].low in lex.determiners:
        start -= 1
    phrase = Phrase(tokens[start : last + 1])
    return phrase if _valid_subject(phrase) else None


def subject_before_verb(tokens: list[Token], lo: int) -> tuple[Phrase | None, int]:
    """When the clause does not open with its speaker ("Soon after the vote Ana Ruiz told
    reporters"): the speaker phrase right before the first speech verb, and the verb's index."""
    starts = lexicon().verb_starts
    for k in range(lo + 1, len(tokens)):
        if tokens[k].low not in starts or not speech_verb_at(tokens, k):
            continue
        m = _skip_back_adjuncts(tokens, k - 1, lo)
        m = before_parenthetical(tokens, m, lo)
        if m >= lo:
            phrase = phrase_ending_at(tokens, m, lo)
            if phrase is not None:
                return phrase, k
        return None, lo
    return None, lo


def _skip_back_adjuncts(tokens: list[Token], m: int, lo: int) -> int:
    """From the word before a verb, back over adverbs and times ("Ana Ruiz on Friday
    also said"): the index of the last word of the speaker phrase."""
    lex = lexicon()
    while m > lo and tokens[m].is_word:
        low = tokens[m].low
        adverb = low in lex.between or low.endswith("ly") or low in lex.times
        following = tokens[m + 1].low if m + 1 < len(tokens) else ""
        opens_time = low in lex.time_links and following in lex.times
        if not (adverb or opens_time):
            break
        m -= 1
    return m


def clause_subject(tokens: list[Token]) -> tuple[Phrase | None, int]:
    """The subject phrase of a clause after any opening adverbial, and the index after it."""
    i = _skip_adverbials(tokens, _skip_lead(tokens, 0), Clause())
    phrase, j = parse_phrase(tokens, i)
    if phrase is None or not _valid_subject(phrase):
        return None, i
    return phrase, j


def _valid_subject(phrase: Phrase) -> bool:
    if phrase.pronoun:
        return True
    lex = lexicon()
    return any(
        _is_name_word(t, lex) or (t.is_word and lex.is_role_word(t.low)) for t in phrase.tokens
    )


_NOMINAL_WORDS = 4  # words after "the" in a description: "the retired harbour pilot"


def _nominal(tokens: list[Token], i: int, verb_follows: bool) -> tuple[Phrase | None, int]:
    """A description of the speaker whose noun no table knows, right after a quote:
    '," the retired harbour pilot said' (verb_follows) / '," said the retired harbour pilot.'
    A determiner, then up to a few lower-case words; the mention's words are the speaker."""
    lex = lexicon()
    if i >= len(tokens) or tokens[i].low not in lex.determiners:
        return None, i
    j = i + 1
    while j < len(tokens) and j - i <= _NOMINAL_WORDS and tokens[j].is_word:
        token = tokens[j]
        if token.low in lex.speech or token.low in lex.connectors or token.low in lex.between:
            break
        if token.capitalized and not verb_follows:
            break
        j += 1
    if j == i + 1:
        return None, i
    if verb_follows:
        if not speech_verb_at(tokens, skip_between(tokens, j), finite_only=True):
            return None, i
    elif j < len(tokens) and tokens[j].is_word and tokens[j].low not in lex.connectors:
        return None, i  # "said the port would reopen": a clause, not a speaker
    return Phrase(tokens[i:j]), j


_DASHES = frozenset("-\u2014\u2013\u2015")
_AFTER_MARKS = ",.;:!?" + "".join(_DASHES)  # marks between a quote and its attribution


def parse_after(tokens: list[Token]) -> Phrase | None:
    """The speaker named right after a quote: '," X said', '," said X, ...', '," according to X'."""
    i = 0
    while i < len(tokens) and not tokens[i].is_word and tokens[i].text in _AFTER_MARKS:
        i += 1
    if i >= len(tokens):
        return None
    signed = any(t.text in _DASHES for t in tokens[:i])
    width = speech_verb_at(tokens, i, finite_only=True)
    if width:
        phrase, j = parse_phrase(tokens, i + width)
        described, k = _nominal(tokens, i + width, verb_follows=False)
        if described is not None and k > j:
            phrase, j = described, k  # "said the retired quay master": the whole description
        if phrase is None or not _valid_subject(phrase):
            return None
        phrase.appositive = appositive_to_end(tokens, j)
        return phrase
    if tokens[i].low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
        phrase, j = parse_phrase(tokens, i + 2)
        if phrase is None or not _valid_subject(phrase):
            return None
        phrase.appositive = appositive_to_end(tokens, j)
        return phrase
    phrase, j = parse_phrase(tokens, i)
    if phrase is None or not _valid_subject(phrase):
        phrase, _ = _nominal(tokens, i, verb_follows=True)
        return phrase
    if signed and not any(t.is_word for t in tokens[j:]):
        return phrase  # '"..." \u2015 Ana Ruiz': a quote signed with a dash and a name
    appositive, _ = find_appositive(tokens, j)
    if appositive:
        phrase.appositive = appositive
        return phrase
    if speech_verb_at(tokens, skip_between(tokens, j), finite_only=True):
        return phrase
    phrase, _ = _nominal(tokens, i, verb_follows=True)  # '," the retired quay master said'
    return phrase
