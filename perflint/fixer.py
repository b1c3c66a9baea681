"""Apply text edits to source text, touching nothing outside them."""

from __future__ import annotations

import re


_LINE_START = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line (line breaks as in `source.split_lines`)."""
    return [0, *(m.end() for m in _LINE_START.finditer(text))]


def offset(starts: list[int], line: int, col: int) -> int:
    return starts[line - 1] + col - 1


def apply_edits(text: str, edits) -> tuple[str, int]:
    """Apply non-overlapping edits (later overlapping ones are skipped); return (text, applied)."""
    starts = line_starts(text)
    placed = sorted(
        (
            (offset(starts, e.span.line, e.span.col), offset(starts, e.span.end_line, e.span.end_col), e.content)
            for e in edits
        ),
        key=lambda item: (item[0], item[1]),
    )
    pieces, cursor, applied = [], 0, 0
    for start, end, content in placed:
        if start < cursor or end < start or end > len(text):
            continue
        pieces.append(text[cursor:start])
        pieces.append(content)
        cursor = end
        applied += 1
    pieces.append(text[cursor:])
    return "".join(pieces), applied


__all__ = ["apply_edits", "line_starts", "offset", "Edit", "Span"]
