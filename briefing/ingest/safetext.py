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

from ..escape import escaped as printable
from ..escape import strip_unsafe

__all__ = ["printable", "strip_unsafe"]
