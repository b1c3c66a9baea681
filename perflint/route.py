"""The one route from a file to its findings: bytes → text (or a document) → Filing → findings.

`lint_file(source, settings)` is what every front end calls — the runner (each file of a check),
standard input, `--fix` / `--diff`, `perflint import`, rule examples and the language server —
and it never raises for bad input: a file that cannot be read or decoded becomes a PF001
finding with a location. The layers below it, one function each:

    lint_file       read the bytes (a path) or take them (`Bytes`), refuse what is too large,
                    decode a text
    lint_document   a Word / Excel / WPS document (by suffix, else by its zip or OLE signature)
    lint_text       decoded text: read it (`read_text`: the size limit, the reader), check it,
                    select, suppress
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from perflint import files
from perflint.diagnostics import Diagnostic
from perflint.engine import RuleSet, check
from perflint.engine.suppress import apply_suppressions
from perflint.files import MAX_BYTES
from perflint.model import Filing
from perflint.readers import ReadResult
from perflint.reading import (
    decode_finding,
    is_document,
    read_text,
    too_large,
    unreadable_finding,
)
from perflint.source import DecodeError, SourceText, decode, split_lines


@dataclass(frozen=True)
class Bytes:
    """A file's bytes held already (standard input, an editor's buffer), shown as `path`."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Settings:
    """How one file is linted. Without a `policy` every finding of the rule set is kept (no
    selection, per-file ignores or suppressions): what the library and the rule examples want."""

    ruleset: RuleSet
    policy: object = None  # perflint.selection.Policy
    encoding: str | None = None  # the source encoding option (None: BOM, UTF-8, then GB18030)
    max_bytes: int | None = MAX_BYTES
    readers: dict | None = None  # suffix → reader (None: the plugin host's)
    repository: object = None  # perflint.repository.Index: rules across filings run against it


@dataclass(frozen=True)
class FileReport:
    """One file's findings, sorted as a report sorts them, and what was read on the way."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    source: SourceText | None = None  # the decoded text; None for a document or unreadable bytes
    filing: Filing | None = None

    @property
    def encoding(self) -> str:
        return self.source.encoding if self.source is not None else "utf-8"

    @property
    def bom(self) -> bytes:
        return self.source.bom if self.source is not None else b""

    def lines(self) -> dict | None:
        """{number: text} of the lines the findings start and end on (what a report prints);
        None when there is no text (a document's findings show their cells)."""
        if self.source is None:
            return None
        numbers = {n for d in self.diagnostics for n in (d.span.line, d.span.end_line)}
        if not numbers:
            return {}
        lines = split_lines(self.source.text)
        return {n: lines[n - 1] for n in sorted(numbers) if 0 < n <= len(lines)}


def lint_file(source: str | Bytes, settings: Settings) -> FileReport:
    """The report of the file at `source` (a path, read here) or of the bytes it holds."""
    if isinstance(source, Bytes):
        path, data = source.path, source.data
    else:
        path = source
        try:
            data = files.read_file(
                path, settings.max_bytes
            )  # a pipe, a device, a file too large: unread
        except OSError as error:
            return FileReport(path, (unreadable_finding(path, error),))
    if settings.max_bytes is not None and len(data) > settings.max_bytes:
        return FileReport(path, (too_large(path, len(data), settings.max_bytes),))
    if is_document(path, data):
        return lint_document(path, data, settings)
    try:
        text = decode(data, settings.encoding)
    except DecodeError as error:
        return FileReport(path, (decode_finding(path, error),))
    return lint_text(path, text, settings)


def lint_document(path: str, data: bytes, settings: Settings) -> FileReport:
    """A Word / Excel document's report (documents hold no suppression comments)."""
    from perflint.plugins.host import get_host
    from perflint.readers.documents import read_document

    read = read_document(path, data, get_host().forms())
    found = _checked(path, read, settings)
    if settings.policy is not None:
        found = settings.policy.apply(found, _enabled(path, settings))
    return FileReport(path, _sorted(found), None, read.filing)


def lint_text(path: str, source: SourceText, settings: Settings) -> FileReport:
    """A decoded text's report: read, check, select, suppress."""
    read = read_text(path, source, settings.readers, settings.max_bytes)
    found = _checked(path, read, settings)
    policy = settings.policy
    if policy is not None:
        enabled = _enabled(path, settings)
        found = policy.apply(found, enabled)
        suppressions = read.filing.suppressions if read.filing is not None else ()
        if suppressions:
            found = policy.apply(
                apply_suppressions(found, suppressions, source.text, enabled, policy.known),
                enabled,
            )
    return FileReport(path, _sorted(found), source, read.filing)


def _checked(path: str, read: ReadResult, settings: Settings) -> list:
    """The reader's findings and the rules' (and the rules across filings', when they run)."""
    found = list(read.diagnostics)
    if read.filing is not None:
        found.extend(check(read.filing, settings.ruleset))
        if settings.repository is not None:
            from perflint.engine.repository_checks import check_repository

            found.extend(check_repository(read.filing, path, settings.repository, settings.ruleset))
    return found


def _enabled(path: str, settings: Settings) -> frozenset:
    return settings.policy.enabled_for(os.path.abspath(path))


def _sorted(found) -> tuple[Diagnostic, ...]:
    return tuple(sorted(found, key=Diagnostic.sort_key))
