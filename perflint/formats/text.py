"""The default human format: `path:line:col: CODE [severity] message`, the line, a caret, a summary.

Columns in the header are 1-based code points. The caret is drawn in display columns: a
wide or full-width character (east_asian_width W or F, as most Chinese text) takes two
columns, a combining mark none, and a tab is shown as four spaces.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

from perflint.diagnostics import Diagnostic
from perflint.formats import FormatOptions, line_text

TAB = "    "
_COLORS = {"error": "31", "warning": "33", "info": "36"}  # red, yellow, cyan


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    if ch == "\t":
        return len(TAB)
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _paint(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def header(d: Diagnostic, options: FormatOptions) -> str:
    s, on = d.span, options.color
    where = _paint(f"{s.path}:{s.line}:{s.col}:", "1", on)
    code = _paint(d.code, "1;" + _COLORS.get(d.severity, "0"), on)
    return f"{where} {code} [{d.severity}] {d.message.get(options.lang)}"


def snippet(d: Diagnostic, options: FormatOptions) -> list[str]:
    """The offending line with a caret under the span, and the fix when there is one."""
    s = d.span
    line = line_text(options, s.path, s.line)
    if line is None:
        return []
    gutter = " " * len(str(s.line))
    start = min(max(s.col, 1), len(line) + 1) - 1
    end = len(line) if s.end_line > s.line else min(max(s.end_col - 1, start), len(line))
    pad = display_width(line[:start])
    width = max(display_width(line[start:end]), 1)
    bar = _paint("|", "34", options.color)
    carets = _paint("^" * width, _COLORS.get(d.severity, "0"), options.color)
    out = [
        f"{gutter} {bar}",
        f"{s.line} {bar} {line.replace(chr(9), TAB)}".rstrip(),
        f"{gutter} {bar} {' ' * pad}{carets}",
    ]
    if d.fix is not None:
        label = {
            "zh": {"safe": "可修复（安全）", "unsafe": "可修复（不安全）"},
            "en": {"safe": "fix (safe)", "unsafe": "fix (unsafe)"},
        }
        kind = label["en" if options.lang == "en" else "zh"].get(d.fix.applicability, d.fix.applicability)
        sep = ": " if options.lang == "en" else "："
        out.append(f"{gutter} = {kind}{sep}{d.fix.message.get(options.lang)}")
    return out


def summary(diagnostics, options: FormatOptions) -> str:
    counts = Counter(d.severity for d in diagnostics)
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == "safe")
    unsafe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability != "safe")
    files, fixed = options.files_checked, options.fixed
    if options.lang == "en":
        plural = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"
        done = f"Fixed {plural(fixed, 'problem')}. " if fixed else ""
        if not diagnostics:
            return f"{done}All checks passed! ({plural(files, 'file')} checked)"
        parts = [plural(counts[s], s) if s != "info" else f"{counts[s]} info" for s in ("error", "warning", "info") if counts[s]]
        text = f"{done}Found {plural(len(diagnostics), 'problem')} ({', '.join(parts)}) in {plural(files, 'file')} checked"
        hints = []
        if safe:
            hints.append(f"{safe} fixable with --fix")
        if unsafe:
            hints.append(f"{unsafe} more with --unsafe-fixes")
        return text + (f"; {', '.join(hints)}." if hints else ".")
    done = f"已修复 {fixed} 个问题。" if fixed else ""
    if not diagnostics:
        return f"{done}检查通过！（共检查 {files} 个文件）"
    names = {"error": "错误", "warning": "警告", "info": "提示"}
    parts = [f"{names[s]} {counts[s]}" for s in ("error", "warning", "info") if counts[s]]
    text = f"{done}共发现 {len(diagnostics)} 个问题（{'，'.join(parts)}），共检查 {files} 个文件"
    hints = []
    if safe:
        hints.append(f"{safe} 个可用 --fix 自动修复")
    if unsafe:
        hints.append(f"{unsafe} 个需加 --unsafe-fixes 才能修复")
    return text + (f"；{'，'.join(hints)}。" if hints else "。")


def format_text(diagnostics, options: FormatOptions) -> str:
    out: list[str] = []
    for d in diagnostics:
        out.append(header(d, options))
        if options.show_source:
            out.extend(snippet(d, options))
            out.append("")
    if not options.quiet:
        if out and out[-1] != "":
            out.append("")
        out.append(summary(diagnostics, options))
    return "\n".join(out) + "\n" if out else ""


def format_statistics(diagnostics, options: FormatOptions) -> str:
    """`--statistics`: one line per code, most frequent first: count, code, [*] when fixable, name."""
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    fixable = {d.code for d in diagnostics if d.fix is not None}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if not rows:
        return ""
    width = len(str(rows[0][1]))
    lines = [f"{count:>{width}}\t{code}\t{'[*]' if code in fixable else '[ ]'} {names[code]}" for code, count in rows]
    return "\n".join(lines) + "\n"
