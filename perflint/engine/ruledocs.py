"""Rule documentation: `perflint rules` (list), `perflint rule CODE` (one rule, in ruff's sections)
and `perflint rules --format markdown` (docs/rules.md), all built from the rule files themselves
plus the built-in findings of `perflint.engine.suppress.BUILTIN_RULES`.
"""

from __future__ import annotations

import difflib
import json
import re

import yaml

from perflint import fields
from perflint.engine.suppress import BUILTIN_RULES

HEADINGS = {
    "zh": {
        "what": "作用",
        "why": "为什么有问题",
        "example": "示例",
        "instead": "应改为",
        "fix": "修复安全性",
        "options": "参数",
        "source": "依据",
        "false_positives": "可能的误报",
        "message": "提示信息",
        "severity": "级别",
        "scope": "范围",
        "off": "默认关闭，需用完整代码或名称选择",
        "builtin": "内置（不是规则文件）",
    },
    "en": {
        "what": "What it does",
        "why": "Why is this bad?",
        "example": "Example",
        "instead": "Use instead",
        "fix": "Fix safety",
        "options": "Options",
        "source": "Source",
        "false_positives": "Known false positives",
        "message": "Message",
        "severity": "Severity",
        "scope": "Scope",
        "off": "off by default; select it by its full code or name",
        "builtin": "built in (not a rule file)",
    },
}
SCOPES = {
    "zh": {
        "filing": "整个文件",
        "project": "项目",
        "indicator": "指标行",
        "cell": "单元格",
        "file": "文件",
    }
}
FIX_SAFETY = {
    "zh": {
        "safe": "此规则带有安全的修复：修复只改动所标记的文字，不改变绩效目标的含义，可以放心地自动应用。",
        "unsafe": "此规则的修复不安全：修复可能改变指标的含义（例如目标值的方向或数值），应用前请人工确认。",
        None: "此规则没有自动修复。",
    },
    "en": {
        "safe": "This rule's fix is safe: it changes only the flagged text and keeps the filing's meaning, so it may be applied automatically.",
        "unsafe": "This rule's fix is unsafe: it may change what the indicator means (e.g. the direction or size of a target); review it before applying.",
        None: "This rule has no automatic fix.",
    },
}


def _text(message, lang: str) -> str:
    return message.get(lang)


def all_rules(ruleset) -> list:
    """Every rule of the run: the rule files' and the built-in findings, by code."""
    rules = {rule.code: rule for rule in BUILTIN_RULES}
    rules.update({rule.code: rule for rule in ruleset.rules})
    return [rules[code] for code in sorted(rules)]


def find_rule(rules, wanted: str):
    """A rule by code (any case) or name; None when unknown."""
    for rule in rules:
        if rule.code == wanted.upper() or rule.name == wanted:
            return rule
    return None


def suggestions(rules, wanted: str) -> list[str]:
    candidates = [r.code for r in rules] + [r.name for r in rules]
    return difflib.get_close_matches(wanted, candidates, n=3)


def _builtin(rule) -> bool:
    return getattr(rule, "path", "") == "(built-in)"


def _fix_message(rule, lang: str) -> str | None:
    raw = getattr(rule, "raw", None) or {}
    fix = raw.get("fix")
    return fix["message"].get(lang) if fix else None


# -- list


def list_text(rules, lang: str = "zh") -> str:
    width = max((len(r.name) for r in rules), default=0)
    lines = []
    for r in rules:
        flag = "*" if r.fix_applicability else " "
        note = f"  ({HEADINGS[lang]['off']})" if not r.enabled else ""
        lines.append(
            f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {flag} {_text(r.summary, lang)}{note}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def list_json(rules, lang: str = "zh") -> str:
    data = [
        {
            "code": r.code,
            "name": r.name,
            "severity": r.severity,
            "scope": r.scope,
            "summary": _text(r.summary, lang),
            "fix": r.fix_applicability,
            "enabled": r.enabled,
            "builtin": _builtin(r),
            "params": dict((r.params or {}).items()),
            "url": r.url(),
        }
        for r in rules
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- one rule


class _Dumper(yaml.SafeDumper):
    """Indent list items under their key, as goal files are written."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


_CJK_GAP = re.compile(
    r"(?<=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])\s+(?=[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f])"
)


def _prose(text: str | None, lang: str) -> str:
    """Rationale text on one paragraph: folded lines joined (no space between Chinese characters)."""
    text = " ".join((text or "").split())
    return _CJK_GAP.sub("", text) if lang == "zh" else text


DEFAULTS_NOTE = {
    "zh": "# 未写出的字段取规则示例的默认值（perflint/examples.py）\n",
    "en": "# fields not shown take the rule examples' defaults (perflint/examples.py)\n",
}


def _case_yaml(case: dict, lang: str = "zh") -> str:
    """A rule example as the goal-YAML snippet it stands for (its row, project or filing)."""
    case = {k: v for k, v in case.items() if k != "fixed"}
    note = DEFAULTS_NOTE[lang]
    if fields.FILING_ONLY_KEYS & case.keys():
        document = case
    elif fields.PROJECT_KEYS & case.keys():
        document = {"项目": [case]}
    else:
        document, note = {"绩效指标": [case]}, ""
    return note + yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )


def _examples(rule, lang: str = "zh", instead=None) -> tuple[str | None, str | None]:
    if _builtin(rule):
        return rule.example_bad or None, rule.example_good or None
    examples = rule.examples or {}
    bad = examples.get("bad") or []
    good = [instead] if instead is not None else examples.get("good") or []
    return (_case_yaml(bad[0], lang) if bad else None, _case_yaml(good[0], lang) if good else None)


def rule_doc(rule, lang: str = "zh", level: int = 1, instead: dict | None = None) -> str:
    """One rule's documentation in ruff's sections, as Markdown (`level` is the title's heading
    level). `instead`: the case under "Use instead" (the bad example fixed), else the first
    good example."""
    h = HEADINGS[lang]
    top, sub = "#" * level, "#" * (level + 1)
    scope = SCOPES.get(lang, {}).get(rule.scope, rule.scope)
    facts = [f"{h['severity']}: `{rule.severity}`", f"{h['scope']}: {scope}"]
    if not rule.enabled:
        facts.append(h["off"])
    if _builtin(rule):
        facts.append(h["builtin"])
    sep = "：" if lang == "zh" else ": "
    facts = [f.replace(": ", sep, 1) for f in facts]
    out = [f"{top} {rule.code} {rule.name}", "", " · ".join(facts), ""]
    out += [f"{sub} {h['what']}", "", _sentence(_text(rule.summary, lang), lang), ""]
    out += [
        f"{h['message']}{sep}“{_text(rule.message_templates, lang)}”"
        if lang == "zh"
        else f'{h["message"]}: "{_text(rule.message_templates, lang)}"',
        "",
    ]
    rationale = rule.rationale or {}
    why = _prose(rationale.get(lang), lang)
    out += [f"{sub} {h['why']}", ""]
    if why:
        out += [why, ""]
    if rationale.get("source"):
        out += [f"{h['source']}{sep}{cited(rationale['source'], lang)}", ""]
    if rationale.get("false_positives"):
        out += [f"{h['false_positives']}{sep}", ""]
        out += [f"- {item}" for item in rationale["false_positives"]] + [""]
    bad, good = _examples(rule, lang, instead)
    if bad:
        out += [f"{sub} {h['example']}", "", "```yaml", bad.rstrip("\n"), "```", ""]
    if good:
        out += [f"{sub} {h['instead']}", "", "```yaml", good.rstrip("\n"), "```", ""]
    out += [
        f"{sub} {h['fix']}",
        "",
        FIX_SAFETY[lang][
            rule.fix_applicability if rule.fix_applicability in ("safe", "unsafe") else None
        ],
    ]
    fix_message = _fix_message(rule, lang)
    if fix_message:
        out[-1] += f"修复{sep}“{fix_message}”。" if lang == "zh" else f' The fix: "{fix_message}".'
    out.append("")
    params = getattr(rule, "raw", {}).get("params") if not _builtin(rule) else None
    if params:
        out += [f"{sub} {h['options']}", ""]
        for name, spec in params.items():
            value = rule.params.get(name, spec.get("default"))
            described = (
                f"：{spec['description']}"
                if lang == "zh" and spec.get("description")
                else (f": {spec['description']}" if spec.get("description") else "")
            )
            default = "默认" if lang == "zh" else "default"
            out.append(
                f"- `{name}`（{default} `{spec.get('default')}`）{described}"
                if lang == "zh"
                else f"- `{name}` ({default} `{spec.get('default')}`){described}"
            )
            if value != spec.get("default"):
                out[-1] += f" — {'当前' if lang == 'zh' else 'now'} `{value}`"
        example = f"params: {{{rule.code}: {{{next(iter(params))}: …}}}}"
        out += [
            "",
            (
                f"在配置文件中设置：`{example}`"
                if lang == "zh"
                else f"Set in a config file: `{example}`"
            ),
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


_MARK = re.compile(r"\[\s*(V|R|\?)\s*([，,；;][^\]]*)?\]")
_GUIDELINES = re.compile(r"guidelines\s*(§\s*[\d.]+(?:\s*[、,，/]\s*§?\s*[\d.]+)*)")
_MARK_WORDS = {
    "zh": {"V": "已核实", "R": "未核实：凭转述，尚未与官方原文核对", "?": "无法确认，按假设处理"},
    "en": {
        "V": "verified",
        "R": "not yet verified against the official text",
        "?": "unconfirmed; treated as an assumption",
    },
}


def cited(source: str, lang: str) -> str:
    """A rule's source line for readers: [V]/[R]/[?] spelt out, `guidelines §x` pointed at the
    shipped register docs/sources.md, whose sections carry the same numbers."""
    words = _MARK_WORDS["en" if lang == "en" else "zh"]

    def mark(match: re.Match) -> str:
        note = (match.group(2) or "").strip("，,；; ")
        return f"[{words[match.group(1)]}{('；' if lang != 'en' else '; ') + note if note else ''}]"

    text = _MARK.sub(mark, source)
    where = "见 docs/sources.md " if lang != "en" else "see docs/sources.md "
    return _GUIDELINES.sub(lambda m: where + m.group(1), text)


def _sentence(text: str, lang: str) -> str:
    text = text.strip()
    if lang == "zh":
        return text if text.endswith(("。", "！", "？")) else text + "。"
    return text if text.endswith((".", "!", "?")) else text + "."


# -- docs/rules.md


def markdown(rules, lang: str = "zh") -> str:
    title = "规则" if lang == "zh" else "Rules"
    generated = (
        "<!-- 由 `perflint rules --format markdown > docs/rules.md` 生成，请勿手工编辑 -->"
        if lang == "zh"
        else "<!-- generated by `perflint rules --format markdown --lang en`; do not edit by hand -->"
    )
    intro = (
        "每条规则一个 YAML 文件（`rules/<代码>-<名称>.yaml`）；PF000、PF001、PF002、PF009 由 perflint 的代码产生（见 `perflint/engine/suppress.py`）。"
        "“修复”一栏：safe 为安全修复，unsafe 为需人工确认的修复。位置均为从 1 开始、按 Unicode 码位计数的行列。"
        if lang == "zh"
        else "One YAML file per rule (`rules/<CODE>-<name>.yaml`); PF000, PF001, PF002 and PF009 come from perflint's "
        "code (see `perflint/engine/suppress.py`). Fix: safe, or unsafe (review before applying). Positions are 1-based "
        "lines and columns counted in Unicode code points."
    )
    header = (
        "| 代码 | 名称 | 级别 | 说明 | 修复 |"
        if lang == "zh"
        else "| Code | Name | Severity | Summary | Fix |"
    )
    out = [f"# {title}", "", generated, "", intro, "", header, "| --- | --- | --- | --- | --- |"]
    for r in rules:
        anchor = f"{r.code.lower()}-{r.name}"
        summary = _text(r.summary, lang).replace("|", "\\|")
        out.append(
            f"| [{r.code}](#{anchor}) | {r.name} | {r.severity} | {summary} | {r.fix_applicability or '—'} |"
        )
    out.append("")
    for r in rules:
        out.append(rule_doc(r, lang, level=2))
    return "\n".join(out).rstrip("\n") + "\n"
