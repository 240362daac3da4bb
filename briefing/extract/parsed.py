"""One document, parsed once for every extractor.

`parse_document` reads a Document once into a ParsedDocument: its text, where each paragraph
starts and ends, the sentences of each paragraph (and the same sentences as units with their
words, for the word-table extractors), the caption sentences, the quotation spans of each
paragraph, the sentences grouped so that none cuts a quote, and the country words of the
text. `extract_document` makes it and hands it to every extractor; nothing in it changes
afterwards, so no extractor can see what another one did, whatever order they run in.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..models import Document
from .actors import CountryIndex, Gazetteer
from .quotespans import Span, opens_with_quote, quote_spans
from .sentences import Sentence as TextSentence
from .textunits import Unit, caption_sentences, split_paragraphs


class Sentence(NamedTuple):
    """A sentence of a paragraph that never cuts a quote: split sentences are joined where a
    boundary falls inside a quotation. Offsets point into Document.text."""

    paragraph: int  # index of the paragraph
    number: int  # the sentence's position within its paragraph (0, 1, ...)
    start: int
    end: int


_new_sentence = tuple.__new__


@dataclass(frozen=True)
class ParsedDocument:
    """What every extractor reads of one document, computed once (see the module's doc)."""

    doc: Document
    text: str  # doc.text: the paragraphs joined by blank lines
    offsets: tuple[int, ...]  # where each paragraph starts in `text`
    ends: tuple[int, ...]  # where each paragraph ends
    split: tuple[tuple[TextSentence, ...], ...]  # the sentences of each paragraph
    units: tuple[Unit, ...]  # the same sentences in reading order, with their words
    captions: tuple[TextSentence, ...]  # sentences of the captions (offsets within each)
    spans: tuple[tuple[Span, ...], ...]  # the quotation spans of each paragraph
    sentences: tuple[tuple[Sentence, ...], ...]  # each paragraph's sentences, no quote cut
    hits: CountryIndex  # the country words of `text`
    # The opening offsets of each paragraph's spans, for in_quote's bisection.
    span_opens: tuple[tuple[int, ...], ...]

    def paragraph_of(self, offset: int) -> int:
        """The index of the paragraph that holds `offset`."""
        return max(0, bisect_right(self.offsets, offset) - 1)

    def in_quote(self, offset: int) -> bool:
        """Whether `offset` lies inside a quotation (between its marks)."""
        index = self.paragraph_of(offset)
        spans = self.spans[index]
        k = bisect_right(self.span_opens[index], offset) - 1
        return k >= 0 and spans[k].open < offset < spans[k].close


def _spans(text: str, offsets: Sequence[int], ends: Sequence[int]) -> tuple[tuple[Span, ...], ...]:
    """The quotation spans of each paragraph; a quote left open at the end of a paragraph
    runs to its end when the next paragraph opens with a quotation mark."""
    found = []
    last = len(offsets) - 1
    for index, (start, end) in enumerate(zip(offsets, ends, strict=True)):
        continued = index < last and opens_with_quote(text, offsets[index + 1])
        found.append(tuple(quote_spans(text, start, end, continued)))
    return tuple(found)


def _sentences(
    index: int, pieces: tuple[TextSentence, ...], spans: tuple[Span, ...]
) -> tuple[Sentence, ...]:
    """The split sentences of paragraph `index`, joined where a boundary is inside a quote."""
    if not spans:
        return tuple(
            _new_sentence(Sentence, (index, k, piece.start, piece.end))
            for k, piece in enumerate(pieces)
        )
    merged: list[Sentence] = []
    k = 0
    for piece in pieces:
        while k < len(spans) and spans[k].close < piece.start:
            k += 1
        inside = k < len(spans) and spans[k].open < piece.start <= spans[k].close
        if merged and inside:
            merged[-1] = merged[-1]._replace(end=piece.end)
        else:
            merged.append(_new_sentence(Sentence, (index, len(merged), piece.start, piece.end)))
    return tuple(merged)


def parse_document(doc: Document, gazetteer: Gazetteer) -> ParsedDocument:
    """Parse `doc` once for every extractor; `gazetteer` finds its country words."""
    text = doc.text
    offsets: list[int] = []
    ends: list[int] = []
    offset = 0
    for paragraph in doc.paragraphs:
        offsets.append(offset)
        ends.append(offset + len(paragraph))
        offset += len(paragraph) + 2
    split, units = split_paragraphs(doc.paragraphs)
    spans = _spans(text, offsets, ends)
    return ParsedDocument(
        doc=doc,
        text=text,
        offsets=tuple(offsets),
        ends=tuple(ends),
        split=split,
        units=units,
        captions=caption_sentences(doc.captions),
        spans=spans,
        sentences=tuple(
            _sentences(index, pieces, spans[index]) for index, pieces in enumerate(split)
        ),
        hits=CountryIndex(gazetteer.find(text)),
        span_opens=tuple(tuple(s.open for s in paragraph_spans) for paragraph_spans in spans),
    )
