"""The default human format: `path:line:col: CODE [severity] message`, the line, a caret, a summary.

Columns in the header are 1-based code points. The caret is drawn in display columns: a
wide or full-width character (east_asian_width W or F, as most Chinese text) takes two
columns, a combining mark none, and a tab is shown as four spaces. Control characters in file
names, messages and lines are shown escaped (`\x1b`, `\n`; perflint.escaping), so a file's
content cannot inject a terminal sequence or a CI workflow command.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from perflint.escaping import printable
from perflint.formats import FileWriter, FormatOptions, line_reader, to_rows, written

TAB = "    "
_COLORS = {"error": "31", "warning": "33", "info": "36"}  # red, yellow, cyan


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    if ch == "\t":
        return len(TAB)
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


_WIDTHS: dict[str, int] = {}  # display_width of texts seen (lines of filings repeat a lot)


def display_width(text: str) -> int:
    width = _WIDTHS.get(text)
    if width is None:
        if text.isascii():  # every ASCII character is one column wide, but a tab
            width = len(text) + (len(TAB) - 1) * text.count("\t")
        else:
            width = sum(map(char_width, text))
        if len(_WIDTHS) >= 1 << 12:
            _WIDTHS.clear()
        _WIDTHS[text] = width
    return width


_DRAWINGS: dict[
    tuple, tuple[str, str, str]
] = {}  # (line, col, end col or None: to its end) → _drawing()


def _drawing(text: str, col: int, multiline: bool, end_col: int) -> tuple[str, str, str]:
    """What snippet() draws of a line for a span: (the line as shown, tabs expanded and trailing
    space dropped; the spaces before the carets; the carets)."""
    size = len(text)
    start = min(max(col, 1), size + 1) - 1
    end = size if multiline else min(max(end_col - 1, start), size)
    shown = printable(text.replace("\t", TAB), tab=False).rstrip()
    head, piece = printable(text[:start], tab=False), printable(text[start:end], tab=False)
    return shown, " " * display_width(head), "^" * max(display_width(piece), 1)


def _paint(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
_FIX_LABELS = {
    "zh": {"safe": "可修复（安全）", "unsafe": "可修复（不安全）"},
    "en": {"safe": "fix (safe)", "unsafe": "fix (unsafe)"},
}


def _header(
    path: str, position: str, code: str, severity: str, message: str, on: bool, lang: str = "zh"
) -> str:
    """`path:position: CODE [severity] message`; position is `line:col`, or a cell's address."""
    label = SEVERITY_LABELS["en" if lang == "en" else "zh"].get(severity, severity)
    path, position, message = printable(path), printable(position), printable(message)
    if not on:
        return f"{path}:{position}: {code} [{label}] {message}"
    where = _paint(f"{path}:{position}:", "1", on)
    return f"{where} {_paint(code, '1;' + _COLORS.get(severity, '0'), on)} [{label}] {message}"


def context_line(where, lang: str) -> str | None:
    """The short line naming a finding's 部门 / 项目 / indicator (`where` as a row holds it)."""
    if not where:
        return None
    department, project, project_code, level1, level2, indicator = where
    en = lang == "en"
    parts = []
    if department:
        parts.append(f"department: {department}" if en else f"部门：{department}")
    if project:
        code = f" ({project_code})" if en else f"（{project_code}）"
        parts.append(
            (f"project: {project}" if en else f"项目：{project}") + (code if project_code else "")
        )
    path = " > ".join(part for part in (level1, level2, indicator) if part)
    if path:
        parts.append(f"indicator: {path}" if en else f"指标：{path}")
    return "  " + " | ".join(parts) if parts else None


def _snippet(text: str | None, span, severity: str, fix, options: FormatOptions) -> list[str]:
    """The offending line with a caret under the span, and the fix when there is one (span: a
    row's [path, line, col, end_line, end_col]; fix: a row's fix or None)."""
    if text is None:
        return []
    _, line, col, end_line, end_col = span
    gutter = " " * len(str(line))
    shown, pad, carets = _drawing(text, col, end_line > line, end_col)
    bar = _paint("|", "34", options.color)
    carets = _paint(carets, _COLORS.get(severity, "0"), options.color)
    out = [
        f"{gutter} {bar}",
        f"{line} {bar} {shown}".rstrip(),
        f"{gutter} {bar} {pad}{carets}",
    ]
    if fix is not None:
        en = options.lang == "en"
        kind = _FIX_LABELS["en" if en else "zh"].get(fix[0], fix[0])
        out.append(f"{gutter} = {kind}{': ' if en else '：'}{printable(fix[2] if en else fix[1])}")
    return out


def cell_label(cell: list, lang_en: bool) -> str:
    """The address of a cell row ([index, row, column, label, label_en, sheet, text], as the
    cache encodes a CellRef) as the report shows it."""
    return (cell[4] or cell[3]) if lang_en else cell[3]


def cell_line(cell: list, line: int) -> str | None:
    """Line `line` (1-based) of a cell row's text."""
    lines = (cell[6] or "").split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else None


def _summary(total: int, counts, safe: int, unsafe: int, options: FormatOptions) -> str:
    """The summary line: `total` findings, `counts` by severity, fixable `safe` and `unsafe`."""
    files, fixed = options.files_checked, options.fixed
    if options.lang == "en":

        def plural(n, word):
            return f"{n} {word}{'s' if n != 1 else ''}"

        done = f"Fixed {plural(fixed, 'problem')}. " if fixed else ""
        if not total:
            if not files:
                return f"{done}No files were checked."
            return f"{done}All checks passed! ({plural(files, 'file')} checked)"
        parts = [
            plural(counts[s], s) if s != "info" else f"{counts[s]} info"
            for s in ("error", "warning", "info")
            if counts[s]
        ]
        text = f"{done}Found {plural(total, 'problem')} ({', '.join(parts)}) in {plural(files, 'file')} checked"
        hints = []
        if safe:
            hints.append(f"{safe} fixable with --fix")
        if unsafe:
            hints.append(f"{unsafe} more with --unsafe-fixes")
        return text + (f"; {', '.join(hints)}." if hints else ".")
    done = f"已修复 {fixed} 个问题。" if fixed else ""
    if not total:
        if not files:
            return f"{done}没有检查任何文件。"
        return f"{done}检查通过！（共检查 {files} 个文件）"
    names = {"error": "错误", "warning": "警告", "info": "提示"}
    parts = [f"{names[s]} {counts[s]}" for s in ("error", "warning", "info") if counts[s]]
    text = f"{done}共发现 {total} 个问题（{'，'.join(parts)}），共检查 {files} 个文件"
    hints = []
    if safe:
        hints.append(f"{safe} 个可用 --fix 自动修复")
    if unsafe:
        hints.append(f"{unsafe} 个需加 --unsafe-fixes 才能修复")
    return text + (f"；{'，'.join(hints)}。" if hints else "。")


class TextWriter(FileWriter):
    """The text report a file at a time; a file's note is [{severity: count}, safe fixes, unsafe
    fixes], for the summary."""

    def __init__(self, options: FormatOptions):
        super().__init__(options)
        self.counts: Counter = Counter()
        self.total = self.safe = self.unsafe = 0

    @property
    def key(self) -> str:
        o = self.options
        return f"text/{'en' if o.lang == 'en' else 'zh'}/{int(bool(o.color))}/{int(bool(o.show_source))}"

    def file(self, path, rows) -> tuple[str, list]:
        """The same as header() and snippet() per finding, written out inline: this loop runs
        for every finding of a run."""
        options = self.options
        lang_en, color, show_source = options.lang == "en", options.color, options.show_source
        line_of = line_reader(options)
        drawings = _DRAWINGS
        bar = _paint("|", "34", color)
        fix_labels = _FIX_LABELS["en" if lang_en else "zh"]
        labels = SEVERITY_LABELS["en" if lang_en else "zh"]
        contexts: dict = {}
        fix_sep = ": " if lang_en else "："
        counts: dict[str, int] = {}
        safe = unsafe = 0
        out: list[str] = []
        append = out.append
        shown_path = None if path is None else printable(path)
        for code, _, severity, zh, en, span, fix, where, related in rows:
            p, line, col, end_line, end_col = span[:5]
            if p is None:
                p, shown = path, shown_path
            else:
                shown = printable(p)
            cell = (
                span[5] if len(span) > 5 else None
            )  # a workbook or document: its address, its text below
            if cell is not None or color:
                position = cell_label(cell, lang_en) if cell is not None else f"{line}:{col}"
                append(
                    _header(p, position, code, severity, en if lang_en else zh, color, options.lang)
                )
                append("\n")
            else:
                append(
                    f"{shown}:{line}:{col}: {code} [{labels.get(severity, severity)}] {printable(en if lang_en else zh)}\n"
                )
            if where and show_source:
                key = tuple(where)
                context = contexts.get(key, "")
                if context == "":
                    context = context_line(where, options.lang)
                    context = contexts[key] = None if context is None else printable(context)
                if context:
                    append(context)
                    append("\n")
            if related and show_source:
                for r_span, r_zh, r_en in related:
                    r_path, r_line, r_col = r_span[:3]
                    append(
                        f"  {'see' if lang_en else '对照'}{': ' if lang_en else '：'}{printable(r_path or p)}:{r_line}:{r_col}: {printable(r_en if lang_en else r_zh)}\n"
                    )
            counts[severity] = counts.get(severity, 0) + 1
            if fix is not None:
                if fix[0] == "safe":
                    safe += 1
                else:
                    unsafe += 1
            if not show_source:
                continue
            text = line_of(p, line) if cell is None else cell_line(cell, line)
            if text is None:
                append("\n")
                continue
            number = str(line)
            gutter = " " * len(number)
            key = (text, col, end_col if end_line <= line else None)
            drawn = drawings.get(key)
            if drawn is None:
                drawn = drawings[key] = _drawing(text, col, end_line > line, end_col)
                if len(drawings) >= 1 << 12:
                    drawings.clear()
            tail, pad, carets = drawn
            if color:
                carets = _paint(carets, _COLORS.get(severity, "0"), True)
            append(
                f"{gutter} {bar}\n{number} {bar} {tail}\n{gutter} {bar} {pad}{carets}\n"
                if tail
                else f"{gutter} {bar}\n{number} {bar}\n{gutter} {bar} {pad}{carets}\n"
            )
            if fix is not None:
                append(
                    f"{gutter} = {fix_labels.get(fix[0], fix[0])}{fix_sep}{printable(fix[2] if lang_en else fix[1])}\n"
                )
            append("\n")
        return "".join(out), [counts, safe, unsafe]

    def take_bytes(self, text: bytes, note) -> bytes:
        self.take("", note)
        return text

    def take(self, text: str, note) -> str:
        counts, safe, unsafe = note
        for severity, n in counts.items():
            self.counts[severity] += n
            self.total += n
        self.safe += safe
        self.unsafe += unsafe
        return text

    def end(self) -> str:
        options = self.options
        if options.quiet:
            return ""
        gap = "\n" if self.total and not options.show_source else ""
        return gap + _summary(self.total, self.counts, self.safe, self.unsafe, options) + "\n"


stream_text_rows = written(TextWriter)  # (path, rows) batches → the text report's pieces


def format_text(diagnostics, options: FormatOptions) -> str:
    return "".join(stream_text_rows([(None, to_rows(diagnostics))], options))


def _statistics(batches, unsafe_fixes: bool = False):
    """(rows by count then code: (code, count), names, fixable codes) of `(path, rows)` batches.
    A code is fixable when one of its findings has a safe fix (or any fix, with --unsafe-fixes),
    as `ruff --statistics` marks it."""
    counts: Counter = Counter()
    names: dict[str, str] = {}
    fixable: set[str] = set()
    for _, rows in batches:
        for row in rows:
            code = row[0]
            counts[code] += 1
            names[code] = row[1]
            if row[6] is not None and (unsafe_fixes or row[6][0] == "safe"):
                fixable.add(code)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0])), names, fixable


def stream_statistics_rows(batches, options: FormatOptions) -> Iterator[str]:
    """`--statistics` of `(path, rows)` batches: one line per code, most frequent first: count,
    code, [*] when fixable, name."""
    rows, names, fixable = _statistics(batches, options.unsafe_fixes)
    if rows:
        width = len(str(rows[0][1]))
        yield "".join(
            f"{count:>{width}}\t{code}\t{'[*]' if code in fixable else '[ ]'} {names[code]}\n"
            for code, count in rows
        )


def format_statistics(diagnostics, options: FormatOptions) -> str:
    """`--statistics`: one line per code, most frequent first: count, code, [*] when fixable, name."""
    return "".join(stream_statistics_rows([(None, to_rows(diagnostics))], options))
