"""The story, inferred from the articles when no config names it.

With no config.yaml the packaged default is story-neutral (briefing/default_config.yaml);
this module reads what a config would say from the articles themselves:

- the principal parties: the countries named in lead sentences (the headline and the first
  sentences of each article) that also say the event was done ("signed", "agreed", "met");
  a country counts once per article, and those named in at least half as many articles as
  the most named one are principals;
- the third countries: the other countries whose actors react (the reactions extractor,
  run with the principals known), most reactions first;
- the date: the most reported full date of an event told with a "done" verb, else the most
  common publication date;
- the title: the agreement's name as the articles write it ("the Coral Sea Trade Pact"),
  else the most written agreement noun ("ceasefire") after the principals' names.

Word lists are in briefing/rules/infer.yaml. The result is a plain Config, which
`briefing init --from` writes down as config.yaml.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .config import Config, Story
from .extract.actors import Gazetteer
from .extract.textunits import split_paragraphs
from .models import Document, Extraction
from .resources import load_rules

_WORD = re.compile(r"[\w'\u2019-]+")


@dataclass(frozen=True)
class _Rules:
    done_verbs: frozenset[str]
    nouns: frozenset[str]
    name: re.Pattern[str]
    lead_sentences: int
    max_principals: int
    max_third: int


@cache
def _rules() -> _Rules:
    data = load_rules("infer.yaml")
    nouns = [str(n) for n in data["agreement_nouns"]]
    joiners = "|".join(re.escape(str(j)) for j in data["name_joiners"])
    capital = r"[A-Z][\w'\u2019-]{0,30}"
    heads = "|".join(re.escape(n.capitalize()) for n in sorted(nouns, key=len, reverse=True))
    # Up to six capitalized words (small joiners between them) ending in a capitalized
    # agreement noun: "Coral Sea Trade Pact", "Treaty of Valletta" is not matched (the noun
    # leads); bounded repetitions keep it linear.
    name = re.compile(rf"(?<![\w])((?:{capital}\s(?:(?:{joiners})\s)?){{1,6}}(?:{heads}))(?!\w)")
    return _Rules(
        done_verbs=frozenset(str(v).lower() for v in data["done_verbs"]),
        nouns=frozenset(n.lower() for n in nouns),
        name=name,
        lead_sentences=int(data["lead_sentences"]),
        max_principals=int(data["max_principals"]),
        max_third=int(data["max_third_countries"]),
    )


def needs_inference(config: Config) -> bool:
    """Whether the config names no story: the packaged default, read when none was found."""
    return not config.story.title.strip()


def lead_sentences(doc: Document, count: int) -> list[str]:
    """The headline and the first `count` sentences of the body."""
    lead = [doc.headline] if doc.headline else []
    body: list[str] = []
    by_paragraph, _ = split_paragraphs(doc.paragraphs)
    for paragraph in by_paragraph:
        body.extend(s.text for s in paragraph)
        if len(body) >= count:
            break
    return lead + body[:count]


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def principals(docs: Iterable[Document], gazetteer: Gazetteer) -> list[str]:
    """Countries named in lead sentences that say the event was done, by articles naming
    them; those named in at least half as many articles as the first."""
    rules = _rules()
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for doc in docs:
        named: set[str] = set()
        for sentence in lead_sentences(doc, rules.lead_sentences):
            if rules.done_verbs.isdisjoint(_words(sentence)):
                continue
            for hit in gazetteer.find(sentence, guard=False):  # headlines: Title Case
                named.add(hit.country)
                first_seen.setdefault(hit.country, len(first_seen))
        counts.update(named)
    if not counts:
        return []
    top = max(counts.values())
    ranked = sorted(counts, key=lambda c: (-counts[c], first_seen[c]))
    return [c for c in ranked if counts[c] * 2 >= top][: rules.max_principals]


def third_countries(extraction: Extraction, parties: list[str]) -> list[str]:
    """Countries other than the principals whose actors react, most reactions first."""
    counts = Counter(r.country for r in extraction.reactions if r.country not in parties)
    order = {c: i for i, c in enumerate(dict.fromkeys(r.country for r in extraction.reactions))}
    ranked = sorted(counts, key=lambda c: (-counts[c], order[c]))
    return ranked[: _rules().max_third]


def story_date(extraction: Extraction) -> str | None:
    """The most reported full date of an event told with a "done" verb; else the most
    common publication date."""
    rules = _rules()
    dates: Counter[str] = Counter()
    for event in extraction.events:
        if len(event.date) == 10 and not rules.done_verbs.isdisjoint(_words(event.text)):
            dates[event.date] += len(event.docs)
    if not dates:
        dates.update(d.published[:10] for d in extraction.documents if d.published)
    if not dates:
        return None
    return max(sorted(dates), key=lambda d: dates[d])


def agreement_name(docs: Iterable[Document]) -> tuple[str | None, str | None]:
    """(the agreement's name as written, the agreement noun most written) in lead
    sentences: ("Coral Sea Trade Pact", "pact"). A name only in headlines is not taken: a
    Title Case headline capitalizes every word ("Heading Toward Vestria-Ostria Defence
    Pact"); the title is then made of the noun."""
    rules = _rules()
    names: Counter[str] = Counter()
    nouns: Counter[str] = Counter()
    for doc in docs:
        sentences = lead_sentences(doc, rules.lead_sentences)
        for k, sentence in enumerate(sentences):
            headline = k == 0 and doc.headline is not None
            for match in () if headline else rules.name.finditer(sentence):
                name = match.group(1)
                if name.split()[0] in ("The", "A", "An"):
                    name = name.split(" ", 1)[1]
                if len(name.split()) > 1:
                    names[name] += 1
            nouns.update(w for w in _WORD.findall(sentence.lower()) if w in rules.nouns)
    name = max(sorted(names), key=lambda n: (names[n], len(n)), default=None)
    noun = max(sorted(nouns), key=lambda n: nouns[n], default=None)
    if name is not None:
        noun = name.split()[-1].lower()
    return name, noun


def _title(name: str | None, noun: str | None, labels: list[str], docs: list[Document]) -> str:
    parties = " and ".join(labels)
    if name:
        return f"{name}: {parties}" if parties else name
    if noun and labels:
        return f"{'–'.join(labels)} {noun}"
    headlines = Counter(d.headline for d in docs if d.headline)
    return headlines.most_common(1)[0][0] if headlines else "The story"


def with_parties(config: Config, docs: list[Document]) -> Config:
    """The config with the principals, the agreement's terms and a title inferred from the
    articles' lead sentences (no third countries or date yet: they need an extraction)."""
    gazetteer = Gazetteer.from_config(config)
    parties = principals(docs, gazetteer)
    name, noun = agreement_name(docs)
    terms = [t for t in dict.fromkeys([name, noun]) if t]
    story = Story(
        title=_title(name, noun, [gazetteer.labels.get(p, p) for p in parties], docs),
        principals=parties,
        agreement_terms=terms,
    )
    # The countries stay the world gazetteer's: no `countries` entry is added, so that the
    # config `init --from` writes (with none) builds the same brief.
    return dataclasses.replace(config, story=story)


def with_reactions(config: Config, extraction: Extraction) -> Config:
    """The config of `with_parties` with the third countries and the date."""
    third = third_countries(extraction, config.story.principals)
    story = dataclasses.replace(config.story, third_countries=third, date=story_date(extraction))
    return dataclasses.replace(config, story=story)


def summary(config: Config) -> str:
    """One line: what was inferred."""
    story = config.story
    parts = [
        f"principals {', '.join(story.principals) or '(none found)'}",
        f"third countries {', '.join(story.third_countries) or '(none found)'}",
        f"date {story.date or '(none found)'}",
    ]
    return f'"{story.title}" ({"; ".join(parts)})'


def config_yaml(config: Config, inputs: list[str], target: Path) -> str:
    """The inferred story as a config.yaml in folder `target`, with comments to edit it by;
    inputs are written relative to `target` (as a config's paths are read)."""
    story = config.story
    relative = [_relative(Path(p), target) for p in inputs]
    lines = [
        "# Written by `briefing init --from`: the story as inferred from the articles.",
        '# Edit any key and run `briefing build`; README ("Configuration") has them all.',
        "# Countries come from the built-in world gazetteer: list one under `countries` only",
        "# to add words or people that point to it, or a country it does not know.",
        "story:",
        f"  title: {_quoted(story.title)}",
        f"  date: {story.date or 'null'}",
        "  # Their words are statements, not reactions.",
        f"  principals: {_flow(story.principals)}",
        "  # Countries whose reactions the brief reports, in this order.",
        f"  third_countries: {_flow(story.third_countries)}",
        f"  agreement_terms: {_flow(story.agreement_terms)}",
        f"  key_terms: {_flow(story.key_terms)}",
        "",
        "# e.g.  Chile: {aliases: [La Moneda], people: [Ana Rojas], label: Republic of Chile}",
        "countries: {}",
        "",
        f"inputs: {_flow(relative)}",
        "out: out",
        "",
    ]
    return "\n".join(lines)


def _relative(path: Path, folder: Path) -> str:
    """`path` relative to `folder` when it is inside it, else absolute."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(folder.resolve()))
    except ValueError:
        return str(absolute)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_quoted(i) for i in items) + "]"
