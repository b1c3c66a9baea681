"""The table interpreter: any `Grid` (text export, .docx, .xlsx) → a `Filing`.

A goal table is a title, information rows (label, value, label, value …), an indicator table
(a header row, then one row per 三级指标) and trailer rows. A new title, a new information block
after an indicator table, or a new header row starts a new table (a new project). What the
words mean is data (`rules/forms/forms.yaml`, read by `perflint.readers.forms`); this module
only knows the shapes. Fields a form does not have are recorded in `Project.absent`.

Paragraph rows (`table` = -1) carry the seeds' 第一部分 (部门整体绩效目标: 总体 and 分项 goals)
and the titles and lines around a table.
"""

from __future__ import annotations

import gc as _gc
import re
from dataclasses import dataclass, field

from perflint.diagnostics import Diagnostic
from perflint.model import Cell, Checkpoint, Filing, Indicator, InfoRow, JoinedCell, Project, Span
from perflint.readers import ReadResult, parse_error
from perflint.readers.forms import Forms, load_forms, squash
from perflint.readers.grid import Grid, GridCell, GridRow
from perflint.readers.text_grid import BOOKMARK
from perflint.source import split_lines

_PART_NUMBER = re.compile(r"\s*([一二三四五六七八九十]+)\s*[、.．]\s*")
_NUMBERING = re.compile(r"^\s*\d+\s*[.、．](?!\d)\s*")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年")
_YEAR = re.compile(r"20\d\d")
_YEAR_TEXT = re.compile(r"(20\d\d)年")
# department code and name in one cell: [015001]名称, 776001-名称, (433)名称, 455001唐山市…
_DEPARTMENT = re.compile(r"^[\[【(（]?\s*(\d{3,12})\s*[\]】)）]?\s*[-—－_·.]?\s*(\S.*)$", re.S)
_BARE_CODE = re.compile(r"^\d{2,12}$")
_AMOUNT = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)?(?:\s*(?:万元|亿元|千元|元|万))?")
_WEIGHT = re.compile(
    r"[（(]\s*(\d+(?:\.\d+)?(?:\s*[-~～—]\s*\d+(?:\.\d+)?)?)\s*(?:分\s*[)）]|[)）]\s*分)|(\d+(?:\.\d+)?)\s*分"
)
_CODE_YEAR = re.compile(r"^\d{6}(\d{2})P")

PROJECT_FIELDS = (
    "code",
    "name",
    "budget_total",
    "budget_fiscal",
    "budget_other",
    "purpose",
    "spending_plan",
    "goals",
)
INDICATOR_COLUMNS = ("level1", "level2", "name", "description", "value", "basis")
_EXTRA_COLUMNS = ("period_value", "weight", "direction", "actual", "score", "deviation", "note")


def read_grid_text(path: str, text: str) -> ReadResult:
    """Read a text export: its grid, interpreted (the reader registered for .txt)."""
    from perflint.readers.text_grid import text_grid

    if not text.strip():
        return ReadResult(
            None, (parse_error(Span(path, 1, 1, 1, 1), "文件为空", "the file is empty"),)
        )
    # Reading makes many small objects and no reference cycles: the cyclic collector, run again
    # and again as they are made, would only walk them (a third of the reading time). It is
    # paused while one file is read and runs as before afterwards.
    paused = _gc.isenabled()
    _gc.disable()
    try:
        return interpret(text_grid(path, text), lines=split_lines(text))
    finally:
        if paused:
            _gc.enable()


@dataclass
class _Draft:
    """A table being read: the fields found so far, by what the form has."""

    span: Span
    kind: str = "project"
    year: Cell | None = None
    fields: dict[str, Cell] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)  # PROJECT_FIELDS the form has
    department_code: Cell | None = None
    department_name: Cell | None = None
    money_unit: Cell | None = None
    plan_labels: list[Cell] = field(default_factory=list)
    plan_values: list[Cell] | None = None
    goals: list[Cell] = field(default_factory=list)
    info: list[InfoRow] = field(default_factory=list)
    trailers: list[InfoRow] = field(default_factory=list)
    columns: dict[str, int] | None = None  # field → grid column of the header
    width: int = 0  # the header's columns
    rows: list[tuple[dict[int, Cell], Span, list[GridCell]]] = field(default_factory=list)
    carry: dict[int, tuple[Cell, int]] = field(
        default_factory=dict
    )  # column → (merged cell, rows left)
    trailing: bool = False
    flat: bool = False  # the grid has no merged cells (a text export)
    # rows with nothing written in them inside an indicator table: an unfilled template row when
    # more indicators follow (read as one then), a spacer when the table ends after them
    blank: list[GridRow] = field(default_factory=list)
    previous: str = ""  # the key of the last information row (for the seeds' unlabelled rows)
    substance: bool = False  # something beyond a title was read

    def has(self, name: str) -> None:
        self.seen.add(name)
        self.substance = True


def interpret(grid: Grid, forms: Forms | None = None, lines: list[str] | None = None) -> ReadResult:
    """The Filing a grid holds (PF001 findings for what cannot be read).

    `lines` are a text source's lines, to locate each line of a multi-line goal cell exactly.
    """
    forms = forms or load_forms()
    path = grid.path
    diagnostics: list[Diagnostic] = []
    start = Span(path, 1, 1, 1, 1)
    part = 0
    section = ""
    overall: list[Cell] = []
    sub_goals: list[Cell] = []
    drafts: list[_Draft] = []

    flat = grid.format == "text"

    def current(at: Span) -> _Draft:
        if not drafts:
            drafts.append(_Draft(at.point(), flat=flat))
        return drafts[-1]

    def new_draft(at: Span) -> _Draft:
        if drafts and not drafts[-1].substance:
            return drafts[-1]
        drafts.append(_Draft(at, flat=flat))
        return drafts[-1]

    for row in grid.rows:
        if row.table == -1:
            if not row.cells:
                continue
            cell = row.cells[0].cell
            bookmark = BOOKMARK.match(cell.text)
            body = _trim_front(cell, bookmark.end()) if bookmark else cell
            squashed = re.sub(r"\s+", "", body.text)
            if not squashed:
                continue
            if squashed in ("第一部分", "第二部分"):
                part = 1 if squashed == "第一部分" else 2
                continue
            if forms.title(body.text):
                part = 2
                draft = new_draft(body.span)
                _title(draft, body, forms)
                continue
            title = _part_heading(body.text)
            if title and part != 2 and not drafts:
                section = "overall" if "总体" in title else "sub" if "分项" in title else "other"
                continue
            if part == 2 or drafts:
                if drafts:
                    _decor(drafts[-1], body, forms)
                continue  # prose between tables (e.g. 预算项目绩效目标) carries no data
            if section == "overall":
                overall.append(body)
            elif section == "sub":
                number = _NUMBERING.match(body.text)
                sub_goals.append(_trim_front(body, number.end()) if number else body)
            continue
        _table_row(row, current, new_draft, forms, diagnostics, lines)

    taxonomy = _taxonomy()
    projects = [_project(d, forms, taxonomy, diagnostics) for d in drafts]
    if not projects:
        diagnostics.append(
            parse_error(
                start,
                "未找到项目绩效目标表（以制表符开头的表格行）",
                "no project goal table (tab-separated table rows) found",
            )
        )
    first = next((d for d in drafts if d.department_code or d.department_name), None)
    department_code = first.department_code if first else None
    department_name = first.department_name if first else None
    money_unit = drafts[0].money_unit if drafts else None
    year = next((d.year for d in drafts if d.year), None) or _year_from_text(overall)
    if year is None:
        year = next((_code_year(p.code) for p in projects if _code_year(p.code)), None)
    filing = Filing(
        path=path,
        department_code=department_code,
        department_name=department_name,
        year=year,
        money_unit=money_unit,
        overall_goal=_join(overall),
        sub_goals=tuple(sub_goals),
        projects=tuple(projects),
        format=grid.format,
    )
    return ReadResult(filing, tuple(diagnostics))


def _taxonomy():
    from perflint.taxonomy import load_taxonomy

    return load_taxonomy()


# ---------------------------------------------------------------------------------------------
# Rows of a table


def _table_row(
    row: GridRow, current, new_draft, forms: Forms, diagnostics: list[Diagnostic], lines
) -> None:
    if not row.cells:
        return
    draft = current(row.cells[0].cell.span)
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
        _advance_carry(draft, {gc.column: gc for gc in row.cells})
        return
    columns = _header(row, forms)
    if columns is not None:
        if draft.columns is not None or draft.rows:
            draft = new_draft(row.cells[0].cell.span.point())
        draft.columns, draft.width = columns
        draft.substance = True
        draft.carry.clear()
        return
    first = row.cells[0]
    lead = first.cell if first.column == 0 else None
    if draft.columns is not None:
        starts = forms.starts(lead.text) if lead is not None and lead.text else None
        if starts == "table":
            draft = new_draft(lead.span.point())
        elif starts == "trailer" or draft.trailing:
            draft.trailing = True
            draft.trailers.extend(_trailer_rows([gc.cell for gc in row.cells]))
            return
        else:
            for blank in draft.blank:
                _indicator_row(draft, blank, diagnostics)
            draft.blank.clear()
            _indicator_row(draft, row, diagnostics)
            return
    _info_row(draft, [gc.cell for gc in row.cells], forms, lines)


def _trailer_rows(cells: list[Cell]) -> list[InfoRow]:
    texts = [c for c in cells if c.text]
    if not texts:
        return []
    return [InfoRow("trailer", texts[0], _join(texts[1:]) if len(texts) > 1 else None)]


def _header(row: GridRow, forms: Forms) -> tuple[dict[str, int], int] | None:
    """({field: column}, width) when the row is an indicator-table header, else None."""
    found: dict[str, int] = {}
    matched = 0
    # a header starts with header words (一级指标 …, perhaps after a 序号 column): a row whose first
    # two written cells are not is no header, told after two look-ups
    if len(row.cells) < 3:
        return None
    tried = 0
    for gc in row.cells:
        text = gc.cell.text
        if text:
            if forms.column(text):
                break
            tried += 1
            if tried == 2:
                return None
    else:
        return None
    for gc in row.cells:
        name = forms.column(gc.text)
        if name is None:
            continue
        matched += 1
        if name == "value" and "value" in found and "period_value" not in found:
            found["period_value"] = found.pop(
                "value"
            )  # 实施期指标值 | 年度指标值: the later is the year's
        found.setdefault(name, gc.column)
    if matched < 3 or "name" not in found or not ({"value", "period_value"} & found.keys()):
        return None
    if "standard" in found:
        column = found.pop("standard")
        found.setdefault("basis" if "basis" not in found else "description", column)
    if "value" not in found:
        found["value"] = found.pop("period_value")
    width = max(gc.column + gc.cols for gc in row.cells)
    return found, width


def _advance_carry(draft: _Draft, own: dict[int, GridCell]) -> dict[int, Cell]:
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


def _indicator_row(draft: _Draft, row: GridRow, diagnostics: list[Diagnostic]) -> None:
    grid_cells = row.cells
    last = grid_cells[-1]
    if draft.flat and not draft.carry:  # a text export: no merges, cells in column order
        by_column = {gc.column: gc.cell for gc in grid_cells}
        width, merged = last.column + 1, False
    else:
        own = {gc.column: gc for gc in grid_cells}
        by_column = _advance_carry(draft, own)
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
    first, end = row.cells[0].cell.span, row.cells[-1].cell.span
    span = Span(
        first.path,
        first.line,
        1 if first.cell is None else first.col,
        end.end_line,
        end.end_col,
        first.cell,
    )
    draft.rows.append((by_column, span, list(row.cells)))


def _info_row(draft: _Draft, cells: list[Cell], forms: Forms, lines) -> None:
    """Label/value pairs in any order and number; titles, year and unit lines; the seeds' rows."""
    if not cells[0].text:
        if draft.previous == "money" and len(cells) > 1 and "purpose" not in draft.seen:
            draft.fields["purpose"] = cells[1]
            draft.has("purpose")
            draft.previous = ""
            return
        if draft.previous == "plan" and draft.plan_values is None:
            draft.plan_values = cells[1:]
            draft.previous = ""
            return
    index = 0
    labelled = False
    draft.previous = ""
    while index < len(cells):
        cell = cells[index]
        index += 1
        if not cell.text:
            continue
        known = forms.label(cell.text)
        inline = None
        if known is None:
            inline = _inline(cell, forms)
            if inline is not None:
                known, value = inline
        if known is not None:
            key, unit = known
            labelled = True
            if unit and draft.money_unit is None:
                draft.money_unit = _unit_cell(cell, unit)
            if key == "plan":
                draft.plan_labels = cells[index:]
                draft.has("spending_plan")
                draft.previous = "plan"
                return
            if inline is None:
                value = None
                if index < len(cells) and not _is_label(cells[index], forms):
                    value = cells[index]
                    index += 1
            _apply(draft, key, cell, value, lines)
            if not draft.previous:
                draft.previous = "money" if key.startswith("budget") else key
            continue
        if _decor(draft, cell, forms):
            continue
        if forms.title(cell.text):
            if draft.substance and labelled:
                continue
            _title(draft, cell, forms)
            continue
        if not labelled and draft.department_code is None and (found := _department(cell)):
            draft.department_code, draft.department_name = found
            continue
        value = None
        if index < len(cells) and not _is_label(cells[index], forms):
            value = cells[index]
            index += 1
        draft.info.append(InfoRow("", cell, value))
        draft.substance = True


def _is_label(cell: Cell, forms: Forms) -> bool:
    return bool(cell.text) and (
        forms.label(cell.text) is not None or _inline(cell, forms) is not None
    )


def _inline(cell: Cell, forms: Forms):
    """((key, unit), value Cell) for a label with its value inside the cell: 年度资金总额:85."""
    text = cell.text
    colon = min((i for i in (text.find(":"), text.find("：")) if i >= 0), default=-1)
    if colon <= 0 or colon > 40:
        return None
    known = forms.label(text[:colon])
    rest = text[colon + 1 :]
    if known is None or not rest.strip():
        return None
    start = colon + 1 + (len(rest) - len(rest.lstrip()))
    return known, _part(cell, start, len(text.rstrip()))


def _apply(draft: _Draft, key: str, label: Cell, value: Cell | None, lines) -> None:
    """Put one label's value where it belongs."""
    missing = value if value is not None else _after(label)
    if key in ("name", "code", "purpose"):
        draft.fields[key] = missing
        draft.has(key)
    elif key in ("budget_total", "budget_fiscal", "budget_other") or (
        key == "money" and value is not None
    ):
        name = "budget_total" if key == "money" else key
        draft.fields[name] = _amount(missing)
        draft.has(name)
    elif key == "money":
        draft.substance = True
    elif key == "department_code":
        draft.department_code = draft.department_code or missing
        draft.substance = True
    elif key in ("department", "department_name"):
        found = _department(missing) if value is not None else None
        code, name = found if found else (None, missing)
        draft.department_code = draft.department_code or code
        draft.department_name = draft.department_name or name
        draft.substance = True
    elif key == "goals":
        if value is not None:
            draft.goals.extend(_goal_statements(value, lines))
            draft.has("goals")
        else:
            draft.substance = True
    else:
        draft.info.append(InfoRow(key, label, value))
        draft.substance = True
        if key == "budget_part":
            draft.seen.add("budget_part")


def _title(draft: _Draft, cell: Cell, forms: Forms) -> None:
    """A title: whether the table is a department's, and its year (“20xx年” first, else any 20xx)."""
    if forms.department_title(cell.text):
        draft.kind = "department"
    if draft.year is None:
        match = _YEAR_IN_TITLE.search(cell.text)
        span = (
            match.span(1)
            if match
            else (found.span() if (found := _YEAR.search(cell.text)) else None)
        )
        if span is not None:
            draft.year = _part(cell, *span)


def _decor(draft: _Draft, cell: Cell, forms: Forms) -> bool:
    """A year line, unit line, table number or stamp beside the title: read it, True."""
    text = cell.text.strip()
    if len(text) > 40:
        return False
    year = forms.decor["year"].match(text)
    if year:
        group = 1 if year.group(1) else 2
        if draft.year is None:
            draft.year = _part(cell, year.start(group), year.end(group))
        return True
    unit = forms.decor["money_unit"].match(text)
    if unit:
        if draft.money_unit is None:
            draft.money_unit = _part(cell, unit.start(1), unit.end(1))
        return True
    return bool(forms.decor["table_number"].match(text) or forms.decor["stamp"].match(text))


# ---------------------------------------------------------------------------------------------
# Building the project


def _project(draft: _Draft, forms: Forms, taxonomy, diagnostics: list[Diagnostic]) -> Project:
    at = draft.span
    if draft.columns is None:
        diagnostics.append(
            parse_error(
                at.point(),
                "项目表不完整：缺少绩效指标表（一级指标…指标值确定依据）",
                "incomplete project table: no indicator table found",
            )
        )
    plan_values = draft.plan_values or []
    if draft.plan_labels and len(plan_values) != len(draft.plan_labels):
        where = plan_values[0].span if plan_values else at.point()
        diagnostics.append(
            parse_error(
                where,
                "资金支出计划的时间节点与比例个数不一致",
                "spending plan checkpoints and percentages do not pair up",
            )
        )
    plan = tuple(Checkpoint(label, value) for label, value in zip(draft.plan_labels, plan_values))
    indicators, absent_columns = _indicators(draft, forms, taxonomy)
    fields = dict(draft.fields)
    seen = set(draft.seen)
    if draft.kind == "department" and "name" not in fields and draft.department_name is not None:
        fields["name"] = draft.department_name  # a department's table is named by the department
        seen.add("name")
    absent = {f"project.{name}" for name in PROJECT_FIELDS if name not in seen}
    if "budget_part" in seen:
        absent.add("project.budget_sum")  # more sources of money than 财政 + 其他: no sum to check
    missing = _empty(at)
    return Project(
        **{
            key: fields.get(key, missing)
            for key in ("code", "name", "budget_total", "budget_fiscal", "budget_other", "purpose")
        },
        spending_plan=plan,
        goals=tuple(draft.goals),
        indicators=tuple(indicators),
        span=at,
        money_unit=draft.money_unit,
        kind=draft.kind,
        info=tuple(draft.info),
        trailers=tuple(draft.trailers),
        absent=frozenset(absent | absent_columns),
    )


def _indicators(draft: _Draft, forms: Forms, taxonomy) -> tuple[list[Indicator], set[str]]:
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


def _two_level(level1_texts: list[str], level2_texts: list[str], taxonomy) -> bool:
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
    weight = _part(cell, match.start(group), match.end(group))
    rest = (cell.text[: match.start()] + cell.text[match.end() :]).strip()
    if not re.sub(r"[\s()（）]", "", rest):
        return Cell("", cell.span.point(), True), weight
    return cell, weight


# ---------------------------------------------------------------------------------------------
# Cells


def _part(cell: Cell, start: int, end: int) -> Cell:
    """`cell.text[start:end]` as a Cell: located exactly when the cell is laid out directly."""
    span = cell.sub_span(start, end)
    text = cell.text[start:end]
    return Cell(text, span, True) if span is not None else Cell(text, cell.span, False)


def _after(cell: Cell) -> Cell:
    s = cell.span
    return Cell("", Span(s.path, s.end_line, s.end_col, s.end_line, s.end_col, s.cell), True)


def _empty(at: Span) -> Cell:
    return Cell("", at.point(), True)


def _unit_cell(cell: Cell, unit: str) -> Cell:
    index = cell.text.find(unit)
    return _part(cell, index, index + len(unit)) if index >= 0 else Cell(unit, cell.span, False)


def _amount(cell: Cell) -> Cell:
    """The amount in a money cell (450,000.00, 120万, 300万(其中…)): the number and its unit."""
    text = cell.text
    match = _AMOUNT.search(text)
    if match is None or match.group() == text.strip():
        return cell
    if text[: match.start()].strip() and not re.fullmatch(r"[\s约计共合]*", text[: match.start()]):
        return cell
    return _part(cell, match.start(), match.end())


def _department(cell: Cell) -> tuple[Cell | None, Cell] | None:
    """(code, name) of “[021001]某县交通运输局”, “318002-某市文化馆”, “(433)某局”, “455001唐山市…”."""
    text = cell.text
    if _BARE_CODE.match(text):
        return cell, Cell("", _after(cell).span, True)
    match = _DEPARTMENT.match(text)
    if match is None or match.group(2)[:1] in "年月日元万%.,，、" or "\n" in match.group(2):
        return None
    return _part(cell, match.start(1), match.end(1)), _part(
        cell, match.start(2), len(text.rstrip())
    )


def _trim_front(cell: Cell, count: int) -> Cell:
    text = cell.text[count:].lstrip()
    cut = len(cell.text) - len(text)
    span = cell.span
    return Cell(
        text,
        Span(span.path, span.line, span.col + cut, span.end_line, span.end_col, span.cell),
        cell.direct,
    )


def _join(cells: list[Cell]) -> Cell | None:
    """Paragraphs as one Cell spanning all of them."""
    if not cells:
        return None
    if len(cells) == 1:
        return cells[0]
    first, last = cells[0].span, cells[-1].span
    span = Span(first.path, first.line, first.col, last.end_line, last.end_col, first.cell)
    return Cell("\n".join(c.text for c in cells), span)


def _part_heading(text: str) -> str | None:
    r"""The title of a part heading “一、总体绩效目标”, or None (``^\s*([一…十]+)\s*[、.．]\s*(\S.*?)\s*$``)."""
    number = _PART_NUMBER.match(text)
    return (text[number.end() :].rstrip() or None) if number else None


def _year_from_text(cells: list[Cell]) -> Cell | None:
    for cell in cells:
        match = _YEAR_TEXT.search(cell.text)
        if match and cell.direct:
            return Cell(match.group(1), cell.sub_span(match.start(1), match.end(1)), True)
    return None


def _code_year(code: Cell) -> Cell | None:
    match = _CODE_YEAR.match(code.text)
    if not match or not code.direct:
        return None
    return Cell("20" + match.group(1), code.sub_span(match.start(1), match.end(1)), False)


def _goal_statements(cell: Cell, lines) -> list[Cell]:
    """Split a 绩效目标 cell into numbered statements, one per line."""
    pieces = [cell] if cell.direct or "\n" not in cell.text else _split_cell_lines(cell, lines)
    statements = []
    for piece in pieces:
        number = _NUMBERING.match(piece.text)
        if number and piece.direct:
            piece = _trim_front(piece, number.end())
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
