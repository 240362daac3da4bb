"""Score an extraction against hand-made gold annotations (`briefing eval`).

Gold format: one YAML file per article, named after the article's file (see README,
"Measuring the extractors"). The metrics and matching rules are those of the project's
reference scorer, so that `briefing eval` and the scorer agree figure for figure:

- a gold quote is found when an extracted quote of the same article contains its first words,
  lies inside them, or (3+ words) lies inside the whole gold quote as found in the article;
- it is attributed when one such quote also names an acceptable speaker (case-, space- and
  hyphen-insensitive; a distinctive word of the name, such as the surname, is enough);
- reactions match by article and country, dates by article and the gold's precision.

Countries compare through the config's gazetteer (any alias names its country), so a user who
annotates another story needs no code change.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

METRICS = (
    "documents_read",
    "quote_recall",
    "attributed_recall",
    "quote_precision",
    "speaker_accuracy",
    "reaction_recall",
    "reaction_precision",
    "date_recall",
    "headline_accuracy",
    "publisher_accuracy",
    "published_accuracy",
)

# Words too common in names of offices to identify a speaker on their own.
_GENERIC_NAME_WORDS = frozenset(
    {"foreign", "ministry", "house", "white", "office", "media", "embassy", "spokesperson"}
)
_QUOTE_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_MAX_QUOTE_SPAN = 3000  # characters: how far the closing mark of a gold quote may lie


def _fold(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").translate(_QUOTE_FOLD)


def norm_text(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", _fold(text).lower()).split())


def norm_name(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", _fold(text).lower())


def speaker_ok(predicted: str | None, acceptable: list[str], country_words: set[str]) -> bool:
    """Whether a predicted speaker names one of the acceptable names."""
    pred = norm_name(predicted)
    if len(pred) < 3:
        return False
    for name in acceptable:
        full = norm_name(name)
        if pred in full or full in pred:
            return True
        for word in _fold(name).split():
            token = norm_name(word)
            generic = token in _GENERIC_NAME_WORDS or token in country_words
            if len(token) >= 4 and not generic and token in pred:
                return True
    return False


class CountryIndex:
    """Maps any alias of a configured country (and the name itself) to one canonical key."""

    def __init__(self, countries: dict[str, list[str]]) -> None:
        self._index: dict[str, str] = {}
        for name, aliases in countries.items():
            for alias in [name, *aliases]:
                self._index.setdefault(self._key(alias), self._key(name))

    @staticmethod
    def _key(text: str) -> str:
        return _fold(text).strip().lower().replace(".", "")

    def canonical(self, text: str | None) -> str | None:
        if not text:
            return None
        key = self._key(text)
        return self._index.get(key, key)

    def words(self) -> set[str]:
        """Single words of country names and aliases ("norland", "estavian")."""
        return {norm_name(w) for key in self._index for w in key.split()}


@dataclass
class Tally:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, amount: int = 1) -> None:
        self.counts[name] += amount


def _doc_key(document: dict[str, Any]) -> str | None:
    for key in ("path", "id"):
        if document.get(key):
            return Path(str(document[key])).stem
    return None


def _gold_spans(gold_quotes: list[dict[str, Any]], raw: str) -> list[tuple[str, str]]:
    """Each gold quote's first words, and the whole quote up to its closing mark."""
    text = _fold(raw)
    spans = []
    for gold in gold_quotes:
        prefix = norm_text(gold["text"])
        span = prefix
        words = prefix.split()
        match = re.search(r"\W+".join(map(re.escape, words)), text, re.I) if words else None
        if match:
            opener = text[match.start() - 1] if match.start() else '"'
            closer = re.compile(r"'(?![A-Za-z])") if opener == "'" else re.compile('"')
            close = closer.search(text, match.end())
            near = close and close.start() - match.start() < _MAX_QUOTE_SPAN
            end = close.start() if near and close else match.end()
            span = norm_text(text[match.start() : end])
        spans.append((prefix, span))
    return spans


def _covers(predicted: str, prefix: str, span: str) -> bool:
    if not predicted:
        return False
    if (prefix and prefix in predicted) or predicted in prefix:
        return True
    return len(predicted.split()) >= 3 and predicted in span


def _group_by_doc(data: dict[str, Any]) -> tuple[dict, dict, dict, dict]:
    documents = {_doc_key(d): d for d in data.get("documents", [])}
    id_to_key = {str(d.get("id")): _doc_key(d) for d in data.get("documents", [])}

    def key_of(ref: Any) -> str | None:
        return id_to_key.get(str(ref), Path(str(ref)).stem if ref is not None else None)

    quotes, reactions, events = defaultdict(list), defaultdict(list), defaultdict(list)
    for quote in data.get("quotes", []):
        quotes[key_of(quote.get("doc"))].append(quote)
    for reaction in data.get("reactions", []):
        reactions[key_of(reaction.get("doc"))].append(reaction)
    for event in data.get("events", []):
        for ref in event.get("docs", []):
            events[key_of(ref)].append(event)
    return documents, quotes, reactions, events


def _score_metadata(gold: dict, document: dict | None, tally: Tally) -> None:
    document = document or {}
    if gold.get("headline"):
        tally.add("head_gold")
        tally.add("head_ok", norm_text(document.get("headline")) == norm_text(gold["headline"]))
    if gold.get("publisher"):
        tally.add("pub_gold")
        found = norm_name(document.get("publisher"))
        wanted = norm_name(gold["publisher"]).removeprefix("the")
        tally.add(
            "pub_ok", bool(found) and (wanted in found or found.removeprefix("the") in wanted)
        )
    if gold.get("published"):
        tally.add("date_meta_gold")
        found = str(document.get("published") or "")[:10]
        tally.add("date_meta_ok", found == str(gold["published"])[:10])


def _score_quotes(key: str, gold: dict, raw: str, predicted: list[dict], tally: Tally, words: set):
    gold_quotes = gold.get("quotes") or []
    spans = _gold_spans(gold_quotes, raw)
    texts = [norm_text(p.get("text")) for p in predicted]
    for gold_quote, (prefix, span) in zip(gold_quotes, spans, strict=True):
        if gold_quote.get("minor"):
            continue
        tally.add("major")
        hits = [j for j, text in enumerate(texts) if _covers(text, prefix, span)]
        speakers = [predicted[j].get("speaker") for j in hits]
        if not hits:
            tally.misses.append(f"{key}: missed quote by {gold_quote['speaker'][0]}: {prefix[:60]}")
            continue
        tally.add("found")
        if any(speaker_ok(s, gold_quote["speaker"], words) for s in speakers):
            tally.add("attributed")
        else:
            tally.misses.append(f"{key}: wrong speaker {speakers} for {gold_quote['speaker'][0]}")
    for quote, text in zip(predicted, texts, strict=True):
        tally.add("pred")
        matched = [g for g, (p, s) in zip(gold_quotes, spans, strict=True) if _covers(text, p, s)]
        if not matched:
            tally.misses.append(f"{key}: not a gold quote: {quote.get('speaker')!r}: {text[:60]}")
            continue
        tally.add("pred_matched")
        if any(speaker_ok(quote.get("speaker"), g["speaker"], words) for g in matched):
            tally.add("pred_ok")


def _score_reactions(key: str, gold: dict, predicted: list[dict], tally: Tally, index) -> None:
    gold_reactions = gold.get("reactions") or []
    gold_countries = {index.canonical(r["country"]) for r in gold_reactions}
    found_countries = {index.canonical(r.get("country")) for r in predicted}
    for reaction in gold_reactions:
        if reaction.get("optional"):
            continue
        tally.add("react_gold")
        if index.canonical(reaction["country"]) in found_countries:
            tally.add("react_found")
        else:
            tally.misses.append(f"{key}: missed reaction of {reaction['country']}")
    for reaction in predicted:
        tally.add("react_pred")
        if index.canonical(reaction.get("country")) in gold_countries:
            tally.add("react_pred_ok")
        else:
            tally.misses.append(f"{key}: reaction not in gold: {reaction.get('country')}")


def _score_dates(key: str, gold: dict, predicted: list[dict], tally: Tally) -> None:
    dates = [str(e.get("date") or "") for e in predicted]
    for item in gold.get("dates") or []:
        wanted = str(item["date"])
        tally.add("date_gold")
        if any(d.startswith(wanted) for d in dates):
            tally.add("date_found")
        else:
            tally.misses.append(f"{key}: missed date {wanted} ({item.get('event', '')})")


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def score_detailed(
    data: dict[str, Any],
    gold_dir: Path,
    corpus_dir: Path,
    countries: dict[str, list[str]] | None = None,
) -> tuple[dict[str, float], list[str]]:
    """Metrics (name -> 0..1) and one line per miss, for the extraction JSON `data`."""
    index = CountryIndex(countries or {})
    words = index.words()
    documents, quotes, reactions, events = _group_by_doc(data)
    tally = Tally()
    for gold_file in sorted(gold_dir.glob("*.yaml")):
        gold = yaml.safe_load(gold_file.read_text(encoding="utf-8")) or {}
        if "quotes" not in gold:  # brief.yaml and other corpus-level files
            continue
        key = gold_file.stem
        source = next(iter(sorted(corpus_dir.glob(f"{key}.*"))), None)
        raw = source.read_text(encoding="utf-8", errors="replace") if source else ""
        tally.add("docs_gold")
        tally.add("docs_seen", key in documents)
        _score_metadata(gold, documents.get(key), tally)
        _score_quotes(key, gold, raw, quotes.get(key, []), tally, words)
        _score_reactions(key, gold, reactions.get(key, []), tally, index)
        _score_dates(key, gold, events.get(key, []), tally)
    c = tally.counts
    metrics = {
        "documents_read": _ratio(c["docs_seen"], c["docs_gold"]),
        "quote_recall": _ratio(c["found"], c["major"]),
        "attributed_recall": _ratio(c["attributed"], c["major"]),
        "quote_precision": _ratio(c["pred_ok"], c["pred"]),
        "speaker_accuracy": _ratio(c["pred_ok"], c["pred_matched"]),
        "reaction_recall": _ratio(c["react_found"], c["react_gold"]),
        "reaction_precision": _ratio(c["react_pred_ok"], c["react_pred"]),
        "date_recall": _ratio(c["date_found"], c["date_gold"]),
        "headline_accuracy": _ratio(c["head_ok"], c["head_gold"]),
        "publisher_accuracy": _ratio(c["pub_ok"], c["pub_gold"]),
        "published_accuracy": _ratio(c["date_meta_ok"], c["date_meta_gold"]),
    }
    return metrics, tally.misses


def score(
    data: dict[str, Any],
    gold_dir: Path,
    corpus_dir: Path,
    countries: dict[str, list[str]] | None = None,
) -> dict[str, float]:
    return score_detailed(data, gold_dir, corpus_dir, countries)[0]
