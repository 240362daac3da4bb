"""The schema of every rule table (briefing/rules/*.yaml), and the check that applies it.

Each table is described by a TypedDict: its keys, and the type of each value (a list of
words, a mapping of words to numbers, a nested table...). `check_table` compares the parsed
YAML with it and reports every problem at once, each as `rules/x.yaml:LINE: key: message`,
the key written as a path (`units.week.days`, `cues[3]`) as config errors write it.

The tables are parsed with the fast C loader as plain data and checked as data; the YAML node
tree, which knows lines, is composed only when there is an error to place.
"""

import functools
import types
import typing
from collections.abc import Iterator
from enum import Enum
from typing import Any, Literal, NotRequired, TypedDict, Union, get_args, get_origin

import yaml

from .errors import RuleTableError
from .models import Role, Stance

# --- the tables ----------------------------------------------------------------------------

Words = list[str]


class Abbreviations(TypedDict):
    abbreviations: Words
    sentence_final_acronyms: Words


class BottomLine(TypedDict):
    min_sentences: int
    sentences: int
    max_words: int
    clipped_penalty: float


class QuoteRules(TypedDict):
    min_words: int
    max_words: int
    per_speaker: int
    roles: list[Role]


class Variety(TypedDict):
    new_term_bonus: float
    max_new_terms: int
    overlap_penalty: float
    repeat_share: float
    repeat_penalty: float
    repeat_date_penalty: float
    said_top: int
    max_items: int
    min_words: int


class Clip(TypedDict):
    clause_share: float
    max_dangling: int


class QuestionWeights(TypedDict):
    question_bonus: float
    term_bonus: float
    max_terms: int
    headline_penalty: float
    after_story_bonus: float


class Support(TypedDict):
    """When a source carries an item (assemble/support.py)."""

    min_share: float
    quote_words: int


class StanceShiftWords(TypedDict):
    line: str
    on_date: str
    quoted: str
    earlier: dict[Stance, str]
    later: dict[Stance, str]


class NowNotThen(TypedDict):
    """Cues of reports of the event and of plans made before it (assemble/news.py)."""

    agreement_names: Words
    uncertainty: Words
    prospective: Words
    done: Words
    timed_to: Words
    occasions: Words


class BottomLineText(TypedDict):
    dated: str
    months: Words
    join: str
    reactions: str
    part: dict[Stance, str]


class Assemble(TypedDict):
    support_bonus: float
    support: Support
    stance_shift: StanceShiftWords
    now: NowNotThen
    bottom_line_text: BottomLineText
    bottom_line: BottomLine
    quotes: QuoteRules
    stance_labels: dict[Stance, str]
    no_reaction: str
    uncertainty: Words
    agreement_names: Words
    concepts: dict[str, Words]
    max_conflicts: int
    conflict_bonus: float
    repeats: dict[str, float]
    variety: Variety
    max_words: dict[str, int]
    clip: Clip
    dangling_words: Words
    max_citations: int
    questions: QuestionWeights


class Boilerplate(TypedDict):
    exact_lines: Words
    line_patterns: Words
    tail_markers: Words
    tail_marker_max_words: int
    credit_lines: Words
    inline_credits: Words
    caption_prefixes: Words
    credit_words: Words
    foreign_script_share: float
    menu_line_max_words: int
    menu_line_max_chars: int
    paragraph_min_words: int


Precision = Literal["day", "month", "year"]


class Shift(TypedDict):
    """How far a unit or a phrase moves from its anchor, and the precision of the result."""

    days: NotRequired[int]
    months: NotRequired[int]
    years: NotRequired[int]
    precision: Precision


# A unit's shift, and `from: context`: counted from the date the text last named ("that
# day"), not from the anchor. (`from` is a Python keyword, hence the functional form.)
RelativePhrase = TypedDict(
    "RelativePhrase",
    {
        "days": NotRequired[int],
        "months": NotRequired[int],
        "years": NotRequired[int],
        "precision": Precision,
        "from": NotRequired[Literal["context"]],
    },
)


class Calendar(TypedDict):
    months: list[Words]  # per month: its name, then its abbreviations
    weekdays: Words


class NegationTable(TypedDict):
    negations: Words
    denials: Words
    exceptions: Words
    window: int


class Dates(TypedDict):
    year_phrases: Words
    month_prefixes: Words
    numbers: dict[str, int]
    units: dict[str, Shift]
    phrase_cores: Words
    relative_phrases: dict[str, RelativePhrase]
    past_modifiers: Words
    future_modifiers: Words
    this_modifiers: Words
    future_cues: Words
    future_cue_undone_by: Words
    month_prepositions: Words
    ordinal_prepositions: Words
    ordinal_blockers: Words
    year_blockers: Words
    year_quantity_words: Words
    since_cues: Words
    dateline_words: Words
    max_event_words: int


class FactWeights(TypedDict):
    agreement_term: float
    agreement_extra: float
    agreement_max: float
    key_term: float
    key_term_max: float
    cue: float
    cue_max: float
    number: float
    position: float


class Facts(TypedDict):
    cue_words: Words
    hedges: Words
    hedge_factor: float
    boilerplate_phrases: Words
    boilerplate_marks: Words
    weights: FactWeights
    min_words: int
    max_words: int
    good_words: list[int]
    length_penalty: float
    max_quoted_share: float
    per_document: int
    corpus: int
    support_boost: float
    same_fact_jaccard: float


class Ingest(TypedDict):
    date_line_words: Words
    date_line_max_other_words: int
    published_labels: Words
    updated_labels: Words
    outlet_words: Words
    source_labels: Words
    byline_prefixes: Words
    byline_labels: Words
    byline_staff_words: Words
    name_particles: Words
    url_labels: Words
    name_abbreviations: Words
    wire_markers: Words
    dateline: str  # a regex


class Infer(TypedDict):
    done_verbs: Words
    agreement_nouns: Words
    name_joiners: Words
    lead_sentences: int
    max_principals: int
    max_third_countries: int


class Questions(TypedDict):
    cues: Words
    function_words: Words
    question_words: Words
    asking_verbs: Words
    speculation_cues: Words
    leading_connectives: Words
    clause_breaks: Words
    statement_breaks: Words
    pronouns: Words
    topic_cues: Words
    attribution_verbs: Words
    max_words: int
    max_statement_words: int
    min_sentence_words: int


class SpeechVerbs(TypedDict):
    finite: Words
    participle: Words
    phrases: Words
    between: Words


class Contrast(TypedDict):
    """Words that cut a sentence into parts (extract/stance.py)."""

    after: Words
    change: Words
    concessive: Words
    earlier: Words


class StanceTable(TypedDict):
    stances: dict[Stance, Words]
    senses_without_stance: Words
    contrast: Contrast
    priority: list[Stance]
    attribution_weight: int
    verb_weight: int
    intensifiers: Words
    not_negations: Words
    country_joiners: Words
    time_words: Words
    reaction_verbs: Words
    reaction_nouns: Words


class Stopwords(TypedDict):
    stopwords: Words


class Titles(TypedDict):
    abbreviated_titles: Words
    people_nouns: Words
    bodies: Words
    times: Words
    time_links: Words
    name_particles: Words
    not_name_words: Words
    person: Words
    institution: Words
    ambiguous_offices: Words
    analyst: Words
    media: Words
    not_person: Words
    person_pronouns: Words
    institution_pronouns: Words
    adverbial_openers: Words
    appositive_breaks: Words
    determiners: Words
    possessive_determiners: Words
    connectors: Words
    clause_conjunctions: Words
    affiliation_links: Words


class Genders(TypedDict):
    female: Words
    male: Words


class Gender(TypedDict):
    """Gender cues of speakers, for resolving "he" and "she" (extract/gender.py)."""

    pronouns: Genders
    words: Genders
    given_names: Genders


class World(TypedDict):
    labels: dict[str, str]
    territories: Words
    not_country_words: Words
    not_country_phrases: Words
    before_names: Words
    after_surnames: Words
    add: dict[str, Words]
    countries: dict[str, Words]
    institutions: dict[str, Words]


# File name -> its schema. Every file under briefing/rules/ has one (a test checks it).
SCHEMAS: dict[str, Any] = {
    "abbreviations.yaml": Abbreviations,
    "assemble.yaml": Assemble,
    "calendar.yaml": Calendar,
    "boilerplate.yaml": Boilerplate,
    "dates.yaml": Dates,
    "facts.yaml": Facts,
    "gender.yaml": Gender,
    "infer.yaml": Infer,
    "ingest.yaml": Ingest,
    "negations.yaml": NegationTable,
    "questions.yaml": Questions,
    "speech_verbs.yaml": SpeechVerbs,
    "stance.yaml": StanceTable,
    "stopwords.yaml": Stopwords,
    "titles.yaml": Titles,
    "world.yaml": World,
}


# --- the check -----------------------------------------------------------------------------

Path = tuple[str | int, ...]  # keys and list indexes from the top of the table


def _is_typed_dict(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__required_keys__")


def _type_name(tp: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    if tp in names:
        return names[tp]
    if get_origin(tp) is list:
        return "a list"
    return "a mapping"


def _problems(value: Any, tp: Any, path: Path) -> Iterator[tuple[Path, bool, str]]:
    """(path, at the key rather than the value, message) for each problem of `value`."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = get_args(tp)
        if value is None and type(None) in options:
            return
        yield from _problems(value, next(o for o in options if o is not type(None)), path)
    elif origin is Literal:
        if value not in get_args(tp):
            yield path, False, f"must be one of {', '.join(map(str, get_args(tp)))}, not {value!r}"
    elif isinstance(tp, type) and issubclass(tp, Enum):
        values = [member.value for member in tp]
        if value not in values:
            yield path, False, f"must be one of {', '.join(values)}, not {value!r}"
    elif _is_typed_dict(tp):
        yield from _table_problems(value, tp, path)
    elif origin is list:
        if not isinstance(value, list):
            yield path, False, f"must be a list, not {value!r}"
            return
        (item,) = get_args(tp)
        if item is str and all(type(element) is str for element in value):
            return  # the common case, a list of words, in one pass in C
        for index, element in enumerate(value):
            yield from _problems(element, item, (*path, index))
    elif origin is dict:
        if not isinstance(value, dict):
            yield path, False, f"must be a mapping, not {value!r}"
            return
        key_tp, value_tp = get_args(tp)
        for key, element in value.items():
            yield from _problems(key, key_tp, (*path, key))
            yield from _problems(element, value_tp, (*path, key))
    elif tp is float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            yield path, False, f"must be a number, not {value!r}"
    elif not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
        # YAML reads unquoted yes/no/on/off as true/false: say so, it is the usual cause.
        hint = " (quote yes, no, on and off to keep them words)" if isinstance(value, bool) else ""
        yield path, False, f"must be {_type_name(tp)}, not {value!r}{hint}"


@functools.cache
def _hints(schema: Any) -> dict[str, Any]:
    """The keys of a TypedDict and their types (read once: tables nest the same schema)."""
    return typing.get_type_hints(schema)


def _table_problems(value: Any, schema: Any, path: Path) -> Iterator[tuple[Path, bool, str]]:
    if not isinstance(value, dict):
        yield path, False, f"must be a mapping, not {value!r}"
        return
    hints = _hints(schema)
    for key, element in value.items():
        if key not in hints:
            yield (*path, key), True, f"unknown key; valid keys: {', '.join(hints)}"
        else:
            yield from _problems(element, hints[key], (*path, key))
    for key in sorted(schema.__required_keys__ - set(value)):
        yield (*path, key), False, "required value is missing"  # at the line of the mapping


def _key_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _node_at(root: yaml.Node, path: Path, at_key: bool) -> yaml.Node:
    """The node of `path` in the tree (its key's node when `at_key`), or the deepest found."""
    node = root
    for depth, part in enumerate(path):
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return node
            node = node.value[part]
        elif isinstance(node, yaml.MappingNode):
            found = next((pair for pair in node.value if pair[0].value == str(part)), None)
            if found is None:
                return node
            last = depth == len(path) - 1
            node = found[0] if last and at_key else found[1]
        else:
            return node
    return node


def check_table(data: Any, text: str, name: str) -> None:
    """Raise RuleTableError listing every way `data` (the parsed `text` of the table `name`)
    differs from its schema."""
    if name not in SCHEMAS:
        raise RuleTableError(f"rules/{name}: no schema for this table (see briefing/ruleschema.py)")
    problems = list(_table_problems(data, SCHEMAS[name], ()))
    if not problems:
        return
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    lines = []
    for path, at_key, message in problems:
        line = _node_at(root, path, at_key).start_mark.line + 1 if root is not None else 1
        lines.append(f"rules/{name}:{line}: {_key_path(path)}: {message}")
    raise RuleTableError("invalid rule table:\n  " + "\n  ".join(lines))
