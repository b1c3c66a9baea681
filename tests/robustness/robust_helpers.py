"""What every input must satisfy, whatever it is: the invariants the robustness tests assert.

`soundness_problems(path, data, ruleset)` lints bytes and returns a list of broken promises
(empty when all is well):

- `lint_bytes` (the route) returns a FileReport and raises nothing;
- no PF000 (a rule or predicate crashed);
- every position is 1-based and ordered ((line, col) ≤ (end_line, end_col)) and lies inside the
  decoded text (a column may stand one past the end of its line);
- every Cell the reader marks `direct` is exactly the text at its span (positions are exact);
- applying the safe fixes is never refused (a safe fix never makes the file unreadable) and
  leaves every byte outside its edits alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import lint_bytes

from perflint.diagnostics import Diagnostic
from perflint.engine.fixer import fix_text, wanted
from perflint.model import Cell, Span
from perflint.route import FileReport as FileResult
from perflint.source import split_lines

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
DATA = Path(__file__).resolve().parent / "data"


def seeds() -> dict[str, bytes]:
    """The example filings (goal YAML and text export), by file name."""
    return {
        p.name: p.read_bytes() for p in sorted(EXAMPLES.glob("*")) if p.suffix in (".yaml", ".txt")
    }


def _position_problem(where: str, line: int, col: int, lines: list[str] | None) -> str | None:
    if line < 1 or col < 1:
        return f"{where}: position {line}:{col} is not 1-based"
    if lines is None:
        return None
    if line > len(lines):
        return f"{where}: line {line} beyond the last line ({len(lines)})"
    if col > len(lines[line - 1]) + 1:
        return f"{where}: column {col} beyond the end of line {line} ({len(lines[line - 1])} characters)"
    return None


def span_problems(where: str, span: Span, lines: list[str] | None) -> list[str]:
    found = []
    if (span.line, span.col) > (span.end_line, span.end_col):
        found.append(
            f"{where}: span {span.line}:{span.col}-{span.end_line}:{span.end_col} ends before it starts"
        )
    for line, col in ((span.line, span.col), (span.end_line, span.end_col)):
        problem = _position_problem(where, line, col, lines)
        if problem:
            found.append(problem)
    return found


def diagnostic_problems(diagnostics, lines: list[str] | None) -> list[str]:
    found = []
    for d in diagnostics:
        where = f"{d.code} {d.message.en[:80]!r}"
        if d.code == "PF000":
            found.append(f"internal error: {d.message.en}")
        found.extend(span_problems(where, d.span, lines))
        if d.fix is not None:
            for edit in d.fix.edits:
                found.extend(span_problems(f"{where} fix edit", edit.span, lines))
    return found


def _cells(filing):
    for name in ("department_code", "department_name", "year", "money_unit", "overall_goal"):
        cell = getattr(filing, name)
        if cell is not None:
            yield f"filing.{name}", cell
    for cell in filing.sub_goals:
        yield "filing.sub_goals", cell
    for p, project in enumerate(filing.projects):
        for name in (
            "code",
            "name",
            "budget_total",
            "budget_fiscal",
            "budget_other",
            "purpose",
            "money_unit",
        ):
            cell = getattr(project, name)
            if cell is not None:
                yield f"project[{p}].{name}", cell
        for checkpoint in project.spending_plan:
            yield f"project[{p}].plan.label", checkpoint.label
            yield f"project[{p}].plan.percent", checkpoint.percent
        for cell in project.goals:
            yield f"project[{p}].goals", cell
        for i, indicator in enumerate(project.indicators):
            for name in ("level1", "level2", "name", "description", "value", "basis"):
                yield f"project[{p}].indicator[{i}].{name}", getattr(indicator, name)


def filing_problems(filing, lines: list[str]) -> list[str]:
    found = []
    for where, cell in _cells(filing):
        assert isinstance(cell, Cell), where
        problems = span_problems(where, cell.span, lines)
        found.extend(problems)
        if cell.direct and not problems:
            s = cell.span
            at = lines[s.line - 1][s.col - 1 : s.end_col - 1] if s.line == s.end_line else None
            if at != cell.text:
                found.append(
                    f"{where}: direct cell {cell.text[:40]!r} but the source at {s.line}:{s.col} holds {at!r}"
                )
    for project in filing.projects:
        found.extend(span_problems("project span", project.span, lines))
        for indicator in project.indicators:
            found.extend(span_problems("indicator span", indicator.span, lines))
    for suppression in filing.suppressions:
        found.extend(span_problems("suppression", suppression.span, lines))
    return found


def fix_problems(path: str, result: FileResult, ruleset, **options) -> list[str]:
    """Safe fixes: applied without refusal, and only their edits change the text."""
    if result.source is None or not any(wanted(d, False) for d in result.diagnostics):
        return []
    source = result.source

    def lint(text: str) -> list[Diagnostic]:
        return list(
            lint_bytes(path, source.encode(text), ruleset, source.encoding, **options).diagnostics
        )

    outcome = fix_text(source.text, lint)
    if outcome.refused is not None:
        return [f"a safe fix made the file unreadable: {outcome.refused.message.en}"]
    return []


def soundness_problems(
    path: str, data: bytes, ruleset, fixes: bool = True, encoding: str | None = None, **options
) -> list[str]:
    try:
        result = lint_bytes(path, data, ruleset, encoding, **options)
    except Exception as error:
        import traceback

        return ["lint_bytes raised: " + "".join(traceback.format_exception(error))]
    if not isinstance(result, FileResult):
        return [f"lint_bytes returned {type(result).__name__}"]
    lines = split_lines(result.source.text) if result.source is not None else None
    found = diagnostic_problems(result.diagnostics, lines)
    if result.source is None:
        # undecodable: one PF001 that points into the raw bytes
        breaks = data.count(b"\n") + data.count(b"\r") + 1
        if [d.code for d in result.diagnostics] != ["PF001"]:
            found.append(
                f"undecodable input should give one PF001, got {[d.code for d in result.diagnostics]}"
            )
        found.extend(
            f"decode error at line {d.span.line} of {breaks}"
            for d in result.diagnostics
            if d.span.line > breaks
        )
    if result.filing is not None and lines is not None:
        found.extend(filing_problems(result.filing, lines))
    if fixes and not found:
        found.extend(fix_problems(path, result, ruleset, **options))
    return found


def assert_sound(path: str, data: bytes, ruleset, **kwargs) -> None:
    problems = soundness_problems(path, data, ruleset, **kwargs)
    assert not problems, f"{path} ({len(data)} bytes, starts {data[:120]!r}):\n" + "\n".join(
        problems[:10]
    )


def codes(result: FileResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def run_python(code: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """Run a snippet in a fresh interpreter with this checkout importable (for memory and time)."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
        **kwargs,
    )
