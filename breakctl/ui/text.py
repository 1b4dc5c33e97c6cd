"""Untrusted text made safe to print. Stdlib only, so the CLI's error lines can use it too.

Titles, cues and names come from routine files and exercise libraries that people share and
download; records come from a file anyone can edit; hook output is whatever a command wrote.
None of it may drive the terminal: every control character (C0, DEL, C1, and with them every
ESC sequence: CSI, OSC 0/52, ...) is shown as a visible escape such as `\\x1b`, bidi overrides
as `\\u202e`, and lone surrogates (which cannot be encoded) as U+FFFD. Rich markup in data is
a separate matter: the screens build `rich.text.Text` from it (see `cells.literal`).
"""

from __future__ import annotations

import re

# C0 (tab and newline included: callers decide about line breaks), DEL, C1, the bidi
# embeddings/overrides/isolates that reorder what is shown, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\t\n":
        return " "
    code = ord(char)
    if code >= 0xD800:
        return "\ufffd"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(text: str, *, newlines: bool = False) -> str:
    """`text` with nothing a terminal would act on: control characters made visible, tabs
    as spaces, and line breaks kept only if `newlines` (else they become spaces)."""
    if newlines:
        return "\n".join(_UNSAFE.sub(_visible, line) for line in text.split("\n"))
    return _UNSAFE.sub(_visible, text)
