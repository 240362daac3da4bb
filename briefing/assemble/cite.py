"""Citations: document ids become source numbers, and a point several sources report says so
and ranks higher. A source is cited for an item only when it carries the item (see
support.py): the same quote, or a near-copy of the sentence; "n of m sources" counts those."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from ..models import BriefItem, Document, SourceWording
from .clipping import CHARS_PER_WORD, clip, undateline
from .rules import Rules
from .support import Support


class Citer:
    """Turns document ids into citation numbers and support counts, and shows a text without
    the dateline of its article."""

    def __init__(self, documents: Sequence[Document], rules: Rules) -> None:
        self.numbers = {doc.id: i + 1 for i, doc in enumerate(documents)}
        self.total = len(documents)
        self.rules = rules
        self.datelines = {doc.id: doc.dateline for doc in documents if doc.dateline.split()}
        # A text can open with a dateline only if its first word opens one (a cheap test
        # before looking at each of a widely reported point's documents).
        self._openings = {line.split(None, 1)[0] for line in self.datelines.values()}
        self.support = Support(
            documents,
            rules.stopwords,
            rules.support["min_share"],
            int(rules.support["quote_words"]),
        )

    def undateline(self, text: str, docs: Iterable[str]) -> str:
        """The text without the dateline of the article (one of `docs`) it opens."""
        first = text[:64].split(None, 1)[:1]
        if not first or first[0] not in self._openings:
            return text
        for doc in docs:
            shown = undateline(text, self.datelines.get(doc, ""))
            if shown is not text:
                return shown
        return text

    def carrying(self, text: str, docs: Iterable[str], quote: str | None = None) -> list[str]:
        """The documents among `docs` that carry the text (or its quote), in their order; the
        first of `docs` when none does (the item's own source, whose text it shows)."""
        ordered = [d for d in dict.fromkeys(docs) if d in self.numbers]
        want = self.support.want(text, quote)
        carried = [d for d in ordered if self.support.carried(d, want)]
        return carried or ordered[:1]

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
        dateline; a `shaped` text is cut already (only a runaway length is cut again: past
        the kind's `_whole` words, where it has such a bound)."""
        limit = self.rules.max_words.get(kind)
        if shaped:
            limit = self.rules.max_words.get(kind + "_whole", limit)
            text = clip(text, None, limit * CHARS_PER_WORD + 8) if limit else text
        else:
            text = clip(self.undateline(text, docs), limit)
        carried = self.carrying(text, docs, fields.get("quote"))
        numbers = sorted(self.numbers[d] for d in carried)
        support = max(1, len(numbers))
        coverage = f"{support} of {self.total} sources" if support > 1 else None
        rank = score + self.rules.support_bonus * (support - 1)
        if support > 1:  # merged across outlets: each one's own wording stays reachable
            fields["wordings"] = self.wordings(text, carried, fields.get("quote"))
        return BriefItem(
            text=text,
            # A point many outlets report cites the first few; its coverage tells how many.
            sources=numbers[: self.rules.max_citations],
            rank=round(rank, 4),
            support=support,
            coverage=coverage,
            **fields,
        )

    def wordings(self, text: str, docs: list[str], quote: str | None) -> list[SourceWording]:
        out = []
        for doc in docs[: self.rules.max_citations]:
            said = self.support.wording(doc, text, quote)
            if said:
                out.append(SourceWording(self.numbers[doc], clip(said, 80)))
        return out
