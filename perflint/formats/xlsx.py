"""`--format xlsx --output-file findings.xlsx`: the findings as a workbook (docs/reports.md).

Sheet 问题清单 (Findings): one row per finding — 文件, 部门, 项目名称, 项目编码, 一级/二级/三级指标,
单元格/行, 规则, 级别, 说明, 修复建议 — with the header frozen, filters on and widths set. Sheet
汇总 (Summary): findings per 部门 × 规则. The context (部门, 项目, categories) comes from placing
each finding in its file's Filing (perflint/formats/placement.py), where the file is linted.

It streams: a file's rows are worked out where it is linted, as JSON text (kept in its cache
entry like the other formats' text); the parent appends them to an openpyxl write-only workbook
(rows go to a temporary file, not memory) and keeps only the 部门 × 规则 counts. openpyxl is
imported only for this format.

Cell text is untrusted: every value is written as a string (a filed `=…` never becomes a
formula), and characters a workbook cannot hold are dropped.
"""

from __future__ import annotations

import json
import re

from perflint.formats import FileWriter, FormatOptions, to_rows
from perflint.formats.placement import Context, context_of, field_label, place_rows

HEADERS = {
    "zh": (
        "文件",
        "部门",
        "项目名称",
        "项目编码",
        "一级指标",
        "二级指标",
        "三级指标",
        "单元格/行",
        "规则",
        "级别",
        "说明",
        "修复建议",
    ),
    "en": (
        "File",
        "Department",
        "Project",
        "Project code",
        "Level 1",
        "Level 2",
        "Indicator",
        "Cell / line",
        "Rule",
        "Severity",
        "Message",
        "Suggested fix",
    ),
}
WIDTHS = (28, 18, 26, 22, 12, 12, 20, 18, 24, 8, 60, 36)
SHEETS = {"zh": ("汇总", "问题清单"), "en": ("Summary", "Findings")}
SUMMARY_HEAD = {"zh": ("部门", "合计"), "en": ("Department", "Total")}
SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
LINE = {"zh": "第{line}行第{col}列", "en": "line {line}, col {col}"}
_ILLEGAL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
)  # what an .xlsx cannot hold (openpyxl refuses it)


def _lang(options: FormatOptions) -> str:
    return "en" if options.lang == "en" else "zh"


def finding_rows(path: str, rows, filing, lang: str, hints=None) -> list[list[str]]:
    """One workbook row (strings) per finding of a file (`hints`: placement.field_hints)."""
    from perflint.formats.placement import department_of

    department = department_of(filing)
    out = []
    for row, place in zip(rows, place_rows(filing, rows, hints)):
        code, name, severity, zh, en, span, fix = row[:7]
        own = row[7] if len(row) > 7 else None
        context = (
            Context(*own) if own else context_of(filing, place)
        )  # the finding's own, as in JSON
        at = LINE[lang].format(line=span[1], col=span[2])
        label = field_label(place, lang)
        if label:
            at = f"{label}（{at}）" if lang == "zh" else f"{label} ({at})"
        fixed = ""
        if fix is not None:
            fixed = fix[2] if lang == "en" else fix[1]
        out.append(
            [
                path if span[0] is None else span[0],
                context.department or department,
                context.project,
                context.project_code,
                context.level1,
                context.level2,
                context.indicator,
                at,
                f"{code} {name}",
                SEVERITY[lang].get(severity, severity),
                en if lang == "en" else zh,
                fixed,
                severity,  # (not a column: for the summary's counts)
                code,
            ]
        )
    return out


class XlsxWriter(FileWriter):
    """The workbook, a file at a time; its bytes come out at the end."""

    needs_filing = True
    needs_output_file = True

    def __init__(self, options: FormatOptions):
        super().__init__(options)
        from openpyxl import Workbook

        lang = _lang(options)
        self.lang = lang
        self.book = Workbook(write_only=True)
        self.summary = self.book.create_sheet(SHEETS[lang][0])
        self.sheet = self.book.create_sheet(SHEETS[lang][1])
        self.sheet.freeze_panes = "A2"
        from openpyxl.utils import get_column_letter

        for k, width in enumerate(WIDTHS, start=1):
            self.sheet.column_dimensions[get_column_letter(k)].width = width
        self.sheet.append(self.cells(HEADERS[lang], bold=True))
        self.hints = None
        self.count = 0
        self.counts: dict[str, dict[str, int]] = {}  # 部门 → code → findings

    @property
    def key(self) -> str:
        return f"xlsx/1/{self.lang}"

    def file(self, path, rows, filing=...) -> tuple[str, None]:
        if filing is ...:
            from perflint.formats.html import read_filing

            filing = read_filing(path, self.options)
        if self.hints is None:
            from perflint.formats.placement import field_hints

            self.hints = field_hints(self.options.rules)
        return json.dumps(
            finding_rows(path or "", rows, filing, self.lang, self.hints), ensure_ascii=False
        ), None

    def take(self, text: str, note) -> str:
        self.add(json.loads(text) if text else [])
        return ""

    def take_bytes(self, text: bytes, note) -> bytes:
        self.add(json.loads(text) if text else [])
        return b""

    def cells(self, values, bold: bool = False) -> list:
        """Values as string cells (never a formula), cleaned of what a workbook cannot hold.
        A plain string is written as a string; only one that begins with `=` (which openpyxl
        would take for a formula) or a bold one needs a cell object, which costs far more."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        out = []
        for value in values:
            value = str(value)
            if _ILLEGAL.search(value):
                value = _ILLEGAL.sub("", value)
            if bold or value.startswith("="):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.data_type = "s"
                if bold:
                    cell.font = Font(bold=True)
                value = cell
            out.append(value)
        return out

    def add(self, rows) -> None:
        for row in rows:
            self.sheet.append(self.cells(row[:12]))
            self.count += 1
            per = self.counts.setdefault(row[1], {})
            per[row[13]] = per.get(row[13], 0) + 1

    def end(self):
        import tempfile

        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.sheet.auto_filter.ref = f"A1:L{self.count + 1}"
        codes = sorted({code for per in self.counts.values() for code in per})
        head, total = SUMMARY_HEAD[self.lang]
        summary = self.summary
        summary.freeze_panes = "B2"
        summary.column_dimensions["A"].width = 30
        titles = []
        for value in (head, *codes, total):
            cell = WriteOnlyCell(summary, value=value)
            cell.data_type = "s"
            cell.font = Font(bold=True)
            titles.append(cell)
        summary.append(titles)
        for department in sorted(self.counts, key=lambda d: (-sum(self.counts[d].values()), d)):
            per = self.counts[department]
            name = WriteOnlyCell(
                summary,
                value=_ILLEGAL.sub("", department)
                or ("（未注明部门）" if self.lang == "zh" else "(no department)"),
            )
            name.data_type = "s"
            summary.append([name, *(per.get(code) or None for code in codes), sum(per.values())])
        if self.counts:
            summary.append(
                [
                    SUMMARY_HEAD[self.lang][1],
                    *(sum(per.get(code, 0) for per in self.counts.values()) for code in codes),
                    self.count,
                ]
            )
        summary.auto_filter.ref = f"A1:{_column(len(codes) + 2)}{len(self.counts) + 1}"
        with tempfile.TemporaryFile() as handle:
            self.book.save(handle)
            handle.seek(0)
            while True:
                chunk = handle.read(1 << 20)
                if not chunk:
                    break
                yield chunk


def _column(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def stream_xlsx(batches, options: FormatOptions):
    """`stream` of the format (batches of diagnostics); yields the workbook's bytes."""
    writer = XlsxWriter(options)
    for batch in batches:
        if batch:
            writer.take(*writer.file(batch[0].span.path, to_rows(batch)))
    yield from writer.end()


def format_xlsx(diagnostics, options: FormatOptions) -> bytes:
    """The workbook's bytes (the whole-list formatter: --fix with --format xlsx)."""
    from perflint.formats import batches_of

    return b"".join(stream_xlsx(batches_of(diagnostics), options))
