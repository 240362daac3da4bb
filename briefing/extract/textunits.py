"""The sentences of a document, split once and shared by the events, questions and facts
extractors (splitting is the costliest step they have in common).

Sentences never cross paragraphs, so each paragraph is split on its own; offsets point into
`Document.text`, as the quotes extractor's do.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Document
from .sentences import Sentence, split_sentences

# A long run of terminal punctuation ("!!!!!!!!..." in a hostile file) makes the splitter's
# boundary scan quadratic; cut every run to three marks followed by spaces of the same length
# so that offsets and sentence boundaries stay where they were.
_PUNCT_RUN = re.compile(r"[.!?]{8,}")


def _defuse(paragraph: str) -> str:
    if len(paragraph) < 8 or _PUNCT_RUN.search(paragraph) is None:
        return paragraph
    return _PUNCT_RUN.sub(lambda m: m.group(0)[:3] + " " * (len(m.group(0)) - 3), paragraph)


@lru_cache(maxsize=8)
def _split_paragraphs(paragraphs: tuple[str, ...]) -> tuple[Sentence, ...]:
    found: list[Sentence] = []
    offset = 0
    for paragraph in paragraphs:
        found.extend(split_sentences(_defuse(paragraph), offset))
        offset += len(paragraph) + 2
    return tuple(found)


def body_sentences(doc: Document) -> tuple[Sentence, ...]:
    """The sentences of the body text, in reading order (cached for the last few documents)."""
    return _split_paragraphs(tuple(doc.paragraphs))


def caption_sentences(doc: Document) -> list[Sentence]:
    """Sentences of the photo captions; offsets are within each caption."""
    return [s for caption in doc.captions for s in split_sentences(_defuse(caption))]


def clear_cache() -> None:
    """Forget the sentences split so far (benchmarks; tests of the splitting)."""
    _split_paragraphs.cache_clear()
