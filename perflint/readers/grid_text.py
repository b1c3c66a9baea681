"""TEMPORARY adapter: a Grid read through the text-export reader, until the table interpreter
(issue 15, `interpret(grid)`) lands. At the merge, replace the body of `interpret` below with
the interpreter's call; nothing else depends on how it works.

The grid is written out in memory as the text export it stands for (one `\\t`-started line per
cell, rows split by blank lines, paragraphs as prose lines; a cell covered by a vertical merge
is an empty cell, as Word's export writes it), read with `read_text`, and every span of the
result is mapped back from the synthetic lines to the cells they came from.
"""

from __future__ import annotations

import dataclasses

from perflint.model import Cell, Span
from perflint.readers import ReadResult
from perflint.readers.grid import Grid, GridCell


def interpret(grid: Grid) -> ReadResult:
    """The Filing of a grid (PF001 findings for what cannot be read), spans in cell terms."""
    from perflint.readers.text_reader import read_text

    text, origin = _as_text(grid)
    read = read_text(grid.path, text)
    remap = _Remap(grid.path, origin)
    filing = read.filing
    if filing is not None:
        filing = dataclasses.replace(remap.value(filing), format=grid.format)
    return ReadResult(filing, tuple(remap.value(d) for d in read.diagnostics))


def _as_text(grid: Grid) -> tuple[str, list]:
    """(the export text, origin): origin[line - 1] is (GridCell, line inside the cell (0-based),
    columns before the cell text on the line) or None for a line no cell made."""
    lines: list[str] = []
    origin: list = []
    table = None
    merges: dict[int, int] = {}  # first column of a vertical merge from above → its last row index

    def emit(line: str, where) -> None:
        lines.append(line)
        origin.append(where)

    sheet = grid.format in ("xlsx", "xls")
    header_width = 0  # a sheet's indicator header: its rows keep their empty cells up to its width
    for row in grid.rows:
        if row.table < 0 or (sheet and row.cells and not any(c.text.strip() for c in row.cells[1:])):
            emit("", None)  # a paragraph, or a sheet's title row (its one cell filled): prose
            for number, part in enumerate(row.cells[0].text.split("\n")):
                if part.strip():
                    emit(part.replace("\t", " "), (row.cells[0], number, 0))
            if row.table < 0:
                table = None
            continue
        if row.table != table:
            table, merges, header_width = row.table, {}, 0
        emit("", None)
        cells = row.cells
        if sheet:  # a sheet's rows run to its last used column: keep the cells a text export has
            if cells and cells[0].text.strip().startswith("一级指标"):
                header_width = len(cells)  # (its own trailing empties are cut below)
                while header_width > 1 and not cells[header_width - 1].text.strip():
                    header_width -= 1
            keep = len(cells)
            while keep > 1 and not cells[keep - 1].text.strip() and keep > header_width:
                keep -= 1
            cells = cells[:keep]
        starts = {cell.column: cell for cell in cells}
        under = {c for c, last in merges.items() if last >= row.index and c not in starts}
        for column in sorted(set(starts) | under):
            cell = starts.get(column)
            if cell is None:
                emit("\t", (_placeholder(row, column), 0, 1))
                continue
            _emit_cell(cell, emit)
            if cell.rows > 1:
                merges[cell.column] = row.index + cell.rows - 1
    return "\n".join(lines) + "\n", origin


def _placeholder(row, column: int) -> GridCell:
    """What an empty cell under a vertical merge points at: the nearest cell of its row."""
    return min(row.cells, key=lambda c: abs(c.column - column)) if row.cells else None


def _emit_cell(cell: GridCell, emit) -> None:
    for number, part in enumerate(cell.text.split("\n")):
        part = part.replace("\t", " ")
        if number == 0:
            emit("\t" + part, (cell, 0, 1))
        elif part.strip():
            emit(part, (cell, number, 0))


class _Remap:
    """Spans of the synthetic text mapped back to cells (line/column inside the cell text)."""

    def __init__(self, path: str, origin: list):
        self.path, self.origin = path, origin

    def span(self, span: Span) -> Span:
        where = self.origin[span.line - 1] if 0 < span.line <= len(self.origin) else None
        if where is None or where[0] is None:
            return Span(self.path, 1, 1, 1, 1)
        cell, line, shift = where
        whole = cell.cell.span
        start_line, start_col = line + 1, max(span.col - shift, 1)
        end = self.origin[span.end_line - 1] if 0 < span.end_line <= len(self.origin) else None
        if end is not None and end[0] is cell:
            end_line, end_col = end[1] + 1, max(span.end_col - end[2], 1)
        else:
            end_line, end_col = whole.end_line, whole.end_col
        if (end_line, end_col) < (start_line, start_col):
            end_line, end_col = start_line, start_col
        return Span(self.path, start_line, start_col, end_line, end_col, whole.cell)

    def value(self, value):
        if isinstance(value, Span):
            return self.span(value)
        if isinstance(value, Cell):
            return Cell(value.text, self.span(value.span), value.direct)
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.value(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return type(value)(**changes)
        return value
