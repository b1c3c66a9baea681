"""The result cache's encoding of a finding: a `Diagnostic` as a row of JSON values and back.

A cache entry holds a file's findings as rows; the runner carries them between processes in
the same shape (plain lists cross a pipe far faster than dataclasses). A span's path is None
when it is the file's own.
"""

from __future__ import annotations

from perflint.diagnostics import Diagnostic, Edit, Fix, Message, Related, Where
from perflint.model import CellRef, Span


def _span(span, path: str):
    """[path or None, line, col, end_line, end_col], and the cell when there is one:
    [index, row, column, label, label_en, sheet, text] (perflint.model.CellRef)."""
    row = [
        None if span.path == path else span.path,
        span.line,
        span.col,
        span.end_line,
        span.end_col,
    ]
    c = span.cell
    if c is not None:
        row.append([c.index, c.row, c.column, c.label, c.label_en, c.sheet, c.text])
    return row


def _unspan(data, path: str):
    p, line, col, end_line, end_col = data[:5]
    cell = CellRef(*data[5]) if len(data) > 5 and data[5] is not None else None
    return Span(path if p is None else p, line, col, end_line, end_col, cell)


def _edit(edit, path: str) -> list:
    """[path or None, line, col, end_line, end_col, content], and the cell (see _span) after it."""
    row = _span(edit.span, path)
    return [*row[:5], edit.content, *row[5:]]


def encode_diagnostics(diagnostics, path: str) -> list:
    """Diagnostics as rows: [code, name, severity, zh, en, span, fix, where, related] (see _span;
    where is [department, project, project_code, level1, level2, indicator] or None; related is
    [[span, zh, en], …] or None)."""
    out = []
    for d in diagnostics:
        fix = None
        if d.fix is not None:
            f = d.fix
            fix = [f.applicability, f.message.zh, f.message.en, [_edit(e, path) for e in f.edits]]
        w = d.where
        where = None if w is None else list(w.fields())
        related = (
            [[_span(r.span, path), r.message.zh, r.message.en] for r in d.related]
            if d.related
            else None
        )
        out.append(
            [
                d.code,
                d.name,
                d.severity,
                d.message.zh,
                d.message.en,
                _span(d.span, path),
                fix,
                where,
                related,
            ]
        )
    return out


def decode_diagnostics(data: list, path: str) -> tuple:
    out = []
    for code, name, severity, zh, en, span, fix, where, related in data:
        if fix is not None:
            applicability, fzh, fen, edits = fix
            fix = Fix(
                applicability,
                Message(fzh, fen),
                tuple(Edit(_unspan(e[:5] + e[6:], path), e[5]) for e in edits),
            )
        out.append(
            Diagnostic(
                code,
                name,
                severity,
                Message(zh, en),
                _unspan(span, path),
                fix,
                None if where is None else Where(*where),
                tuple(Related(_unspan(r[0], path), Message(r[1], r[2])) for r in related)
                if related
                else (),
            )  # fmt: skip
        )
    return tuple(out)
