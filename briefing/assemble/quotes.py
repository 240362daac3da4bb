"""The key quotes section: usable quotes of the preferred roles, one item per wording."""

from __future__ import annotations

import heapq
import logging
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from typing import Any

from ..models import BriefItem, Document, Quote
from .cite import Citer, DocumentNumbers, Draft, document_fields
from .clipping import short_name
from .rules import Rules
from .text import dedupe_key

# Quote texts whose key quote_drafts keeps at once. Keeping every distinct text's held 25 MB
# at 100,000 articles (64,000 texts, each with its key), in the build's peak phase, to save
# 0.3 s; a text met again after these many others has its key made again.
_KEYS_KEPT = 4_096

# Quotes from which a helper process drafts them (`start_quote_drafts`) while the build drafts
# the reactions: reading the 680,000 quotes of 100,000 bench articles took about 3 s of the
# build's own time. Measured there only; below, drafting them here takes under half a second.
DRAFT_APART_FROM = 100_000

log = logging.getLogger("briefing")


def quote_drafts(
    quotes: Iterable[Quote], rules: Rules, own_id: Callable[[str], str] | None = None
) -> list[Draft]:
    """An item per wording of the usable quotes of the preferred roles (of every role when
    none is of those): read in one pass, keeping each wording's first quote and documents
    (their ids as `own_id` gives them: the citer's, held already)."""
    limits = rules.quotes
    roles: list[str] = list(limits["roles"])
    preferred: dict[str, tuple[Quote, list[str]]] = {}
    # Every usable quote's wordings, needed only while no quote of a preferred role is seen.
    usable: dict[str, tuple[Quote, list[str]]] | None = {}
    ids: dict[str, str] = {}  # one string per document id, however many quotes it has
    same_id = own_id or (lambda doc: ids.setdefault(doc, doc))
    # A wording's key by its text: a wire quote comes back word for word in many articles.
    # The last texts only (see _KEYS_KEPT): a day of news has some 60,000 distinct ones.
    keys: dict[str, str] = {}
    for fields, quote in _fields_of(quotes):
        text = fields["text"]
        if not (
            fields["speaker"]
            and not fields["partial"]
            and limits["min_words"] <= len(text.split()) <= limits["max_words"]
        ):
            continue
        if fields["role"] in roles:
            groups = preferred
            usable = None
        elif usable is not None:
            groups = usable
        else:
            continue
        doc = same_id(fields["doc"])
        key = keys.get(text)
        if key is None:
            if len(keys) >= _KEYS_KEPT:
                keys.clear()
            key = keys[text] = dedupe_key(text)
        group = groups.get(key)
        if group is None:
            groups[key] = (quote or _made(quotes, fields), [doc])
        else:
            group[1].append(doc)
    drafts = []
    for first, docs in (preferred or usable or {}).values():
        text = quote_text(first.text, rules)
        if text is None:
            continue  # too long to show whole, and no whole sentence of it fits
        role_rank = roles.index(first.role) if first.role in roles else len(roles)
        title = ", ".join(p for p in (first.speaker_title, first.affiliation) if p) or None
        fields = {
            "speaker": short_name(first.speaker),
            "speaker_title": short_name(title),
            "country": first.country,
        }
        drafts.append(
            Draft(text, docs, 1.0 - 0.2 * role_rank, kind="quote", shaped=True, fields=fields)
        )
    return drafts


# What the helper sends back: the drafts without their documents, and each one's documents
# by number, packed: numbered as the citer numbers them (DocumentNumbers of the documents'
# ids, read from the same table in the same order). As strings, a day of news's
# 270,000 were unpickled in the build as strings of their own, then let go among what it
# keeps: its RSS stood 6-10 MB higher through the citation check.
_Drafted = tuple[list[Draft], list["array[int]"]]


def start_quote_drafts(
    quotes: Sequence[Quote], documents: Sequence[Document], rules: Rules, helper: Executor | None
) -> Future[_Drafted] | None:
    """quote_drafts(quotes, rules), started on the build's helper process when the corpus is
    spooled in a file it can read and its quotes are many (DRAFT_APART_FROM); None where that
    cannot be (`finish_quote_drafts` then makes them here)."""
    quotes_again = getattr(quotes, "reopener", None)
    documents_again = getattr(documents, "reopener", None)
    if helper is None or quotes_again is None or documents_again is None:
        return None
    if not (getattr(quotes, "reopenable", False) and getattr(documents, "reopenable", False)):
        return None
    if len(quotes) < DRAFT_APART_FROM:
        return None
    try:
        return helper.submit(_drafts_there, quotes_again(), documents_again(), rules)
    except Exception as exc:  # (a pool that broke or was shut down)
        log.info("the quotes are drafted here (%s)", exc)
        return None


def _drafts_there(
    quotes_again: Callable[[], Sequence[Quote]],
    documents_again: Callable[[], Sequence[Document]],
    rules: Rules,
) -> _Drafted:
    # (connections of their own to the spool)
    drafts = quote_drafts(quotes_again(), rules)
    numbering = DocumentNumbers([doc for (doc,) in document_fields(documents_again(), "id")])
    numbered = []
    for draft in drafts:
        numbered.append(array("i", numbering.numbers_of(list(draft.docs))))
        draft.docs = []
    return drafts, numbered


def finish_quote_drafts(
    job: Future[_Drafted] | None,
    quotes: Iterable[Quote],
    rules: Rules,
    ids: Sequence[str],
    own_id: Callable[[str], str],
) -> list[Draft]:
    """The drafts the helper made (`start_quote_drafts`), their documents named by the
    citer's strings (`ids`, by number - 1), as `own_id` names them; made here when it made
    none, or failed, or met an id the corpus lacks."""
    if job is not None:
        try:
            drafts, numbered = job.result()
        except Exception as exc:  # any failure there costs time, not the drafts
            log.info("the quotes are drafted here instead (%s)", exc)
        else:
            if all(map(all, numbered)):
                for draft, numbers in zip(drafts, numbered, strict=True):
                    draft.docs = [ids[number - 1] for number in numbers]
                return drafts
    return quote_drafts(quotes, rules, own_id)


def _fields_of(quotes: Iterable[Quote]) -> Iterator[tuple[dict[str, Any], Quote | None]]:
    """Each quote's fields, with the quote when it is an object already. A spooled corpus's
    are read as plain values (`dicts`), its Quote made only for the quote a draft keeps: a
    day of news has 700,000 quotes."""
    dicts = getattr(quotes, "dicts", None)
    if dicts is not None:
        return ((fields, None) for fields in dicts())
    return ((vars(quote), quote) for quote in quotes)


def _made(quotes: Iterable[Quote], fields: dict[str, Any]) -> Quote:
    quote: Quote = getattr(quotes, "make")(**fields)  # noqa: B009 (a spooled table's)
    return quote


def showable_quote_items(
    drafts: list[Draft], citer: Citer, weighed: int, most: int
) -> list[BriefItem]:
    """The items of the drafts, best first (by rank, then in the drafts' order), that a
    quotes section can show: the best `weighed` (those the variety ranking reorders:
    rank.Variety.order) and each speaker's best `most` (what per_speaker keeps of the
    rest, which stays in rank order). Any other item comes after `most` better ones of
    its speaker wherever the section's ranking puts it, so per_speaker drops it: the
    section is the same. A day of news drafts one item per wording of its quotes (tens of
    thousands, at the build's peak, to show a handful): each is made, kept while it can
    be shown, and let go, with its draft (`drafts` is left empty) and its check's answer."""
    best: list[tuple[float, int, BriefItem]] = []  # a heap, the worst first
    by_speaker: dict[str, list[tuple[float, int, BriefItem]]] = {}
    while drafts:
        draft = drafts.pop()
        index = len(drafts)
        item = citer.draft_item(draft, last=True)
        entry = (item.rank, -index, item)
        _keep_best(best, entry, weighed)
        _keep_best(by_speaker.setdefault(item.speaker or "", []), entry, most)
    kept = {entry[1]: entry for entry in best}
    for entries in by_speaker.values():
        kept.update((entry[1], entry) for entry in entries)
    return [item for _, _, item in sorted(kept.values(), reverse=True)]


def _keep_best(
    heap: list[tuple[float, int, BriefItem]], entry: tuple[float, int, BriefItem], size: int
) -> None:
    """`entry` into the heap of the best `size` entries."""
    if size <= 0:
        return
    if len(heap) < size:
        heapq.heappush(heap, entry)
    elif entry[:2] > heap[0][:2]:
        heapq.heapreplace(heap, entry)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"'])")


def quote_text(text: str, rules: Rules) -> str | None:
    """The quote as shown, never cut mid-sentence: whole when short; else its first whole
    sentences that fit (then " …"); else whole up to the rules' quote_whole words; else None."""
    limit, whole = rules.max_words["quote"], rules.max_words["quote_whole"]
    text = " ".join(text.split())
    if len(text.split()) <= limit:
        return text
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if len(" ".join([*kept, sentence]).split()) > limit:
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept) + " …"
    return text if len(text.split()) <= whole else None


def per_speaker(items: list[BriefItem], most: int) -> list[BriefItem]:
    """The items, best first, keeping at most `most` of each speaker's."""
    count: Counter[str] = Counter()
    kept = []
    for item in items:
        count[item.speaker or ""] += 1
        if count[item.speaker or ""] <= most:
            kept.append(item)
    return kept
