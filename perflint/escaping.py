"""Text from a repository (file names, cell text) made safe to print for a human reader.

A file named `x\n::add-mask::…` or a cell holding `\n::error …` or an ESC sequence must not
become a GitHub workflow command in a CI log or a terminal control sequence: the human-readable
formats (text, github, stderr messages) show such characters escaped, as Python writes them:
`\n`, `\r`, `\t` in a name, `\x1b`, `\x85`, `\u202e`. Escaped are the C0 controls and DEL, the
C1 controls, the line and paragraph separators and the bidirectional overrides and isolates
(which reorder what a reader sees, "Trojan Source"). JSON and SARIF need none of this: JSON
escapes them itself.
"""

from __future__ import annotations

import re

# C0 (but tab, see `printable`), DEL, C1, U+2028/2029, bidi embeddings/overrides and isolates,
# and lone surrogates (a file name that is not UTF-8)
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_WITH_TAB = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, tab: bool = True) -> str:
    """`text` with the characters above escaped; `tab=False` leaves tabs as they are (a source
    line, where the text format expands them)."""
    pattern = _UNSAFE_WITH_TAB if tab else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text
