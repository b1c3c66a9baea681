"""One path for every front end: bytes → text → Filing → findings.

`lint_text` and `lint_file` never raise for bad input: a file that cannot be decoded or read
becomes a PF001 finding with a location.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perflint.diagnostics import Diagnostic
from perflint.engine import RuleSet, check
from perflint.model import Filing, Span
from perflint.readers import ReadResult, parse_error
from perflint.source import DecodeError, SourceText, decode

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class FileResult:
    path: str
    diagnostics: tuple[Diagnostic, ...]
    source: SourceText | None = None  # None when the bytes could not be decoded
    filing: Filing | None = None


def pick_reader(path: str, text: str, readers: dict):
    """The reader for a file: by suffix, else by sniffing (tab-started table rows → text export)."""
    suffix = Path(path).suffix.lower()
    if suffix in readers:
        return readers[suffix]
    looks_like_export = any(line.startswith("\t") for line in text.splitlines()[:400])
    return readers[".txt"] if looks_like_export else readers[".yaml"]


def default_readers() -> dict:
    from perflint.plugins.host import get_host

    return get_host().merged("perflint_readers")


def read_source(path: str, source: SourceText, readers: dict | None = None) -> ReadResult:
    readers = readers or default_readers()
    reader = pick_reader(path, source.text, readers)
    try:
        return reader(path, source.text)
    except RecursionError:
        return ReadResult(
            None, (parse_error(Span(path, 1, 1, 1, 1), "文件嵌套过深，无法读取", "file is nested too deeply to read"),)
        )


def lint_source(path: str, source: SourceText, ruleset: RuleSet, readers: dict | None = None) -> FileResult:
    read = read_source(path, source, readers)
    found = list(read.diagnostics)
    if read.filing is not None:
        found.extend(check(read.filing, ruleset))
    return FileResult(path, tuple(sorted(found, key=Diagnostic.sort_key)), source, read.filing)


def lint_bytes(
    path: str, data: bytes, ruleset: RuleSet, encoding: str | None = None, readers: dict | None = None
) -> FileResult:
    try:
        source = decode(data, encoding)
    except DecodeError as error:
        span = Span(path, error.line, error.col, error.line, error.col)
        return FileResult(path, (parse_error(span, error.message_zh, error.message_en),))
    return lint_source(path, source, ruleset, readers)
