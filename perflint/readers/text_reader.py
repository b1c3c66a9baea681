"""Reader for the text export of a goal filing (the form of `shared/seeds/*.txt`).

The export writes a Word document as lines. Table cells are lines that start with a tab
(further tabs on the line separate more cells; trailing tabs are padding); a line without a
tab right after a cell continues that cell; rows are blocks of cells split by blank lines.
Everything else is prose: `[bookmark: …]` anchors, 第一部分/第二部分, the 部门整体绩效目标
headings and paragraphs, and one heading per project table (“1.XXXX绩效目标表”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from perflint.diagnostics import Diagnostic
from perflint.model import Cell, Checkpoint, Filing, Indicator, Project, Span
from perflint.readers import ReadResult, parse_error
from perflint.source import split_lines

_BOOKMARK = re.compile(r"^(?:\s*\[bookmark:[^\]]*\])+")
_HEADING_NUMBER = re.compile(r"\s*(\d+)\s*[.、．]\s*")
_DEPARTMENT = re.compile(r"^(\d{3,})\s*(\S.*)$")
_MONEY_UNIT = re.compile(r"^[（(]?(?:金额)?单位\s*[:：]\s*([^\s）)]+)[）)]?$")
_PART_NUMBER = re.compile(r"\s*([一二三四五六七八九十]+)\s*[、.．]\s*")
_NUMBERING = re.compile(r"^\s*\d+\s*[.、．](?!\d)\s*")
_YEAR = re.compile(r"20\d\d")
_BUDGET_LABELS = {
    "budget_total": re.compile(r"^(?:预算数|预算金额|资金总额|年度资金总额)$"),
    "budget_fiscal": re.compile(r"^(?:其中\s*[:：]?\s*)?财政\s*(?:拨款\s*)?资金$"),
    "budget_other": re.compile(r"^(?:其中\s*[:：]?\s*)?其他\s*资金$"),
}
_GOALS_LABEL = re.compile(r"^(?:年度)?(?:绩效)?目标$")
# Indicator-table columns by header text. Real templates differ: some lack 绩效指标描述, some
# split the value into 计算符号 / 指标值 / 计量单位 (as the MoF system does), some add 权重/分值.
# Order matters: 指标值确定依据 must not be taken for 指标值.
_COLUMNS = (
    ("level1", re.compile(r"^一级指标")),
    ("level2", re.compile(r"^二级指标")),
    ("name", re.compile(r"^三级指标")),
    ("basis", re.compile(r"依据|数据来源")),
    ("description", re.compile(r"描述|解释|指标内容|^内容$")),
    ("comparator", re.compile(r"^(?:计算|运算|比较)?符号$")),
    ("unit", re.compile(r"^(?:计量|度量)?单位$")),
    ("value", re.compile(r"^(?:年度)?(?:指标值|目标值)")),
)
_REQUIRED_COLUMNS = ("level1", "level2", "name", "value")
_NOT_A_COMPARATOR = re.compile(r"^(?:定性|定量（其他）|定量\(其他\)|不适用|/|-)?$")


def header_columns(cells: list[Cell]) -> dict[str, int] | None:
    """{field: column index} when `cells` is an indicator-table header row, else None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        title = _squash(cell.text)
        for name, pattern in _COLUMNS:
            if pattern.search(title):
                columns.setdefault(name, index)
                break
    if columns.get("level1") != 0 or any(name not in columns for name in _REQUIRED_COLUMNS):
        return None
    columns["count"] = len(cells)
    return columns


@dataclass
class _Row:
    """A block of cells; `cells[i]` is a Cell whose span points into the file."""

    cells: list[Cell]
    line: int

    @property
    def label(self) -> str:
        return _squash(self.cells[0].text) if self.cells else ""


@dataclass
class _ProjectDraft:
    span: Span
    rows: list[_Row] = field(default_factory=list)
    heading_year: Cell | None = None


def _project_heading(text: str) -> tuple[int, str] | None:
    r"""(column, text) of the project name in a heading “1.XXXX项目支出绩效目标表”, or None.

    What ``^\s*(\d+)\s*[.、．]\s*(.*?)\s*(?:项目支出)?绩效目标表\s*$`` matches as group 2, found
    without the regex: it backtracks quadratically on a long line of spaces.
    """
    rest = text.rstrip()
    if not rest.endswith("绩效目标表"):
        return None
    number = _HEADING_NUMBER.match(text)
    if number is None:
        return None
    rest = rest[: -len("绩效目标表")]
    if rest.endswith("项目支出") and len(rest) - len("项目支出") >= number.end():
        rest = rest[: -len("项目支出")]
    return number.end(), rest[number.end() :].rstrip()


def _part_heading(text: str) -> str | None:
    r"""The title of a part heading “一、总体绩效目标”, or None (``^\s*([一…十]+)\s*[、.．]\s*(\S.*?)\s*$``)."""
    number = _PART_NUMBER.match(text)
    return (text[number.end() :].rstrip() or None) if number else None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cell(path: str, line_no: int, start: int, raw: str) -> Cell:
    """A single-line cell from `raw` starting at 0-based column `start`, whitespace trimmed."""
    stripped = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    col = start + lead + 1
    return Cell(stripped, Span(path, line_no, col, line_no, col + len(stripped)), direct=True)


def _continued(cell: Cell, lines: list[tuple[int, str]]) -> Cell:
    """`cell` extended by its continuation lines ((line number, raw text), in order), joined once:
    a cell of many thousand lines must not be copied once per line."""
    parts: list[str] | None = None
    end_line = end_col = 0
    for line_no, raw in lines:
        text = raw.strip()
        if not text:
            continue
        if parts is None and not cell.text:
            cell = _cell(cell.span.path, line_no, 0, raw)
            continue
        if parts is None:
            parts = [cell.text]
        parts.append(text)
        end_line, end_col = line_no, len(raw.rstrip()) + 1
    if parts is None:
        return cell
    span = Span(cell.span.path, cell.span.line, cell.span.col, end_line, end_col)
    return Cell("\n".join(parts), span, direct=False)


def _tokenize(path: str, lines: list[str]):
    """Yield ("row", _Row) for cell blocks and ("line", line_no, text) for prose lines."""
    row: _Row | None = None
    more: list[tuple[int, str]] = []  # continuation lines of the row's last cell

    def finished(row: _Row) -> _Row:
        if more:
            row.cells[-1] = _continued(row.cells[-1], more)
            more.clear()
        return row

    for index, line in enumerate(lines):
        line_no = index + 1
        if line.startswith("\t"):
            if row is None:
                row = _Row([], line_no)
            finished(row)
            pieces = line[1:].split("\t")
            offset = 1
            for position, piece in enumerate(pieces):
                if position == 0 or piece.strip():
                    row.cells.append(_cell(path, line_no, offset, piece))
                offset += len(piece) + 1
        elif not line.strip():
            if row is not None:
                yield ("row", finished(row))
                row = None
        elif row is not None and not _BOOKMARK.match(line) and _project_heading(line) is None:
            more.append((line_no, line))
        else:
            if row is not None:
                yield ("row", finished(row))
                row = None
            yield ("line", line_no, line)
    if row is not None:
        yield ("row", finished(row))


def read_text(path: str, text: str) -> ReadResult:
    """Read a text export into a Filing (PF001 findings for what cannot be read)."""
    lines = split_lines(text)
    diagnostics: list[Diagnostic] = []
    start = Span(path, 1, 1, 1, 1)
    if not text.strip():
        return ReadResult(None, (parse_error(start, "文件为空", "the file is empty"),))

    part = 0
    section = ""
    overall: list[Cell] = []
    sub_goals: list[Cell] = []
    drafts: list[_ProjectDraft] = []
    for token in _tokenize(path, lines):
        if token[0] == "row":
            if drafts:
                drafts[-1].rows.append(token[1])
            else:
                drafts.append(_ProjectDraft(token[1].cells[0].span.point(), [token[1]]))
            continue
        _, line_no, line = token
        bookmark = _BOOKMARK.match(line)
        offset = bookmark.end() if bookmark else 0
        body = line[offset:]
        squashed = _squash(body)
        if not squashed:
            continue
        if squashed in ("第一部分", "第二部分"):
            part = 1 if squashed == "第一部分" else 2
            continue
        heading = _project_heading(body)
        if heading:
            part = 2
            name_start = offset + heading[0]
            year_match = _YEAR.search(heading[1])
            year = None
            if year_match:
                year = _cell(path, line_no, name_start + year_match.start(), year_match.group())
            drafts.append(_ProjectDraft(_cell(path, line_no, offset, body).span, heading_year=year))
            continue
        title = _part_heading(body)
        if title and part != 2:
            section = "overall" if "总体" in title else "sub" if "分项" in title else "other"
            continue
        if part == 2 or drafts:
            continue  # prose between tables (e.g. 预算项目绩效目标) carries no data
        cell = _cell(path, line_no, offset, body)
        if section == "overall":
            overall.append(cell)
        elif section == "sub":
            number = _NUMBERING.match(cell.text)
            if number:
                cell = _trim_front(cell, number.end())
            sub_goals.append(cell)

    projects = [_build_project(draft, diagnostics, lines) for draft in drafts]
    if not projects:
        diagnostics.append(
            parse_error(
                start,
                "未找到项目绩效目标表（以制表符开头的表格行）",
                "no project goal table (tab-separated table rows) found",
            )
        )

    department_code = department_name = money_unit = None
    for draft in drafts:
        for row in draft.rows[:1]:
            department_code, department_name, money_unit = _department(row)
        if department_code or department_name:
            break
    year = next((d.heading_year for d in drafts if d.heading_year), None) or _year_from_text(overall)
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
        format="text",
    )
    return ReadResult(filing, tuple(diagnostics))


def _trim_front(cell: Cell, count: int) -> Cell:
    text = cell.text[count:].lstrip()
    cut = len(cell.text) - len(text)
    span = cell.span
    return Cell(text, Span(span.path, span.line, span.col + cut, span.end_line, span.end_col), cell.direct)


def _join(cells: list[Cell]) -> Cell | None:
    """Paragraphs as one Cell spanning all of them."""
    if not cells:
        return None
    if len(cells) == 1:
        return cells[0]
    first, last = cells[0].span, cells[-1].span
    span = Span(first.path, first.line, first.col, last.end_line, last.end_col)
    return Cell("\n".join(c.text for c in cells), span)


def _year_from_text(cells: list[Cell]) -> Cell | None:
    for cell in cells:
        match = re.search(r"(20\d\d)年", cell.text)
        if match and cell.direct:
            return Cell(match.group(1), cell.sub_span(match.start(1), match.end(1)), True)
    return None


def _code_year(code: Cell) -> Cell | None:
    match = re.match(r"^\d{6}(\d{2})P", code.text)
    if not match or not code.direct:
        return None
    return Cell("20" + match.group(1), code.sub_span(match.start(1), match.end(1)), False)


def _department(row: _Row) -> tuple[Cell | None, Cell | None, Cell | None]:
    """The table's first row: “455001唐山市路南区信访局本级” and “单位：万元”."""
    code = name = unit = None
    for cell in row.cells:
        unit_match = _MONEY_UNIT.match(cell.text)
        if unit_match and cell.direct:
            unit = Cell(unit_match.group(1), cell.sub_span(unit_match.start(1), unit_match.end(1)), True)
            continue
        dept = _DEPARTMENT.match(cell.text)
        if dept and cell.direct and code is None:
            code = Cell(dept.group(1), cell.sub_span(dept.start(1), dept.end(1)), True)
            name = Cell(dept.group(2), cell.sub_span(dept.start(2), dept.end(2)), True)
    return code, name, unit


def _empty(at: Span) -> Cell:
    return Cell("", at.point(), True)


def _build_project(draft: _ProjectDraft, diagnostics: list[Diagnostic], lines: list[str]) -> Project:
    fields: dict[str, Cell] = {}
    plan_labels: list[Cell] = []
    plan_values: list[Cell] = []
    goals: list[Cell] = []
    indicators: list[Indicator] = []
    money_unit = None
    previous_label = ""
    columns: dict[str, int] | None = None
    for position, row in enumerate(draft.rows):
        label = row.label
        cells = row.cells
        if columns is not None:
            indicators.append(_indicator(row, columns, indicators, diagnostics))
            continue
        if label == "项目编码" or label == "项目名称":
            for key_cell, value in _pairs(cells):
                key = _squash(key_cell.text)
                if key == "项目编码":
                    fields["code"] = value
                elif key == "项目名称":
                    fields["name"] = value
        elif label.startswith("预算规模"):
            for key_cell, value in _pairs(cells[1:]):
                key = _squash(key_cell.text)
                for name, pattern in _BUDGET_LABELS.items():
                    if pattern.match(key):
                        fields[name] = value
        elif label.startswith("资金支出计划"):
            plan_labels = cells[1:]
        elif label == "" and previous_label.startswith("预算规模"):
            fields["purpose"] = cells[1] if len(cells) > 1 else _empty(cells[0].span)
        elif label == "" and previous_label.startswith("资金支出计划"):
            plan_values = cells[1:]
        elif _GOALS_LABEL.match(label):
            goals.extend(_goal_statements(cells[1:], lines))
        elif label.startswith("一级指标") and (found := header_columns(cells)) is not None:
            columns = found
        elif position == 0 and any(_DEPARTMENT.match(c.text) or _MONEY_UNIT.match(c.text) for c in cells):
            money_unit = _department(row)[2]
        else:
            diagnostics.append(
                parse_error(cells[0].span, f"无法识别的表格行“{label[:20]}”", f"unrecognised table row '{label[:20]}'")
            )
        previous_label = label

    at = draft.span
    if columns is None:
        diagnostics.append(
            parse_error(
                at.point(),
                "项目表不完整：缺少绩效指标表（一级指标…指标值确定依据）",
                "incomplete project table: no indicator table found",
            )
        )
    if len(plan_values) != len(plan_labels):
        where = plan_values[0].span if plan_values else at.point()
        diagnostics.append(
            parse_error(
                where,
                "资金支出计划的时间节点与比例个数不一致",
                "spending plan checkpoints and percentages do not pair up",
            )
        )
    plan = tuple(Checkpoint(label, value) for label, value in zip(plan_labels, plan_values))
    missing = _empty(at)
    return Project(
        **{
            key: fields.get(key, missing)
            for key in ("code", "name", "budget_total", "budget_fiscal", "budget_other", "purpose")
        },
        spending_plan=plan,
        goals=tuple(goals),
        indicators=tuple(indicators),
        span=at,
        money_unit=money_unit,
    )


def _pairs(cells: list[Cell]) -> list[tuple[Cell, Cell]]:
    """Label/value cells side by side; a label at the end gets an empty value after it."""
    pairs = []
    for index in range(0, len(cells), 2):
        key = cells[index]
        value = (
            cells[index + 1]
            if index + 1 < len(cells)
            else Cell(
                "", Span(key.span.path, key.span.end_line, key.span.end_col, key.span.end_line, key.span.end_col), True
            )
        )
        pairs.append((key, value))
    return pairs


def _goal_statements(cells: list[Cell], lines: list[str]) -> list[Cell]:
    """Split a 绩效目标 cell into numbered statements, one per line."""
    statements = []
    for cell in cells:
        if cell.direct or "\n" not in cell.text:
            pieces = [cell]
        else:
            pieces = _split_cell_lines(cell, lines)
        for piece in pieces:
            number = _NUMBERING.match(piece.text)
            if number and piece.direct:
                piece = _trim_front(piece, number.end())
            if piece.text:
                statements.append(piece)
    return statements


def _split_cell_lines(cell: Cell, lines: list[str]) -> list[Cell]:
    """A multi-line cell as one Cell per line (a continuation line's text starts after its indent)."""
    out = []
    for index, text in enumerate(cell.text.split("\n")):
        line = cell.span.line + index
        if index == 0:
            col = cell.span.col
        else:
            raw = lines[line - 1] if line <= len(lines) else text
            col = len(raw) - len(raw.lstrip()) + 1
        out.append(Cell(text, Span(cell.span.path, line, col, line, col + len(text)), True))
    return out


def _indicator(row: _Row, columns: dict[str, int], previous: list[Indicator], diagnostics: list[Diagnostic]) -> Indicator:
    """One indicator row, read by the header's columns; empty 一级/二级 cells are merged cells
    (same as the row above). A split 计算符号 / 指标值 / 计量单位 is joined into one value."""
    cells = list(row.cells)
    count = columns["count"]
    if len(cells) != count:
        diagnostics.append(
            parse_error(
                cells[-1].span if len(cells) < count else cells[count].span,
                f"指标行应有 {count} 个单元格，实有 {len(cells)} 个",
                f"indicator row should have {count} cells, found {len(cells)}",
            )
        )
    last = cells[-1].span
    missing = Cell("", Span(last.path, last.end_line, last.end_col, last.end_line, last.end_col), True)

    def cell(name: str) -> Cell:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else missing

    level1, level2, value = cell("level1"), cell("level2"), cell("value")
    if previous:
        above = previous[-1]
        if not level1.text:
            level1 = above.level1
            if not level2.text:
                level2 = above.level2
    comparator, unit = cell("comparator").text, cell("unit").text
    if _NOT_A_COMPARATOR.match(comparator):
        comparator = ""
    if value.text and (comparator or unit):
        value = Cell(comparator + value.text + unit, value.span, direct=False)
    first, end = row.cells[0].span, row.cells[-1].span
    span = Span(first.path, first.line, 1, end.end_line, end.end_col)
    return Indicator(level1, level2, cell("name"), cell("description"), value, cell("basis"), span)
