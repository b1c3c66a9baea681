"""Hover and completion.

- Hover on a flagged range: each finding there with its rule's summary and a link to its page.
- Completion of the codes after `# perflint: disable=` (and its -next-line / -file forms), and
  of category names: 一级 after `一级指标:` or as a key directly under `绩效指标:`, 二级 after
  `二级指标:` or as a key under a 一级 key (the grouped layout, docs/goal-format.md).
"""

from __future__ import annotations

import re

_DISABLE = re.compile(
    r"#\s*perflint\s*:\s*disable(?:-next-line|-file)?\s*=\s*(?:[\w-]+\s*,\s*)*(?P<partial>[\w-]*)$"
)
_FIELD = re.compile(r"^\s*(?:-\s+)?(?P<key>一级指标|二级指标)\s*:\s*(?P<partial>[^\s#:]*)$")
_BARE_KEY = re.compile(r"^(?P<indent>\s*)(?P<partial>[^\s#:\-][^#:]*)?$")
_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[^\s#:\-][^#:]*?)\s*:\s*(?:#.*)?$")


def hover_text(linted, indexes, lang: str) -> str:
    """Markdown for the findings at `indexes`: code, rule name and summary, message, link."""
    parts = []
    for index in indexes:
        d = linted.diagnostics[index]
        rule = linted.rules.get(d.code)
        summary = rule.summary.get(lang) if rule is not None else ""
        head = f"**{d.code}** `{d.name}`" + (f" — {summary}" if summary else "")
        body = [head, "", d.message.get(lang)]
        if d.fix is not None:
            kind = (
                ("安全修复" if d.fix.applicability == "safe" else "不安全修复")
                if lang != "en"
                else f"{d.fix.applicability} fix"
            )
            body += [
                "",
                f"*{kind}*：{d.fix.message.get(lang)}"
                if lang != "en"
                else f"*{kind}*: {d.fix.message.get(lang)}",
            ]
        if rule is not None:
            body += ["", f"[{'规则说明' if lang != 'en' else 'Rule documentation'}]({rule.url()})"]
        parts.append("\n".join(body))
    return "\n\n---\n\n".join(parts)


def completion_context(lines, line: int, before: str) -> tuple[str, str] | None:
    """("codes" | "level1" | "level2", partial word) for the text `before` the cursor on 0-based
    `line`, or None when nothing is completed there."""
    match = _DISABLE.search(before)
    if match:
        return "codes", match.group("partial")
    match = _FIELD.match(before)
    if match:
        return ("level1" if match.group("key") == "一级指标" else "level2"), match.group("partial")
    match = _BARE_KEY.match(before)
    if match is None:
        return None
    indent = len(match.group("indent"))
    parents = _parent_keys(lines, line, indent)
    if parents[:1] == ["绩效指标"]:
        return "level1", match.group("partial") or ""
    if parents[1:2] == ["绩效指标"]:
        return "level2", match.group("partial") or ""
    return None


def _parent_keys(lines, line: int, indent: int, depth: int = 2) -> list[str]:
    """The keys of the mappings enclosing a key at `indent` on `line`, nearest first."""
    found = []
    for number in range(line - 1, -1, -1):
        text = lines[number] if number < len(lines) else ""
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        width = len(text) - len(text.lstrip())
        if width < indent:
            match = _KEY.match(text)
            if match is None:
                return found
            found.append(match.group("key").strip())
            if len(found) == depth:
                return found
            indent = width
    return found


def completions(kind: str, partial: str, session, path: str, rules: dict, lang: str) -> list:
    """CompletionItems for a completion context."""
    from lsprotocol import types

    items = []
    if kind == "codes":
        for code, rule in sorted(rules.items()):
            if not code.startswith(partial.upper()) and not rule.name.startswith(partial):
                continue
            items.append(types.CompletionItem(
                label=code, kind=types.CompletionItemKind.Value, detail=f"{rule.name} — {rule.summary.get(lang)}",
                documentation=types.MarkupContent(types.MarkupKind.Markdown, f"[{code}]({rule.url()})"),
            ))  # fmt: skip
        return items
    level1, level2 = session.profile_names(path)
    names = level1 if kind == "level1" else level2
    detail = "一级指标" if kind == "level1" else "二级指标"
    for order, name in enumerate(names):
        if partial and partial not in name:
            continue
        items.append(types.CompletionItem(
            label=name, kind=types.CompletionItemKind.EnumMember, detail=detail, sort_text=f"{order:03d}",
        ))  # fmt: skip
    return items
