"""Where each finding of a file sits in its Filing: project, indicator row and cell.

The HTML and Excel reports show a finding in the table as filed, so they need more than its
position: the model cell it points into and the 部门 / 项目 / 一级 / 二级 / 三级 it belongs to.
A finding is placed in the smallest model cell whose span holds the finding's span (a
zero-width span, an empty cell's, holds only itself); one that fits no cell belongs to the
indicator row or the project whose span holds it, else to the project whose part of the file
it falls in (a text export's project runs from its heading to the next), else to the filing.
"""

from __future__ import annotations

from dataclasses import dataclass

from perflint.model import Cell, Filing

# (attribute, zh, en): the indicator table's columns, the order of the filed table
INDICATOR_FIELDS = (
    ("level1", "一级指标", "Level 1"),
    ("level2", "二级指标", "Level 2"),
    ("name", "三级指标", "Indicator"),
    ("description", "绩效指标描述", "Description"),
    ("value", "指标值", "Target value"),
    ("basis", "指标值确定依据", "Basis"),
)
# columns only some forms have (None where a form has no such column), shown when a table has them
EXTRA_FIELDS = (
    ("period_value", "实施期指标值", "Period target"),
    ("weight", "分值", "Weight"),
    ("direction", "指标方向", "Direction"),
    ("actual", "实际完成值", "Actual"),
    ("score", "得分", "Score"),
    ("deviation", "偏差原因分析及改进措施", "Deviation and remedies"),
    ("note", "备注", "Note"),
)
PROJECT_FIELDS = (
    ("code", "项目编码", "Project code"),
    ("name", "项目名称", "Project name"),
    ("budget_total", "预算数", "Budget"),
    ("budget_fiscal", "其中：财政资金", "of which fiscal funds"),
    ("budget_other", "其他资金", "Other funds"),
    ("purpose", "资金用途", "Use of funds"),
    ("money_unit", "金额单位", "Money unit"),
)
FILING_FIELDS = (
    ("department_code", "部门编码", "Department code"),
    ("department_name", "部门名称", "Department"),
    ("year", "年度", "Year"),
    ("money_unit", "金额单位", "Money unit"),
    ("overall_goal", "总体绩效目标", "Overall goal"),
)
FIELD_LABELS = {name: (zh, en) for name, zh, en in FILING_FIELDS + PROJECT_FIELDS}
FIELD_LABELS.update(
    {
        "goals": ("绩效目标", "Performance goals"),
        "sub_goals": ("分项绩效目标", "Sub-goals"),
        "plan_label": ("资金支出计划", "Spending plan"),
        "plan_percent": ("资金支出计划", "Spending plan"),
    }
)


INDICATOR_LABELS = {name: (zh, en) for name, zh, en in INDICATOR_FIELDS + EXTRA_FIELDS}


def field_label(place: Place, lang: str) -> str:
    """The name of the field a finding is placed in ("" for none), in `lang`."""
    if not place.field:
        return ""
    labels = INDICATOR_LABELS if place.indicator >= 0 else FIELD_LABELS
    zh, en = labels.get(place.field, (place.field, place.field))
    return en if lang == "en" else zh


@dataclass(frozen=True, slots=True)
class Place:
    """A finding's place: `project` and `indicator` are indexes (-1: none), `field` the model
    field of the cell it points into ("" when it points at no one cell), `cell` that cell."""

    project: int = -1
    indicator: int = -1
    field: str = ""
    cell: Cell | None = None
    item: int = -1  # the goal's or checkpoint's index for goals / sub_goals / plan_* fields


def cell_key(cell: Cell) -> tuple:
    """What identifies a cell of the model (a merged 一级 cell is one cell shared by its rows)."""
    s = cell.span
    ref = s.cell
    return (
        s.line,
        s.col,
        s.end_line,
        s.end_col,
        None if ref is None else (ref.index, ref.row, ref.column),
    )


def model_cells(filing: Filing):
    """(cell, Place) of every cell of the filing, in file order of the model."""
    for name, _, _ in FILING_FIELDS:
        cell = getattr(filing, name)
        if cell is not None:
            yield cell, Place(field=name, cell=cell)
    for n, cell in enumerate(filing.sub_goals):
        yield cell, Place(field="sub_goals", cell=cell, item=n)
    for p, project in enumerate(filing.projects):
        for name, _, _ in PROJECT_FIELDS:
            cell = getattr(project, name)
            if cell is not None:
                yield cell, Place(p, field=name, cell=cell)
        for n, point in enumerate(project.spending_plan):
            yield point.label, Place(p, field="plan_label", cell=point.label, item=n)
            yield point.percent, Place(p, field="plan_percent", cell=point.percent, item=n)
        for n, cell in enumerate(project.goals):
            yield cell, Place(p, field="goals", cell=cell, item=n)
        for i, indicator in enumerate(project.indicators):
            for name, _, _ in INDICATOR_FIELDS:
                cell = getattr(indicator, name)
                yield cell, Place(p, i, name, cell)
            for name, _, _ in EXTRA_FIELDS:
                cell = getattr(indicator, name, None)
                if cell is not None:
                    yield cell, Place(p, i, name, cell)
            for part in getattr(
                indicator, "value_parts", ()
            ):  # a value split over columns: each part is the value's
                yield part, Place(p, i, "value", indicator.value)


def _holds(outer: tuple, inner: tuple) -> bool:
    """Whether span (line, col, end_line, end_col) `outer` holds `inner`."""
    if outer[:2] == outer[2:]:  # zero-width: an empty cell holds only its own point
        return inner == outer
    return (
        outer[:2] <= inner[:2]
        and inner[2:] <= outer[2:]
        and (inner[:2] < outer[2:] or inner[:2] == inner[2:])
    )


def field_hints(rules) -> dict[str, str]:
    """{code: the model field its rule points at} (its `at:`, e.g. indicator.basis → basis;
    value.unit → value), to choose between cells that hold a finding equally well (the empty
    cells of columns a form does not have may all sit at one point)."""
    hints = {}
    for code, rule in (rules or {}).items():
        at = (getattr(rule, "raw", None) or {}).get("at")
        if type(at) is str and "." in at:
            head, _, tail = at.partition(".")
            hints[code] = "value" if head == "value" else tail.split(".")[0]
    return hints


def place_rows(filing: Filing | None, rows, hints: dict | None = None) -> list[Place]:
    """The Place of each finding row (the cache's encoding: row[5] is [path, line, col, end_line,
    end_col]); Place() for every row when there is no filing. `hints`: see `field_hints`."""
    if filing is None:
        return [Place() for _ in rows]
    by_line: dict[int, list] = {}  # line → the cells that start on it or run over it
    for cell, place in model_cells(filing):
        s = cell.span
        entry = ((s.line, s.col, s.end_line, s.end_col), _size(s), place)
        for line in range(s.line, min(s.end_line, s.line + 10_000) + 1):
            by_line.setdefault(line, []).append(entry)
    projects = filing.projects
    out = []
    for row in rows:
        span = row[5]
        at = (span[1], span[2], span[3], span[4])
        best = None
        hint = hints.get(row[0]) if hints else None
        for box, size, place in by_line.get(at[0], ()):
            if _holds(box, at) and (
                best is None
                or size < best[0]
                or (size == best[0] and place.field == hint != best[1].field)
            ):
                best = (size, place)
        if best is not None:
            out.append(best[1])
            continue
        out.append(_coarse(projects, at, hint))
    return out


def _size(s) -> tuple:
    return (s.end_line - s.line, s.end_col - s.col if s.end_line == s.line else s.end_col)


def _coarse(projects, at: tuple, hint: str | None = None) -> Place:
    """The Place of a span that fits no cell: an indicator row (the cell of the field its rule
    points at, when the row's cells were joined from several columns, as a value split over
    计算符号 / 指标值 / 计量单位 is), a project, or the filing."""
    for p, project in enumerate(projects):
        for i, indicator in enumerate(project.indicators):
            s = indicator.span
            if _holds((s.line, s.col, s.end_line, s.end_col), at):
                cell = getattr(indicator, hint, None) if hint in INDICATOR_LABELS else None
                if cell is not None and not cell.direct and cell.text:
                    return Place(p, i, hint, cell)
                return Place(p, i)
    for p, project in enumerate(projects):
        s = project.span
        if _holds((s.line, s.col, s.end_line, s.end_col), at):
            return Place(p)
    before = [
        p for p, project in enumerate(projects) if (project.span.line, project.span.col) <= at[:2]
    ]
    return Place(before[-1]) if before else Place()


@dataclass(frozen=True, slots=True)
class Context:
    """A finding's context in a reviewer's terms (the fields of `Diagnostic.where`)."""

    department: str = ""
    project: str = ""
    project_code: str = ""
    level1: str = ""
    level2: str = ""
    indicator: str = ""


def department_of(filing: Filing | None) -> str:
    """The filing's 部门: its name, else its code, else ""."""
    if filing is None:
        return ""
    for cell in (filing.department_name, filing.department_code):
        if cell is not None and cell.text.strip():
            return cell.text.strip()
    return ""


def context_of(filing: Filing | None, place: Place) -> Context:
    """The Context of a placed finding."""
    department = department_of(filing)
    if filing is None or place.project < 0:
        return Context(department)
    project = filing.projects[place.project]
    name, code = project.name.text.strip(), project.code.text.strip()
    if place.indicator < 0:
        return Context(department, name, code)
    row = project.indicators[place.indicator]
    return Context(
        department,
        name,
        code,
        row.level1.text.strip(),
        row.level2.text.strip(),
        row.name.text.strip(),
    )
