"""Bytes -> text: UTF-8, UTF-16/32 with a byte-order mark, else a detected legacy encoding.

Binary and undecodable files are refused here with a reason the user can act on.
charset-normalizer is imported only when a file is not UTF-8.
"""

from __future__ import annotations

import codecs
import re

from ..errors import IngestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that text files do not contain (tab, newlines and form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# The bytes that are none of those: deleted, what is left of UTF-8 data is its controls.
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))
_CONTROL_SAMPLE = 65_536
MAX_CONTROL_SHARE = 0.01
# Multi-byte legacy encodings: charset-normalizer is trusted for them.
_MULTIBYTE = ("cp949", "euc", "shift_jis", "cp932", "gb", "big5", "hz", "iso2022", "johab")
# Windows-1252 punctuation and Latin-1 letters: what a Western legacy text is made of.
_WESTERN = re.compile(
    r"[\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013\u2014"
    r"\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u20ac\u00a0-\u00bf]"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_PAIR = re.compile(r"[^\x00-\x7f]{2}")


def decode(data: bytes, path: str) -> str:
    """The text of a file, or IngestError saying why there is none."""
    if not data.strip():
        raise IngestError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, path)
    if b"\x00" in data:
        raise IngestError(path, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _legacy(data, path)
    else:
        if len(data) <= _CONTROL_SAMPLE:
            # The whole text is the sample, and in UTF-8 a control character is its one
            # byte (no multi-byte sequence holds a byte below 0x80): counted in C.
            controls = len(data.translate(None, _NOT_CONTROL))
            if controls > MAX_CONTROL_SHARE * len(text):
                raise IngestError(path, _CONTROL_REASON)
            return text
    _refuse_control_characters(text, path)
    return text


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not valid {encoding} despite its byte-order mark") from exc
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise IngestError(path, "empty file")
    _refuse_control_characters(text, path)
    return text


def _refuse_control_characters(text: str, path: str) -> None:
    sample = text[:_CONTROL_SAMPLE]
    if len(_CONTROL.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise IngestError(path, _CONTROL_REASON)


_CONTROL_REASON = "binary file (control characters), not text"


def _plausible_western(text: str) -> bool:
    """Whether a cp1252 reading looks like Western text: its non-ASCII characters are accented
    letters and typographic punctuation, mostly standing alone between ASCII letters (a
    multi-byte encoding read as cp1252 gives runs of symbols instead)."""
    foreign = len(_NON_ASCII.findall(text))
    if not foreign:
        return True
    western = len(_WESTERN.findall(text))
    pairs = len(_NON_ASCII_PAIR.findall(text))
    return western >= 0.95 * foreign and pairs * 3 <= foreign


def _legacy(data: bytes, path: str) -> str:
    from charset_normalizer import from_bytes  # only non-UTF-8 files pay for the import

    best = from_bytes(data).best()
    guess = best.encoding.lower() if best is not None else ""
    if not guess.startswith(_MULTIBYTE):
        # Short Western texts fool the detector (cp1250, cp1006...); cp1252 is far more common.
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        if western is not None and _plausible_western(western):
            return western
    if best is None:
        raise IngestError(path, "undecodable text (not UTF-8 and no known encoding fits)")
    return str(best)
