"""The text export of a goal filing (the form of `shared/seeds/*.txt`) as a `Grid`.

The export writes a Word document as lines. Table cells are lines that start with a tab
(further tabs on the line separate more cells; trailing tabs are padding); a line without a
tab right after a cell continues that cell; rows are blocks of cells split by blank lines.
Every other line is a paragraph: a one-cell row with `table` = -1. A text export cannot tell a
merged cell from an empty one, so every cell spans one row and one column; the interpreter
reads an empty category cell as the merged cell above.
"""

from __future__ import annotations

import re

from perflint.model import Cell, Span
from perflint.readers.grid import Grid, GridCell, GridRow
from perflint.source import split_lines

BOOKMARK = re.compile(r"^(?:\s*\[bookmark:[^\]]*\])+")
_HEADING_NUMBER = re.compile(r"\s*(\d+)\s*[.、．]\s*")


def numbered_heading(text: str) -> bool:
    """Whether `text` is a seed-style project heading “1.XXXX绩效目标表” (never a continuation line).

    Found without a regex over the whole line: one backtracks quadratically on a long line of spaces.
    """
    return text.rstrip().endswith("绩效目标表") and _HEADING_NUMBER.match(text) is not None


def text_cell(path: str, line_no: int, start: int, raw: str) -> Cell:
    """A single-line cell from `raw` starting at 0-based column `start`, whitespace trimmed."""
    stripped = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    col = start + lead + 1
    return Cell(stripped, Span(path, line_no, col, line_no, col + len(stripped)), direct=True)


def _continued(cell: Cell, lines: list[tuple[int, str]]) -> Cell:
    """`cell` extended by its continuation lines ((line number, raw text), in order), joined once:
    a cell of many thousand lines must not be copied once per line."""
    parts: list[str] | None = None
    end_line = end_col = 0
    for line_no, raw in lines:
        text = raw.strip()
        if not text:
            continue
        if parts is None and not cell.text:
            cell = text_cell(cell.span.path, line_no, 0, raw)
            continue
        if parts is None:
            parts = [cell.text]
        parts.append(text)
        end_line, end_col = line_no, len(raw.rstrip()) + 1
    if parts is None:
        return cell
    span = Span(cell.span.path, cell.span.line, cell.span.col, end_line, end_col)
    return Cell("\n".join(parts), span, direct=False)


def text_grid(path: str, text: str) -> Grid:
    """The rows of a text export: cell blocks and paragraphs (`table` = -1), in file order."""
    rows: list[GridRow] = []
    cells: list[Cell] | None = None
    more: list[tuple[int, str]] = []  # continuation lines of the block's last cell
    append_row = rows.append

    def block(cells: list[Cell]) -> GridRow:
        if more:
            cells[-1] = _continued(cells[-1], more)
            more.clear()
        return GridRow(tuple(map(GridCell, cells, range(len(cells)))), 0, len(rows))

    for index, line in enumerate(split_lines(text)):
        line_no = index + 1
        if line.startswith("\t"):
            if cells is None:
                cells = []
            elif more:
                cells[-1] = _continued(cells[-1], more)
                more.clear()
            rest = line[1:]
            if "\t" not in rest:  # most lines: one cell
                stripped = rest.strip()
                col = len(rest) - len(rest.lstrip()) + 2
                cells.append(
                    Cell(stripped, Span(path, line_no, col, line_no, col + len(stripped)), True)
                )
                continue
            offset = 1
            first = True
            for piece in rest.split("\t"):
                stripped = piece.strip()
                if first or stripped:
                    col = offset + len(piece) - len(piece.lstrip()) + 1
                    cells.append(
                        Cell(stripped, Span(path, line_no, col, line_no, col + len(stripped)), True)
                    )
                    first = False
                offset += len(piece) + 1
        elif not line.strip():
            if cells is not None:
                append_row(block(cells))
                cells = None
        elif cells is not None and not BOOKMARK.match(line) and not numbered_heading(line):
            more.append((line_no, line))
        else:
            if cells is not None:
                append_row(block(cells))
                cells = None
            append_row(GridRow((GridCell(text_cell(path, line_no, 0, line), 0),), -1, len(rows)))
    if cells is not None:
        append_row(block(cells))
    return Grid(path, tuple(rows), "text")
