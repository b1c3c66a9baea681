"""Reader for the goal YAML format (docs/goal-format.md).

PyYAML's event stream (libyaml when available) is turned into a small node tree without
recursion and without constructing any Python object from the YAML: every scalar is kept as
its source text. Hostile input (anchors/aliases, deep nesting, foreign tags, several documents)
is refused with one PF001 finding before it can cost anything.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from perflint import fields
from perflint.diagnostics import Diagnostic, Edit, Fix, Message
from perflint.model import Cell, Checkpoint, Filing, Indicator, InfoRow, Project, Span, Suppression
from perflint.readers import ReadResult, parse_error
from perflint.source import split_lines

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64
_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "null", "bool"))
_NULLS = frozenset(("~", "null", "Null", "NULL"))

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

_SUPPRESSION = re.compile(
    r"#\s*perflint\s*:\s*disable(?P<kind>-next-line|-file)?"
    r"(?:\s*=\s*(?P<codes>\w+(?:-\w+)*(?:\s*,\s*\w+(?:-\w+)*)*))?\s*(?:--.*)?$"
)
_BREAK = re.compile(r"\r\n|\r|\n")
_YAML11_BREAK = re.compile("[\x85\u2028\u2029]")  # line breaks to libyaml, not to editors
_COMMENT_START = re.compile(r"(?:^|(?<=\s))#")
_MARKER = re.compile(r"#\s*perflint\s*:")
_KINDS = {None: "line", "-next-line": "next-line", "-file": "file"}


class _Node:
    """A mapping ("m") or sequence ("q"): 0-based start/end line and column, and its items
    (a mapping's alternate keys and values)."""

    __slots__ = ("kind", "value", "style", "sl", "sc", "el", "ec", "items", "flow")

    def __init__(self, kind, sl, sc, el, ec, flow=False):
        self.kind, self.sl, self.sc, self.el, self.ec = kind, sl, sc, el, ec
        self.value, self.style, self.flow = "", None, flow
        self.items = []


class _Scalar(NamedTuple):
    """A scalar: its text as libyaml gives it, its style (None when plain) and where it stands.
    A tuple, as a file holds hundreds of them: made and read faster than an object."""

    kind: str  # always "s"
    sl: int
    sc: int
    el: int
    ec: int
    value: str
    style: str | None


_new = tuple.__new__


class _Refused(Exception):
    """A fatal problem: the file is not read any further."""

    def __init__(self, line: int, col: int, zh: str, en: str):
        super().__init__(en)
        self.line, self.col, self.zh, self.en = line, col, zh, en


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
_KIND_NAMES = {
    "s": ("文本", "text"),
    "m": ("映射（键: 值）", "mapping (key: value)"),
    "q": ("列表", "list"),
}


def read_yaml(path: str, text: str) -> ReadResult:
    """Read goal YAML text into a Filing; PF001/PF002 findings for what is wrong."""
    if text.startswith("\ufeff"):  # columns count what editors show; libyaml skips the BOM too
        text = text[1:]
    lines = split_lines(text)
    quoted: list[_Scalar] = []  # quoted and block scalars, where a `#` is not a comment
    try:
        root = _build(text, lines, quoted)
    except _Refused as refusal:
        line, col = refusal.line, refusal.col
        if line >= len(lines):  # libyaml places "end of the stream" on a line after the last one
            line, col = len(lines) - 1, len(lines[-1])
        col = min(col, len(lines[line]))
        at = Span(path, line + 1, col + 1, line + 1, col + 1)
        return ReadResult(None, (parse_error(at, refusal.zh, refusal.en),))
    reader = _Reader(path, lines)
    filing = reader.filing(root, _suppressions(path, text, lines, quoted))
    return ReadResult(filing, tuple(reader.diagnostics))


# ---------------------------------------------------------------------------------------------
# events → node tree


def _build(text: str, lines: list[str], quoted: list[_Scalar]) -> _Node:
    """The document's root mapping as a node tree, or _Refused."""
    stack: list[_Node] = []
    root = None
    items = None  # the items of the innermost open mapping or sequence (stack[-1].items)
    documents = 0
    where = _locator(text) if _YAML11_BREAK.search(text) else None
    loader = _LOADER(text)
    next_event = loader.get_event  # what yaml.parse() does, minus a check_event() per event
    new, Scalar, nulls = _new, _Scalar, _NULLS
    try:
        while True:
            event = next_event()
            kind = event.__class__
            if (
                kind is ScalarEvent
                and where is None
                and not event.style
                and event.anchor is None
                and event.tag is None
            ):
                # the common case first: a plain scalar with text (the general path below does the same)
                value = event.value
                if value and value not in nulls and items is not None:
                    start, end = event.start_mark, event.end_mark
                    items.append(
                        new(
                            Scalar,
                            ("s", start.line, start.column, end.line, end.column, value, None),
                        )
                    )
                    continue
            if kind is StreamEndEvent:
                break
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                start, end = event.start_mark, event.end_mark
                if where is None:
                    sl, sc, el, ec = start.line, start.column, end.line, end.column
                else:
                    (sl, sc), (el, ec) = where(start.index), where(end.index)
                if el >= len(
                    lines
                ):  # libyaml places "end of the stream" on a line after the last one
                    (sl, sc), (el, ec) = _inside(sl, sc, lines), _inside(el, ec, lines)
                if event.anchor is not None:
                    raise _Refused(
                        sl,
                        sc,
                        "目标文件不使用锚点/别名（&、*）",
                        "goal files do not use anchors/aliases (&, *)",
                    )
                if event.tag is not None and (kind is not ScalarEvent or event.tag not in _TAGS):
                    tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
                    raise _Refused(
                        sl,
                        sc,
                        f"不支持的 YAML 标签 {tag}：目标文件只含文本和数字",
                        f"unsupported YAML tag {tag}: goal files hold only text and numbers",
                    )
                if kind is ScalarEvent:
                    node = _scalar(event, sl, sc, el, ec, lines)
                    if node.style:
                        quoted.append(node)
                else:
                    if len(stack) >= MAX_DEPTH:
                        raise _Refused(
                            sl,
                            sc,
                            f"嵌套超过 {MAX_DEPTH} 层",
                            f"nesting deeper than {MAX_DEPTH} levels",
                        )
                    node = _Node(
                        "m" if kind is MappingStartEvent else "q",
                        sl,
                        sc,
                        el,
                        ec,
                        bool(event.flow_style),
                    )
                if items is not None:
                    items.append(node)
                else:
                    root = node
                if kind is not ScalarEvent:
                    stack.append(node)
                    items = node.items
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                node = stack.pop()
                items = stack[-1].items if stack else None
                if node.flow or not node.items:
                    node.el, node.ec = _inside(*_position(event.end_mark, where), lines)
                else:
                    last = node.items[-1]
                    node.el, node.ec = last.el, last.ec
            elif kind is AliasEvent:
                raise _Refused(
                    *_position(event.start_mark, where),
                    "目标文件不使用锚点/别名（&、*）",
                    "goal files do not use anchors/aliases (&, *)",
                )
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Refused(
                        *_position(event.start_mark, where),
                        "一个文件只能有一个 YAML 文档（多余的 ---）",
                        "a goal file holds one YAML document (extra ---)",
                    )
    except yaml.YAMLError as error:
        raise _syntax_error(error, text, where) from None
    finally:
        loader.dispose()
    if root is None:
        raise _Refused(0, 0, "文件为空", "the file is empty")
    if root.kind != "m":
        raise _Refused(
            root.sl,
            root.sc,
            f"文件顶层应为映射（部门、年度、项目…），实际为{_KIND_NAMES[root.kind][0]}",
            f"the top level must be a mapping (部门, 年度, 项目, …), found a {_KIND_NAMES[root.kind][1]}",
        )
    return root


def _locator(text: str):
    """index → (line, column) as editors count them (0-based)."""
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def where(index: int) -> tuple[int, int]:
        line = bisect_right(starts, index) - 1
        return line, index - starts[line]

    return where


def _inside(line: int, col: int, lines: list[str]) -> tuple[int, int]:
    """(line, col) moved back into the text: the end of the last line for a place after it."""
    if line >= len(lines):
        return len(lines) - 1, len(lines[-1])
    return line, min(col, len(lines[line]))


def _position(mark, where) -> tuple[int, int]:
    return (mark.line, mark.column) if where is None else where(mark.index)


def _scalar(event: ScalarEvent, sl: int, sc: int, el: int, ec: int, lines: list[str]) -> _Scalar:
    """A scalar node; empty values are placed where one would type them, blocks end at their text."""
    style = event.style or None
    value = event.value
    if style is None:
        if value in _NULLS and event.tag is None:
            value = ""
        elif (
            not value
            and sl == el
            and sc == ec
            and sl < len(lines)
            and lines[sl][sc : sc + 1] in (" ", "\t")
        ):
            sc = ec = sc + 1
    elif style in "|>":
        if ec == 0 and el > sl:  # the mark stands at the start of the line after the block
            el -= 1
            while el > sl and not lines[el].strip():
                el -= 1
            ec = len(lines[el])
    return _Scalar("s", sl, sc, el, ec, value, style)


def _syntax_error(error: yaml.YAMLError, text: str, where) -> _Refused:
    problem = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    if "nesting depth" in problem:  # libyaml's own limit (PyYAML ≥ 6.0.3), met before perflint's
        index = _too_deep(text)
        line, col = (
            _locator(text)(index) if index is not None else _position(error.problem_mark, where)
        )
        return _Refused(
            line, col, f"嵌套超过 {MAX_DEPTH} 层", f"nesting deeper than {MAX_DEPTH} levels"
        )
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line, col = _position(mark, where)
    else:  # a ReaderError: a forbidden character; the C reader counts its position in bytes
        line, col = _locator(text)(max(text.find(chr(getattr(error, "character", None) or 0)), 0))
    context = getattr(error, "context", None)
    detail = f"{problem} ({context})" if context else problem
    return _Refused(line, col, f"YAML 语法错误：{detail}", f"YAML syntax error: {detail}")


def _too_deep(text: str) -> int | None:
    """Where flow brackets first nest deeper than MAX_DEPTH (outside quotes and comments), if they do.

    A block collection at the top counts as the first level, as in `_build`'s walk.
    """
    depth, quote, index, n = int(text.lstrip()[:1] not in ("[", "{")), "", 0, len(text)
    while index < n:
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return index
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char in "'\"" and (index == 0 or text[index - 1] in " \t\n[{,:"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            index = text.find("\n", index)
            if index < 0:
                break
        index += 1
    return None


# ---------------------------------------------------------------------------------------------
# node tree → Filing


class _Reader:
    def __init__(self, path: str, lines: list[str]):
        self.path, self.lines = path, lines
        self.diagnostics: list[Diagnostic] = []

    # -- cells and spans

    def span(self, node: _Node) -> Span:
        return Span(self.path, node.sl + 1, node.sc + 1, node.el + 1, node.ec + 1)

    def point(self, node: _Node) -> Span:
        return Span(self.path, node.sl + 1, node.sc + 1, node.sl + 1, node.sc + 1)

    def cell(self, node: _Scalar) -> Cell:
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

    def wrong_shape(self, node: _Node, name: str, expected: str) -> None:
        zh_expected, en_expected = _KIND_NAMES[expected]
        zh_found, en_found = _KIND_NAMES[node.kind]
        self.diagnostics.append(
            parse_error(
                self.span(node),
                f"“{name}”应为{zh_expected}，实际为{zh_found}",
                f'"{name}" must be a {en_expected}, found a {en_found}',
            )
        )

    def unknown(self, key: _Node, allowed: tuple[str, ...], present: set[str]) -> None:
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

    def pairs(self, node: _Node):
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

    def fields(self, node: _Node, allowed: tuple[str, ...]) -> dict[str, tuple[_Node, _Node]]:
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

    def mapping(self, entry: tuple[_Node, _Node] | None) -> _Node | None:
        """The mapping under a key; None when absent, empty or of the wrong shape."""
        if entry is None:
            return None
        key, value = entry
        if value.kind == "m":
            return value
        if value.kind != "s" or value.value or value.style:
            self.wrong_shape(value, key.value, "m")
        return None

    def sequence(self, entry: tuple[_Node, _Node] | None, allow_text: bool = False) -> list[_Node]:
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

    def text(self, entry: tuple[_Node, _Node] | None, missing: Span) -> Cell:
        """A required text field: an empty Cell at `missing` when absent or of the wrong shape."""
        if entry is None:
            return self.empty(missing)
        key, value = entry
        if value.kind == "s":
            return self.cell(value)
        self.wrong_shape(value, key.value, "s")
        return self.empty(self.span(value))

    def optional(self, entry: tuple[_Node, _Node] | None) -> Cell | None:
        if entry is None:
            return None
        key, value = entry
        if value.kind != "s":
            self.wrong_shape(value, key.value, "s")
            return None
        return self.cell(value)

    def texts(self, entry: tuple[_Node, _Node] | None) -> tuple[Cell, ...]:
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

    def filing(self, root: _Node, suppressions: tuple[Suppression, ...]) -> Filing:
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

    def project(self, node: _Node) -> Project:
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

    def first_line(self, node: _Node) -> Span:
        """The project's first key with its value when that stands on the same line."""
        if not node.items:
            return self.span(node)
        key, value = node.items[0], node.items[1]
        end = value if value.kind == "s" and value.el == key.sl else key
        return Span(self.path, node.sl + 1, node.sc + 1, end.el + 1, end.ec + 1)

    def indicators(self, entry: tuple[_Node, _Node] | None) -> tuple[Indicator, ...]:
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

    def indicator(self, row: _Node, f: dict, level1: Cell, level2: Cell) -> Indicator:
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


# ---------------------------------------------------------------------------------------------
# inline suppressions


def _suppressions(
    path: str, text: str, lines: list[str], quoted: list[_Scalar]
) -> tuple[Suppression, ...]:
    """`# perflint: disable…` comments (not inside quoted or block scalars)."""
    if "perflint" not in text:
        return ()
    found = []
    inside = _region_index(quoted)
    for number, line in enumerate(lines):
        if "perflint" not in line:
            continue
        for start in _COMMENT_START.finditer(line):
            if inside(number, start.start()):
                continue
            # the first real `#` starts the comment; `# perflint: …` may stand later in it
            marker = _MARKER.search(line, start.start())
            match = marker and _SUPPRESSION.match(line.rstrip(), marker.start())
            if match:
                kind = _KINDS[match.group("kind")]
                codes = (
                    tuple(c.strip() for c in match.group("codes").split(","))
                    if match.group("codes")
                    else ()
                )
                target = {"line": number + 1, "next-line": number + 2, "file": 0}[kind]
                span = Span(path, number + 1, match.start() + 1, number + 1, match.end() + 1)
                found.append(Suppression(kind, codes, span, target))
            break
    return tuple(found)


def _region(node: _Scalar) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where a `#` is text, not a comment: a quoted scalar, or a block scalar's body (not its header line)."""
    start = (node.sl, node.sc) if node.style in ("'", '"') else (node.sl + 1, 0)
    return start, (node.el, node.ec)


def _region_index(quoted: list[_Scalar]):
    """(line, col) → whether it lies in one of the regions; by bisection, as a file may hold
    many thousands of quoted scalars and suppression comments."""
    regions = sorted(_region(node) for node in quoted)
    starts = [start for start, _ in regions]
    reach, furthest = [], (-1, -1)  # reach[i]: the furthest end among regions[: i + 1]
    for _, end in regions:
        furthest = max(furthest, end)
        reach.append(furthest)

    def inside(line: int, col: int) -> bool:
        point = (line, col)
        index = bisect_right(starts, point) - 1
        while index >= 0 and point < reach[index]:
            if point < regions[index][1]:
                return True
            index -= 1
        return False

    return inside
