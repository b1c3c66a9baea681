"""`--format json`: a list of findings with ruff's field names (docs/json-output.md).

Rows and columns are 1-based and count Unicode code points; `end_location` is exclusive.
The shape is fixed by `perflint/schema/json-output.schema.json`.

The list is written a finding at a time (`stream_json_rows`), byte for byte as
`json.dumps([diagnostic_object(d) …], ensure_ascii=False, indent=2)` would write it whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) quotes strings with

from perflint.diagnostics import Diagnostic
from perflint.formats import FormatOptions, rule_url, to_rows
from perflint.formats.text import _statistics


def _location(line: int, col: int) -> dict:
    return {"row": line, "column": col}


def diagnostic_object(d: Diagnostic, options: FormatOptions) -> dict:
    s = d.span
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability,
            "message": d.fix.message.get(options.lang),
            "edits": [
                {
                    "content": e.content,
                    "location": _location(e.span.line, e.span.col),
                    "end_location": _location(e.span.end_line, e.span.end_col),
                }
                for e in d.fix.edits
            ],
        }
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message.get(options.lang),
        "severity": d.severity,
        "url": rule_url(options, d.code),
        "filename": s.path,
        "location": _location(s.line, s.col),
        "end_location": _location(s.end_line, s.end_col),
        "fix": fix,
    }


# The layout json.dumps(indent=2) gives a finding inside the top-level list.
_ITEM = (
    '{{\n    "code": {code},\n    "name": {name},\n    "message": {message},\n    "severity": {severity},\n'
    '    "url": {url},\n    "filename": {filename},\n'
    '    "location": {{\n      "row": {line},\n      "column": {col}\n    }},\n'
    '    "end_location": {{\n      "row": {end_line},\n      "column": {end_col}\n    }},\n'
    '    "fix": {fix}\n  }}'
)
_FIX = '{{\n      "applicability": {applicability},\n      "message": {message},\n      "edits": {edits}\n    }}'
_EDIT = (
    '{{\n          "content": {content},\n'
    '          "location": {{\n            "row": {line},\n            "column": {col}\n          }},\n'
    '          "end_location": {{\n            "row": {end_line},\n            "column": {end_col}\n          }}\n        }}'
)


def _int(value) -> str:
    return int.__repr__(value) if type(value) is int else json.dumps(value)


def stream_json_rows(batches, options: FormatOptions) -> Iterator[str]:
    """The JSON list of `(path, rows)` batches (findings in the cache's encoding; a span's path
    None is the batch's path): `[`, one string per batch, `]`."""
    en = options.lang == "en"
    quoted: dict[str, str] = {}  # code, name, severity, applicability: few distinct values
    urls: dict[str, str] = {}

    def q(text: str) -> str:
        out = quoted.get(text)
        if out is None:
            out = quoted[text] = encode_basestring(text)
        return out

    first = True
    for path, rows in batches:
        out = []
        filename = None if path is None else encode_basestring(path)
        for code, name, severity, zh, en_message, span, fix in rows:
            p, line, col, end_line, end_col = span
            url = urls.get(code)
            if url is None:
                found = rule_url(options, code)
                url = urls[code] = "null" if found is None else encode_basestring(found)
            if fix is not None:
                applicability, fzh, fen, edits = fix
                if edits:
                    parts = [
                        _EDIT.format(
                            content=encode_basestring(e[5]), line=_int(e[1]), col=_int(e[2]),
                            end_line=_int(e[3]), end_col=_int(e[4]),
                        )  # fmt: skip
                        for e in edits
                    ]
                    listed = "[\n        " + ",\n        ".join(parts) + "\n      ]"
                else:
                    listed = "[]"
                fix = _FIX.format(
                    applicability=q(applicability), message=encode_basestring(fen if en else fzh), edits=listed
                )  # fmt: skip
            else:
                fix = "null"
            out.append("[\n  " if first else ",\n  ")
            first = False
            out.append(_ITEM.format(
                code=q(code), name=q(name), message=encode_basestring(en_message if en else zh),
                severity=q(severity), url=url, filename=filename if p is None else encode_basestring(p),
                line=_int(line), col=_int(col), end_line=_int(end_line), end_col=_int(end_col), fix=fix,
            ))  # fmt: skip
        if out:
            yield "".join(out)
    yield "[]\n" if first else "\n]\n"


def stream_json(batches, options: FormatOptions) -> Iterator[str]:
    """`stream` of the JSON format (batches of diagnostics)."""
    return stream_json_rows(((None, to_rows(batch)) for batch in batches), options)


def format_json(diagnostics, options: FormatOptions) -> str:
    return "".join(stream_json_rows([(None, to_rows(diagnostics))], options))


def stream_statistics_json_rows(batches, options: FormatOptions) -> Iterator[str]:
    rows, names, fixable = _statistics(batches)
    data = [{"code": c, "name": names[c], "count": n, "fixable": c in fixable} for c, n in rows]
    yield json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def format_statistics_json(diagnostics, options: FormatOptions) -> str:
    return "".join(stream_statistics_json_rows([(None, to_rows(diagnostics))], options))
