"""Citations: document ids become source numbers, and a point several sources report says so
and ranks higher."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models import BriefItem
from .clipping import CHARS_PER_WORD, clip, undateline
from .rules import Rules


class Citer:
    """Turns document ids into citation numbers and support counts."""

    def __init__(self, doc_ids: list[str], rules: Rules) -> None:
        self.numbers = {doc_id: i + 1 for i, doc_id in enumerate(doc_ids)}
        self.total = len(doc_ids)
        self.rules = rules

    def item(
        self,
        text: str,
        docs: Iterable[str],
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
            text = clip(undateline(text, self.rules), limit)
        return BriefItem(
            text=text,
            # A point many outlets report cites the first few; its coverage tells how many.
            sources=numbers[: self.rules.max_citations],
            rank=round(rank, 4),
            support=support,
            coverage=coverage,
            **fields,
        )
