"""Citations: document ids become source numbers, and a point several sources report says so
and ranks higher. A source is cited for an item only when it carries the item (see
support.py): the same quote, or a near-copy of the sentence; "n of m sources" counts those.

Checking a source reads its text. A section's items are first drafted (`Draft`), and the
drafts of every section checked together (`Citer.prefetch`): one pass over the corpus in
document order reads each cited document once, however many items cite it."""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, NamedTuple

from ..models import BriefItem, CodedColumn, DocIds, Document, SourceWording
from .clipping import CHARS_PER_WORD, clip, undateline
from .rules import Rules
from .support import Support, Want

# An item's text, quote, and documents: how many, and their hash (a widely reported point
# has tens of thousands; a clash of two 64-bit hashes of as many is not to be feared).
_Key = tuple[str, str | None, int, int]


def _key(text: str, quote: str | None, docs: list[str]) -> _Key:
    return (text, quote, len(docs), hash(tuple(docs)))


class _Carried(NamedTuple):
    """The sources that carry an item, as `Citer.item` shows them: how many, the first few
    in the item's order and the few lowest numbers (a widely reported item has thousands,
    which the brief counts but does not list), and the wordings the check found of its
    first sources, by document."""

    size: int
    first: list[int]
    lowest: list[int]
    said: dict[str, str | None]


@dataclass
class Draft:
    """An item before it is cited: what `Citer.item` takes."""

    text: str
    docs: Collection[str]
    score: float
    kind: str = "fact"
    shaped: bool = False
    fields: dict[str, Any] = field(default_factory=dict)
    # Its check's key (its shown text, its quote, and its documents' count and hash), once
    # `Citer.prefetch` has made it: `Citer.draft_item` then finds the answer without
    # numbering the documents again (at 100,000 articles, some 1.7 million ids, 1.75 s of
    # the build's). So a draft is not changed once it is prefetched.
    checked: _Key | None = field(default=None, repr=False, compare=False)


class Citer:
    """Turns document ids into citation numbers and support counts, and shows a text without
    the dateline of its article."""

    def __init__(
        self,
        documents: Sequence[Document],
        rules: Rules,
        helper: Executor | None = None,
    ) -> None:
        # Each document's dateline and day of publication, by its number - 1, read with its
        # id in one pass: each distinct value once (a day of wire copy has a handful of days
        # and a few hundred datelines), and 4 bytes a document (models.CodedColumn).
        self.datelines: CodedColumn[str] = CodedColumn()
        self.days: CodedColumn[str | None] = CodedColumn()
        rows = document_fields(documents, "id", "dateline", "published")
        self.ids: list[str] = []  # by number - 1
        for doc_id, dateline, published in rows:
            self.ids.append(doc_id)
            self.datelines.append(dateline if dateline and dateline.split() else "")
            self.days.append(published[:10] if published else None)
        self.numbers = DocumentNumbers(self.ids)
        self.total = len(documents)
        self.rules = rules
        # A text can open with a dateline only if its first word opens one (a cheap test
        # before looking at each of a widely reported point's documents).
        self._openings = {line.split(None, 1)[0] for line in self.datelines.values if line}
        self.support = Support(
            documents,
            self.numbers,
            rules.stopwords,
            rules.support["min_share"],
            int(rules.support["quote_words"]),
            helper=helper,
        )
        # The sources that carry each prefetched item (what `item` shows of them), by its
        # text, quote and documents (_key).
        self._carried: dict[_Key, _Carried] = {}

    def undateline(self, text: str, docs: Iterable[str]) -> str:
        """The text without the dateline of the article (one of `docs`) it opens."""
        first = text[:64].split(None, 1)[:1]
        if not first or first[0] not in self._openings:
            return text
        for doc in docs:
            shown = undateline(text, self.dateline(doc))
            if shown is not text:
                return shown
        return text

    def own_id(self, doc: str) -> str:
        """The citer's own string for the id `doc` (`doc` when it knows none): what a draft
        keeps, so that a day of news's ids are held once, not once more per reading."""
        number = self.numbers.get(doc)
        return self.ids[number - 1] if number is not None else doc

    def dateline(self, doc: str) -> str:
        number = self.numbers.get(doc)
        return self.datelines[number - 1] if number is not None else ""

    def day(self, doc: str) -> str | None:
        """The document's day of publication (YYYY-MM-DD), if it has one."""
        number = self.numbers.get(doc)
        return self.days[number - 1] if number is not None else None

    def published(self) -> PublishedDays:
        return PublishedDays(self)

    def published_on(self, day: str | None) -> DocumentsOf:
        """The documents published on `day`."""
        return DocumentsOf(self, lambda published: published == day)

    def published_from(self, day: str | None) -> DocumentsOf:
        """The documents published on `day` or later (none when there is no day)."""
        return DocumentsOf(self, lambda published: day is not None and published >= day)

    def _numbered(self, docs: Iterable[str]) -> tuple[list[str], list[int]]:
        """The documents of the corpus among `docs`, each once, in their order, and their
        numbers."""
        # A merged item's documents, numbered by their column (IdColumn.number_by): each
        # number names one id, so that the same documents are kept, without a look-up each.
        known = docs.numbers_by(self.numbers) if type(docs) is DocIds else None
        if known is not None and all(known):
            numbers = list(dict.fromkeys(known))
            ids = self.ids
            return [ids[number - 1] for number in numbers], numbers
        unique = list(dict.fromkeys(docs))
        numbers = self.numbers.numbers_of(unique)
        if all(numbers):
            return unique, numbers
        kept = [(doc, number) for doc, number in zip(unique, numbers, strict=True) if number]
        return [doc for doc, _ in kept], [number for _, number in kept]

    def prefetch(self, drafts: Iterable[Draft]) -> None:
        """Check the drafts' sources, all in one pass over the corpus: `item` then finds
        each one's answer (an item not drafted is checked when it is made)."""
        keys: dict[_Key, tuple[Want, array[int]]] = {}
        for draft in drafts:
            text = self.shown(draft.text, draft.docs, draft.kind, draft.shaped)
            quote = draft.fields.get("quote")
            ordered, numbered = self._numbered(draft.docs)
            key = draft.checked = _key(text, quote, ordered)
            if key not in keys and key not in self._carried:
                numbers = array("i", numbered)
                keys[key] = (self.support.want(text, quote), numbers)
        # An item's wordings are of its first carrying sources: most sources carry their
        # item, so those are nearly always among its first few (else read again).
        keep = 2 * self.rules.max_citations
        found, kept = self.support.check_numbers(list(keys.values()), keep)
        for (key, (_, numbers)), flags, wordings in zip(keys.items(), found, kept, strict=True):
            carried = array("i", (n for n, ok in zip(numbers, flags, strict=True) if ok))
            by_doc = {self.ids[numbers[at] - 1]: said for at, said in wordings.items()}
            self._carried[key] = self._summary(carried or numbers[:1], by_doc)

    def _summary(self, carried: Sequence[int], said: dict[str, str | None]) -> _Carried:
        most = self.rules.max_citations
        return _Carried(len(carried), list(carried[:most]), heapq.nsmallest(most, carried), said)

    def release(self) -> None:
        """Let go of the checks' answers and of the documents read for them, once every item
        is made: the source list is made next, and a day of news's answers (the sources
        carrying each drafted item, the wordings of its first ones) take megabytes."""
        self._carried.clear()
        self.support.release()

    def _answer(self, key: _Key, forget: bool) -> _Carried | None:
        """The prefetched answer of the check of `key`, if it is still held (let go now when
        `forget`)."""
        return self._carried.pop(key, None) if forget else self._carried.get(key)

    def _carrying(
        self, text: str, docs: Iterable[str], quote: str | None, forget: bool = False
    ) -> _Carried:
        """The documents among `docs` that carry the text (or its quote), in their order (the
        first of `docs` when none does: the item's own source, whose text it shows), as
        `item` shows them; and the wordings of the item the check found, by document."""
        ordered, numbers = self._numbered(docs)
        # (kept: items of the same text and sources, such as two timeline events, share it)
        known = self._answer(_key(text, quote, ordered), forget)
        if known is not None:
            return known
        want = self.support.want(text, quote)
        pairs = zip(ordered, numbers, strict=True)
        carried = [n for doc, n in pairs if self.support.carried(doc, want)] or numbers[:1]
        return self._summary(carried, {})

    def first_carrying(self, text: str, docs: Iterable[str], most: int) -> list[int]:
        """The `most` lowest numbers of the sources among `docs` that carry the text:
        sources are checked in number order until that many carry it (a widely reported
        point's other sources are not read)."""
        ordered, numbers = self._numbered(docs)
        want = self.support.want(text, None)
        found: list[int] = []
        for number, doc in sorted(zip(numbers, ordered, strict=True)):
            if len(found) >= most:
                break
            if self.support.carried(doc, want):
                found.append(number)
        return found or numbers[:1]

    def shown(self, text: str, docs: Collection[str], kind: str, shaped: bool) -> str:
        """The text an item of `kind` shows: without a dateline, cut to the kind's words; a
        `shaped` text is cut already (only a runaway length is cut again: past the kind's
        `_whole` words, where it has such a bound)."""
        limit = self.rules.max_words.get(kind)
        if shaped:
            limit = self.rules.max_words.get(kind + "_whole", limit)
            return clip(text, None, limit * CHARS_PER_WORD + 8) if limit else text
        return clip(self.undateline(text, docs), limit)

    def draft_item(self, draft: Draft, last: bool = False) -> BriefItem:
        """The draft's item; `last`: its check's answer is let go now, not at `release`
        (an item of the same text and sources asked for later is read again, with the same
        answer)."""
        key = draft.checked
        known = self._answer(key, last) if key is not None else None
        if key is not None and known is not None:
            text, carried = key[0], known
        else:  # not prefetched, or let go since (`release`, or `last` of an item of that key)
            text = self.shown(draft.text, draft.docs, draft.kind, draft.shaped)
            carried = self._carrying(text, draft.docs, draft.fields.get("quote"), forget=last)
        return self._item(text, draft.score, carried, dict(draft.fields))

    def item(
        self,
        text: str,
        docs: Collection[str],
        score: float,
        kind: str = "fact",
        shaped: bool = False,
        **fields: Any,
    ) -> BriefItem:
        """An item of `kind` (a key of the rules' max_words), cited and ranked, without a
        dateline (see `shown`)."""
        text = self.shown(text, docs, kind, shaped)
        return self._item(text, score, self._carrying(text, docs, fields.get("quote")), fields)

    def _item(
        self, text: str, score: float, carried: _Carried, fields: dict[str, Any]
    ) -> BriefItem:
        support = max(1, carried.size)
        coverage = f"{support} of {self.total} sources" if support > 1 else None
        rank = score + self.rules.support_bonus * (support - 1)
        if support > 1:  # merged across outlets: each one's own wording stays reachable
            named = [self.ids[n - 1] for n in carried.first]
            fields["wordings"] = self.wordings(text, named, fields.get("quote"), carried.said)
        return BriefItem(
            text=text,
            # A point many outlets report cites the first few; its coverage tells how many.
            sources=list(carried.lowest),  # (its own list: two items may share a _Carried)
            rank=round(rank, 4),
            support=support,
            coverage=coverage,
            **fields,
        )

    def wordings(
        self,
        text: str,
        docs: list[str],
        quote: str | None,
        known: dict[str, str | None] | None = None,
    ) -> list[SourceWording]:
        """Each of the first sources' own sentence for the item, from the paragraph that
        carries it (`known`: those found by the check already, by document; None: the
        document has no text)."""
        out = []
        for doc in docs[: self.rules.max_citations]:
            if known is not None and doc in known:
                said = known[doc]
            else:
                said = self.support.wording(doc, text, quote)
            if said:
                out.append(SourceWording(self.numbers[doc], clip(said, 80)))
        return out


def document_fields(documents: Sequence[Any], *names: str) -> Iterator[tuple[Any, ...]]:
    """Some plain fields of each row (document, quote, reaction), in order; of a spooled
    table without making its rows (a document's text is not read)."""
    fields = getattr(documents, "fields", None)
    if fields is not None:
        found: Iterator[tuple[Any, ...]] = fields(*names)
        return found
    return (tuple(getattr(doc, name) for name in names) for doc in documents)


class DocumentNumbers(Mapping[str, int]):
    """Each document's number (from 1) by its id, as a dict from id to number gives it (an
    id that repeats: its last document's), in 12 bytes a document: the ids' hashes, sorted,
    and the numbers in that order, two arrays. A dict took about 65 bytes a document with
    its int objects, 6.5 MB at 100,000 articles, held through the build's peak."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = ids  # by number - 1
        hashes = array("q", map(hash, ids))
        order = sorted(range(len(ids)), key=hashes.__getitem__)  # (stable: numbers ascend)
        self._hashes = array("q", map(hashes.__getitem__, order))
        self._numbers = array("i", [at + 1 for at in order])

    def _number(self, doc: str) -> int:
        """Its number, 0 when no document has that id."""
        digest = hash(doc)
        hashes = self._hashes
        at = bisect_left(hashes, digest)
        found = 0
        while at < len(hashes) and hashes[at] == digest:
            number = self._numbers[at]
            if self.ids[number - 1] == doc:
                found = number
            at += 1
        return found

    def numbers_of(self, docs: Sequence[str]) -> list[int]:
        """Each document's number, 0 for an id no document has: the drafts ask for millions
        at 100,000 articles, searched here in one call each (map), not one of `_number`."""
        digests = list(map(hash, docs))
        hashes, numbers, ids = self._hashes, self._numbers, self.ids
        size = len(hashes)
        found = []
        searched = map(bisect_left, repeat(hashes), digests)
        for doc, digest, at in zip(docs, digests, searched, strict=True):
            if at >= size or hashes[at] != digest:
                found.append(0)
            elif at + 1 < size and hashes[at + 1] == digest:  # two ids of one hash
                found.append(self._number(doc))
            else:
                number = numbers[at]
                found.append(number if ids[number - 1] == doc else 0)
        return found

    def get(self, doc: str, default: Any = None) -> Any:
        return self._number(doc) or default

    def __getitem__(self, doc: str) -> int:
        number = self._number(doc)
        if not number:
            raise KeyError(doc)
        return number

    def __contains__(self, doc: object) -> bool:
        return isinstance(doc, str) and self._number(doc) > 0

    def __iter__(self) -> Iterator[str]:
        """The ids, each once, in the order of their first documents (a dict's order)."""
        return iter(dict.fromkeys(self.ids))

    def __len__(self) -> int:
        return len(set(self.ids))  # (ids that repeat count once, as a dict's keys)


class PublishedDays(Mapping[str, str]):
    """Each dated document's day of publication, by its id (what a Citer read): a view, so
    that a corpus's ids are held once."""

    def __init__(self, citer: Citer) -> None:
        self.citer = citer

    def __getitem__(self, doc: str) -> str:
        day = self.citer.day(doc)
        if day is None:
            raise KeyError(doc)
        return day

    def __iter__(self) -> Iterator[str]:
        numbers = self.citer.numbers
        return (doc for doc in numbers if self.citer.days[numbers[doc] - 1])

    def __len__(self) -> int:
        return sum(1 for day in self.citer.days if day)


class DocumentsOf(Container[str]):
    """The documents whose day of publication passes a test (`doc in` it), as a view."""

    def __init__(self, citer: Citer, test: Callable[[str], bool]) -> None:
        self.citer = citer
        self.test = test

    def __contains__(self, doc: object) -> bool:
        day = self.citer.day(doc) if isinstance(doc, str) else None
        return day is not None and self.test(day)
