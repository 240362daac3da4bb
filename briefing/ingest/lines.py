"""Text -> logical lines: one line per paragraph, headline or menu entry.

Scraped text keeps one paragraph per line; e-mailed or archived text is often hard-wrapped
at a fixed width. Wrapped lines are joined back so that every later rule sees a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters by script: Latin (ASCII, Latin-1, Latin Extended A/B and Additional) versus any other.
# Non-Latin letters are rare in most texts, so they are the ones a regex collects.
_NON_LATIN_LETTER = re.compile(
    r"[^\W\d_A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
)
# Any character past Latin letters and common punctuation: when a text has none, it is Latin.
_BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf]")
_SCRIPT_SAMPLE = 400  # characters of a line looked at: enough to tell its script
_DOC_SAMPLE = 5_000

# Sentence punctuation that may end a paragraph, before closing quotes or brackets.
_TERMINAL = ".!?:;\u2026"
_CLOSERS = "\"'\u201d\u2019\u00bb)]"

WRAP_MIN_LINES = 5
WRAP_MAX_WIDTH = 100
WRAP_MIN_WIDTH = 50
WRAP_FULL = 0.75  # most lines of wrapped text are at least this share of the width
WRAP_FILL = 0.6  # a line shorter than this share of the width ends its paragraph


@dataclass
class Line:
    text: str
    blank_before: bool = False
    heading: bool = False  # a Markdown heading: a headline or a crosshead

    # Written out: compiled by mypyc, where the __init__ that @dataclass writes runs
    # interpreted (see docs/speed.md, "Constructors compiled").
    def __init__(self, text: str, blank_before: bool = False, heading: bool = False) -> None:
        self.text = text
        self.blank_before = blank_before
        self.heading = heading


# The printable ASCII characters (str.isprintable): deleted from an ASCII line, they leave
# its unprintable ones. Counted so, in a C loop over bytes, an ASCII line is checked several
# times faster than by isprintable, which looks each character up in Unicode's tables.
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def single_spaced(line: str) -> bool:
    """Is `line` its words joined by single spaces already (" ".join(line.split()) == line)?
    Every whitespace character but the space is unprintable; checking costs far less than
    splitting into words."""
    if "  " in line or line[:1] == " " or line[-1:] == " ":
        return False
    if line.isascii():
        return not line.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return line.isprintable()


def foreign_share(text: str, latin_document: bool) -> float:
    """Share of the letters of `text` that are not in the document's script."""
    sample = text[:_SCRIPT_SAMPLE]
    # (An ASCII line, most of them, is known Latin without the per-character scan.)
    if latin_document and (sample.isascii() or _BEYOND_LATIN.search(sample) is None):
        return 0.0
    letters, other = _letters(sample)
    if not letters:
        return 0.0
    return (other if latin_document else letters - other) / letters


def _letters(text: str) -> tuple[int, int]:
    """(letters, letters not in the Latin script) of `text`."""
    return sum(map(str.isalpha, text)), len(_NON_LATIN_LETTER.findall(text))


# The bytes that are no ASCII letter, deleted to count the ASCII letters of a text.
_NOT_ASCII_LETTER = bytes(b for b in range(256) if not chr(b).isalpha() or b > 127)


def is_latin_document(text: str) -> bool:
    """Whether most letters of the text are Latin (the foreign-script rule is relative to it)."""
    sample = text[:_DOC_SAMPLE]
    if sample.isascii() or _BEYOND_LATIN.search(sample) is None:
        return True
    # The ASCII letters, counted in C, are a lower bound of the letters that mostly settles
    # it: testing each character with str.isalpha costs a call per character. The non-ASCII
    # characters are an upper bound of the other letters: when even they are few, the
    # regex that finds those letters need not run.
    ascii_only = sample.encode("ascii", "ignore")
    ascii_letters = len(ascii_only.translate(None, _NOT_ASCII_LETTER))
    if (len(sample) - len(ascii_only)) * 2 <= ascii_letters:
        return True
    other = len(_NON_LATIN_LETTER.findall(sample))
    return other * 2 <= ascii_letters or other * 2 <= sum(map(str.isalpha, sample))


def ends_sentence(text: str) -> bool:
    """Whether the line ends with sentence punctuation (closing quotes allowed after it)."""
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _TERMINAL


def physical_lines(text: str) -> list[Line]:
    """Non-blank lines, stripped, each noting whether a blank line preceded it."""
    lines: list[Line] = []
    blank = False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        lines.append(Line(stripped, blank_before=blank or not lines))
        blank = False
    return lines


def _wrap_width(lines: list[Line]) -> int | None:
    """The fixed width the text is wrapped at, or None when it is not hard-wrapped: most
    lines are nearly as long as the longest, and most of those stop mid-sentence."""
    if len(lines) < WRAP_MIN_LINES:
        return None
    lengths = [len(line.text) for line in lines]
    if sum(1 for n in lengths if n > WRAP_MAX_WIDTH) * 20 > len(lengths):
        return None
    width = max((n for n in lengths if n <= WRAP_MAX_WIDTH), default=0)
    if width < WRAP_MIN_WIDTH:
        return None
    full = [line.text for line in lines if WRAP_FULL * width <= len(line.text) <= width]
    cut = sum(1 for text in full if not ends_sentence(text))
    if len(full) * 2 < len(lines) or cut * 2 < len(full):
        return None
    return width


def _continues(line: Line, following: Line, width: int | None) -> bool:
    if following.blank_before or line.heading or following.heading:
        return False
    if width is not None:
        return len(line.text) >= width * WRAP_FILL
    # Unwrapped text: join only a long line cut mid-sentence before a lower-case word.
    return len(line.text) >= 40 and not ends_sentence(line.text) and following.text[:1].islower()


def join_wrapped(lines: list[Line]) -> list[Line]:
    """Join the lines of a hard-wrapped paragraph into one line."""
    width = _wrap_width(lines)
    joined: list[Line] = []
    parts: list[list[str]] = []  # the pieces of each joined line, concatenated once at the end
    for index, line in enumerate(lines):
        # The test looks at the previous physical line: a joined paragraph is always long.
        if joined and _continues(lines[index - 1], line, width):
            pieces = parts[-1]
            dehyphenate = pieces[-1].endswith("-") and line.text[:1].islower()
            pieces.append(line.text if dehyphenate else " " + line.text)
        else:
            joined.append(Line(line.text, line.blank_before, line.heading))
            parts.append([line.text])
    for line, pieces in zip(joined, parts, strict=True):
        if len(pieces) > 1:
            line.text = "".join(pieces)
    return joined


def words_up_to(text: str, most: int) -> int:
    """min(words of `text`, most + 1): split() stops there, so a long paragraph costs no
    more than a short one when only a small count matters."""
    return len(text.split(None, most))


def word_count(text: str, limit: int = 1000) -> int:
    """Words of `text`, counting at most `limit` (cheap on a 2 MB line)."""
    return len(text.split(None, limit)) if len(text) > limit * 20 else len(text.split())
