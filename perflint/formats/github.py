"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=a.yaml,line=3,col=9,endLine=3,endColumn=12,title=PF401 basis-missing::message

error → ::error, warning → ::warning, info → ::notice. Escaping follows the workflow-command
rules: in the message `%`, CR and LF; in property values also `:` and `,`.
"""

from __future__ import annotations

from perflint.formats import FormatOptions

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics, options: FormatOptions) -> str:
    lines = []
    for d in diagnostics:
        s = d.span
        props = [
            ("file", s.path),
            ("line", str(s.line)),
            ("col", str(s.col)),
            ("endLine", str(s.end_line)),
            ("endColumn", str(s.end_col)),
            ("title", f"{d.code} {d.name}"),
        ]
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
        lines.append(f"::{LEVELS.get(d.severity, 'warning')} {joined}::{escape_data(d.message.get(options.lang))}")
    return "".join(line + "\n" for line in lines)
