"""One path for every front end: bytes → text → Filing → findings.

`lint_text` and `lint_file` never raise for bad input: a file that cannot be decoded or read
becomes a PF001 finding with a location.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perflint.diagnostics import Diagnostic, Message
from perflint.engine import RuleSet, check
from perflint.model import Filing, Span
from perflint.readers import ReadResult, parse_error
from perflint.source import DecodeError, SourceText, decode

YAML_SUFFIXES = (".yaml", ".yml")
# A goal filing is tens or hundreds of KB; reading takes about 0.4 s and 30 MB of memory per MB
# of YAML, so a file above this limit is refused with PF001 before it is parsed. Pass
# `max_bytes` to lint_bytes / read_source to change it (None: no limit).
MAX_BYTES = 20 * 1024 * 1024


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


def too_large(path: str, size: int, limit: int) -> Diagnostic:
    """The PF001 finding for a file above the size limit."""
    mb = lambda n: f"{n / 1048576:.1f} MB"  # noqa: E731
    return parse_error(
        Span(path, 1, 1, 1, 1),
        f"文件过大（{mb(size)}，上限 {mb(limit)}），未读取；绩效目标表应按部门和年度分文件",
        f"file too large ({mb(size)}, limit {mb(limit)}); not read. Keep one filing per department and year",
    )


def read_source(
    path: str, source: SourceText, readers: dict | None = None, max_bytes: int | None = MAX_BYTES
) -> ReadResult:
    if max_bytes is not None and len(source.text) > max_bytes // 4:  # only large texts pay for counting
        size = len(source.bom) + len(source.text.encode(source.encoding, errors="replace"))
        if size > max_bytes:
            return ReadResult(None, (too_large(path, size, max_bytes),))
    readers = readers or default_readers()
    reader = pick_reader(path, source.text, readers)
    try:
        return reader(path, source.text)
    except RecursionError:
        return ReadResult(
            None, (parse_error(Span(path, 1, 1, 1, 1), "文件嵌套过深，无法读取", "file is nested too deeply to read"),)
        )
    except Exception as error:  # noqa: BLE001 - a faulty (plugin) reader must not stop the run
        detail = f"{type(error).__name__}: {error}"
        name = getattr(reader, "__module__", None) or repr(reader)
        message = Message(f"读取器 {name} 内部错误：{detail}", f"internal error in reader {name}: {detail}")
        return ReadResult(None, (Diagnostic("PF000", "internal-error", "error", message, Span(path, 1, 1, 1, 1)),))


def lint_source(
    path: str, source: SourceText, ruleset: RuleSet, readers: dict | None = None, max_bytes: int | None = MAX_BYTES
) -> FileResult:
    read = read_source(path, source, readers, max_bytes)
    found = list(read.diagnostics)
    if read.filing is not None:
        found.extend(check(read.filing, ruleset))
    return FileResult(path, tuple(sorted(found, key=Diagnostic.sort_key)), source, read.filing)


def lint_bytes(
    path: str,
    data: bytes,
    ruleset: RuleSet,
    encoding: str | None = None,
    readers: dict | None = None,
    max_bytes: int | None = MAX_BYTES,
) -> FileResult:
    if max_bytes is not None and len(data) > max_bytes:
        return FileResult(path, (too_large(path, len(data), max_bytes),))
    try:
        source = decode(data, encoding)
    except DecodeError as error:
        span = Span(path, error.line, error.col, error.line, error.col)
        return FileResult(path, (parse_error(span, error.message_zh, error.message_en),))
    return lint_source(path, source, ruleset, readers, max_bytes)
