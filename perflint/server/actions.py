"""Code actions: each fix as a quick fix, "fix all safe problems" and "disable PFxxx for this line".

- A finding's fix becomes a `quickfix`; safe fixes are preferred, unsafe ones say so in the title.
- `source.fixAll.perflint` is the text `perflint check --fix` would write (Session.fix_all), as
  one edit of the part that changes.
- "Disable" adds `# perflint: disable=CODE` at the end of the finding's line (or adds the code
  to the suppression comment already there). Only goal YAML has suppression comments; the edit is
  offered only when the YAML reader, reading the edited text, sees a suppression of that code on
  that line (so never inside a quoted or block scalar, where `#` is text). A text export has no
  comment syntax, so it gets no such edit; nor a per-file ignore in the configuration, which
  would silence the code on every line and change a file the repository shares (by hand, then).
  Word and Excel documents get no code actions at all: the editor holds no text of them.
"""

from __future__ import annotations

import re

from perflint.server.findings import lsp_range
from perflint.server.positions import Lines

FIX_ALL = "source.fixAll.perflint"
_LINE_SUPPRESSION = re.compile(
    r"#\s*perflint\s*:\s*disable\s*=\s*(?P<codes>\w+(?:-\w+)*(?:\s*,\s*\w+(?:-\w+)*)*)"
)

TITLES = {
    "fix": ("修复 {code}：{message}", "Fix {code}: {message}"),
    "unsafe": ("修复 {code}（不安全）：{message}", "Fix {code} (unsafe): {message}"),
    "all": ("perflint：修复所有安全问题", "perflint: fix all safe problems"),
    "disable": ("对此行禁用 {code}", "Disable {code} for this line"),
}


def title(kind: str, lang: str, **fields) -> str:
    zh, en = TITLES[kind]
    return (en if lang == "en" else zh).format(**fields)


def _edit(start, end, text: str):
    from lsprotocol import types

    return types.TextEdit(types.Range(types.Position(*start), types.Position(*end)), text)


def fix_edits(fix, lines: Lines, encoding: str) -> list:
    """A perflint Fix → LSP TextEdits."""
    from lsprotocol import types

    return [
        types.TextEdit(lsp_range(edit.span, lines, encoding), edit.content) for edit in fix.edits
    ]


def quick_fixes(
    linted, lsp_diagnostics, wanted, lines: Lines, encoding: str, lang: str, uri: str
) -> list:
    """Quick fixes for the findings at indexes `wanted` of linted.diagnostics."""
    from lsprotocol import types

    actions = []
    for index in wanted:
        d = linted.diagnostics[index]
        if d.fix is None or any(edit.span.cell is not None for edit in d.fix.edits):
            continue
        safe = d.fix.applicability == "safe"
        actions.append(types.CodeAction(
            title=title("fix" if safe else "unsafe", lang, code=d.code, message=d.fix.message.get(lang)),
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[lsp_diagnostics[index]],
            is_preferred=safe,
            edit=types.WorkspaceEdit(changes={uri: fix_edits(d.fix, lines, encoding)}),
        ))  # fmt: skip
    return actions


def minimal_edit(old: str, new: str, encoding: str):
    """One TextEdit turning `old` into `new`: the changed middle, between the common prefix and
    suffix (so an editor keeps its cursor and folds elsewhere)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    lines = Lines(old)
    return _edit(
        _point(old, start, lines, encoding),
        _point(old, len(old) - end, lines, encoding),
        new[start : len(new) - end],
    )


def _point(text: str, offset: int, lines: Lines, encoding: str) -> tuple[int, int]:
    """A code-point offset in `text` → a 0-based LSP (line, character)."""
    head = Lines(text[:offset]).lines
    line = len(head)
    return lines.position(line, len(head[-1]) + 1, encoding)


def fix_all(session, linted, encoding: str, lang: str, uri: str):
    """The source.fixAll.perflint action, or None when no safe fix changes the text."""
    from lsprotocol import types

    if not any(d.fix is not None and d.fix.applicability == "safe" for d in linted.diagnostics):
        return None
    fixed = session.fix_all(linted.path, linted.text)
    if fixed is None or fixed == linted.text:
        return None
    return types.CodeAction(
        title=title("all", lang),
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={uri: [minimal_edit(linted.text, fixed, encoding)]}),
    )


def suppressed_line(line: str, code: str) -> str:
    """`line` with `code` added to its `# perflint: disable=` comment, or such a comment appended."""
    match = _LINE_SUPPRESSION.search(line)
    if match:
        codes = [c.strip() for c in match.group("codes").split(",")]
        if code in codes:
            return line
        return line[: match.end("codes")] + "," + code + line[match.end("codes") :]
    body = line.rstrip()
    return f"{body}  # perflint: disable={code}" + line[len(body) :]


def disable_action(
    linted, index: int, lsp_diagnostic, lines: Lines, encoding: str, lang: str, uri: str
):
    """ "Disable CODE for this line", or None where no suppression comment can silence it."""
    from lsprotocol import types

    from perflint.engine.suppress import UNSUPPRESSIBLE

    d = linted.diagnostics[index]
    if d.code in UNSUPPRESSIBLE or d.span.cell is not None:
        return None
    if not linted.path.lower().endswith((".yaml", ".yml")):
        return None
    number = d.span.line
    old = lines.line(number)
    new = suppressed_line(old, d.code)
    if new == old or not _reads_as_suppression(linted.path, lines, number, new, d.code):
        return None
    return types.CodeAction(
        title=title("disable", lang, code=d.code),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[lsp_diagnostic],
        edit=types.WorkspaceEdit(
            changes={uri: [_edit((number - 1, 0), (number - 1, _units(old, encoding)), new)]}
        ),
    )


def _units(text: str, encoding: str) -> int:
    from perflint.server.positions import units

    return units(text, encoding)


def _reads_as_suppression(path: str, lines: Lines, number: int, new: str, code: str) -> bool:
    """Whether the YAML reader, reading the text with line `number` replaced by `new`, finds a
    suppression of `code` for that line (and the text still reads)."""
    from perflint.readers.yaml_reader import read_yaml

    edited = list(lines.lines)
    edited[number - 1] = new
    result = read_yaml(path, "\n".join(edited))
    if result.filing is None:
        return False
    return any(
        s.kind == "line" and s.target_line == number and code in s.codes
        for s in result.filing.suppressions
    )
