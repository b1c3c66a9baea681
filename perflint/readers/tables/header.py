"""The indicator-table header: which grid column holds which field, from one or two header rows.

A header row names its columns with header words (`rules/forms/forms.yaml`). A second row may
divide a header cell: 指标值 over 实施期 | 年度, 目标值 over 年度指标值 | 实施期指标值, 分值 over
权重 | 得分. In Word and Excel the divided cell spans the sub-columns; a text export writes it once
(or with empty cells after it) and writes an empty cell under every cell merged down over both rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from perflint.model import Span
from perflint.readers.forms import Forms
from perflint.readers.grid import GridCell, GridRow
from perflint.readers.tables.cells import row_span


@dataclass(frozen=True, slots=True)
class Header:
    """A recognised header: {field: grid column}, the table's width and the header's rows."""

    columns: dict[str, int]
    width: int
    span: Span
    row: GridRow  # the (first) header row, which a second row may divide
    second: bool = False  # a second row divided it


def header(row: GridRow, forms: Forms) -> Header | None:
    """The header a row is, or None when it is no indicator-table header."""
    cells = row.cells
    # a header starts with header words (一级指标 …, perhaps after a 序号 column): a row whose first
    # two written cells are not is no header, told after two look-ups
    if len(cells) < 3:
        return None
    tried = 0
    for gc in cells:
        text = gc.cell.text
        if text:
            if forms.column(text):
                break
            tried += 1
            if tried == 2:
                return None
    else:
        return None
    named = [(name, gc.column) for gc in cells if (name := forms.column(gc.cell.text))]
    columns = _fields(named)
    if len(named) < 3 or columns is None:
        return None
    width = max(gc.column + gc.cols for gc in cells)
    return Header(columns, width, row_span(cells[0].cell.span, cells[-1].cell.span), row)


def divided(top: Header, row: GridRow, forms: Forms, flat: bool) -> Header | None:
    """The header `top` with `row` as its second row (dividing some of its cells), or None when
    `row` is not such a row. `flat`: a text export (no merges recorded)."""
    lower = [gc for gc in row.cells if gc.cell.text]
    if not lower:
        return None
    groups = _flat_groups(top.row.cells, row.cells, forms) if flat else _merged_groups(top.row, row)
    if groups is None:
        return None
    named: list[tuple[str, int]] = []
    for upper, subs in groups:
        name = forms.column(upper.cell.text)
        written = [gc for gc in subs if gc.cell.text]
        if not written:  # in a text export the cell below holds the column's place
            if name is not None:
                named.append((name, subs[0].column if subs else upper.column))
            continue
        found = [(_sub_field(gc.cell.text, upper.cell.text, forms), gc.column) for gc in written]
        unnamed = [column for field, column in found if field is None]
        if len(unnamed) > (1 if len(found) > 1 else 0) or name is None and unnamed:
            return None  # a cell no header word names: an indicator row, not a header
        for field, column in found:
            named.append((field if field is not None else name, column))
    columns = _fields(named)
    if columns is None:
        return None
    cells = row.cells
    width = max(top.width, max(gc.column + gc.cols for gc in cells))
    span = row_span(top.span, cells[-1].cell.span)
    return Header(columns, width, span, top.row, True)


def _sub_field(text: str, upper: str, forms: Forms) -> str | None:
    """The field a sub-column names: by itself (年度指标值, 得分), or with the cell above it
    (实施期 + 指标值 → 实施期指标值)."""
    return forms.column(text) or forms.column(text + upper) or forms.column(upper + text)


def _fields(named: list[tuple[str, int]]) -> dict[str, int] | None:
    """{field: column} of (field, column) pairs in column order, or None when they are no
    indicator header (no 指标名称 column, no value column)."""
    found: dict[str, int] = {}
    for name, column in named:
        if name == "value" and "value" in found and "period_value" not in found:
            # 实施期指标值 | 年度指标值 written as two value columns: the later is the year's
            found["period_value"] = found.pop("value")
        found.setdefault(name, column)
    if "name" not in found or not ({"value", "period_value"} & found.keys()):
        return None
    if "standard" in found:
        column = found.pop("standard")
        found.setdefault("basis" if "basis" not in found else "description", column)
    if "value" not in found:
        found["value"] = found.pop("period_value")
    return found


def _merged_groups(top: GridRow, row: GridRow):
    """[(upper cell, its sub-cells)] when every cell of `row` lies under a cell of `top` that
    spans columns but not rows (Word / Excel merges), else None."""
    subs: dict[int, list[GridCell]] = {gc.column: [] for gc in top.cells}
    spans = [(gc.column, gc.column + gc.cols, gc) for gc in top.cells]
    for gc in row.cells:
        owner = next((u for start, end, u in spans if start <= gc.column < end), None)
        if owner is None or (owner.rows > 1 and gc.cell.text) or (owner.cols < 2 and gc.cell.text):
            return None
        subs[owner.column].append(gc)
    if not any(len(s) > 1 for s in subs.values()):
        return None
    return [(gc, subs[gc.column]) for gc in top.cells]


def _flat_groups(upper: tuple[GridCell, ...], lower: tuple[GridCell, ...], forms: Forms):
    """[(upper cell, its sub-cells)] of a text export's two header rows, else None.

    Both rows as wide: an empty upper cell belongs to the written one before it. The lower row
    wider: each upper cell spans one lower cell, or a run of written ones; of the ways to divide
    the lower row, the one whose sub-columns best fit the cells above them is taken (a sub-column
    fits a cell it names a field with, or whose field is one of those the cell divides into).
    """
    if len(lower) < len(upper):
        return None
    if len(lower) == len(upper):
        groups: list[tuple[GridCell, list[GridCell]]] = []
        for top, below in zip(upper, lower, strict=True):
            if top.cell.text or not groups:
                groups.append((top, [below]))
            elif below.cell.text:
                groups[-1][1].append(below)
            else:
                groups.append((top, [below]))
        return groups if any(len(s) > 1 for _, s in groups) else None
    n, m = len(upper), len(lower)
    # best[i][p]: (score, widths) of the first i upper cells over the first p lower cells
    best: list[dict[int, tuple[int, tuple[int, ...]]]] = [{0: (0, ())}] + [{} for _ in upper]
    for i, top in enumerate(upper):
        for p, (score, widths) in best[i].items():
            for w in range(1, m - p - (n - i - 1) + 1):
                cells = lower[p : p + w]
                if w > 1 and not all(gc.cell.text for gc in cells):
                    break
                gain = score + sum(_fit(gc.cell.text, top.cell.text, forms) for gc in cells)
                if p + w not in best[i + 1] or best[i + 1][p + w][0] < gain:
                    best[i + 1][p + w] = (gain, (*widths, w))
    if m not in best[n]:
        return None
    groups, p = [], 0
    for top, w in zip(upper, best[n][m][1], strict=True):
        groups.append((top, list(lower[p : p + w])))
        p += w
    return groups


def _fit(text: str, upper: str, forms: Forms) -> int:
    """How well a lower header cell fits under an upper one: 2 when it names a field with it or
    one the upper cell divides into, 0 when it is empty or names nothing, -1 otherwise."""
    if not text:
        return 0
    if forms.column(text + upper) or forms.column(upper + text):
        return 2
    field = forms.column(text)
    if field is None:
        return 0
    return 2 if field in forms.divided.get(forms.column(upper) or "", ()) else -1
