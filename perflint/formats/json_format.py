"""`--format json`: a list of findings with ruff's field names (docs/json-output.md).

Rows and columns are 1-based and count Unicode code points; `end_location` is exclusive.
The shape is fixed by `perflint/schema/json-output.schema.json`.

The list is written a finding at a time (`stream_json_rows`), byte for byte as
`json.dumps([diagnostic_object(d) …], ensure_ascii=False, indent=2)` would write it whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import (
    encode_basestring,  # what json.dumps(ensure_ascii=False) quotes strings with
)

from perflint.diagnostics import Diagnostic
from perflint.formats import FileWriter, FormatOptions, rule_url, to_rows, written
from perflint.formats.text import _statistics


def _location(line: int, col: int) -> dict:
    return {"row": line, "column": col}


CONTEXT_KEYS = ("department", "project", "project_code", "level1", "level2", "indicator")


def context_object(where) -> dict | None:
    """The `context` field: 部门 / 项目 / indicator of a finding (a row's `where`), null where unknown."""
    if not where:
        return None
    return {key: value or None for key, value in zip(CONTEXT_KEYS, where)}


def _context(where) -> str:
    """context_object(where) as json.dumps(indent=2) writes it at its depth."""
    if not where:
        return "null"
    parts = ",\n      ".join(
        f'"{key}": {encode_basestring(value) if value else "null"}'
        for key, value in zip(CONTEXT_KEYS, where)
    )
    return "{\n      " + parts + "\n    }"


def _related(related, filename: str, en: bool) -> str:
    """A finding's `related` list as json.dumps(indent=2) writes it ("" when it has none)."""
    if not related:
        return ""
    parts = []
    for r_span, zh, en_message in related:
        r_path, line, col, end_line, end_col = r_span[:5]
        parts.append(
            f'{{\n        "filename": {filename if r_path is None else encode_basestring(r_path)},\n'
            f'        "location": {{\n          "row": {_int(line)},\n          "column": {_int(col)}\n        }},\n'
            f'        "end_location": {{\n          "row": {_int(end_line)},\n          "column": {_int(end_col)}\n        }},\n'
            f'        "message": {encode_basestring(en_message if en else zh)}\n      }}'
        )
    return ',\n    "related": [\n      ' + ",\n      ".join(parts) + "\n    ]"


def cell_object(c) -> dict:
    """The `cell` of a finding in a workbook or document (a CellRef): rows and columns of the
    location count inside its text."""
    return {
        "address": c.label,
        "address_en": c.label_en or c.label,
        "sheet": c.sheet or None,
        "index": c.index,
        "row": c.row,
        "column": c.column,
    }


def _with_cell(obj: dict, span) -> dict:
    if span.cell is not None:
        obj["cell"] = cell_object(span.cell)
    return obj


def diagnostic_object(d: Diagnostic, options: FormatOptions) -> dict:
    s = d.span
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability,
            "message": d.fix.message.get(options.lang),
            "edits": [
                _with_cell(
                    {
                        "content": e.content,
                        "location": _location(e.span.line, e.span.col),
                        "end_location": _location(e.span.end_line, e.span.end_col),
                    },
                    e.span,
                )
                for e in d.fix.edits
            ],
        }
    found = {
        "code": d.code,
        "name": d.name,
        "message": d.message.get(options.lang),
        "severity": d.severity,
        "url": rule_url(options, d.code),
        "filename": s.path,
        "location": _location(s.line, s.col),
        "end_location": _location(s.end_line, s.end_col),
    }
    _with_cell(found, s)
    found["fix"] = fix
    found["context"] = context_object(_where(d))
    if d.related:  # only on findings across filings
        found["related"] = [
            {
                "filename": r.span.path,
                "location": _location(r.span.line, r.span.col),
                "end_location": _location(r.span.end_line, r.span.end_col),
                "message": r.message.get(options.lang),
            }
            for r in d.related
        ]
    return found


def _where(d: Diagnostic):
    w = d.where
    return None if w is None else w.fields()


def _cell_text(cell: list, indent: str) -> str:
    """`"cell": {…}` of a cell row (see perflint.cache._span) as json.dumps(indent=2) writes it
    at `indent`, with the `,\n` that follows it."""
    index, row, column, label, label_en, sheet = cell[:6]
    inner = indent + "  "
    return (
        f'{indent}"cell": {{\n{inner}"address": {encode_basestring(label)},\n{inner}"address_en": {encode_basestring(label_en or label)},\n'
        f'{inner}"sheet": {encode_basestring(sheet) if sheet else "null"},\n{inner}"index": {_int(index)},\n'
        f'{inner}"row": {_int(row)},\n{inner}"column": {_int(column)}\n{indent}}},\n'
    )


def _int(value) -> str:
    """An integer as json.dumps writes it (any other number too)."""
    return int.__repr__(value) if type(value) is int else json.dumps(value)


def _edits(edits) -> str:
    """A fix's `edits` list as json.dumps(indent=2) writes it at its depth."""
    if not edits:
        return "[]"
    parts = []
    for _, line, col, end_line, end_col, content, *cell in edits:
        tail = "\n" if not cell else ",\n" + _cell_text(cell[0], "          ")[:-2] + "\n"
        parts.append(
            f'{{\n          "content": {encode_basestring(content)},\n'
            f'          "location": {{\n            "row": {_int(line)},\n            "column": {_int(col)}\n          }},\n'
            f'          "end_location": {{\n            "row": {_int(end_line)},\n            "column": {_int(end_col)}\n          }}{tail}        }}'
        )
    return "[\n        " + ",\n        ".join(parts) + "\n      ]"


class JsonWriter(FileWriter):
    """The JSON list a file at a time: a file's text is its findings, each laid out as
    json.dumps(indent=2) lays out diagnostic_object() inside the list and preceded by `,` and
    a line break; the first finding of the report opens the list instead."""

    def __init__(self, options: FormatOptions):
        super().__init__(options)
        self.first = True
        self.parts: dict[
            tuple, tuple[str, str]
        ] = {}  # (code, name, severity) → the text around the message

    @property
    def key(self) -> str:
        from hashlib import sha256

        urls = sorted((code, rule_url(self.options, code) or "") for code in self.options.rules)
        digest = sha256(
            json.dumps(urls, ensure_ascii=False).encode("utf-8", "surrogatepass")
        ).hexdigest()[:16]
        return f"json/{'en' if self.options.lang == 'en' else 'zh'}/{digest}"

    def file(self, path, rows) -> tuple[str, None]:
        options = self.options
        en = options.lang == "en"
        parts = self.parts
        out = []
        filename = None if path is None else encode_basestring(path)
        for row in rows:
            code, name, severity, zh, en_message, span, fix, where, related = row
            p, line, col, end_line, end_col = span[:5]
            cell = _cell_text(span[5], "    ") if len(span) > 5 else ""
            around = parts.get((code, name, severity))
            if around is None:
                url = rule_url(options, code)
                around = parts[(code, name, severity)] = (
                    f'{{\n    "code": {encode_basestring(code)},\n    "name": {encode_basestring(name)},\n    "message": ',
                    f',\n    "severity": {encode_basestring(severity)},\n    "url": {"null" if url is None else encode_basestring(url)},\n    "filename": ',
                )
            if not (
                type(line) is int
                and type(col) is int
                and type(end_line) is int
                and type(end_col) is int
            ):
                line, col, end_line, end_col = _int(line), _int(col), _int(end_line), _int(end_col)
            if fix is None:
                fixed = "null"
            else:
                fixed = (
                    f'{{\n      "applicability": {encode_basestring(fix[0])},\n      "message": {encode_basestring(fix[2] if en else fix[1])},\n'
                    f'      "edits": {_edits(fix[3])}\n    }}'
                )
            out.append(
                f",\n  {around[0]}{encode_basestring(en_message if en else zh)}{around[1]}"
                f"{filename if p is None else encode_basestring(p)},\n"
                f'    "location": {{\n      "row": {line},\n      "column": {col}\n    }},\n'
                f'    "end_location": {{\n      "row": {end_line},\n      "column": {end_col}\n    }},\n'
                f'{cell}    "fix": {fixed},\n'
                f'    "context": {_context(where)}{_related(related, filename if p is None else encode_basestring(p), en)}\n  }}'
            )
        return "".join(out), None

    def take(self, text: str, note) -> str:
        if text and self.first:
            self.first = False
            return "[" + text[1:]
        return text

    def take_bytes(self, text: bytes, note) -> bytes:
        if text and self.first:
            self.first = False
            return b"[" + text[1:]
        return text

    def end(self) -> str:
        return "[]\n" if self.first else "\n]\n"


stream_json_rows = written(JsonWriter)  # (path, rows) batches → the JSON list's pieces


def format_json(diagnostics, options: FormatOptions) -> str:
    return "".join(stream_json_rows([(None, to_rows(diagnostics))], options))


def stream_statistics_json_rows(batches, options: FormatOptions) -> Iterator[str]:
    rows, names, fixable = _statistics(batches, options.unsafe_fixes)
    data = [{"code": c, "name": names[c], "count": n, "fixable": c in fixable} for c, n in rows]
    yield json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def format_statistics_json(diagnostics, options: FormatOptions) -> str:
    return "".join(stream_statistics_json_rows([(None, to_rows(diagnostics))], options))
