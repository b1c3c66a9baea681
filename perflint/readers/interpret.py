"""The table interpreter: any `Grid` (text export, .docx, .xlsx) → a `Filing`.

A goal table is a title, information rows (label, value, label, value …), an indicator table
(one or two header rows, then one row per 三级指标) and trailer rows. A new title, a new
information block after an indicator table, or a new header row starts a new table (a new
project). What the words mean is data (`rules/forms/forms.yaml`, read by
`perflint.readers.forms`); this module segments a grid into tables and projects and gives each
row to the part that reads it (`perflint.readers.tables`). Fields a form does not have are
recorded in `Project.absent`.

Paragraph rows (`table` = -1) carry the seeds' 第一部分 (部门整体绩效目标: 总体 and 分项 goals)
and the titles and lines around a table.
"""

from __future__ import annotations

import re

from perflint.diagnostics import Diagnostic
from perflint.model import Cell, Filing, Span
from perflint.readers import ReadResult, parse_error
from perflint.readers.forms import Forms, builtin_forms
from perflint.readers.grid import Grid, GridRow, collector_paused
from perflint.readers.tables import cells as c
from perflint.readers.tables.draft import Draft
from perflint.readers.tables.header import divided, header
from perflint.readers.tables.indicators import advance_carry, indicator_row
from perflint.readers.tables.info import decor, info_row, title, trailer_rows
from perflint.readers.tables.project import build_project
from perflint.readers.text_grid import BOOKMARK, text_grid
from perflint.source import split_lines
from perflint.taxonomy import load_taxonomy

_PART_NUMBER = re.compile(r"\s*([一二三四五六七八九十]+)\s*[、.．]\s*")
_SPACES = re.compile(r"\s+")


def read_grid_text(path: str, text: str, forms: Forms | None = None) -> ReadResult:
    """Read a text export: its grid, interpreted with `forms` (default: the package's words)."""
    if not text.strip():
        return ReadResult(
            None, (parse_error(Span(path, 1, 1, 1, 1), "文件为空", "the file is empty"),)
        )
    with collector_paused():
        return interpret(text_grid(path, text), forms, split_lines(text))


class _Tables:
    """The tables of a grid as they are read: the last one is the one rows go to."""

    def __init__(self, flat: bool):
        self.drafts: list[Draft] = []
        self.flat = flat

    def current(self, at: Span) -> Draft:
        if not self.drafts:
            self.drafts.append(Draft(at.point(), flat=self.flat))
        return self.drafts[-1]

    def new(self, at: Span) -> Draft:
        """A new table starting at `at` (the current one, while nothing but a title is read)."""
        if self.drafts and not self.drafts[-1].substance:
            return self.drafts[-1]
        self.drafts.append(Draft(at, flat=self.flat))
        return self.drafts[-1]


def interpret(grid: Grid, forms: Forms | None = None, lines: list[str] | None = None) -> ReadResult:
    """The Filing a grid holds (PF001 findings for what cannot be read).

    `lines` are a text source's lines, to locate each line of a multi-line goal cell exactly.
    """
    with collector_paused():
        return _interpret(grid, forms or builtin_forms(), lines)


def _interpret(grid: Grid, forms: Forms, lines: list[str] | None) -> ReadResult:
    path = grid.path
    diagnostics: list[Diagnostic] = []
    part = 0
    section = ""
    overall: list[Cell] = []
    sub_goals: list[Cell] = []
    tables = _Tables(grid.format == "text")
    drafts = tables.drafts

    for row in grid.rows:
        if row.table != -1:
            _table_row(row, tables, forms, diagnostics, lines)
            continue
        if not row.cells:
            continue
        cell = row.cells[0].cell
        bookmark = BOOKMARK.match(cell.text)
        body = c.trim_front(cell, bookmark.end()) if bookmark else cell
        squashed = _SPACES.sub("", body.text)
        if not squashed:
            continue
        if squashed in ("第一部分", "第二部分"):
            part = 1 if squashed == "第一部分" else 2
            continue
        if forms.title(body.text):
            part = 2
            title(tables.new(body.span), body, forms)
            continue
        heading = _part_heading(body.text)
        if heading and part != 2 and not drafts:
            section = "overall" if "总体" in heading else "sub" if "分项" in heading else "other"
            continue
        if part == 2 or drafts:
            if drafts:
                decor(drafts[-1], body, forms)
            continue  # prose between tables (e.g. 预算项目绩效目标) carries no data
        if section == "overall":
            overall.append(body)
        elif section == "sub":
            number = c.NUMBERING.match(body.text)
            sub_goals.append(c.trim_front(body, number.end()) if number else body)

    taxonomy = load_taxonomy()
    projects = [build_project(d, forms, taxonomy, diagnostics) for d in drafts]
    if not projects:
        diagnostics.append(
            parse_error(
                Span(path, 1, 1, 1, 1),
                "未找到项目绩效目标表（以制表符开头的表格行）",
                "no project goal table (tab-separated table rows) found",
            )
        )
    first = next((d for d in drafts if d.department_code or d.department_name), None)
    year = next((d.year for d in drafts if d.year), None) or c.year_from_text(overall)
    if year is None:
        year = next((found for p in projects if (found := c.code_year(p.code))), None)
    filing = Filing(
        path=path,
        department_code=first.department_code if first else None,
        department_name=first.department_name if first else None,
        year=year,
        money_unit=drafts[0].money_unit if drafts else None,
        overall_goal=c.join(overall),
        sub_goals=tuple(sub_goals),
        projects=tuple(projects),
        format=grid.format,
    )
    return ReadResult(filing, tuple(diagnostics))


def _table_row(
    row: GridRow, tables: _Tables, forms: Forms, diagnostics: list[Diagnostic], lines
) -> None:
    """Give a table row to the table it belongs to, as a header, indicator, trailer or
    information row (a header row, a title or a label after an indicator table starts a new one)."""
    if not row.cells:
        return
    draft = tables.current(row.cells[0].cell.span)
    for gc in row.cells:
        if gc.cell.text:
            break
    else:
        if (
            draft.flat
            and draft.columns is not None
            and not draft.trailing
            and len(row.cells) == draft.width
        ):
            draft.blank.append(row)
            return
        advance_carry(draft, {gc.column: gc for gc in row.cells})
        return
    found = header(row, forms)
    if found is not None:
        if draft.columns is not None or draft.rows:
            draft = tables.new(row.cells[0].cell.span.point())
        draft.set_header(found)
        return
    top = draft.header
    if top is not None and not top.second and not draft.rows and not draft.blank:
        second = divided(top, row, forms, draft.flat)
        if second is not None:
            draft.set_header(second)
            return
    first = row.cells[0]
    lead = first.cell if first.column == 0 else None
    if draft.columns is not None:
        starts = forms.starts(lead.text) if lead is not None and lead.text else None
        if starts == "table":
            draft = tables.new(lead.span.point())
        elif starts == "trailer" or draft.trailing:
            draft.trailing = True
            draft.trailers.extend(trailer_rows([gc.cell for gc in row.cells]))
            return
        else:
            for blank in draft.blank:
                indicator_row(draft, blank, diagnostics)
            draft.blank.clear()
            indicator_row(draft, row, diagnostics)
            return
    info_row(draft, [gc.cell for gc in row.cells], forms, lines)


def _part_heading(text: str) -> str | None:
    r"""The title of a part heading “一、总体绩效目标”, or None (``^\s*([一…十]+)\s*[、.．]\s*(\S.*?)\s*$``)."""
    number = _PART_NUMBER.match(text)
    return (text[number.end() :].rstrip() or None) if number else None
