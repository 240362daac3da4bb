"""Text that came from outside (file names above all) made safe to store and to show.

A file name that is not UTF-8 reaches Python with lone surrogates (b"caf\\xe9.txt" becomes
"caf\\udce9.txt"): SQLite, JSON and e-mail cannot encode them. A name may also hold control
characters (a newline, a terminal escape) or bidi controls that forge or reorder what a
reader sees. `escaped` shows each such character as a backslash escape: the byte that was
not UTF-8 as "\\xe9", a control character as "\\x1b", others as "\\u202e".

Text meant to be read (an article's, a config's titles and labels) is cleaned instead:
`strip_unsafe` removes invisible format characters (see ingest/safetext.py for why).
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line/paragraph separators, bidi controls, lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escaped(text: str, keep: str = "") -> str:
    """`text` with every unsafe character as a backslash escape, except those in `keep`
    (a message body keeps "\\n\\t"); safe text comes back unchanged."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


# Invisible format characters (Cf, Unicode 14), as ranges: those of the Basic Multilingual
# Plane, then those above it.
_FORMAT_BMP = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_FORMAT_CHARS = (
    f"{_FORMAT_BMP}\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# C1 controls (U+0080-009F) come only from mojibake, inside words: removed.
_HIDDEN = re.compile(f"[{_FORMAT_CHARS}\x80-\x9f\ud800-\udfff]")
# A stray C0 control character stands between words: a space keeps them apart.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f"
_CONTROL = re.compile(f"[{_CONTROLS}]")
# The same classes for text without characters above U+FFFF (nearly all): a class with
# such characters is a list of ranges that the regex engine walks for every character of
# the text (about 10 ns each), one within the BMP a table look-up. One scan finds both kinds.
_HIDDEN_BMP = re.compile(f"[{_FORMAT_BMP}\x80-\x9f\ud800-\udfff]")
_UNSAFE_BMP = re.compile(f"[{_FORMAT_BMP}\x80-\x9f\ud800-\udfff{_CONTROLS}]")
# Up to this length a text is checked for characters above U+FFFF by encoding it (a copy).
_BMP_CHECK_CHARS = 4_000_000


def _bmp_only(text: str) -> bool:
    """No character above U+FFFF? UTF-16 takes 2 bytes for every other one (a lone
    surrogate too, with surrogatepass), 4 for those; the encoder runs at memory speed."""
    return len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


# The ASCII characters strip_unsafe keeps: deleted from an ASCII text (a C loop over its
# bytes), they leave its control characters, where a regex tests each character against its
# class (a file's text, lines and all, is never isprintable).
_SAFE_ASCII = bytes([0x09, 0x0A, *range(0x20, 0x7F)])


def strip_unsafe(text: str) -> str:
    """`text` without invisible format characters and lone surrogates, and with stray
    control characters (tab and newline stay) turned into spaces."""
    if text.isascii():  # no format character or surrogate: only controls to turn
        if not text.encode("ascii").translate(None, _SAFE_ASCII):
            return text
        return _CONTROL.sub(" ", text)
    if len(text) <= _BMP_CHECK_CHARS and _bmp_only(text):
        if _UNSAFE_BMP.search(text) is None:
            return text
        hidden = _HIDDEN_BMP
    else:
        hidden = _HIDDEN
    if hidden.search(text) is not None:
        text = hidden.sub("", text)
    if _CONTROL.search(text) is not None:
        text = _CONTROL.sub(" ", text)
    return text
