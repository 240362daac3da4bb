"""Text that came from outside (file names above all) made safe to store and to show.

A file name that is not UTF-8 reaches Python with lone surrogates (b"caf\\xe9.txt" becomes
"caf\\udce9.txt"): SQLite, JSON and e-mail cannot encode them. A name may also hold control
characters (a newline, a terminal escape) or bidi controls that forge or reorder what a
reader sees. `escaped` shows each such character as a backslash escape: the byte that was
not UTF-8 as "\\xe9", a control character as "\\x1b", others as "\\u202e".
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
