"""perflint findings as LSP diagnostics: range in the negotiated unit, code, severity, message
in the configured language, the rule page as `codeDescription.href`, related locations."""

from __future__ import annotations

from perflint.server.positions import Lines

SEVERITY = {"error": 1, "warning": 2, "info": 3}  # lsprotocol DiagnosticSeverity values
SOURCE = "perflint"


def lsp_range(span, lines: Lines, encoding: str):
    """A perflint Span → an LSP Range. A span inside a workbook or document cell (`span.cell`)
    has no place in an editor's text: it is shown at the document's start."""
    from lsprotocol import types

    if span.cell is not None:
        return types.Range(types.Position(0, 0), types.Position(0, 0))
    start = lines.position(span.line, span.col, encoding)
    end = lines.position(span.end_line, span.end_col, encoding)
    if end < start:
        end = start
    return types.Range(types.Position(*start), types.Position(*end))


def to_lsp(diagnostic, lines: Lines, encoding: str, lang: str, rules: dict, uri: str):
    """One perflint Diagnostic → an lsprotocol Diagnostic."""
    from lsprotocol import types

    message = diagnostic.message.get(lang)
    span = diagnostic.span
    if span.cell is not None:  # name the cell: 绩效目标表!E12 / 表2 第5行第6列
        label = (span.cell.label_en or span.cell.label) if lang == "en" else span.cell.label
        message = f"{label}: {message}" if lang == "en" else f"{label}：{message}"
    rule = rules.get(diagnostic.code)
    href = rule.url() if rule is not None else None
    related = None
    where = diagnostic.where
    if where is not None and (where.project or where.indicator):
        parts = [p for p in (where.department, where.project, where.indicator) if p]
        related = [types.DiagnosticRelatedInformation(
            types.Location(uri, lsp_range(span, lines, encoding)), " / ".join(parts),
        )]  # fmt: skip
    return types.Diagnostic(
        range=lsp_range(span, lines, encoding),
        message=message,
        severity=types.DiagnosticSeverity(SEVERITY.get(diagnostic.severity, 1)),
        code=diagnostic.code,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        related_information=related,
        data={"name": diagnostic.name, "fixable": diagnostic.fix is not None},
    )


def problem_to_lsp(problem, lang: str):
    """A configuration or usage error (session.Problem) → a diagnostic at the document's start,
    with the configuration file's line as related information."""
    from lsprotocol import types
    from pygls.uris import from_fs_path

    related = None
    if problem.path:
        at = types.Position(max(problem.line - 1, 0), max(problem.col - 1, 0))
        related = [types.DiagnosticRelatedInformation(
            types.Location(from_fs_path(problem.path), types.Range(at, at)), problem.get(lang),
        )]  # fmt: skip
    zero = types.Position(0, 0)
    return types.Diagnostic(
        range=types.Range(zero, zero),
        message=problem.get(lang),
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
        related_information=related,
    )
