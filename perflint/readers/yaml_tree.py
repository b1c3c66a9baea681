"""Goal YAML text → a small node tree, from PyYAML's event stream (libyaml when available).

No recursion and no Python object constructed from the YAML: every scalar is kept as its source
text with where it stands. Hostile input (anchors/aliases, deep nesting, foreign tags, several
documents) is refused (`Refused`) before it can cost anything.
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

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64
_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "null", "bool"))
_NULLS = frozenset(("~", "null", "Null", "NULL"))

_BREAK = re.compile(r"\r\n|\r|\n")
_YAML11_BREAK = re.compile("[\x85\u2028\u2029]")  # line breaks to libyaml, not to editors


class Node:
    """A mapping ("m") or sequence ("q"): 0-based start/end line and column, and its items
    (a mapping's alternate keys and values)."""

    __slots__ = ("kind", "value", "style", "sl", "sc", "el", "ec", "items", "flow")

    def __init__(self, kind, sl, sc, el, ec, flow=False):
        self.kind, self.sl, self.sc, self.el, self.ec = kind, sl, sc, el, ec
        self.value, self.style, self.flow = "", None, flow
        self.items = []


class Scalar(NamedTuple):
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


class Refused(Exception):
    """A fatal problem: the file is not read any further."""

    def __init__(self, line: int, col: int, zh: str, en: str):
        super().__init__(en)
        self.line, self.col, self.zh, self.en = line, col, zh, en


KIND_NAMES = {
    "s": ("文本", "text"),
    "m": ("映射（键: 值）", "mapping (key: value)"),
    "q": ("列表", "list"),
}


# ---------------------------------------------------------------------------------------------
# events → node tree


def build(text: str, lines: list[str], quoted: list[Scalar]) -> Node:
    """The document's root mapping as a node tree, or Refused."""
    stack: list[Node] = []
    root = None
    items = None  # the items of the innermost open mapping or sequence (stack[-1].items)
    documents = 0
    where = _locator(text) if _YAML11_BREAK.search(text) else None
    loader = _LOADER(text)
    next_event = loader.get_event  # what yaml.parse() does, minus a check_event() per event
    new, scalar, nulls = _new, Scalar, _NULLS
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
                            scalar,
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
                    raise Refused(
                        sl,
                        sc,
                        "目标文件不使用锚点/别名（&、*）",
                        "goal files do not use anchors/aliases (&, *)",
                    )
                if event.tag is not None and (kind is not ScalarEvent or event.tag not in _TAGS):
                    tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
                    raise Refused(
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
                        raise Refused(
                            sl,
                            sc,
                            f"嵌套超过 {MAX_DEPTH} 层",
                            f"nesting deeper than {MAX_DEPTH} levels",
                        )
                    node = Node(
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
                raise Refused(
                    *_position(event.start_mark, where),
                    "目标文件不使用锚点/别名（&、*）",
                    "goal files do not use anchors/aliases (&, *)",
                )
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise Refused(
                        *_position(event.start_mark, where),
                        "一个文件只能有一个 YAML 文档（多余的 ---）",
                        "a goal file holds one YAML document (extra ---)",
                    )
    except yaml.YAMLError as error:
        raise syntax_error(error, text, where) from None
    finally:
        loader.dispose()
    if root is None:
        raise Refused(0, 0, "文件为空", "the file is empty")
    if root.kind != "m":
        raise Refused(
            root.sl,
            root.sc,
            f"文件顶层应为映射（部门、年度、项目…），实际为{KIND_NAMES[root.kind][0]}",
            f"the top level must be a mapping (部门, 年度, 项目, …), found a {KIND_NAMES[root.kind][1]}",
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


def _scalar(event: ScalarEvent, sl: int, sc: int, el: int, ec: int, lines: list[str]) -> Scalar:
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
    return Scalar("s", sl, sc, el, ec, value, style)


def syntax_error(error: yaml.YAMLError, text: str, where) -> Refused:
    problem = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
    if "nesting depth" in problem:  # libyaml's own limit (PyYAML ≥ 6.0.3), met before perflint's
        index = _too_deep(text)
        line, col = (
            _locator(text)(index) if index is not None else _position(error.problem_mark, where)
        )
        return Refused(
            line, col, f"嵌套超过 {MAX_DEPTH} 层", f"nesting deeper than {MAX_DEPTH} levels"
        )
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line, col = _position(mark, where)
    else:  # a ReaderError: a forbidden character; the C reader counts its position in bytes
        line, col = _locator(text)(max(text.find(chr(getattr(error, "character", None) or 0)), 0))
    context = getattr(error, "context", None)
    detail = f"{problem} ({context})" if context else problem
    return Refused(line, col, f"YAML 语法错误：{detail}", f"YAML syntax error: {detail}")


def _too_deep(text: str) -> int | None:
    """Where flow brackets first nest deeper than MAX_DEPTH (outside quotes and comments), if they do.

    A block collection at the top counts as the first level, as in `build`'s walk.
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
