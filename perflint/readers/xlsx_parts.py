"""The parts of an .xlsx / .xlsm workbook read straight with lxml (no openpyxl objects per cell).

What a goal table needs of a workbook: its sheets in order with their state, each sheet's cell
values (shared strings, inline strings, numbers, booleans, errors, a formula's cached value)
with the number format of the cell's style, its merged ranges and hidden rows, and whether the
workbook counts dates from 1904. Numbers in a date or time format become dates and times,
as Excel shows them. Measured about twice as fast as openpyxl.load_workbook on goal
tables (bench/bench_office.py), which builds a Python object per cell and style.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ADDRESS = re.compile(r"^([A-Z]{1,3})(\d+)$")
_DATE_TOKEN = re.compile(r"[ydhs]|m", re.IGNORECASE)
_NOT_CODE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')

# the built-in number formats a workbook refers to by id only (ECMA-376 18.8.30; 27–36 and
# 50–58 as zh-CN Excel shows them)
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    12: "# ?/?", 13: "# ??/??", 14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "yyyy/m/d h:mm", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"',
    29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"',
    34: 'AM/PMh"时"mm"分"', 35: 'AM/PMh"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"', 37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss",
    46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@", 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"', 55: 'AM/PMh"时"mm"分"', 56: 'AM/PMh"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}  # fmt: skip


@dataclass
class SheetData:
    name: str
    state: str  # "visible", "hidden", "veryHidden"
    values: dict = field(default_factory=dict)  # (row, column) → value (str, float, bool, date …)
    formats: dict = field(default_factory=dict)  # (row, column) → number format code
    merges: list = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    hidden_rows: set = field(default_factory=set)


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date or time (its codes outside quotes and brackets)."""
    if not code or code in ("General", "@"):
        return False
    return _DATE_TOKEN.search(_NOT_CODE.sub("", code.split(";")[0])) is not None


def as_date(serial: float, code: str, date1904: bool):
    """A serial number as the date, datetime or time its format shows."""
    plain = _NOT_CODE.sub("", code.split(";")[0]).lower()
    if not re.search("[yd]", plain) and not (
        "m" in plain and "h" not in plain and "s" not in plain
    ):
        if 0 <= serial < 1:  # a time of day
            seconds = round(serial * 86400)
            return dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
        return dt.timedelta(days=serial)
    if date1904:
        base = dt.datetime(1904, 1, 1)
    elif serial < 60:
        base = dt.datetime(1899, 12, 31)  # before Excel's phantom 1900-02-29
        serial -= 1
    else:
        base = dt.datetime(1899, 12, 30)
    moment = base + dt.timedelta(days=serial)
    return moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))


def _text(element) -> str:
    """The text of a shared or inline string: its <t>s, phonetic runs (<rPh>) left out."""
    if element is None:
        return ""
    direct = element.find(MAIN + "t")
    if direct is not None and element.find(MAIN + "r") is None:
        return direct.text or ""
    return "".join(
        t.text or "" for r in element.iterfind(MAIN + "r") for t in r.iterfind(MAIN + "t")
    )


def read_workbook(package) -> tuple[list[SheetData], bool]:
    """The worksheets of a package (perflint.readers.office.Package) in order, and date1904."""
    workbook = package.xml("xl/workbook.xml")
    properties = workbook.find(MAIN + "workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    rels = (
        package.xml("xl/_rels/workbook.xml.rels")
        if package.has("xl/_rels/workbook.xml.rels")
        else []
    )
    targets = {r.get("Id"): r.get("Target") or "" for r in rels}
    shared = []
    if package.has("xl/sharedStrings.xml"):
        shared = [_text(si) for si in package.xml("xl/sharedStrings.xml").iterfind(MAIN + "si")]
    formats = _style_formats(package)
    sheets = []
    for entry in workbook.iter(MAIN + "sheet"):
        target = targets.get(entry.get(_REL_ID), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if "worksheets/" not in part or not package.has(part):
            continue  # a chart sheet or a dialog sheet: no cells
        sheet = SheetData(entry.get("name") or "", entry.get("state") or "visible")
        _read_sheet(package.xml(part), sheet, shared, formats, date1904)
        sheets.append(sheet)
    return sheets, date1904


def _style_formats(package) -> list[str]:
    """The number format code of each cell style (cellXfs), by style index."""
    if not package.has("xl/styles.xml"):
        return []
    styles = package.xml("xl/styles.xml")
    custom = {}
    numbers = styles.find(MAIN + "numFmts")
    if numbers is not None:
        for fmt in numbers.iterfind(MAIN + "numFmt"):
            try:
                custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode") or "General"
            except (TypeError, ValueError):
                continue
    out = []
    xfs = styles.find(MAIN + "cellXfs")
    for xf in xfs.iterfind(MAIN + "xf") if xfs is not None else ():
        try:
            number = int(xf.get("numFmtId") or 0)
        except ValueError:
            number = 0
        out.append(custom.get(number) or BUILTIN_FORMATS.get(number, "General"))
    return out


def _read_sheet(
    root, sheet: SheetData, shared: list[str], formats: list[str], date1904: bool
) -> None:
    data = root.find(MAIN + "sheetData")
    values, codes = sheet.values, sheet.formats
    for row_no, row in enumerate(data.iterfind(MAIN + "row") if data is not None else (), start=1):
        try:
            row_no = int(row.get("r") or row_no)
        except ValueError:
            pass
        if row.get("hidden") in ("1", "true"):
            sheet.hidden_rows.add(row_no)
        column = 0
        for c in row.iterfind(MAIN + "c"):
            match = _ADDRESS.match(c.get("r") or "")
            column = column_number(match.group(1)) if match else column + 1
            kind = c.get("t") or "n"
            if kind == "inlineStr":
                values[(row_no, column)] = _text(c.find(MAIN + "is"))
                continue
            raw = c.findtext(MAIN + "v")
            if raw is None:
                continue
            if kind == "s":
                try:
                    values[(row_no, column)] = shared[int(raw)]
                except (ValueError, IndexError):
                    values[(row_no, column)] = ""
            elif kind in ("str", "e"):
                values[(row_no, column)] = raw
            elif kind == "b":
                values[(row_no, column)] = raw.strip() in ("1", "true")
            else:
                try:
                    number = float(raw)
                except ValueError:
                    values[(row_no, column)] = raw
                    continue
                try:
                    code = formats[int(c.get("s") or 0)]
                except (ValueError, IndexError):
                    code = "General"
                if number.is_integer() and abs(number) < 1 << 53:
                    number = int(number)
                if is_date_format(code):
                    try:
                        number = as_date(number, code, date1904)
                    except (OverflowError, ValueError):
                        pass
                values[(row_no, column)] = number
                codes[(row_no, column)] = code
    merged = root.find(MAIN + "mergeCells")
    for cell in merged.iterfind(MAIN + "mergeCell") if merged is not None else ():
        first, _, last = (cell.get("ref") or "").partition(":")
        a, b = _ADDRESS.match(first), _ADDRESS.match(last or first)
        if a and b:
            r0, c0, r1, c1 = (
                int(a.group(2)),
                column_number(a.group(1)),
                int(b.group(2)),
                column_number(b.group(1)),
            )
            sheet.merges.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
