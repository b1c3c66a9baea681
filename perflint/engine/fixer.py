"""Apply fixes to source text, touching nothing outside the edited characters.

A fix is applied whole or not at all; fixes whose edits overlap one already taken wait for the
next pass, where the file is linted again. Passes repeat until nothing changes (at most
MAX_PASSES). The result is read back: a fixed file that no longer reads is refused.
Writing (`fix_target`, `write_atomic`): through a symbolic link to its target, never over a
read-only file, atomically.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from perflint import files
from perflint.diagnostics import Diagnostic, Fix

MAX_PASSES = 10
_LINE_START = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line (line breaks as in `source.split_lines`)."""
    return [0, *(m.end() for m in _LINE_START.finditer(text))]


def _offsets(starts: list[int], fix: Fix) -> list[tuple[int, int, str]]:
    return sorted(
        (
            starts[e.span.line - 1] + e.span.col - 1,
            starts[e.span.end_line - 1] + e.span.end_col - 1,
            e.content,
        )
        for e in fix.edits
    )


def apply_fixes(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply every fix that does not overlap an earlier one; return (new text, fixes applied)."""
    starts = line_starts(text)
    taken: list[tuple[int, int, str]] = []
    applied = 0
    for edits in sorted(
        (_offsets(starts, fix) for fix in fixes), key=lambda e: e[0][:2] if e else (0, 0)
    ):
        if not edits or any(end < start or end > len(text) for start, end, _ in edits):
            continue
        if any(_overlaps(edit, other) for edit in edits for other in taken):
            continue
        taken.extend(edits)
        applied += 1
    pieces, cursor = [], 0
    for start, end, content in sorted(taken, key=lambda e: (e[0], e[1])):
        pieces += [text[cursor:start], content]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), applied


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two edits clash when their ranges intersect, or both insert at the same point."""
    if a[0] == a[1] == b[0] == b[1]:
        return True
    return (
        a[0] < b[1]
        and b[0] < a[1]
        or (a[0] == a[1] and b[0] < a[0] < b[1])
        or (b[0] == b[1] and a[0] < b[0] < a[1])
    )


def wanted(diagnostic: Diagnostic, unsafe: bool) -> bool:
    fix = diagnostic.fix
    return fix is not None and (fix.applicability == "safe" or unsafe)


@dataclass
class FixOutcome:
    text: str  # the fixed text (the original when nothing was fixed or it was refused)
    fixed: int = 0  # fixes applied
    remaining: list[Diagnostic] = field(default_factory=list)  # findings left after fixing
    refused: Diagnostic | None = None  # set when the fixed text no longer reads

    def changed(self, original: str) -> bool:
        return self.text != original


def fix_text(
    text: str, lint: Callable[[str], list[Diagnostic]], unsafe: bool = False
) -> FixOutcome:
    """Fix `text` using `lint` (text → findings, already filtered by selection and suppressions)."""
    findings = lint(text)
    parse_errors_before = sum(d.code == "PF001" for d in findings)
    current, fixed = text, 0
    for _ in range(MAX_PASSES):
        fixes = [d.fix for d in findings if d.fix is not None and wanted(d, unsafe)]
        if not fixes:
            break
        candidate, applied = apply_fixes(current, fixes)
        if applied == 0 or candidate == current:
            break
        new_findings = lint(candidate)
        if sum(d.code == "PF001" for d in new_findings) > parse_errors_before:
            broken = next(d for d in new_findings if d.code == "PF001")
            return FixOutcome(text, 0, lint(text), refused=broken)
        current, findings, fixed = candidate, new_findings, fixed + applied
    return FixOutcome(current, fixed, findings)


class NotWritable(OSError):
    """A file the user may not write: --fix leaves it as it is (and says so)."""


def fix_target(path) -> Path:
    """The file a fix of `path` writes: a symbolic link's target (the link stays a link, the
    file it names is fixed). NotWritable when that file is read-only for this user: a fix must
    not rename a new file over it (the directory's permission would allow it, the file's does
    not). A hard link is one of several names of one file: the fix writes a new file under this
    name, so the other names keep the old content."""
    target = Path(os.path.realpath(path))
    info = target.stat()
    if not (info.st_mode & 0o222) or not os.access(target, os.W_OK):
        raise NotWritable(13, "read-only file", str(path))
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` via a temp file in the same directory, keeping the file mode."""
    files.write_atomic(os.fspath(path), data)
