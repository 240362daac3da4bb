"""The reactions section: one item per third country, its best reaction with its stance
and its best direct words."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from ..config import Config
from ..models import BriefItem, Quote, Reaction
from .cite import Citer, Draft
from .clipping import DASHES, bare_word, clip, ends_clause, short_name, with_ellipsis
from .rules import Rules

T = TypeVar("T")


def _reaction_weight(reaction: Reaction) -> float:
    return (
        2.0 * reaction.quoted
        + 1.0 * (reaction.actor is not None)
        + 1.0 * (reaction.stance is not None)
        + 0.1 * len(reaction.stance_cues)
    )


def _statements(reactions: list[Reaction], dates: Mapping[str, str]) -> list[Reaction]:
    """The reactions that state a stance, oldest first: by the date each was made (the date
    its sentence gives, else its article's, else the story's: `dates`, by document and ""),
    then in article order. A mood reported in the country ("concerns in X") counts only
    when the country said nothing."""
    stated = [r for r in reactions if r.stance]
    own = [r for r in stated if not r.felt] or stated
    order = {id(r): i for i, r in enumerate(reactions)}
    return sorted(own, key=lambda r: (said_on(r, dates) or "", order[id(r)]))


def _latest(statements: list[Reaction], dates: Mapping[str, str], rules: Rules) -> Reaction:
    """The statement that sets the stance: among the reports of the latest day in the
    latest article (a summary sentence and the quote it introduces are one statement), the
    stance with most weight (a direct quote weighs one more, a sentence that tells the
    stance changed two more; ties go to the stance first in the rules' order), and of its
    reports the one with most to show."""
    last = statements[-1]
    when = (said_on(last, dates), last.doc)
    group = [r for r in statements if (said_on(r, dates), r.doc) == when]
    votes: dict[str, int] = {}
    for reaction in group:
        weight = 1 + reaction.quoted + 2 * (reaction.earlier_stance is not None)
        votes[reaction.stance or ""] = votes.get(reaction.stance or "", 0) + weight
    order = list(rules.stance_labels)
    best = min(votes, key=lambda s: (-votes[s], order.index(s) if s in order else len(order)))
    chosen = [r for r in group if r.stance == best]
    return max(chosen, key=lambda r: (r.earlier_stance is not None, _reaction_weight(r)))


def said_on(reaction: Reaction, dates: Mapping[str, str]) -> str | None:
    """When the statement was made: its own date, else its article's (an extraction read
    back from JSON may lack the first), else the story's (`dates[""]`)."""
    return reaction.said_on or dates.get(reaction.doc) or dates.get("") or None


def country_reaction(
    key: str,
    reactions: list[Reaction],
    quotes: Sequence[Quote],
    config: Config,
    citer: Citer,
    rules: Rules,
    dates: Mapping[str, str] | None = None,
) -> BriefItem:
    """The country's reaction: its latest statement sets the stance and is the text shown,
    with the words that carry it, and how the stance shifted when an earlier statement of the
    country (or of the same sentence) said otherwise."""
    draft = reaction_draft(key, reactions, quotes, config, rules, dates, citer.own_id)
    return reaction_item(key, draft, config, citer, rules)


def reaction_item(
    key: str, draft: Draft | None, config: Config, citer: Citer, rules: Rules
) -> BriefItem:
    """The country's item from its draft (None: "no reaction")."""
    if draft is None:
        label = config.country_label(key)
        return BriefItem(text=rules.no_reaction, country=label, rank=0.0, support=0)
    return citer.draft_item(draft)


def reaction_draft(
    key: str,
    reactions: list[Reaction],
    quotes: Sequence[Quote],
    config: Config,
    rules: Rules,
    dates: Mapping[str, str] | None = None,
    own_id: Callable[[str], str] | None = None,
    whole: Callable[[Reaction], Reaction] | None = None,
) -> Draft | None:
    """The item of `country_reaction` before it is cited (None: the country has none); its
    documents' ids as `own_id` gives them (the citer's: a country's reactions are let go).
    `whole`: the reaction read back whole, when `reactions` come without their texts
    (`country_reactions`); only the one shown needs its text."""
    if not reactions:
        return None
    label = config.country_label(key)
    same_id = own_id or str
    dates = _Days(dates or {}, str(config.story.date or "")[:10])
    statements = _statements(reactions, dates)
    if statements:
        lean = _latest(statements, dates, rules)
        shown = whole(lean) if whole else lean
        stance, cues = shown.stance, list(shown.stance_cues)
        statements = [r for r in statements if r is not lean] + [shown]
    else:
        lean = max(reactions, key=_reaction_weight)
        shown, stance, cues = whole(lean) if whole else lean, None, []
    quote, speaker = _country_quote(key, shown, quotes, rules)
    text = reaction_text(shown, rules)
    fields = {
        "country": label,
        "stance": stance,
        "stance_label": rules.stance_labels.get(stance or "", None),
        "stance_cues": [clip(c, 6) for c in cues[:4]],
        "stance_shift": shift_line(statements, rules, dates),
        "speaker": _speaker(shown.actor or speaker, text),
        "quote": clip(quote, rules.max_words.get("quote")) if quote else None,
    }
    return Draft(
        text,
        # the statement's article, then those of the same stance (near-copies of it are
        # found there), then the quote's: each cited only where it carries the item
        [shown.doc]
        + [same_id(r.doc) for r in reactions if r.stance == stance]
        + ([same_id(q.doc) for q in matching(quotes, "text", quote)] if quote else []),
        1.0 + 0.1 * _reaction_weight(shown),
        kind="reaction",
        shaped=True,
        fields=fields,
    )


class _Days(Mapping[str, str]):
    """`days` (by document), and the story's day under "" (see said_on): a view of a
    corpus's days, not a copy for each country."""

    def __init__(self, days: Mapping[str, str], story_day: str) -> None:
        self.days = days
        self.story_day = story_day

    def __getitem__(self, doc: str) -> str:
        return self.story_day if doc == "" else self.days[doc]

    def __iter__(self) -> Iterator[str]:
        yield ""
        yield from (doc for doc in self.days if doc != "")

    def __len__(self) -> int:
        return 1 + sum(1 for doc in self.days if doc != "")


def country_reactions(
    rows: Sequence[Reaction], key: str
) -> tuple[list[Reaction], Callable[[Reaction], Reaction] | None]:
    """The country's reactions, and what reads one back whole (None: they are whole). A
    spooled table's come without their texts (a day of news has tens of thousands of a
    country's, and a draft shows one), read back by their row."""
    lean = getattr(rows, "where_lean", None)
    if lean is None:
        return list(matching(rows, "country", key)), None
    said: list[Reaction] = []
    indices = array("i")  # each one's row (a list of pairs or a table would double the list)
    for index, reaction in lean("country", key, _BLANK):
        said.append(reaction)
        indices.append(index)

    def whole(reaction: Reaction) -> Reaction:
        """(a draft reads one or two whole: a look for it costs less than a table)"""
        return rows[indices[next(at for at, one in enumerate(said) if one is reaction)]]

    return said, whole


# What a reaction read without its texts holds in their place.
_BLANK: dict[str, str | None] = {"text": "", "point": None}


def matching(rows: Iterable[T], name: str, value: str) -> Iterator[T]:
    """The rows whose field `name` is `value`: a spooled table's are found by its query,
    without making every row."""
    where = getattr(rows, "where", None)
    if where is not None:
        found: Iterator[T] = where(name, value)
        return found
    return (row for row in rows if getattr(row, name) == value)


def _speaker(actor: str | None, text: str) -> str | None:
    """Who spoke; only the name when the text names them already, so that a template that
    shows the speaker unless the text holds it does not show the name twice."""
    name = (actor or "").split(",")[0].strip()
    if name and name.lower() in text.lower():
        return short_name(name)
    return short_name(actor)


def reaction_text(reaction: Reaction, rules: Rules) -> str:
    """The reaction's words, never cut inside the clause that carries its stance: the whole
    sentence when it is short; else the clause that carries the stance, when a contrast put
    it after other words (the shift line tells what came before); else its head up to a
    clause boundary near the limit, when the head holds the first word that carries the stance;
    else the whole sentence up to the rules' reaction_whole words; only beyond that cut."""
    limits = rules.max_words
    text = " ".join(reaction.text.split())
    words = text.split(" ")
    if len(words) <= limits["reaction"]:
        return text
    if reaction.point and len(reaction.point.split()) <= limits["reaction"]:
        return "… " + " ".join(reaction.point.split())
    if not reaction.point:  # the whole sentence carries it: a head of whole clauses may do
        head = _clause_head(words, limits["reaction"], reaction.stance_cues[:1], rules)
        if head:
            return with_ellipsis(head)
    if len(words) <= limits["reaction_whole"]:
        return text
    return clip(text, limits["reaction_whole"])


def _clause_head(words: list[str], limit: int, cues: list[str], rules: Rules) -> str | None:
    """The longest head of at most `limit` words that ends at a clause boundary and holds
    the cues, without a dangling word before the cut ("saying"); None when there is none."""
    for end in range(min(limit, len(words) - 1), 0, -1):
        if ends_clause(words[end - 1]) or words[end] in DASHES:
            while end > 1 and bare_word(words[end - 1]) in rules.dangling_words:
                end -= 1
            head = " ".join(words[:end])
            return head if all(cue in head.lower() for cue in cues) else None
    return None


def shift_line(statements: list[Reaction], rules: Rules, dates: Mapping[str, str]) -> str | None:
    """ "Welcomed on 13 June, then called it “bilateral exchanges”": the latest statement's
    stance after an earlier, different one (in an earlier statement or earlier in its own
    sentence); wording from the rules' stance_shift."""
    if not statements:
        return None
    last = statements[-1]
    before: str | None
    before_on: str | None
    if last.earlier_stance and _side(last.earlier_stance) != _side(last.stance):
        before, before_on = last.earlier_stance, last.earlier_on
    else:
        # An earlier statement of another day, on another side (a welcome that turned to
        # concern; not concern that grew into condemnation); two reports of one day are no
        # shift in time.
        last_on = said_on(last, dates) or ""
        older = [
            r
            for r in statements[:-1]
            if _side(r.stance) != _side(last.stance) and (said_on(r, dates) or last_on) < last_on
        ]
        if not older:
            return None
        before, before_on = older[-1].stance, said_on(older[-1], dates)
    words = rules.stance_shift
    earlier = str(words["earlier"].get(before or "", before or ""))
    if before_on:
        earlier = words["on_date"].format(earlier=earlier, date=day_month(before_on, rules))
    cue = last.stance_cues[0] if last.stance_cues else ""
    if cue and _quoted_in(cue, last.text):
        later = words["quoted"].format(cue=cue)
    else:
        later = words["later"].get(last.stance or "", last.stance or "")
    return words["line"].format(earlier=earlier, later=later)


_SIDES = {"condemns": -1, "concerned": -1, "neutral": 0, "welcomes": 1, "supports": 1}


def _side(stance: str | None) -> int | None:
    return _SIDES.get(stance or "")


def _quoted_in(cue: str, text: str) -> bool:
    """Whether the cue stands inside quotation marks in the text (the country's own words)."""
    at = text.lower().find(cue)
    if at < 0:
        return False
    before = text[:at]
    opened = sum(before.count(m) for m in '\u201c"') - before.count("\u201d")
    return opened % 2 == 1 or before.count("\u201c") > before.count("\u201d")


def day_month(date: str, rules: Rules) -> str:
    """ "2024-06-13" -> "13 June" (the month's name from the rules)."""
    parts = date.split("-")
    if len(parts) < 3:
        return date
    return f"{int(parts[2])} {rules.bottom_line_text['months'][int(parts[1]) - 1]}"


def _country_quote(
    key: str, best: Reaction, quotes: Sequence[Quote], rules: Rules
) -> tuple[str | None, str | None]:
    """The country's best direct words, unless the reaction's own text already holds them."""
    if best.quoted:
        return None, None
    limits = rules.quotes
    # (the first of the best, read as they come: a day of news has thousands of a country's)
    own = (
        q
        for q in matching(quotes, "country", key)
        if not q.partial and limits["min_words"] <= len(q.text.split()) <= limits["max_words"]
    )
    chosen = max(
        own, key=lambda q: (q.doc == best.doc, q.speaker is not None, len(q.text)), default=None
    )
    if chosen is None:
        return None, None
    return chosen.text, chosen.speaker
