"""Whether a source carries an item: a source is cited for an item only when it does.

The measure (rules: support): the source holds the item's quote (its first `quote_words`
words, in order), or one of its paragraphs holds at least `min_share` of the item's content
words (words of three letters or more that are not stopwords). A near-copy of the sentence in
another outlet counts; a paragraph on the same topic in other words does not. It is the
measure a reader applies when checking a citation, and the one the project's checker uses.

Each source's paragraphs are read once, when an item first cites it; its own wording of an
item is the sentence of its best paragraph that holds most of the item's words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..models import Document

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"'])")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).translate(_FOLD).lower())


class _Source:
    def __init__(self, doc: Document, stop: frozenset[str]) -> None:
        self.paragraphs = [p for p in doc.paragraphs if p.strip()]
        self.content = [
            {w for w in words(p) if w not in stop and len(w) > 2} for p in self.paragraphs
        ]
        self.flat = " " + " ".join(words(doc.text)) + " "


class Support:
    """Which of an item's sources carry it, for one corpus."""

    def __init__(
        self,
        documents: Iterable[Document],
        stop: frozenset[str],
        min_share: float,
        quote_words: int,
    ) -> None:
        self.documents = {doc.id: doc for doc in documents}
        self.stop = stop
        self.min_share = min_share
        self.quote_words = quote_words
        self._read: dict[str, _Source] = {}

    def _source(self, doc_id: str) -> _Source | None:
        source = self._read.get(doc_id)
        if source is None and doc_id in self.documents:
            source = self._read[doc_id] = _Source(self.documents[doc_id], self.stop)
        return source

    def content(self, text: str) -> set[str]:
        return {w for w in words(text) if w not in self.stop and len(w) > 2}

    def carries(self, doc_id: str, text: str, quote: str | None = None) -> bool:
        """Whether the source holds the item's quote or most of its words in one paragraph.
        A source whose text is not at hand (an extraction read back from JSON) cannot be
        checked: the extractor's word for it stands."""
        doc = self.documents.get(doc_id)
        if doc is not None and not doc.paragraphs:
            return True
        return self.best_paragraph(doc_id, text, quote) is not None

    def best_paragraph(self, doc_id: str, text: str, quote: str | None = None) -> int | None:
        """The index of the paragraph that carries the item (None: the source does not)."""
        source = self._source(doc_id)
        if source is None:
            return None
        if quote:
            opening = " ".join(words(quote)[: self.quote_words])
            if opening and f" {opening} " in source.flat:
                return self._paragraph_of(source, self.content(quote)) or 0
        want = self.content(text)
        if not want:
            return 0
        best, share = None, 0.0
        for index, held in enumerate(source.content):
            found = len(want & held) / len(want)
            if found > share:
                best, share = index, found
        return best if share >= self.min_share else None

    @staticmethod
    def _paragraph_of(source: _Source, want: set[str]) -> int | None:
        if not want:
            return None
        counts = [len(want & held) for held in source.content]
        return max(range(len(counts)), key=counts.__getitem__) if counts else None

    def wording(self, doc_id: str, text: str, quote: str | None = None) -> str | None:
        """The source's own sentence for the item: in the paragraph that carries it, the
        sentence holding most of the item's words."""
        index = self.best_paragraph(doc_id, text, quote)
        source = self._source(doc_id)
        if index is None or source is None or not source.paragraphs:
            return None
        want = self.content(quote or text)
        sentences = _SENTENCE_END.split(source.paragraphs[index])
        return max(sentences, key=lambda s: len(want & self.content(s))).strip()
