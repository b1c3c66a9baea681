"""Write a Filing as goal YAML (docs/goal-format.md) with ruamel.yaml's round-trip emitter.

`read_yaml(path, dump_filing(f)).filing` holds the same texts as `f`, in the same order.
"""

from __future__ import annotations

import re
from io import StringIO

from perflint import SCHEMA_URL, fields
from perflint.model import Cell, Filing, Indicator, Project
from perflint.readers.yaml_reader import KINDS

# the indicator row's columns in the writer's order: (key, attribute, written as a number)
_ROW = tuple((f.key, f.attribute, f.number) for f in fields.of("indicator"))


_NUMBER = re.compile(
    r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
)  # written plain where the format shows numbers
_DIGITS = re.compile(r"[0-9]+")
# characters YAML would normalise or ruamel could write raw: always escape them in double quotes
_RISKY = re.compile(
    "[\r\x85\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)


class _Number(str):
    """Text that stands plain in the file although YAML would read it as a number (年度: 2025)."""


def dump_filing(filing: Filing, schema: str = SCHEMA_URL) -> str:
    """The filing as goal YAML text, starting with the editor schema line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    def text(cell: Cell | None, number: bool = False, code: bool = False, block: bool = False):
        value = "" if cell is None else cell.text
        if not value:
            return None
        if _RISKY.search(value):
            return DoubleQuotedScalarString(value)
        if block or "\n" in value:  # libyaml refuses some tabs in blocks
            return DoubleQuotedScalarString(value) if "\t" in value else LiteralScalarString(value)
        if number and _NUMBER.fullmatch(value):
            return _Number(value)
        if code and _DIGITS.fullmatch(value):
            return DoubleQuotedScalarString(value)
        return value

    def key(cell: Cell) -> str:
        value = cell.text
        return DoubleQuotedScalarString(value) if "\n" in value or _RISKY.search(value) else value

    def texts(cells) -> CommentedSeq | None:
        return CommentedSeq(text(c) for c in cells) if cells else None

    def row(indicator: Indicator, flat: bool, absent=frozenset()) -> CommentedMap:
        m = CommentedMap()
        for name, attribute, number in _ROW if flat else _ROW[2:]:
            cell = getattr(indicator, attribute)
            if name in fields.EXTRA_ROW_KEYS:
                if cell is not None:
                    m[name] = text(cell, number=number)
            elif f"indicator.{attribute}" not in absent:  # a column the form lacks is left out
                m[name] = text(cell)
        return m

    def info(rows) -> CommentedSeq | None:
        if not rows:
            return None
        out = CommentedSeq()
        for r in rows:
            entry = CommentedMap()
            entry["栏目"] = text(r.label)
            if r.value is not None:
                entry["内容"] = text(r.value)
            if r.key:
                entry["类别"] = r.key
            out.append(entry)
        return out

    def indicators(rows: tuple[Indicator, ...], absent=frozenset()):
        if not rows:
            return None
        if not _groupable(rows) or {"indicator.level1", "indicator.level2"} <= absent:
            return CommentedSeq(row(i, True, absent) for i in rows)
        grouped = CommentedMap()
        for i in rows:
            level1 = grouped.setdefault(key(i.level1), CommentedMap())
            level1.setdefault(key(i.level2), CommentedSeq()).append(row(i, False, absent))
        return grouped

    def project(p: Project) -> CommentedMap:
        m = CommentedMap()
        m["项目编码"] = text(p.code, code=True)
        m["项目名称"] = text(p.name)
        if p.money_unit is not None:
            m["金额单位"] = text(p.money_unit)
        budget = CommentedMap()
        budget["预算数"] = text(p.budget_total, number=True)
        budget["财政资金"] = text(p.budget_fiscal, number=True)
        budget["其他资金"] = text(p.budget_other, number=True)
        m["预算"] = budget
        m["资金用途"] = text(p.purpose)
        plan = CommentedMap((key(c.label), text(c.percent)) for c in p.spending_plan)
        m["资金支出计划"] = plan or None
        m["绩效目标"] = texts(p.goals)
        m["绩效指标"] = indicators(p.indicators, p.absent)
        for path, name in (
            ("project.code", "项目编码"),
            ("project.purpose", "资金用途"),
            ("project.spending_plan", "资金支出计划"),
            ("project.goals", "绩效目标"),
        ):
            if path in p.absent and m.get(name) is None:
                del m[name]  # the form has no such field: leave it out
        for path, name in (
            ("project.budget_total", "预算数"),
            ("project.budget_fiscal", "财政资金"),
            ("project.budget_other", "其他资金"),
        ):
            if path in p.absent and budget.get(name) is None:
                del budget[name]
        if not budget:
            del m["预算"]
        if p.kind != "project":
            m["表类型"] = next(name for name, kind in KINDS.items() if kind == p.kind)
        if p.absent:
            m["表中无"] = CommentedSeq(
                name for path, name in fields.ABSENT_NAMES.items() if path in p.absent
            )
        if p.info:
            m["信息"] = info(p.info)
        if p.trailers:
            m["表尾"] = info(p.trailers)
        return m

    doc = CommentedMap()
    if filing.department_code is not None or filing.department_name is not None:
        department = CommentedMap()
        if filing.department_code is not None:
            department["编码"] = text(filing.department_code, code=True)
        if filing.department_name is not None:
            department["名称"] = text(filing.department_name)
        doc["部门"] = department
    if filing.year is not None:
        doc["年度"] = text(filing.year, number=True)
    if filing.money_unit is not None:
        doc["金额单位"] = text(filing.money_unit)
    if filing.overall_goal is not None:
        doc["总体绩效目标"] = text(filing.overall_goal, block=True)
    if filing.sub_goals:
        doc["分项绩效目标"] = texts(filing.sub_goals)
    doc["项目"] = CommentedSeq(project(p) for p in filing.projects) if filing.projects else None

    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 1 << 16  # never fold long lines of Chinese text
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(_Number, _represent_number)
    out = StringIO()
    out.write(f"# yaml-language-server: $schema={schema}\n")
    yaml.dump(doc, out)
    return out.getvalue()


def _represent_number(representer, value: _Number):
    """Write the digits plain, tagged as what YAML resolves them to, so no quotes are needed."""
    tag = "tag:yaml.org,2002:float" if "." in value else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, str(value))


def _groupable(rows: tuple[Indicator, ...]) -> bool:
    """Whether grouping by 一级 → 二级 keeps the row order (each group is one contiguous run)."""
    seen1: set[str] = set()
    seen2: set[tuple[str, str]] = set()
    previous = None
    for i in rows:
        pair = (i.level1.text, i.level2.text)
        if pair != previous:
            if pair in seen2 or (
                previous is not None and pair[0] != previous[0] and pair[0] in seen1
            ):
                return False
            seen1.add(pair[0])
            seen2.add(pair)
            previous = pair
    return True
