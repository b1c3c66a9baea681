"""Build .docx / .xlsx filings for tests: from a text export (the seeds) or from rows given directly.

`export_blocks` splits a text export into paragraphs and table rows as Word's export wrote them
(one cell per tab-started line, continuation lines joined with "\\n", rows split by blank lines);
`write_docx` / `write_xlsx` lay them out again with python-docx / openpyxl, each table as wide
as its widest row (a shorter row's last cell spans the rest, as Word's gridSpan does).
"""

from __future__ import annotations

from pathlib import Path


def export_blocks(text: str) -> list:
    """[("p", text) | ("table", [[cell text, …], …])] of a text export."""
    blocks: list = []
    row: list | None = None

    def end_row():
        nonlocal row
        if row is not None:
            if not blocks or blocks[-1][0] != "table":
                blocks.append(("table", []))
            blocks[-1][1].append(row)
            row = None

    for line in text.splitlines():
        if line.startswith("\t"):
            if row is None:
                row = []
            row.append(line[1:])
        elif not line.strip():
            end_row()
        elif row is not None and not line.startswith("[bookmark:"):
            row[-1] = row[-1] + "\n" + line.strip() if row[-1] else line.strip()
        else:
            end_row()
            blocks.append(("p", line))
    end_row()
    return blocks


def write_docx(blocks, path: Path) -> Path:
    """A .docx of blocks ("p", text) and ("table", rows); a table row's cell may be a dict
    {"text", "rows", "cols"} for an explicit merge (covered positions: None)."""
    import docx

    document = docx.Document()
    for kind, content in blocks:
        if kind == "p":
            document.add_paragraph(content)
            continue
        width = max(
            sum(_cols(c) for c in r if c is not None) + sum(1 for c in r if c is None)
            for r in content
        )
        table = document.add_table(rows=len(content), cols=width)
        for r, cells in enumerate(content):
            column = 0
            for position, cell in enumerate(cells):
                if cell is None:
                    column += 1
                    continue
                text = cell["text"] if isinstance(cell, dict) else cell
                rows = cell.get("rows", 1) if isinstance(cell, dict) else 1
                cols = cell.get("cols", 1) if isinstance(cell, dict) else 1
                if position == len(cells) - 1 and not isinstance(cell, dict):
                    cols = width - column
                target = table.cell(r, column)
                if rows > 1 or cols > 1:
                    target = target.merge(table.cell(r + rows - 1, column + cols - 1))
                target.text = text
                column += cols
    document.save(path)
    return path


def _cols(cell) -> int:
    return cell.get("cols", 1) if isinstance(cell, dict) else 1


def write_xlsx(blocks, path: Path, title: str = "绩效目标表", formats: dict | None = None) -> Path:
    """An .xlsx of blocks on one sheet: paragraphs as a row merged across the width, table rows
    cell by cell (a cell may be a dict {"value", "format", "rows", "cols"}); `formats`: none."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    width = max([len(r) for kind, c in blocks if kind == "table" for r in c] or [1])
    row_no = 1
    for kind, content in blocks:
        if kind == "p":
            sheet.cell(row_no, 1, content)
            if width > 1:
                sheet.merge_cells(
                    start_row=row_no, start_column=1, end_row=row_no, end_column=width
                )
            row_no += 1
            continue
        for cells in content:
            for column, cell in enumerate(cells, start=1):
                if cell is None:
                    continue
                if isinstance(cell, dict):
                    target = sheet.cell(row_no, column, cell.get("value"))
                    if "format" in cell:
                        target.number_format = cell["format"]
                    if cell.get("rows", 1) > 1 or cell.get("cols", 1) > 1:
                        sheet.merge_cells(
                            start_row=row_no,
                            start_column=column,
                            end_row=row_no + cell.get("rows", 1) - 1,
                            end_column=column + cell.get("cols", 1) - 1,
                        )
                elif cell != "":
                    sheet.cell(row_no, column, cell)
            row_no += 1
    book.save(path)
    return path
