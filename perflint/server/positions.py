"""Positions between perflint and the Language Server Protocol.

perflint counts 1-based lines and 1-based columns in code points (end exclusive); LSP counts
0-based lines and 0-based characters in the negotiated unit: UTF-16 code units by default,
UTF-8 bytes or UTF-32 code points when the client offers them (`general.positionEncodings`).
A CJK character is 1 UTF-16 unit and 3 UTF-8 bytes; an astral one (𠀀, U+20000) is 2 units and
4 bytes — so the three differ on the very cells goal files are made of. Lines end at LF, CRLF or
a lone CR in both (perflint.source.split_lines).
"""

from __future__ import annotations

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str) -> int:
    """The length of `text` in the encoding's units."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_units(line: str, col: int, encoding: str) -> int:
    """perflint's 1-based code-point column on `line` → the 0-based LSP character."""
    index = max(0, min(col - 1, len(line)))
    return units(line[:index], encoding)


def from_units(line: str, character: int, encoding: str) -> int:
    """An LSP character on `line` → perflint's 1-based code-point column (a position inside a
    character, or past the end, snaps to the character's start or the line's end)."""
    if encoding == UTF32 or line.isascii():
        return min(max(character, 0), len(line)) + 1
    counted = 0
    for index, ch in enumerate(line):
        width = units(ch, encoding)
        if counted + width > character:
            return index + 1
        counted += width
    return len(line) + 1


class Lines:
    """A document's lines, for converting positions both ways."""

    def __init__(self, text: str):
        from perflint.source import split_lines

        self.lines = split_lines(text)

    def line(self, number: int) -> str:
        """Line `number` (1-based); "" beyond the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def position(self, line: int, col: int, encoding: str) -> tuple[int, int]:
        """1-based (line, code-point col) → 0-based (line, character); clamped into the text."""
        if line > len(self.lines):
            last = len(self.lines)
            return last - 1, units(self.line(last), encoding)
        line = max(line, 1)
        return line - 1, to_units(self.line(line), col, encoding)

    def point(self, line: int, character: int, encoding: str) -> tuple[int, int]:
        """0-based (line, character) → 1-based (line, code-point col)."""
        return line + 1, from_units(self.line(line + 1), character, encoding)
