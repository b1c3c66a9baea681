"""`perflint check --fix` / `--diff`: each file through the route, its fixes applied (safe ones,
or all with --unsafe-fixes) and written back, or shown as a diff; what remains is reported."""

from __future__ import annotations

import difflib
import sys

from perflint import files, reading, route
from perflint.cli.output import say, write
from perflint.engine.fixer import NotWritable, fix_target, fix_text, write_atomic
from perflint.escaping import printable
from perflint.office_fix import cell_diff, fix_document
from perflint.source import SourceText


class Fixer:
    """The fixes of one run: counted, written (or kept as diffs), refusals warned about."""

    def __init__(self, lang: str, diff: bool = False, unsafe: bool = False):
        """`diff`: keep the changes as diffs, write nothing; `unsafe`: apply unsafe fixes too."""
        self.lang, self.diff, self.unsafe = lang, diff, unsafe
        self.fixed = 0  # fixes applied (or, with --diff, that would be)
        self.diffs: list[str] = []
        self.stdin_fixed: bytes | None = None  # `--fix -`: the fixed input, in its encoding
        self.failures = 0  # files whose fix could not be written (exit 2)

    def fix(self, source: str | route.Bytes, settings: route.Settings, stdin: bool = False):
        """The FileReport of what remains of `source` once fixed."""
        path = source.path if isinstance(source, route.Bytes) else source
        if isinstance(source, route.Bytes):
            data = source.data
        else:
            try:
                data = files.read_file(path, settings.max_bytes)
            except OSError as error:
                return route.FileReport(path, (reading.unreadable_finding(path, error),))
        if reading.is_document(path, data):
            return self.fix_document(path, data, settings, stdin)
        report = route.lint_file(route.Bytes(path, data), settings)
        if report.source is None:  # bytes that are not text
            return report
        return self.fix_source(path, report, settings, stdin)

    def fix_source(self, path: str, report, settings, stdin: bool):
        source = report.source
        first = [report.diagnostics]  # the findings of the text as read: not linted twice

        def findings(text: str) -> list:
            if first and text == source.text:
                return list(first.pop())
            return list(route.lint_text(path, SourceText(text, source.encoding, source.bom), settings).diagnostics)  # fmt: skip

        outcome = fix_text(source.text, findings, unsafe=self.unsafe)
        if outcome.refused is not None:
            shown = printable(path)
            zh, en = printable(outcome.refused.message.zh), printable(outcome.refused.message.en)
            self.warn(
                f"{shown}：修复后的文件无法读取，未修改（{zh}）",
                f"{shown}: the fixed file would not read, left unchanged ({en})",
            )
        changed = outcome.changed(source.text)
        if self.diff:
            if changed:
                self.diffs.append(text_diff(path, source.text, outcome.text))
                self.fixed += outcome.fixed
            return report
        if changed:
            if stdin:
                self.stdin_fixed = source.encode(outcome.text)  # its encoding and BOM kept
            elif not self.write(path, source.encode(outcome.text)):
                return report
            self.fixed += outcome.fixed
        elif stdin:
            self.stdin_fixed = source.encode(source.text)
        fixed = SourceText(outcome.text, source.encoding, source.bom)
        return route.FileReport(path, tuple(outcome.remaining), fixed)

    def fix_document(self, path: str, data: bytes, settings, stdin: bool):
        """A Word / Excel file: its cells fixed (perflint/office_fix.py)."""

        def findings(content: bytes) -> list:
            return list(route.lint_document(path, content, settings).diagnostics)

        if stdin:
            self.warn(
                f"{path}：标准输入中的 Word / Excel 文件不能修复，请在文件上运行 --fix",
                f"{path}: a Word / Excel file on standard input is not fixed; run --fix on the file",
            )
            return route.FileReport(path, tuple(findings(data)))
        outcome = fix_document(path, data, findings, unsafe=self.unsafe)
        for d, zh, en in outcome.refused:
            c = d.span.cell
            label = (c.label_en or c.label if self.lang == "en" else c.label) if c else ""
            self.warn(
                f"{path}:{label}：{d.code} 的修复未应用：{zh}",
                f"{path}:{label}: the fix of {d.code} was not applied: {en}",
            )
        if outcome.broken is not None:
            self.warn(
                f"{path}：修复后的文件无法读取，未修改（{outcome.broken.message.zh}）",
                f"{path}: the fixed file would not read, left unchanged ({outcome.broken.message.en})",
            )
        if self.diff:
            if outcome.changes:
                self.diffs.append(cell_diff(path, outcome.changes, self.lang))
                self.fixed += outcome.fixed
            return route.FileReport(path, tuple(findings(data)))
        if outcome.data != data:
            try:
                unchanged = files.read_file(path) == data  # a file changed meanwhile is kept
            except OSError:
                unchanged = False
            if not unchanged:
                self.warn(
                    f"{path}：文件在检查期间被修改，未写入修复",
                    f"{path}: the file changed while it was checked; fixes not written",
                )
                return route.FileReport(path, tuple(findings(data)))
            if self.write(path, outcome.data):  # a link's target; never over a read-only file
                self.fixed += outcome.fixed
        return route.FileReport(path, tuple(outcome.remaining))

    def write(self, path: str, data: bytes) -> bool:
        """Write a fixed file (through a symbolic link to its target; never over a read-only
        file); False, with a warning, when it cannot be written: the run goes on, exit 2."""
        shown = printable(path)
        try:
            write_atomic(fix_target(path), data)
            return True
        except NotWritable:
            self.warn(f"{shown}：文件只读，未修复", f"{shown}: read-only file, not fixed")
        except OSError as error:
            reason = printable(error.strerror or str(error))
            self.warn(
                f"{shown}：修复无法写入（{reason}），文件未改动",
                f"{shown}: the fix could not be written ({reason}); file left unchanged",
            )
        self.failures += 1
        return False

    def warn(self, zh: str, en: str) -> None:
        say(self.lang, zh, en, "warning")

    def summary(self, quiet: bool) -> None:
        """--diff: how many fixes the diff holds, on stderr."""
        if not quiet:
            n = self.fixed
            en = f"Would fix {n} problem{'s' if n != 1 else ''}.\n"
            write(sys.stderr, en if self.lang == "en" else f"将修复 {n} 个问题。\n")


def text_diff(path: str, before: str, after: str) -> str:
    """A unified diff of a fixed text, `\\ No newline at end of file` where git writes it."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        for line in lines
    )
