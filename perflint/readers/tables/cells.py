"""Parts of a cell as Cells, located exactly where the cell is laid out directly."""

from __future__ import annotations

import re

from perflint.model import Cell, Span

NUMBERING = re.compile(r"^\s*\d+\s*[.、．](?!\d)\s*")
_YEAR_TEXT = re.compile(r"(20\d\d)年")
# department code and name in one cell: [015001]名称, 776001-名称, (433)名称, 455001唐山市…
_DEPARTMENT = re.compile(r"^[\[【(（]?\s*(\d{3,12})\s*[\]】)）]?\s*[-—－_·.]?\s*(\S.*)$", re.S)
_BARE_CODE = re.compile(r"^\d{2,12}$")
_AMOUNT = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)?(?:\s*(?:万元|亿元|千元|元|万))?")
_CODE_YEAR = re.compile(r"^\d{6}(\d{2})P")


def part(cell: Cell, start: int, end: int) -> Cell:
    """`cell.text[start:end]` as a Cell: located exactly when the cell is laid out directly."""
    span = cell.sub_span(start, end)
    text = cell.text[start:end]
    return Cell(text, span, True) if span is not None else Cell(text, cell.span, False)


def after(cell: Cell) -> Cell:
    """An empty Cell just after `cell` (where a missing value would be written)."""
    s = cell.span
    return Cell("", Span(s.path, s.end_line, s.end_col, s.end_line, s.end_col, s.cell), True)


def empty(at: Span) -> Cell:
    return Cell("", at.point(), True)


def unit_cell(cell: Cell, unit: str) -> Cell:
    index = cell.text.find(unit)
    return part(cell, index, index + len(unit)) if index >= 0 else Cell(unit, cell.span, False)


def amount(cell: Cell) -> Cell:
    """The amount in a money cell (450,000.00, 120万, 300万(其中…)): the number and its unit."""
    text = cell.text
    match = _AMOUNT.search(text)
    if match is None or match.group() == text.strip():
        return cell
    if text[: match.start()].strip() and not re.fullmatch(r"[\s约计共合]*", text[: match.start()]):
        return cell
    return part(cell, match.start(), match.end())


def department(cell: Cell) -> tuple[Cell | None, Cell] | None:
    """(code, name) of “[021001]某县交通运输局”, “318002-某市文化馆”, “(433)某局”, “455001唐山市…”."""
    text = cell.text
    if _BARE_CODE.match(text):
        return cell, Cell("", after(cell).span, True)
    match = _DEPARTMENT.match(text)
    if match is None or match.group(2)[:1] in "年月日元万%.,，、" or "\n" in match.group(2):
        return None
    return part(cell, match.start(1), match.end(1)), part(cell, match.start(2), len(text.rstrip()))


def trim_front(cell: Cell, count: int) -> Cell:
    """`cell` without its first `count` characters and the spaces after them."""
    text = cell.text[count:].lstrip()
    cut = len(cell.text) - len(text)
    span = cell.span
    return Cell(
        text,
        Span(span.path, span.line, span.col + cut, span.end_line, span.end_col, span.cell),
        cell.direct,
    )


def join(cells: list[Cell]) -> Cell | None:
    """Paragraphs as one Cell spanning all of them."""
    if not cells:
        return None
    if len(cells) == 1:
        return cells[0]
    first, last = cells[0].span, cells[-1].span
    span = Span(first.path, first.line, first.col, last.end_line, last.end_col, first.cell)
    return Cell("\n".join(c.text for c in cells), span)


def row_span(first: Span, end: Span) -> Span:
    """The span from the start of a row's first cell to the end of its last."""
    return Span(
        first.path,
        first.line,
        1 if first.cell is None else first.col,
        end.end_line,
        end.end_col,
        first.cell,
    )


def year_from_text(cells: list[Cell]) -> Cell | None:
    """The year (20xx年) written in the first of `cells` that names one."""
    for cell in cells:
        match = _YEAR_TEXT.search(cell.text)
        if match and cell.direct:
            return Cell(match.group(1), cell.sub_span(match.start(1), match.end(1)), True)
    return None


def code_year(code: Cell) -> Cell | None:
    """The year a project code carries (`130100 23 P…` → 2023), or None."""
    match = _CODE_YEAR.match(code.text)
    if not match or not code.direct:
        return None
    return Cell("20" + match.group(1), code.sub_span(match.start(1), match.end(1)), False)


def goal_statements(cell: Cell, lines) -> list[Cell]:
    """Split a 绩效目标 cell into numbered statements, one per line."""
    pieces = [cell] if cell.direct or "\n" not in cell.text else _split_cell_lines(cell, lines)
    statements = []
    for piece in pieces:
        number = NUMBERING.match(piece.text)
        if number and piece.direct:
            piece = trim_front(piece, number.end())
        if piece.text:
            statements.append(piece)
    return statements


def _split_cell_lines(cell: Cell, lines) -> list[Cell]:
    """A multi-line cell as one Cell per line. In a text export a continuation line's text starts
    after its indent; in a workbook or document cell, lines count inside the cell."""
    out = []
    s = cell.span
    for index, text in enumerate(cell.text.split("\n")):
        if s.cell is not None:
            line, col = s.line + index, s.col if index == 0 else 1
        elif index == 0:
            line, col = s.line, s.col
        elif lines is not None and s.line + index <= len(lines):
            line = s.line + index
            raw = lines[line - 1]
            col = len(raw) - len(raw.lstrip()) + 1
        else:
            out.append(Cell(text, s, False))
            continue
        out.append(Cell(text, Span(s.path, line, col, line, col + len(text), s.cell), True))
    return out
