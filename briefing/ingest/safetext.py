"""Text and names made safe to show: what enters from files can neither hide nor forge.

Two concerns, both settled where text enters:

- Article text loses invisible format characters (Unicode category Cf): bidi overrides and
  isolates (U+202A-202E, U+2066-2069) make a viewer or PDF show words reversed or reordered
  ("taerht" shown as "threat"); zero-width characters and tag characters hide text from a
  reader while rules still see it. Stray control characters (C0/C1, tab and newline kept)
  go too. The prepended concatenation marks of Arabic and related scripts (U+0600-0605...)
  are visible signs, not hidden ones, and stay.
- File names are data: `printable` (briefing.escape.escaped) shows control characters,
  line and paragraph separators, bidi controls and lone surrogates (a name that is not
  UTF-8, such as b"caf\\xe9.txt", reaches Python as "caf\\udce9.txt") as backslash
  escapes, so a name can neither add a line to stderr or a cron mail nor make JSON, SQLite
  or mail invalid UTF-8.
"""

from __future__ import annotations

import re

from ..escape import escaped as printable

__all__ = ["printable", "strip_unsafe"]

# Invisible format characters (Cf, Unicode 14), as ranges.
_FORMAT_CHARS = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# C1 controls (U+0080-009F) come only from mojibake, inside words: removed.
_HIDDEN = re.compile(f"[{_FORMAT_CHARS}\x80-\x9f\ud800-\udfff]")
# A stray C0 control character stands between words: a space keeps them apart.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def strip_unsafe(text: str) -> str:
    """`text` without invisible format characters and lone surrogates, and with stray
    control characters (tab and newline stay) turned into spaces."""
    if text.isascii() and text.isprintable():
        return text
    if _HIDDEN.search(text) is not None:
        text = _HIDDEN.sub("", text)
    if _CONTROL.search(text) is not None:
        text = _CONTROL.sub(" ", text)
    return text
