"""Reader for the goal YAML format (docs/goal-format.md): text → node tree (`yaml_tree`) →
Filing, with PF001 for what cannot be read and PF002 for unknown keys.

A file refused by the tree builder (anchors/aliases, deep nesting, foreign tags, several
documents) gets one PF001 finding; inline suppressions come from `yaml_suppressions`.
"""

from __future__ import annotations

from perflint import fields
from perflint.diagnostics import Diagnostic, Edit, Fix, Message
from perflint.model import Cell, Checkpoint, Filing, Indicator, InfoRow, Project, Span, Suppression
from perflint.readers import ReadResult, parse_error
from perflint.readers.yaml_suppressions import suppressions
from perflint.readers.yaml_tree import KIND_NAMES, Node, Refused, Scalar, build
from perflint.source import split_lines

# the keys of each mapping, from the one fields table (perflint.fields)
ROOT_KEYS = fields.keys("filing")
DEPARTMENT_KEYS = fields.keys("filing", "部门")
PROJECT_KEYS = fields.keys("project")
BUDGET_KEYS = fields.keys("project", "预算")
ROW_KEYS = fields.ROW_KEYS
GROUPED_ROW_KEYS = ROW_KEYS[2:]
INFO_KEYS = ("栏目", "内容", "类别")
# `表中无:` names the fields a form does not have (Project.absent)
ABSENT_FIELDS = {name: path for path, name in fields.ABSENT_NAMES.items()}
KINDS = {"部门整体": "department", "项目": "project"}

_QUOTES = ("'", '"')
_KNOWN = {
    keys: frozenset(keys)
    for keys in (
        ROOT_KEYS,
        DEPARTMENT_KEYS,
        PROJECT_KEYS,
        BUDGET_KEYS,
        ROW_KEYS,
        GROUPED_ROW_KEYS,
        INFO_KEYS,
    )
}


def read_yaml(path: str, text: str) -> ReadResult:
    """Read goal YAML text into a Filing; PF001/PF002 findings for what is wrong."""
    if text.startswith("\ufeff"):  # columns count what editors show; libyaml skips the BOM too
        text = text[1:]
    lines = split_lines(text)
    quoted: list[Scalar] = []  # quoted and block scalars, where a `#` is not a comment
    try:
        root = build(text, lines, quoted)
    except Refused as refusal:
        line, col = refusal.line, refusal.col
        if line >= len(lines):  # libyaml places "end of the stream" on a line after the last one
            line, col = len(lines) - 1, len(lines[-1])
        col = min(col, len(lines[line]))
        at = Span(path, line + 1, col + 1, line + 1, col + 1)
        return ReadResult(None, (parse_error(at, refusal.zh, refusal.en),))
    reader = _Reader(path, lines)
    filing = reader.filing(root, suppressions(path, text, lines, quoted))
    return ReadResult(filing, tuple(reader.diagnostics))


# ---------------------------------------------------------------------------------------------
# node tree → Filing


class _Reader:
    def __init__(self, path: str, lines: list[str]):
        self.path, self.lines = path, lines
        self.diagnostics: list[Diagnostic] = []

    # -- cells and spans

    def span(self, node: Node) -> Span:
        return Span(self.path, node.sl + 1, node.sc + 1, node.el + 1, node.ec + 1)

    def point(self, node: Node) -> Span:
        return Span(self.path, node.sl + 1, node.sc + 1, node.sl + 1, node.sc + 1)

    def cell(self, node: Scalar) -> Cell:
        """A scalar's Cell: the source text, the inside of quotes, or the whole block."""
        _, sl, sc, el, ec, value, style = node
        if style is None:
            direct = sl == el and self.lines[sl][sc:ec] == value
        elif style in _QUOTES:
            sc, ec = sc + 1, ec - 1
            direct = sl == el and self.lines[sl][sc:ec] == value
        else:
            direct = False
        return Cell(value, Span(self.path, sl + 1, sc + 1, el + 1, ec + 1), direct)

    def empty(self, at: Span) -> Cell:
        return Cell("", at.point(), False)

    # -- findings

    def wrong_shape(self, node: Node, name: str, expected: str) -> None:
        zh_expected, en_expected = KIND_NAMES[expected]
        zh_found, en_found = KIND_NAMES[node.kind]
        self.diagnostics.append(
            parse_error(
                self.span(node),
                f"“{name}”应为{zh_expected}，实际为{zh_found}",
                f'"{name}" must be a {en_expected}, found a {en_found}',
            )
        )

    def unknown(self, key: Node, allowed: tuple[str, ...], present: set[str]) -> None:
        import difflib  # only files with typos pay for it

        cell = self.cell(key)
        close = difflib.get_close_matches(key.value, allowed, n=1)
        fix = None
        if allowed is GROUPED_ROW_KEYS and key.value in ROW_KEYS:
            zh = f"分组写法中一级、二级指标由上两层的键给出，行内不写“{key.value}”"
            en = f'in the grouped form the 一级/二级 categories are the keys above the rows; drop "{key.value}"'
        elif close:
            zh = f"未知字段“{key.value}”，是否应为“{close[0]}”？"
            en = f'unknown field "{key.value}"; did you mean "{close[0]}"?'
            if cell.direct and close[0] not in present:
                fix = Fix(
                    "unsafe",
                    Message(f"改为“{close[0]}”", f'rename to "{close[0]}"'),
                    (Edit(cell.span, close[0]),),
                )
        else:
            zh = f"未知字段“{key.value}”；此处可用字段：{'、'.join(allowed)}"
            en = f'unknown field "{key.value}"; allowed here: {", ".join(allowed)}'
        self.diagnostics.append(
            Diagnostic("PF002", "unknown-field", "warning", Message(zh, en), cell.span, fix)
        )

    # -- structure

    def pairs(self, node: Node):
        """(key, value) pairs of a mapping with scalar, not repeated keys (PF001 for the others)."""
        seen: set[str] = set()
        items = node.items
        for i in range(0, len(items) - 1, 2):
            key, value = items[i], items[i + 1]
            if key.kind != "s":
                self.diagnostics.append(
                    parse_error(self.span(key), "键应为文本", "a key must be text")
                )
            elif key.value in seen:
                self.diagnostics.append(
                    parse_error(
                        self.cell(key).span,
                        f"重复的键“{key.value}”（以第一次出现的为准）",
                        f'duplicate key "{key.value}" (the first one counts)',
                    )
                )
            else:
                seen.add(key.value)
                yield key, value

    def fields(self, node: Node, allowed: tuple[str, ...]) -> dict[str, tuple[Node, Node]]:
        """A mapping's known fields by name; PF002 for the unknown ones."""
        items = node.items
        # the common case in one step: text keys, each once, all of them known
        found = {
            key.value: (key, items[i + 1])
            for i, key in enumerate(items[::2])
            if key.kind == "s"
            for i in (2 * i,)
        }
        if 2 * len(found) == len(items) and found.keys() <= _KNOWN[allowed]:
            return found
        found = {key.value: (key, value) for key, value in self.pairs(node)}
        present = set(found)  # once: a mapping may hold many thousands of unknown keys
        for name, (key, _) in list(found.items()):
            if name not in allowed:
                self.unknown(key, allowed, present)
                del found[name]
        return found

    def mapping(self, entry: tuple[Node, Node] | None) -> Node | None:
        """The mapping under a key; None when absent, empty or of the wrong shape."""
        if entry is None:
            return None
        key, value = entry
        if value.kind == "m":
            return value
        if value.kind != "s" or value.value or value.style:
            self.wrong_shape(value, key.value, "m")
        return None

    def sequence(self, entry: tuple[Node, Node] | None, allow_text: bool = False) -> list[Node]:
        """The items under a key (one text also counts as a list when allowed)."""
        if entry is None:
            return []
        key, value = entry
        if value.kind == "q":
            return value.items
        if value.kind == "s":
            if value.value or value.style:
                if allow_text:
                    return [value]
                self.wrong_shape(value, key.value, "q")
            return []
        self.wrong_shape(value, key.value, "q")
        return []

    def text(self, entry: tuple[Node, Node] | None, missing: Span) -> Cell:
        """A required text field: an empty Cell at `missing` when absent or of the wrong shape."""
        if entry is None:
            return self.empty(missing)
        key, value = entry
        if value.kind == "s":
            return self.cell(value)
        self.wrong_shape(value, key.value, "s")
        return self.empty(self.span(value))

    def optional(self, entry: tuple[Node, Node] | None) -> Cell | None:
        if entry is None:
            return None
        key, value = entry
        if value.kind != "s":
            self.wrong_shape(value, key.value, "s")
            return None
        return self.cell(value)

    def texts(self, entry: tuple[Node, Node] | None) -> tuple[Cell, ...]:
        """A list of strings (or one string)."""
        cells = []
        name = entry[0].value if entry else ""
        for item in self.sequence(entry, allow_text=True):
            if item.kind == "s":
                cells.append(self.cell(item))
            else:
                self.wrong_shape(item, name, "s")
        return tuple(cells)

    # -- the model

    def filing(self, root: Node, suppressions: tuple[Suppression, ...]) -> Filing:
        f = self.fields(root, ROOT_KEYS)
        code = name = None
        department = self.mapping(f.get("部门"))
        if department is not None:
            d = self.fields(department, DEPARTMENT_KEYS)
            code, name = self.optional(d.get("编码")), self.optional(d.get("名称"))
        projects = []
        for item in self.sequence(f.get("项目")):
            if item.kind == "m":
                projects.append(self.project(item))
            else:
                self.wrong_shape(item, "项目", "m")
        return Filing(
            path=self.path,
            department_code=code,
            department_name=name,
            year=self.optional(f.get("年度")),
            money_unit=self.optional(f.get("金额单位")),
            overall_goal=self.optional(f.get("总体绩效目标")),
            sub_goals=self.texts(f.get("分项绩效目标")),
            projects=tuple(projects),
            format="yaml",
            suppressions=suppressions,
        )

    def project(self, node: Node) -> Project:
        f = self.fields(node, PROJECT_KEYS)
        at = self.point(node)
        budget_entry = f.get("预算")
        budget = self.mapping(budget_entry)
        b = self.fields(budget, BUDGET_KEYS) if budget is not None else {}
        budget_at = self.point(budget_entry[0]) if budget_entry else at
        plan = []
        plan_node = self.mapping(f.get("资金支出计划"))
        if plan_node is not None:
            for key, value in self.pairs(plan_node):
                if value.kind == "s":
                    plan.append(Checkpoint(self.cell(key), self.cell(value)))
                else:
                    self.wrong_shape(value, key.value, "s")
        return Project(
            code=self.text(f.get("项目编码"), at),
            name=self.text(f.get("项目名称"), at),
            budget_total=self.text(b.get("预算数"), budget_at),
            budget_fiscal=self.text(b.get("财政资金"), budget_at),
            budget_other=self.text(b.get("其他资金"), budget_at),
            purpose=self.text(f.get("资金用途"), at),
            spending_plan=tuple(plan),
            goals=self.texts(f.get("绩效目标")),
            indicators=self.indicators(f.get("绩效指标")),
            span=self.first_line(node),
            money_unit=self.optional(f.get("金额单位")),
            kind=self.kind(f.get("表类型")),
            info=self.info_rows(f.get("信息")),
            trailers=self.info_rows(f.get("表尾")),
            absent=self.absent(f.get("表中无")),
        )

    def kind(self, entry) -> str:
        cell = self.optional(entry)
        if cell is None or not cell.text:
            return "project"
        if cell.text not in KINDS:
            self.wrong_value(cell, "表类型", KINDS)
            return "project"
        return KINDS[cell.text]

    def absent(self, entry) -> frozenset[str]:
        found = set()
        for cell in self.texts(entry):
            if cell.text in ABSENT_FIELDS:
                found.add(ABSENT_FIELDS[cell.text])
            else:
                self.wrong_value(cell, "表中无", ABSENT_FIELDS)
        return frozenset(found)

    def wrong_value(self, cell: Cell, name: str, allowed) -> None:
        choices = "、".join(allowed)
        zh = f"“{name}”的值“{cell.text[:20]}”不是以下之一：{choices}"
        en = f"'{name}' holds '{cell.text[:20]}', not one of: {choices}"
        self.diagnostics.append(
            Diagnostic("PF002", "unknown-field", "warning", Message(zh, en), cell.span)
        )

    def info_rows(self, entry) -> tuple[InfoRow, ...]:
        rows = []
        name = entry[0].value if entry else ""
        for item in self.sequence(entry):
            if item.kind != "m":
                self.wrong_shape(item, name, "m")
                continue
            f = self.fields(item, INFO_KEYS)
            key = self.optional(f.get("类别"))
            rows.append(
                InfoRow(
                    key.text if key is not None else "",
                    self.text(f.get("栏目"), self.point(item)),
                    self.optional(f.get("内容")),
                )
            )
        return tuple(rows)

    def first_line(self, node: Node) -> Span:
        """The project's first key with its value when that stands on the same line."""
        if not node.items:
            return self.span(node)
        key, value = node.items[0], node.items[1]
        end = value if value.kind == "s" and value.el == key.sl else key
        return Span(self.path, node.sl + 1, node.sc + 1, end.el + 1, end.ec + 1)

    def indicators(self, entry: tuple[Node, Node] | None) -> tuple[Indicator, ...]:
        if entry is None:
            return ()
        key, value = entry
        rows = []
        if value.kind != "m":  # the flat form
            for row in self.sequence(entry):
                if row.kind != "m":
                    self.wrong_shape(row, key.value, "m")
                    continue
                f = self.fields(row, ROW_KEYS)
                at = self.point(row)
                rows.append(
                    self.indicator(
                        row, f, self.text(f.get("一级指标"), at), self.text(f.get("二级指标"), at)
                    )
                )
            return tuple(rows)
        for level1_key, level1_value in self.pairs(value):  # the grouped form
            level1 = self.cell(level1_key)
            group = self.mapping((level1_key, level1_value))
            if group is None:
                continue
            for level2_key, level2_value in self.pairs(group):
                level2 = self.cell(level2_key)
                for row in self.sequence((level2_key, level2_value)):
                    if row.kind != "m":
                        self.wrong_shape(row, level2_key.value, "m")
                        continue
                    rows.append(
                        self.indicator(row, self.fields(row, GROUPED_ROW_KEYS), level1, level2)
                    )
        return tuple(rows)

    def indicator(self, row: Node, f: dict, level1: Cell, level2: Cell) -> Indicator:
        at = self.point(row)
        text = self.text
        extra = {
            field: self.optional(f.get(key))
            for key, field in fields.EXTRA_ROW_KEYS.items()
            if key in f
        }
        return Indicator(
            level1, level2, text(f.get("三级指标"), at), text(f.get("绩效指标描述"), at),
            text(f.get("指标值"), at), text(f.get("指标值确定依据"), at), self.span(row), **extra,
        )  # fmt: skip
