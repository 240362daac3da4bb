"""The split of a document into sentences, made once per document by parsed.parse_document
and shared by all the extractors (quotes and reactions, events, questions, facts): splitting
is the costliest step they have in common.

Sentences never cross paragraphs, so each paragraph is split on its own; offsets point into
`Document.text`, as the quotes extractor's do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from .sentences import Sentence, split_sentences
from .textkeys import Words

# A long run of terminal punctuation ("!!!!!!!!..." in a hostile file) makes the splitter's
# boundary scan quadratic; cut every run to three marks followed by spaces of the same length
# so that offsets and sentence boundaries stay where they were.
# (Written as a class then a repeat, not "[.!?]{8,}": a pattern that opens with a plain
# class lets the regex engine skip from mark to mark, which reads a paragraph ~4x faster.)
_PUNCT_RUN = re.compile(r"[.!?][.!?]{7,}")


def _may_hold_run(paragraph: str) -> bool:
    """Whether the paragraph may hold a run of eight marks: without "!" and "?", only one of
    eight periods. The substring searches are far faster than the regex, which tests every
    character of every paragraph against its class; few paragraphs get that far."""
    return "!" in paragraph or "?" in paragraph or "........" in paragraph


def _defuse(paragraph: str) -> str:
    if len(paragraph) < 8 or not _may_hold_run(paragraph):
        return paragraph
    if _PUNCT_RUN.search(paragraph) is None:
        return paragraph
    return _PUNCT_RUN.sub(lambda m: m.group(0)[:3] + " " * (len(m.group(0)) - 3), paragraph)


class Unit(NamedTuple):
    """A body sentence with the forms the word-table extractors (events, questions, facts)
    all read: lower-casing and splitting once, and hashing each word once, instead of once
    per extractor."""

    text: str
    start: int  # offset in Document.text
    end: int
    lowered: str  # text.lower()
    words: Words  # lowered.split(); shared by the extractors, so never modified


def split_paragraphs(
    paragraphs: Sequence[str],
) -> tuple[tuple[tuple[Sentence, ...], ...], tuple[Unit, ...]]:
    """The sentences of each paragraph, and the same sentences as units in reading order.
    Offsets point into the paragraphs joined by blank lines (Document.text)."""
    by_paragraph: list[tuple[Sentence, ...]] = []
    units: list[Unit] = []
    offset = 0
    for paragraph in paragraphs:
        sentences = tuple(split_sentences(_defuse(paragraph), offset))
        by_paragraph.append(sentences)
        for text, start, end in sentences:
            lowered = text.lower()
            units.append(_new_unit(Unit, (text, start, end, lowered, Words(lowered.split()))))
        offset += len(paragraph) + 2
    return tuple(by_paragraph), tuple(units)


_new_unit = tuple.__new__


def caption_sentences(captions: Sequence[str]) -> tuple[Sentence, ...]:
    """Sentences of the photo captions; offsets are within each caption."""
    return tuple(s for caption in captions for s in split_sentences(_defuse(caption)))
