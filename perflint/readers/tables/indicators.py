"""Indicator rows: each row's cells by column (merged cells filled in), and the indicators
built from them once the table is read (categories, weights, split values, two-level tables)."""

from __future__ import annotations

import re

from perflint.diagnostics import Diagnostic
from perflint.model import Cell, Indicator, JoinedCell, Span
from perflint.readers import parse_error
from perflint.readers.forms import Forms, squash
from perflint.readers.grid import GridCell, GridRow
from perflint.readers.tables import cells as c
from perflint.readers.tables.draft import Draft
from perflint.taxonomy import Taxonomy

INDICATOR_COLUMNS = ("level1", "level2", "name", "description", "value", "basis")
_EXTRA_COLUMNS = ("period_value", "weight", "direction", "actual", "score", "deviation", "note")
_WEIGHT = re.compile(
    r"[（(]\s*(\d+(?:\.\d+)?(?:\s*[-~～—]\s*\d+(?:\.\d+)?)?)\s*(?:分\s*[)）]|[)）]\s*分)|(\d+(?:\.\d+)?)\s*分"
)


def advance_carry(draft: Draft, own: dict[int, GridCell]) -> dict[int, Cell]:
    """The row's cells by column, with cells merged down from rows above filled in."""
    by_column: dict[int, Cell] = {}
    for column, (cell, left) in list(draft.carry.items()):
        if column in own:
            del draft.carry[column]
            continue
        by_column[column] = cell
        if left <= 1:
            del draft.carry[column]
        else:
            draft.carry[column] = (cell, left - 1)
    for column, gc in own.items():
        by_column[column] = gc.cell
        if gc.rows > 1:
            draft.carry[column] = (gc.cell, gc.rows - 1)
        for extra in range(1, gc.cols):
            by_column.setdefault(column + extra, None)  # covered by a cell spanning columns
    return by_column


def indicator_row(draft: Draft, row: GridRow, diagnostics: list[Diagnostic]) -> None:
    """Keep an indicator row's cells by column (a PF001 when it is not as wide as the header)."""
    grid_cells = row.cells
    last = grid_cells[-1]
    if draft.flat and not draft.carry:  # a text export: no merges, cells in column order
        by_column = {gc.column: gc.cell for gc in grid_cells}
        width, merged = last.column + 1, False
    else:
        own = {gc.column: gc for gc in grid_cells}
        by_column = advance_carry(draft, own)
        width = max(gc.column + gc.cols for gc in grid_cells)
        merged = any(gc.rows > 1 or gc.cols > 1 for gc in grid_cells) or len(by_column) > len(own)
    if width != draft.width and not merged:
        cells = [gc.cell for gc in row.cells]
        where = (
            cells[-1].span
            if width < draft.width
            else next(gc.cell.span for gc in row.cells if gc.column >= draft.width)
        )
        diagnostics.append(
            parse_error(
                where,
                f"指标行应有 {draft.width} 个单元格，实有 {len(cells)} 个",
                f"indicator row should have {draft.width} cells, found {len(cells)}",
            )
        )
    span = c.row_span(row.cells[0].cell.span, row.cells[-1].cell.span)
    draft.rows.append((by_column, span, list(row.cells)))


def indicators(draft: Draft, forms: Forms, taxonomy: Taxonomy) -> tuple[list[Indicator], set[str]]:
    """The indicators of a table read, and the indicator fields its form does not have."""
    columns = draft.columns or {}
    rows = draft.rows
    absent = {f"indicator.{name}" for name in INDICATOR_COLUMNS if name not in columns}

    def column_texts(name: str) -> list[str]:
        index = columns.get(name)
        return (
            []
            if index is None
            else [c.text for r in rows if (c := r[0].get(index)) is not None and c.text]
        )

    level1_texts, level2_texts = column_texts("level1"), column_texts("level2")
    if rows and not level1_texts and not level2_texts:
        absent |= {"indicator.level1", "indicator.level2"}  # a table of 三级 only
    # a two-level table: the 一级 column holds 二级 names, the 二级 column the indicators
    two_level = (
        bool(level1_texts)
        and _two_level(level1_texts, level2_texts, taxonomy)
        and "level2" in columns
    )
    out: list[Indicator] = []
    previous: Indicator | None = None
    get = columns.get
    at1, at2, at_name, at_description, at_value, at_basis = (
        get(name, -1) for name in INDICATOR_COLUMNS
    )
    at_comparator, at_unit = get("comparator"), get("unit")
    extras = [get(key) for key in _EXTRA_COLUMNS]
    any_extras = any(index is not None for index in extras)
    no_extras = (None,) * len(extras)
    not_comparators = forms.not_comparators
    level2_known = "indicator.level2" not in absent
    for by_column, span, own in rows:
        fill = None

        def cell(index: int) -> Cell:
            nonlocal fill
            found = by_column.get(index)  # noqa: B023 (called within this iteration only)
            if found is None:
                if fill is None:
                    last = own[-1].cell.span  # noqa: B023 (called within this iteration only)
                    fill = Cell(
                        "",
                        Span(
                            last.path,
                            last.end_line,
                            last.end_col,
                            last.end_line,
                            last.end_col,
                            last.cell,
                        ),
                        True,
                    )
                return fill
            return found

        level1, level2, name = cell(at1), cell(at2), cell(at_name)
        if two_level:
            level1, level2 = Cell("", level1.span.point(), True), level1
            if not name.text:
                name = cell(at2)
        weight1 = weight2 = None
        if "分" in level1.text:
            level1, weight1 = _category(level1)
        if "分" in level2.text:
            level2, weight2 = _category(level2)
        if previous is not None and not level1.text:  # an empty category cell: merged from above
            if not level2.text:
                level1, level2 = previous.level1, previous.level2
            elif at1 >= 0 and not two_level:
                level1 = previous.level1  # else the 一级 follows from the 二级 written here
        if not level1.text and level2.text and level2_known:
            inferred = forms.level1_of.get(taxonomy.canonical_level2(level2.text) or "")
            if inferred:
                level1 = Cell(inferred, level2.span, False)
                absent.discard("indicator.level1")  # the model holds it now (and import writes it)
        value = cell(at_value)
        parts: tuple[Cell, ...] = ()
        if at_comparator is not None or at_unit is not None:
            comparator = cell(at_comparator) if at_comparator is not None else None
            unit = cell(at_unit) if at_unit is not None else None
            parts = tuple(c for c in (comparator, value, unit) if c is not None)
            sign = (
                comparator.text
                if comparator is not None and squash(comparator.text) not in not_comparators
                else ""
            )
            unit_text = unit.text if unit is not None else ""
            if value.text and (sign or unit_text):
                joined = tuple(
                    c
                    for c in (comparator if sign else None, value, unit if unit_text else None)
                    if c is not None
                )
                value = JoinedCell(sign + value.text + unit_text, value.span, False, joined)
        more = (
            [None if index is None else cell(index) for index in extras]
            if any_extras
            else no_extras
        )
        indicator = Indicator(
            level1,
            level2,
            name,
            cell(at_description),
            value,
            cell(at_basis),
            span,
            *more,
            weight1,
            weight2,
            parts,
        )  # the fields in their order: _EXTRA_COLUMNS, then the weights and the value's parts
        out.append(indicator)
        previous = indicator
    return out, absent


def _two_level(level1_texts: list[str], level2_texts: list[str], taxonomy: Taxonomy) -> bool:
    """Whether the 一级 column holds 二级 names (数量指标 …) and the 二级 column holds no categories."""
    if any(taxonomy.canonical_level1(t) and not taxonomy.canonical_level2(t) for t in level1_texts):
        return False
    if not any(
        taxonomy.canonical_level2(t) and not taxonomy.canonical_level1(t) for t in level1_texts
    ):
        return False
    categories = sum(
        1 for t in level2_texts if taxonomy.canonical_level2(t) or taxonomy.canonical_level1(t)
    )
    return categories * 2 < max(len(level2_texts), 1)


def _category(cell: Cell) -> tuple[Cell, Cell | None]:
    """A category cell and the weight written in it (产出指标(50分) → 50); `(50分)` alone is a weight only."""
    match = _WEIGHT.search(cell.text)
    if match is None:
        return cell, None
    group = 1 if match.group(1) else 2
    weight = c.part(cell, match.start(group), match.end(group))
    rest = (cell.text[: match.start()] + cell.text[match.end() :]).strip()
    if not re.sub(r"[\s()（）]", "", rest):
        return Cell("", cell.span.point(), True), weight
    return cell, weight
