"""`--format json`: a list of findings with ruff's field names (docs/json-output.md).

Rows and columns are 1-based and count Unicode code points; `end_location` is exclusive.
The shape is fixed by `perflint/schema/json-output.schema.json`.
"""

from __future__ import annotations

import json
from collections import Counter

from perflint.diagnostics import Diagnostic
from perflint.formats import FormatOptions, rule_url


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


def format_json(diagnostics, options: FormatOptions) -> str:
    return json.dumps([diagnostic_object(d, options) for d in diagnostics], ensure_ascii=False, indent=2) + "\n"


def format_statistics_json(diagnostics, options: FormatOptions) -> str:
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    fixable = {d.code for d in diagnostics if d.fix is not None}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    data = [{"code": c, "name": names[c], "count": n, "fixable": c in fixable} for c, n in rows]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
