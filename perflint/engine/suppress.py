"""Inline suppressions (`# perflint: disable…` comments in goal YAML) and PF009 unused-suppression.

The YAML reader finds the comments (`Filing.suppressions`); this module drops the findings they
silence and reports the comments that silence nothing, so stale ones do not pile up:

- `# perflint: disable=PF401` silences its own line,
- `# perflint: disable-next-line=PF401,vague-target` the line after it,
- `# perflint: disable-file=PF2` the whole file,

codes being codes, prefixes or rule names (none: everything), optionally followed by
`-- reason`. PF000 (internal error) and PF001 (parse error) cannot be silenced.

PF009 is not a rule file — the rule engine cannot see comments — so it is described here, in
`BUILTIN_RULES`, together with the other findings that come from code rather than rule files;
`perflint rules` lists them with the rule files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from perflint import rule_url
from perflint.diagnostics import Diagnostic, Edit, Fix, Message
from perflint.model import Span, Suppression
from perflint.selection import matches
from perflint.source import split_lines

UNSUPPRESSIBLE = frozenset({"PF000", "PF001"})
_CODES = re.compile(r"disable(?:-next-line|-file)?\s*=\s*(?P<codes>[^\s,]+(?:\s*,\s*[^\s,]+)*)")


@dataclass(frozen=True)
class MetaRule:
    """A finding produced by perflint's code (not by a rule file), documented like a rule."""

    code: str
    name: str
    severity: str
    summary: Message
    message_templates: Message
    rationale: dict  # zh, en, source
    example_bad: str = ""  # goal YAML text
    example_good: str = ""
    fix_applicability: str | None = None
    scope: str = "file"
    enabled: bool = True
    params: dict = field(default_factory=dict)
    examples: dict = field(default_factory=dict)
    path: str = "(built-in)"
    always: bool = False  # cannot be ignored or suppressed

    def url(self) -> str:
        return rule_url(self.code, self.name)


PF009 = MetaRule(
    code="PF009",
    name="unused-suppression",
    severity="warning",
    summary=Message("未使用的抑制注释", "Unused suppression comment"),
    message_templates=Message(
        "抑制注释没有屏蔽任何问题：{codes}", "suppression comment silences nothing: {codes}"
    ),
    rationale={
        "zh": "`# perflint: disable…` 注释所屏蔽的问题修正后，注释应随之删除；留下的过时注释会在日后屏蔽新引入的真实问题。"
        "只有当前启用的规则（及未知代码）才会被判定为未使用，未启用规则的代码不受影响。",
        "en": "Once the finding a `# perflint: disable…` comment silenced is fixed, the comment should go; a stale one "
        "would silence a real problem introduced later. Only codes of enabled rules (and unknown codes) are judged "
        "unused; codes of rules that are not enabled are left alone.",
        "source": "perflint 内置（仿 ruff RUF100 unused-noqa）",
    },
    example_bad="绩效指标:\n  - 三级指标: 培训人次\n    指标值: ≥200人次  # perflint: disable=PF203\n",
    example_good="绩效指标:\n  - 三级指标: 培训人次\n    指标值: ≥200人次\n",
    fix_applicability="safe",
)

BUILTIN_RULES: tuple[MetaRule, ...] = (
    MetaRule(
        code="PF000",
        name="internal-error",
        severity="error",
        summary=Message("perflint 内部错误", "perflint internal error"),
        message_templates=Message(
            "规则 {code} 内部错误：{detail}", "internal error in rule {code}: {detail}"
        ),
        rationale={
            "zh": "某条规则或判断函数在检查此文件时出错。这是 perflint 或插件的缺陷，请报告；其余规则照常检查。",
            "en": "A rule or predicate failed on this file. This is a bug in perflint or a plugin; please report it. "
            "The other rules still ran.",
            "source": "perflint 内置",
        },
        always=True,
    ),
    MetaRule(
        code="PF001",
        name="parse-error",
        severity="error",
        summary=Message("文件无法读取或解析", "The file cannot be read or parsed"),
        message_templates=Message("{detail}", "{detail}"),
        rationale={
            "zh": "文件无法解码、不是合法的 YAML、结构不符合目标文件格式，或文本导出中找不到项目表时报告。"
            "无法读取的部分不会被其他规则检查，因此此问题不能被忽略或屏蔽。",
            "en": "Reported when a file cannot be decoded, is not valid YAML, does not have the goal-file structure, or "
            "a text export has no project table. What cannot be read is not checked by any other rule, so this "
            "finding cannot be ignored or suppressed.",
            "source": "perflint 内置（读取器）",
        },
        example_bad="项目:\n  - 项目名称: [未闭合\n",
        example_good="项目:\n  - 项目名称: 业务培训经费\n",
        always=True,
    ),
    MetaRule(
        code="PF002",
        name="unknown-field",
        severity="warning",
        summary=Message("未知字段", "Unknown field"),
        message_templates=Message("未知字段“{field}”", 'unknown field "{field}"'),
        rationale={
            "zh": "目标 YAML 中拼错或不认识的字段不会被读取，其内容也就不会被检查。",
            "en": "A misspelt or unknown field in goal YAML is not read, so nothing in it is checked.",
            "source": "perflint 内置（YAML 读取器），见 docs/goal-format.md",
        },
        example_bad="项目:\n  - 项目明称: 业务培训经费\n",
        example_good="项目:\n  - 项目名称: 业务培训经费\n",
        fix_applicability="unsafe",
    ),
    MetaRule(
        code="PF003",
        name="skipped-content",
        severity="info",
        summary=Message("文件中有未检查的内容", "Part of the file is not checked"),
        message_templates=Message("{detail}", "{detail}"),
        rationale={
            "zh": "Word / Excel 文件中隐藏的工作表、隐藏的行，以及读取时另作处理的内容（如嵌套在单元格中的表格）会在此说明，"
            "以免审核人误以为整个文件都已检查。",
            "en": "Hidden sheets and hidden rows of a Word / Excel file, and what was read in another way (a table "
            "nested in a cell), are named here, so that a reviewer does not take the whole file for checked.",
            "source": "perflint 内置（Word / Excel 读取器），见 docs/word-excel.md",
        },
    ),
    PF009,
)


def covers(s: Suppression, line: int, end_line: int) -> bool:
    """Whether suppression `s` applies to a finding on lines line..end_line."""
    return s.kind == "file" or line <= s.target_line <= max(line, end_line)


def _silences(s: Suppression, d: Diagnostic) -> list[int]:
    """Indexes of the codes of `s` that silence `d` ([-1] for a suppression of everything)."""
    if not covers(s, d.span.line, d.span.end_line):
        return []
    if not s.codes:
        return [-1]
    return [i for i, code in enumerate(s.codes) if matches(code, d.code, d.name)]


def apply_suppressions(
    diagnostics,
    suppressions,
    text: str | None,
    enabled: frozenset[str] | set[str],
    known: dict[str, str],
    report_unused: bool = True,
) -> list[Diagnostic]:
    """The diagnostics not silenced by `suppressions`, plus a PF009 for each comment (or code) that silenced nothing.

    `enabled` holds the codes enabled for this file; `known` maps every known code to its name.
    A code is judged unused only when it names an enabled rule or no known rule at all.
    """
    if not suppressions:
        return list(diagnostics)
    used: dict[int, set[int]] = {i: set() for i in range(len(suppressions))}
    kept = []
    for d in diagnostics:
        silenced = False
        if d.code not in UNSUPPRESSIBLE:
            for i, s in enumerate(suppressions):
                hits = _silences(s, d)
                if hits:
                    used[i].update(hits)
                    silenced = True
        if not silenced:
            kept.append(d)
    if report_unused and "PF009" in enabled:
        lines = split_lines(text) if text is not None else []
        for i, s in enumerate(suppressions):
            finding = _unused(s, used[i], enabled, known, lines)
            if finding is not None and not _pf009_silenced(finding, suppressions):
                kept.append(finding)
    return sorted(kept, key=Diagnostic.sort_key)


def _judged(code: str, enabled, known: dict[str, str]) -> bool:
    """Whether an unused `code` counts: it names an enabled rule, or no known rule at all."""
    named = [c for c, name in known.items() if matches(code, c, name)]
    return not named or any(c in enabled for c in named)


def _unknown(code: str, known: dict[str, str]) -> bool:
    return not any(matches(code, c, name) for c, name in known.items())


def _unused(s: Suppression, used: set[int], enabled, known, lines: list[str]) -> Diagnostic | None:
    if not s.codes:
        if used:
            return None
        return _finding(s, [], [], lines, "全部", "all")
    unused = [
        code for i, code in enumerate(s.codes) if i not in used and _judged(code, enabled, known)
    ]
    if not unused:
        return None
    if any(code.upper() == "PF009" or code == PF009.name for code in s.codes):
        return None  # the comment silences PF009 itself
    remaining = [code for code in s.codes if code not in unused]
    unknown = [code for code in unused if _unknown(code, known)]
    listed = "、".join(unused) + (f"（未知代码：{'、'.join(unknown)}）" if unknown else "")
    listed_en = ", ".join(unused) + (f" (unknown: {', '.join(unknown)})" if unknown else "")
    return _finding(s, unused, remaining, lines, listed, listed_en)


def _finding(
    s: Suppression, unused, remaining, lines: list[str], listed: str, listed_en: str
) -> Diagnostic:
    zh = f"抑制注释没有屏蔽任何问题：{listed}"
    en = f"suppression comment silences nothing: {listed_en}"
    if remaining:
        zh = f"抑制注释中的 {listed} 没有屏蔽任何问题"
        en = f"unused code in suppression comment: {listed_en}"
    fix = _fix(s, remaining, lines)
    return Diagnostic(PF009.code, PF009.name, PF009.severity, Message(zh, en), s.span, fix)


def _fix(s: Suppression, remaining: list[str], lines: list[str]) -> Fix | None:
    if not (0 < s.span.line <= len(lines)):
        return None
    line = lines[s.span.line - 1]
    path, number, start = s.span.path, s.span.line, s.span.col - 1
    if remaining:
        match = _CODES.search(line, start)
        if match is None:
            return None
        a, b = match.span("codes")
        edit = Edit(Span(path, number, a + 1, number, b + 1), ", ".join(remaining))
        message = Message(
            f"从注释中删除 {'、'.join(c for c in s.codes if c not in remaining)}",
            f"remove {', '.join(c for c in s.codes if c not in remaining)} from the comment",
        )
        return Fix("safe", message, (edit,))
    message = Message("删除此抑制注释", "remove the suppression comment")
    before = line[:start]
    comment_start = _comment_start(before)
    if comment_start is not None and before[comment_start:].strip("# \t"):
        # other words stand in the same comment before the marker: keep them
        cut = len(before.rstrip())
        return Fix("safe", message, (Edit(Span(path, number, cut + 1, number, len(line) + 1), ""),))
    head = before if comment_start is None else before[:comment_start]
    if not head.strip():  # the comment stands alone on its line: remove the line
        if number < len(lines):
            return Fix("safe", message, (Edit(Span(path, number, 1, number + 1, 1), ""),))
        return Fix("safe", message, (Edit(Span(path, number, 1, number, len(line) + 1), ""),))
    cut = len(head.rstrip())
    return Fix("safe", message, (Edit(Span(path, number, cut + 1, number, len(line) + 1), ""),))


def _comment_start(before: str) -> int | None:
    """Where an earlier `#` comment begins in the text before the marker (None: the marker starts it)."""
    for match in re.finditer(r"(?:^|(?<=\s))#", before):
        return match.start()
    return None


def _pf009_silenced(finding: Diagnostic, suppressions) -> bool:
    return any(
        s.codes
        and covers(s, finding.span.line, finding.span.end_line)
        and any(matches(code, PF009.code, PF009.name) for code in s.codes)
        for s in suppressions
    )
