"""The grid: what every tabular source (text export, .docx, .xlsx/.xls) is read into.

A tabular reader knows only its format; it turns the source into `Grid` rows of `GridCell`s in
reading order, with the paragraphs between tables as one-cell rows. The table interpreter
(one for every source) turns a grid into a `Filing`. A merged cell appears once, at its
top-left position, with `rows`/`cols` > 1; the positions it covers hold no cell of their own
(a text export cannot tell a merge from an empty cell, so there every cell has rows = cols = 1
and empty category cells are read as "the merged cell above", as a person reads them).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from perflint.fastinit import fast_init
from perflint.model import Cell


@fast_init
@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell: its text (line breaks kept as "\\n") located by `cell.span`, and its merge."""

    cell: Cell
    column: int  # 0-based column of the cell's top-left corner in its row's grid
    rows: int = 1  # rows the cell spans (vMerge / merged range)
    cols: int = 1  # columns it spans (gridSpan / merged range)

    @property
    def text(self) -> str:
        return self.cell.text


@fast_init
@dataclass(frozen=True, slots=True)
class GridRow:
    """A row of a table, or a paragraph outside any table (`table` = -1, one cell)."""

    cells: tuple[GridCell, ...]
    table: int = 0  # which table of the source the row belongs to (0-based); -1 for a paragraph
    index: int = 0  # the row's 0-based place in its table


@dataclass(frozen=True, slots=True)
class Grid:
    """A tabular source as rows in reading order, with what the reader noted while reading it.

    `notes` are (zh, en) remarks about what was left out (hidden sheets or rows, a nested table
    read in place), kept for messages. In a workbook `GridRow.table` is the sheet's index; each
    cell's `CellRef` names its sheet and address.
    """

    path: str
    rows: tuple[GridRow, ...]
    format: str  # "text", "docx", "xlsx", "xls"
    notes: tuple[tuple[str, str], ...] = ()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a source is read into a grid and interpreted.

    Reading makes many small objects and no reference cycles: the collector, run again and again
    as they are made, would only walk them (a third of the reading time). It runs as before
    afterwards; nested pauses leave it to the outermost.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
