"""Excel workbooks (.xlsx / .xlsm read with lxml, perflint/readers/xlsx_parts.py; legacy .xls
with xlrd) as a Grid.

Every visible sheet is read in order, each row from the sheet's first used column to its last
filled (or merged) cell; empty rows are left out. A merged range is one GridCell (its top-left cell, with rows/cols).
Values are the text a person sees: numbers through their number format (perflint/readers/
numfmt.py), formulas by their cached value, dates as dates. A row that is one cell merged
across the sheet's used width (a title, `(2023年度)`, `单位:万元`) is a paragraph row
(table = -1), as the lines around a Word table are. Hidden sheets and hidden rows are
skipped, each with a note. A cell's `CellRef` is `绩效目标表!E12`: `index` is the sheet's place
in the workbook, `sheet` its name.
"""

from __future__ import annotations

import io
import re

from perflint.model import CellRef
from perflint.readers.docx_grid import located_cell
from perflint.readers.grid import Grid, GridCell, GridRow
from perflint.readers.numfmt import display

_PLAIN_SHEET = re.compile(r"^[^\s!'\"()\[\]{}<>,;:+\-*/=&^%$#@~`|\\?]+$")


def column_letter(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_prefix(sheet: str) -> str:
    """`绩效目标表!`: the sheet name quoted as Excel quotes it when it needs to be."""
    return (sheet if _PLAIN_SHEET.match(sheet) else "'" + sheet.replace("'", "''") + "'") + "!"


def address(sheet: str, row: int, column: int) -> str:
    """`绩效目标表!E12`."""
    return f"{sheet_prefix(sheet)}{column_letter(column)}{row}"


def _rows_of(
    path: str, index: int, sheet: str, values: dict, merges: dict, covered: set, hidden_rows: set
) -> list[GridRow]:
    """Grid rows of one sheet from {(row, column): text}, {top-left: (rows, cols)} and the
    positions a merge covers."""
    used = [key for key, text in values.items() if text] + list(merges)
    if not used:
        return []
    first_col = min(c for _, c in used)
    last_col = max(c + merges.get((r, c), (1, 1))[1] - 1 for r, c in used)
    prefix = sheet_prefix(sheet)
    letters = {c: column_letter(c) for c in range(first_col, last_col + 1)}
    ends: dict[
        int, int
    ] = {}  # row → its last filled (or merged) column: empty cells after it are not read
    for r, c in used:
        if values.get((r, c)) or (r, c) in merges:
            ends[r] = max(ends.get(r, 0), c)
    out = []
    for row in sorted(ends):
        if row in hidden_rows:
            continue
        cells = []
        for column in range(first_col, ends[row] + 1):
            if (row, column) in covered:
                continue
            text = values.get((row, column), "")
            rows, cols = merges.get((row, column), (1, 1))
            label = f"{prefix}{letters[column]}{row}"
            ref = CellRef(index, row, column, label, label, sheet, text)
            cells.append(GridCell(located_cell(path, text, ref), column - 1, rows, cols))
        if (
            len(cells) == 1
            and cells[0].cols > 1
            and cells[0].column == first_col - 1
            and cells[0].column + cells[0].cols == last_col
        ):
            out.append(
                GridRow(tuple(cells), -1, row - 1)
            )  # one cell merged across the sheet's width: a title line
        elif cells:
            out.append(GridRow(tuple(cells), index, row - 1))
    return out


def _hidden_note(sheet: str, rows: list[int]) -> tuple[str, str]:
    shown = "、".join(str(r) for r in rows[:10]) + ("…" if len(rows) > 10 else "")
    return (
        f"工作表“{sheet}”的隐藏行（第 {shown} 行）未检查",
        f"hidden rows of sheet '{sheet}' ({shown.replace('、', ', ')}) not checked",
    )


def read_xlsx_grid(path: str, data: bytes) -> Grid:
    """An .xlsx / .xlsm file's Grid (OfficeError for what is not a readable workbook)."""
    from perflint.readers.office import OfficeError, Package, check_parts

    package = Package(data)
    if not package.has("xl/workbook.xml"):
        if package.has("word/document.xml"):
            raise OfficeError(
                "文件是 Word 文档，扩展名却是 Excel 的；请改为 .docx",
                "the file is a Word document with an Excel suffix; rename it .docx",
            )
        raise OfficeError(
            "文件不是 Excel 工作簿（缺少 xl/workbook.xml）",
            "not an Excel workbook (no xl/workbook.xml)",
        )
    check_parts(package)
    from perflint.readers.xlsx_parts import read_workbook

    rows: list[GridRow] = []
    notes: list[tuple[str, str]] = []
    sheets, _ = read_workbook(package)
    for index, sheet in enumerate(sheets):
        title = sheet.name
        if sheet.state != "visible":
            notes.append((f"隐藏的工作表“{title}”未检查", f"hidden sheet '{title}' not checked"))
            continue
        merges, covered = {}, set()
        for r0, c0, r1, c1 in sheet.merges:
            merges[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
            covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
            covered.discard((r0, c0))
        codes = sheet.formats
        values = {
            key: display(value, codes.get(key))
            for key, value in sheet.values.items()
            if key not in covered
        }
        hidden_used = sorted(sheet.hidden_rows & {r for (r, _), text in values.items() if text})
        if hidden_used:
            notes.append(_hidden_note(title, hidden_used))
        rows.extend(_rows_of(path, index, title, values, merges, covered, sheet.hidden_rows))
    return Grid(path, tuple(rows), "xlsx", tuple(notes))


def read_xls_grid(path: str, data: bytes) -> Grid:
    """A legacy .xls file's Grid, read with xlrd (numbers by their format, dates as dates)."""
    from perflint.readers.office import OfficeError, kind_of

    if kind_of(data) == "zip":
        raise OfficeError(
            "文件是新版 Office（zip）文件，扩展名却是 .xls；请改为 .xlsx",
            "the file is an Office zip package with the suffix .xls; rename it .xlsx",
        )
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=False, logfile=io.StringIO()
        )
    except Exception as error:
        raise OfficeError(
            f"无法读取 .xls 工作簿：{error}", f"cannot read the .xls workbook: {error}"
        ) from None
    rows: list[GridRow] = []
    notes: list[tuple[str, str]] = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        if sheet.visibility:
            notes.append(
                (f"隐藏的工作表“{sheet.name}”未检查", f"hidden sheet '{sheet.name}' not checked")
            )
            continue
        merges, covered = {}, set()
        for r0, r1, c0, c1 in sheet.merged_cells:
            merges[(r0 + 1, c0 + 1)] = (r1 - r0, c1 - c0)
            covered.update((r + 1, c + 1) for r in range(r0, r1) for c in range(c0, c1))
            covered.discard((r0 + 1, c0 + 1))
        values = {}
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if (r + 1, c + 1) in covered or cell.ctype in (
                    xlrd.XL_CELL_EMPTY,
                    xlrd.XL_CELL_BLANK,
                ):
                    continue
                values[(r + 1, c + 1)] = _xls_text(book, cell)
        hidden = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}
        hidden_used = sorted(hidden & {r for (r, _), text in values.items() if text})
        if hidden_used:
            notes.append(_hidden_note(sheet.name, hidden_used))
        rows.extend(_rows_of(path, index, sheet.name, values, merges, covered, hidden))
    return Grid(path, tuple(rows), "xls", tuple(notes))


def _xls_text(book, cell) -> str:
    import xlrd

    fmt = None
    try:
        xf = book.xf_list[cell.xf_index]
        fmt = book.format_map[xf.format_key].format_str
    except (IndexError, KeyError, TypeError, AttributeError):
        pass
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return display(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), fmt)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return display(cell.value, None)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return display(bool(cell.value), fmt)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return display(cell.value, fmt)
