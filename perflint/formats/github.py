"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=a.yaml,line=3,col=9,endLine=3,endColumn=12,title=PF401 basis-missing::message

error → ::error, warning → ::warning, info → ::notice. Escaping follows the workflow-command
rules: in the message `%`, CR and LF; in property values also `:` and `,`. Other control
characters (ESC, C1, bidi overrides) are shown escaped as in the text format.
"""

from __future__ import annotations

from perflint.escaping import printable
from perflint.formats import FileWriter, FormatOptions, to_rows, written

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Workflow-command escaping, then the other control characters escaped for the log
    (an ESC sequence, a bidi override: perflint.escaping)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"), tab=False)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _number(value) -> str:
    return f"{value}" if type(value) is int else escape_property(str(value))


class GithubWriter(FileWriter):
    """The annotations a file at a time."""

    def __init__(self, options: FormatOptions):
        super().__init__(options)
        self.titles: dict[tuple[str, str], str] = {}

    @property
    def key(self) -> str:
        return f"github/{'en' if self.options.lang == 'en' else 'zh'}"

    def file(self, path, rows) -> tuple[str, None]:
        en = self.options.lang == "en"
        titles = self.titles
        out = []
        where = None if path is None else escape_property(path)
        for code, name, severity, zh, en_message, (
            p,
            line,
            col,
            end_line,
            end_col,
            *cell,
        ), _, _, _ in rows:
            title = titles.get((code, name))
            if title is None:
                title = titles[(code, name)] = escape_property(f"{code} {name}")
            if not (
                type(line) is int
                and type(col) is int
                and type(end_line) is int
                and type(end_col) is int
            ):
                line, col, end_line, end_col = (
                    _number(line),
                    _number(col),
                    _number(end_line),
                    _number(end_col),
                )
            if cell:  # a workbook or document: no line of the file to annotate; the cell leads the message
                label = (cell[0][4] or cell[0][3]) if en else cell[0][3]
                out.append(
                    f"::{LEVELS.get(severity, 'warning')} file={where if p is None else escape_property(p)},title={title}"
                    f"::{escape_data(label + ': ' + (en_message if en else zh))}\n"
                )
                continue
            out.append(
                f"::{LEVELS.get(severity, 'warning')} file={where if p is None else escape_property(p)},"
                f"line={line},col={col},endLine={end_line},endColumn={end_col},title={title}"
                f"::{escape_data(en_message if en else zh)}\n"
            )
        return "".join(out), None

    def take_bytes(self, text: bytes, note) -> bytes:
        return text


stream_github_rows = written(GithubWriter)  # (path, rows) batches → the annotations


def format_github(diagnostics, options: FormatOptions) -> str:
    return "".join(stream_github_rows([(None, to_rows(diagnostics))], options))
