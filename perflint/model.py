"""The filing model: frozen dataclasses that every reader produces and every rule reads.

Every value is a `Cell`: its text plus the `Span` of the table cell or YAML scalar it came
from, so every diagnostic can point at exactly one place. Lines and columns are 1-based and
count Unicode code points; the end column is exclusive (one past the last character).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perflint.fastinit import fast_init


@fast_init
@dataclass(frozen=True, slots=True)
class CellRef:
    """Where a cell of a workbook or a document is: the address a reviewer uses.

    `index` is the sheet's (workbook) or table's (document) 0-based place in the file, so that
    findings sort in file order; `row` and `column` are 1-based grid coordinates (the top-left
    cell of a merged range). `label` is the address as shown: `绩效目标表!E12` for a sheet,
    `表2 第5行第6列` for a document table (`label_en` in English: `table 2 row 5 col 6`).
    `text` is the cell's text as read, so a report can show the line a finding points at
    without the document (it does not take part in comparisons).
    """

    index: int
    row: int
    column: int
    label: str
    label_en: str = ""
    sheet: str = ""  # the sheet's name in a workbook, "" in a document
    text: str = field(default="", compare=False)  # the cell's whole text, shown under a finding


@fast_init
@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file: 1-based lines, 1-based code-point columns, end exclusive.

    In a text source, lines and columns count in the file. In a workbook or document `cell` is
    set and lines and columns count inside that cell's text (line 1 column 1 is its first
    character), so a part of a cell can be pointed at and fixed like a part of a line.
    """

    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    cell: CellRef | None = None

    def point(self) -> Span:
        """The zero-width span at this span's start."""
        return Span(self.path, self.line, self.col, self.line, self.col, self.cell)


@fast_init
@dataclass(frozen=True, slots=True)
class Cell:
    """A located piece of text.

    `direct` is true when `text` stands character for character in the source, on one line,
    starting at `span.col`; only then can a part of the text be located (and fixed) exactly.
    """

    text: str
    span: Span
    direct: bool = False

    def sub_span(self, start: int, end: int) -> Span | None:
        """The span of `text[start:end]`, or None when the text is not laid out directly."""
        if not self.direct or not (0 <= start <= end <= len(self.text)):
            return None
        s = self.span
        return Span(s.path, s.line, s.col + start, s.line, s.col + end, s.cell)

    def __str__(self) -> str:
        return self.text


@fast_init
@dataclass(frozen=True, slots=True)
class JoinedCell(Cell):
    """A value joined from the cells a form splits it into (计算符号 | 指标值 | 计量单位 → ≥200人次).

    `span` is the 指标值 cell's; a part of the text that lies inside one of `parts` is located
    (and fixed) in that cell, so `≥` in `≥200人次` points at the 计算符号 cell.
    """

    parts: tuple[Cell, ...] = ()

    def sub_span(self, start: int, end: int) -> Span | None:
        offset = 0
        for part in self.parts:
            size = len(part.text)
            if offset <= start and end <= offset + size and (start < offset + size or start == end):
                return part.sub_span(start - offset, end - offset)
            offset += size
        return None


@fast_init
@dataclass(frozen=True, slots=True)
class Indicator:
    """One row of the indicator table (三级指标)."""

    level1: Cell  # 一级指标
    level2: Cell  # 二级指标
    name: Cell  # 三级指标
    description: Cell  # 绩效指标描述
    value: Cell  # 指标值
    basis: Cell  # 指标值确定依据
    span: Span  # the whole row
    # What real forms add (None where the form has no such column; docs/goal-format.md):
    period_value: Cell | None = (
        None  # 实施期/中长期指标值 when the table has both it and 年度指标值
    )
    weight: Cell | None = None  # 分值 / 权重 column
    direction: Cell | None = None  # 指标方向 (正向/反向)
    actual: Cell | None = None  # 实际完成值 (自评表)
    score: Cell | None = None  # 得分 (自评表)
    deviation: Cell | None = None  # 偏差原因分析及改进措施 (自评表)
    note: Cell | None = None  # 备注
    level1_weight: Cell | None = None  # the weight written in the 一级 cell: 产出指标(50分) → 50
    level2_weight: Cell | None = None  # the same in the 二级 cell
    # the cells a split value was joined from (计算符号, 指标值, 计量单位), for their own positions
    value_parts: tuple[Cell, ...] = field(default=(), compare=False)


@fast_init
@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One column of the spending plan (资金支出计划): a checkpoint such as 3月底 and its cumulative %."""

    label: Cell
    percent: Cell


@fast_init
@dataclass(frozen=True, slots=True)
class InfoRow:
    """An information row of a form (label cell, value cell) as written.

    `key` names what perflint understood it as (`implementing_unit`, `kind`, `period`,
    `background`, `goal_period`, `budget_part`, …; see rules/forms/forms.yaml), "" when the
    label is unknown: such rows are kept (and written by `perflint import`), never read as
    indicators.
    """

    key: str
    label: Cell
    value: Cell | None  # None when the label stands alone (a group label or a trailer line)


@fast_init
@dataclass(frozen=True, slots=True)
class Project:
    """One 项目支出绩效目标表."""

    code: Cell  # 项目编码
    name: Cell  # 项目名称
    budget_total: Cell  # 预算数
    budget_fiscal: Cell  # 财政资金
    budget_other: Cell  # 其他资金
    purpose: Cell  # 资金用途
    spending_plan: tuple[Checkpoint, ...]
    goals: tuple[Cell, ...]  # 绩效目标 statements
    indicators: tuple[Indicator, ...]
    span: Span  # the project's heading or mapping
    money_unit: Cell | None = None  # 单位：万元, when the table states its own
    kind: str = "project"  # "department" for a 部门整体 table: its indicators are the department's
    info: tuple[InfoRow, ...] = ()  # information rows beyond the fields above, in file order
    trailers: tuple[
        InfoRow, ...
    ] = ()  # rows after the indicator table: 注:…, 审核意见, 合计, 评价结论
    # The fields this form does not have, as field paths ("project.code", "project.spending_plan",
    # "indicator.basis", "indicator.level1", …): such a field holds an empty Cell, and rules that
    # would report it as empty stay quiet. Empty for goal YAML (its format has every field).
    absent: frozenset[str] = frozenset()
    header: Span | None = None  # the indicator table's header row(s); a goal YAML file has none


@fast_init
@dataclass(frozen=True, slots=True)
class Filing:
    """One goal filing: a department's year of projects, with the 部门整体绩效目标 when present."""

    path: str
    department_code: Cell | None
    department_name: Cell | None
    year: Cell | None
    money_unit: Cell | None  # 万元 / 元
    overall_goal: Cell | None  # 总体绩效目标
    sub_goals: tuple[Cell, ...]  # 分项绩效目标
    projects: tuple[Project, ...]
    format: str = "yaml"  # which reader produced it: "yaml" or "text"
    suppressions: tuple[Suppression, ...] = field(default=(), compare=False)  # YAML comments only


@fast_init
@dataclass(frozen=True, slots=True)
class Suppression:
    """An inline `# perflint: disable…=CODES -- reason` comment."""

    kind: str  # "line" | "next-line" | "file"
    codes: tuple[str, ...]  # codes, prefixes or rule names; empty means all
    span: Span  # the comment itself
    target_line: int  # the line it silences (0 for the whole file)
