"""Citations: document ids become source numbers, and a point several sources report says so
and ranks higher."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from ..models import BriefItem, Document
from .clipping import CHARS_PER_WORD, clip, undateline
from .rules import Rules


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
        dateline; a `shaped` text is cut already (only a runaway length is cut again)."""
        numbers = sorted({self.numbers[d] for d in docs if d in self.numbers})
        support = max(1, len(numbers))
        coverage = f"{support} of {self.total} sources" if support > 1 else None
        rank = score + self.rules.support_bonus * (support - 1)
        limit = self.rules.max_words.get(kind)
        if shaped:
            text = clip(text, None, limit * CHARS_PER_WORD + 8) if limit else text
        else:
            text = clip(self.undateline(text, docs), limit)
        return BriefItem(
            text=text,
            # A point many outlets report cites the first few; its coverage tells how many.
            sources=numbers[: self.rules.max_citations],
            rank=round(rank, 4),
            support=support,
            coverage=coverage,
            **fields,
        )
