"""What the runner deals in: `Settings` (how to lint the files of one configuration) and `Job`
(one file) go to a worker, an `Outcome` (one file's findings in the cache's row encoding and the
lines they point at) comes back — plain, picklable data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from perflint import route
from perflint.cache import body
from perflint.cache_rows import decode_diagnostics, encode_diagnostics
from perflint.diagnostics import Diagnostic
from perflint.source import SourceText


@dataclass(frozen=True)
class Settings:
    """How to lint the files of one configuration; picklable."""

    profile: str
    params: tuple  # ((code, ((name, value), …)), …)
    disabled: frozenset
    policy: object  # perflint.selection.Policy
    encoding: str | None
    key: str = ""  # the cache's settings key ("" when there is no cache)


@dataclass(frozen=True)
class Job:
    path: str
    settings: int  # index into the settings table


@dataclass(frozen=True, slots=True)
class Outcome:
    """One file's findings and what printing them needs."""

    path: str
    # the findings as `perflint.cache_rows.encode_diagnostics(…, path)` encodes them (a span's path
    # is None when it is `path`), sorted by `Diagnostic.sort_key`; None when the outcome is
    # `rendered` and was not decoded (see `decoded`)
    rows: list | None
    lines: dict | None  # {line number: text} of the lines the findings point at; None: not decoded
    encoding: str = "utf-8"
    bom: bytes = b""
    # (text, note, worst) of the run's renderer for this file (see `run`; text as UTF-8 bytes
    # when it comes from the cache), or None
    rendered: tuple | None = None
    # (key, header, body) of the file's cache entry, to decode the findings from (see `decoded`)
    entry: tuple | None = None

    @property
    def diagnostics(self) -> tuple:
        return decode_diagnostics(self.rows, self.path)

    def source(self):
        """A SourceText holding just the lines the findings need (others are blank), or None."""
        if self.lines is None:
            return None
        return SourceText(sparse_text(self.lines), self.encoding, self.bom)


def sparse_text(lines) -> str:
    """A text whose numbered lines are `lines` ({number: text} or pairs) and all others empty."""
    if not lines:
        return ""
    known = dict(lines)
    return "\n".join(known.get(n, "") for n in range(1, max(known) + 1))


def make_outcome(
    path: str, diagnostics, lines: dict | None, encoding: str = "utf-8", bom: bytes = b""
) -> Outcome:
    """An Outcome of diagnostics (sorted here, as the report sorts them)."""
    rows = encode_diagnostics(sorted(diagnostics, key=Diagnostic.sort_key), path)
    return Outcome(path, rows, lines, encoding, bom)


def outcome_of(report: route.FileReport) -> Outcome:
    """The Outcome of a route's report: its findings encoded, the lines they point at."""
    rows = encode_diagnostics(report.diagnostics, report.path)
    return Outcome(report.path, rows, report.lines(), report.encoding, report.bom)


def replaced(outcome: Outcome, **changes) -> Outcome:
    return dataclasses.replace(outcome, **changes)


def decoded(outcome: Outcome) -> Outcome:
    """An outcome with its findings decoded (a rendered one from the cache may have none yet)."""
    if outcome.rows is not None or outcome.entry is None:
        return outcome
    found = from_entry(outcome.path, outcome.entry[1], outcome.entry[2])
    return (
        replaced(found, rendered=outcome.rendered, entry=outcome.entry)
        if found is not None
        else replaced(outcome, rows=[])
    )


def from_entry(path: str, header: dict, data: bytes) -> Outcome | None:
    """The Outcome a cache entry holds, or None when it is damaged or malformed (a miss)."""
    content, encoding, bom = (
        body(header, data),
        header.get("encoding"),
        header.get("bom"),
    )
    if (
        type(content) is not list
        or len(content) != 2
        or type(encoding) is not str
        or type(bom) is not str
    ):
        return None
    rows, lines = content
    if type(rows) is not list:
        return None
    try:
        return Outcome(
            path, rows, None if lines is None else dict(lines), encoding, bytes.fromhex(bom)
        )
    except (TypeError, ValueError):
        return None
