"""Word documents (.docx) as a Grid, read with lxml straight from `word/document.xml`.

The body is walked in order: each table's rows become grid rows (table = its number), each
paragraph between tables a one-cell row (table = -1). A merged cell is one GridCell:
`gridSpan` gives its columns, a `vMerge` restart and its continuations its rows. Paragraphs in
a cell are joined with "\\n", as are `<w:br/>` line breaks; `<w:tab/>` is "\\t". A table
inside a cell is read as a table of its own after the one that holds it (with a note).

A cell's text is given without the white space around it (as a text export gives it); its
span says where that text stands in the cell, whose whole text `CellRef.text` keeps. Every
cell's span names it by `CellRef`: `index` is its block's place in the body (tables and
paragraphs counted together, so findings sort in document order), `row`/`column` its 1-based
grid position, the label `表2 第5行第6列` (paragraph: `第3段`). `walk` is shared with the fixer
(perflint/office_fix.py), which finds a cell again by (index, row, column) and edits its runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perflint.model import Cell, CellRef, Span
from perflint.readers.grid import Grid, GridCell, GridRow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT, _CUSTOM = (
    W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
_T, _TAB, _BR, _CR, _NBH = (W + t for t in ("t", "tab", "br", "cr", "noBreakHyphen"))
_VAL = W + "val"
_TXBX = W + "txbxContent"  # a text box's text is not the cell's (not read)
_FALLBACK = (
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # a copy of the Choice
)
DOCUMENT = "word/document.xml"


@dataclass
class DocCell:
    """A cell (or paragraph) as found: its text, and for each `<w:t>` the offset its text starts at."""

    ref: CellRef
    column: int  # 0-based grid column
    text: str
    pieces: list = field(default_factory=list)  # [(offset in text, w:t element)]
    rows: int = 1
    cols: int = 1


def _children(element):
    """Block-level children, looking through content controls and custom XML."""
    for child in element:
        tag = child.tag
        if tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        elif tag == _CUSTOM:
            yield from _children(child)
        else:
            yield child


def paragraph_text(paragraphs) -> tuple[str, list]:
    """The text of paragraphs ("\\n" between them) and where each `<w:t>` starts in it."""
    parts: list[str] = []
    pieces: list = []
    size = 0
    for number, paragraph in enumerate(paragraphs):
        if number:
            parts.append("\n")
            size += 1
        elements = paragraph.iter(_T, _TAB, _BR, _CR, _NBH)
        if (
            paragraph.find(".//" + _TXBX) is not None
            or paragraph.find(".//" + _FALLBACK) is not None
        ):
            elements = [
                e
                for e in elements
                if not any(a.tag in (_TXBX, _FALLBACK) for a in e.iterancestors())
            ]
        for element in elements:
            tag = element.tag
            if tag == _T:
                text = element.text or ""
                if text:
                    pieces.append((size, element))
                    parts.append(text)
                    size += len(text)
                continue
            if tag == _BR and element.get(W + "type") not in (None, "textWrapping"):
                continue  # a page or column break is not a line of the text
            char = "\t" if tag == _TAB else "-" if tag == _NBH else "\n"
            parts.append(char)
            size += 1
    return "".join(parts), pieces


def _int(value, default: int) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return default


def walk(root) -> list[tuple[str, int, list, int]]:
    """The body's blocks in order: ("table", table number, rows of DocCells, depth) and
    ("paragraph", paragraph number, [DocCell], 0); nested tables (depth > 0) follow their outer table."""
    body = root.find(W + "body")
    if body is None:
        return []
    blocks: list = []
    counters = {"table": 0, "paragraph": 0}

    def table(tbl, depth: int) -> None:
        number = counters["table"]
        counters["table"] += 1
        index = len(blocks)
        blocks.append(None)  # the table's place, filled below (nested tables come after it)
        nested: list = []
        open_merges: dict[int, DocCell] = {}
        rows: list[list[DocCell]] = []
        for row_no, tr in enumerate(e for e in _children(tbl) if e.tag == _TR):
            column = 0
            tr_pr = tr.find(W + "trPr")
            if tr_pr is not None:
                before = tr_pr.find(W + "gridBefore")
                if before is not None:
                    column = _int(before.get(_VAL), 0)
            cells: list[DocCell] = []
            for tc in (e for e in _children(tr) if e.tag == _TC):
                tc_pr = tc.find(W + "tcPr")
                span, merge = 1, None
                if tc_pr is not None:
                    grid_span = tc_pr.find(W + "gridSpan")
                    if grid_span is not None:
                        span = _int(grid_span.get(_VAL), 1)
                    v_merge = tc_pr.find(W + "vMerge")
                    if v_merge is not None:
                        merge = v_merge.get(_VAL) or "continue"
                paragraphs = []
                for child in _children(tc):
                    if child.tag == _P:
                        paragraphs.append(child)
                    elif child.tag == _TBL:
                        nested.append(child)
                above = open_merges.get(column)
                if merge == "continue" and above is not None and above.cols == span:
                    above.rows += 1
                else:
                    text, pieces = paragraph_text(paragraphs)
                    ref = CellRef(
                        index,
                        row_no + 1,
                        column + 1,
                        f"表{number + 1} 第{row_no + 1}行第{column + 1}列",
                        f"table {number + 1} row {row_no + 1} col {column + 1}",
                        text=text,
                    )
                    cell = DocCell(ref, column, text, pieces, 1, span)
                    cells.append(cell)
                    if merge == "restart":
                        open_merges[column] = cell
                    else:
                        open_merges.pop(column, None)
                column += span
            rows.append(cells)
        blocks[index] = ("table", number, rows, depth)
        for inner in nested:
            table(inner, depth + 1)

    for child in _children(body):
        if child.tag == _P:
            number = counters["paragraph"]
            counters["paragraph"] += 1
            text, pieces = paragraph_text([child])
            ref = CellRef(
                len(blocks), 1, 1, f"第{number + 1}段", f"paragraph {number + 1}", text=text
            )
            blocks.append(("paragraph", number, [DocCell(ref, 0, text, pieces)], 0))
        elif child.tag == _TBL:
            table(child, 0)
    return blocks


def _after(text: str) -> tuple[int, int]:
    """The 1-based (line, column) just after `text` (lines split at "\n")."""
    last = text.rfind("\n")
    return text.count("\n") + 1, len(text) - last


def located_cell(path: str, raw: str, ref: CellRef) -> Cell:
    """A cell's Cell: its text without the white space around it (and at the end of each of its
    lines), as a text export gives it; the span is where that text stands in the raw text, so a
    part of it is located and fixed in the cell exactly."""
    if "\n" not in raw and (
        not raw or not (raw[0].isspace() or raw[-1].isspace())
    ):  # the common case
        return Cell(raw, Span(path, 1, 1, 1, len(raw) + 1, ref), True)
    text = raw.strip()
    if not text:
        return Cell("", Span(path, 1, 1, 1, 1, ref), True)
    lead = raw[: len(raw) - len(raw.lstrip())]
    line, col = _after(lead)
    end_line, end_col = _after(raw[: len(raw.rstrip())])
    if "\n" in text:
        return Cell(
            "\n".join(part.rstrip() for part in text.split("\n")),
            Span(path, line, col, end_line, end_col, ref),
            False,
        )
    return Cell(text, Span(path, line, col, end_line, end_col, ref), True)


def _grid_cell(path: str, doc: DocCell) -> GridCell:
    return GridCell(located_cell(path, doc.text, doc.ref), doc.column, doc.rows, doc.cols)


def read_docx_grid(path: str, data: bytes) -> Grid:
    """A .docx file's Grid (OfficeError for what is not a readable Word document)."""
    from perflint.readers.office import OfficeError, Package

    package = Package(data)
    if not package.has(DOCUMENT):
        if package.has("xl/workbook.xml"):
            raise OfficeError(
                "文件是 Excel 工作簿，扩展名却是 Word 的；请改为 .xlsx",
                "the file is an Excel workbook with a Word suffix; rename it .xlsx",
            )
        raise OfficeError(
            "文件不是 Word 文档（缺少 word/document.xml）",
            "not a Word document (no word/document.xml)",
        )
    root = package.xml(DOCUMENT)
    rows: list[GridRow] = []
    notes: list[tuple[str, str]] = []
    for kind, number, content, depth in walk(root):
        if kind == "paragraph":
            doc = content[0]
            if doc.text.strip():
                rows.append(GridRow((_grid_cell(path, doc),), -1, number))
            continue
        if depth:
            notes.append(
                (
                    f"表{number + 1} 是嵌套在单元格中的表格，按单独的表格读取",
                    f"table {number + 1} is nested in a cell; read as a table of its own",
                )
            )
        for row_no, cells in enumerate(content):
            rows.append(GridRow(tuple(_grid_cell(path, doc) for doc in cells), number, row_no))
    return Grid(path, tuple(rows), "docx", tuple(notes))
