"""The fields of a filing, each once: where it stands in goal YAML, its model attribute, its
labels, and what rules and the writer do with it.

Everything that lists fields is derived from `FIELDS`: the rule context's field paths
(`perflint.engine.context.MODEL_FIELDS`), the cells cell rules meet (`perflint.engine.plan`),
the YAML reader's key tables and the writer's order (`perflint.readers`), the rule examples'
case kinds (`perflint.examples`), the names in messages (`perflint.engine.predicates`), the
field table of docs/writing-rules.md and the keys of perflint/schema/goal.schema.json (both
checked against this table by tests/test_fields.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    owner: str  # the model object: "filing", "project" or "indicator"
    attribute: str  # its attribute there ("basis"); the context name is `owner.attribute`
    key: str  # the goal-YAML key ("指标值确定依据"); "" for a name that is only a 表中无 entry
    label: str  # the column as forms print it, and its name in 表中无 and in messages
    label_en: str
    # what the model holds: a Cell ("one"), a Cell or None ("optional"), a tuple of Cells
    # ("many"), or a structure of its own ("other": the projects, the indicator rows, …)
    count: str = "one"
    parent: str = ""  # the YAML mapping the key stands in ("部门", "预算"), "" for none
    rule: bool = False  # rule conditions may read it as `owner.attribute`
    cells: bool = False  # a text cell that rules of scope `cell` meet
    absent: bool = False  # may be named in 表中无 (the form has no such field)
    extra: bool = False  # a column real forms add to the indicator table
    number: bool = False  # the writer puts digits plain (年度: 2025)
    code: bool = False  # the writer quotes digits (项目编码: "455001…")

    @property
    def path(self) -> str:
        return f"{self.owner}.{self.attribute}"


F = Field
# In goal-YAML order: the writer writes the keys in this order.
FIELDS: tuple[Field, ...] = (
    F("filing", "department_code", "编码", "部门编码", "department code", "optional", "部门", rule=True, code=True),
    F("filing", "department_name", "名称", "部门名称", "department name", "optional", "部门", rule=True, cells=True),
    F("filing", "year", "年度", "年度", "year", "optional", rule=True, number=True),
    F("filing", "money_unit", "金额单位", "金额单位", "money unit", "optional", rule=True),
    F("filing", "overall_goal", "总体绩效目标", "总体绩效目标", "overall goal", "optional", rule=True, cells=True),
    F("filing", "sub_goals", "分项绩效目标", "分项绩效目标", "sub-goals", "many", cells=True),
    F("filing", "projects", "项目", "项目", "projects", "other"),
    F("project", "code", "项目编码", "项目编码", "project code", rule=True, cells=True, absent=True, code=True),
    F("project", "name", "项目名称", "项目名称", "project name", rule=True, cells=True, absent=True),
    F("project", "money_unit", "金额单位", "金额单位", "money unit", "optional", rule=True),
    F("project", "budget_total", "预算数", "预算数", "budget", parent="预算", rule=True, absent=True, number=True),
    F("project", "budget_fiscal", "财政资金", "财政资金", "fiscal funds", parent="预算", rule=True, absent=True, number=True),
    F("project", "budget_other", "其他资金", "其他资金", "other funds", parent="预算", rule=True, absent=True, number=True),
    F("project", "budget_sum", "", "预算合计", "budget total", "other", absent=True),
    F("project", "purpose", "资金用途", "资金用途", "use of funds", rule=True, cells=True, absent=True),
    F("project", "spending_plan", "资金支出计划", "资金支出计划", "spending plan", "other", absent=True),
    F("project", "goals", "绩效目标", "绩效目标", "performance goals", "many", cells=True, absent=True),
    F("project", "indicators", "绩效指标", "绩效指标", "indicators", "other"),
    F("project", "kind", "表类型", "表类型", "form kind", "other"),
    F("project", "absent", "表中无", "表中无", "fields the form lacks", "other"),
    F("project", "info", "信息", "信息", "information rows", "other"),
    F("project", "trailers", "表尾", "表尾", "rows after the table", "other"),
    F("indicator", "level1", "一级指标", "一级指标", "first-level category", rule=True, cells=True, absent=True),
    F("indicator", "level2", "二级指标", "二级指标", "second-level category", rule=True, cells=True, absent=True),
    F("indicator", "name", "三级指标", "三级指标", "indicator name", rule=True, cells=True, absent=True),
    F("indicator", "description", "绩效指标描述", "绩效指标描述", "indicator description", rule=True, cells=True, absent=True),
    F("indicator", "value", "指标值", "指标值", "indicator value", rule=True, cells=True, absent=True),
    F("indicator", "basis", "指标值确定依据", "指标值确定依据", "determination basis", rule=True, cells=True, absent=True),
    F("indicator", "period_value", "实施期指标值", "实施期指标值", "implementation-period value", "optional", extra=True),
    F("indicator", "weight", "分值", "分值", "weight", "optional", extra=True, number=True),
    F("indicator", "direction", "指标方向", "指标方向", "direction", "optional", extra=True),
    F("indicator", "actual", "实际完成值", "实际完成值", "actual value", "optional", extra=True),
    F("indicator", "score", "得分", "得分", "score", "optional", extra=True, number=True),
    F("indicator", "deviation", "偏差原因分析及改进措施", "偏差原因分析及改进措施", "deviation analysis", "optional", extra=True),
    F("indicator", "note", "备注", "备注", "note", "optional", extra=True),
    F("indicator", "level1_weight", "一级指标分值", "一级指标分值", "first-level weight", "optional", extra=True, number=True),
    F("indicator", "level2_weight", "二级指标分值", "二级指标分值", "second-level weight", "optional", extra=True, number=True),
)  # fmt: skip
del F

BY_PATH = {field.path: field for field in FIELDS}


def of(owner: str) -> tuple[Field, ...]:
    """The fields of one model object, in goal-YAML order."""
    return tuple(field for field in FIELDS if field.owner == owner)


def keys(owner: str, parent: str = "") -> tuple[str, ...]:
    """The goal-YAML keys of `owner` directly in its mapping (`parent` ""), or in `parent`;
    a parent mapping's own key stands where its first field does."""
    found: list[str] = []
    for field in of(owner):
        key = field.key if field.parent == parent else "" if parent else field.parent
        if key and key not in found:
            found.append(key)
    return tuple(found)


def rule_fields(owner: str) -> tuple[str, ...]:
    """The attributes rule conditions may read as `owner.attribute`."""
    return tuple(field.attribute for field in of(owner) if field.rule)


def cell_fields(owner: str) -> tuple[tuple[str, str, str], ...]:
    """(context name, attribute, count) of the text cells rules of scope `cell` meet, in file order."""
    return tuple((field.path, field.attribute, field.count) for field in of(owner) if field.cells)


def label(path: str) -> tuple[str, str]:
    """The Chinese and English name of a field for messages (the path itself when unknown)."""
    field = BY_PATH.get(path)
    return (field.label, field.label_en) if field is not None else (path, path)


ABSENT_NAMES = {field.path: field.label for field in FIELDS if field.absent}  # 表中无 names
EXTRA_ROW_KEYS = {field.key: field.attribute for field in of("indicator") if field.extra}
ROW_KEYS = tuple(field.key for field in of("indicator"))  # the flat form's keys of a row
# a rule example (or any mapping of keys) is a project when it has a project's key, a whole
# filing when it has a key only a filing has
PROJECT_KEYS = frozenset(keys("project"))
FILING_ONLY_KEYS = frozenset(keys("filing")) - PROJECT_KEYS
ROW_COLUMNS = tuple(field.key for field in of("indicator") if not field.extra)  # every form's six


def markdown_table() -> str:
    """The field table of docs/writing-rules.md: the fields rules read, with their YAML keys."""
    lines = ["| 字段 | goal YAML 键 | 表中栏目 |", "|---|---|---|"]
    for field in FIELDS:
        if field.rule:
            key = f"{field.parent}.{field.key}" if field.parent else field.key
            lines.append(f"| `{field.path}` | `{key}` | {field.label} |")
    return "\n".join(lines) + "\n"
