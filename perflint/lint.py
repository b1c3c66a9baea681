"""One path for every front end: bytes → text → Filing → findings.

`lint_bytes` and `lint_source` never raise for bad input: a file that cannot be decoded or read
becomes a PF001 finding with a location (`unreadable_finding`, `decode_finding`).
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


class Unreadable(OSError):
    """A file perflint does not read: not a regular file, or above the size limit."""

    def __init__(self, path: str, zh: str, en: str):
        super().__init__(en)
        self.filename, self.strerror, self.zh, self.en = path, en, zh, en


def read_file(path: str, max_bytes: int | None = MAX_BYTES) -> bytes:
    """A file's bytes. Unreadable (an OSError) for a pipe, device or socket, which could block or
    never end, and for a file above `max_bytes`; other OSErrors as open() raises them."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(
                path,
                "不是普通文件（管道、设备或套接字），未读取",
                "not a regular file (a pipe, device or socket); not read",
            )
        if max_bytes is not None and info.st_size > max_bytes:
            finding = too_large(path, info.st_size, max_bytes)
            raise Unreadable(path, finding.message.zh, finding.message.en)
        chunks, size = [], 0
        while max_bytes is None or size <= max_bytes:  # a file that grows while read stops too
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def unreadable_finding(path: str, error: OSError) -> Diagnostic:
    """The PF001 finding for a file that could not be read (see `read_file`)."""
    reason = error.strerror or str(error)
    zh = getattr(error, "zh", f"无法读取文件：{reason}")
    en = getattr(error, "en", f"cannot read the file: {reason}")
    return parse_error(Span(path, 1, 1, 1, 1), zh, en)


def decode_finding(path: str, error: DecodeError) -> Diagnostic:
    """The PF001 finding, at the first bad byte, for bytes that are not text."""
    return parse_error(
        Span(path, error.line, error.col, error.line, error.col), error.message_zh, error.message_en
    )


def default_readers() -> dict:
    from perflint.plugins.host import get_host

    return get_host().readers()


def too_large(path: str, size: int, limit: int) -> Diagnostic:
    """The PF001 finding for a file above the size limit."""
    size_mb, limit_mb = f"{size / 1048576:.1f} MB", f"{limit / 1048576:.1f} MB"
    return parse_error(
        Span(path, 1, 1, 1, 1),
        f"文件过大（{size_mb}，上限 {limit_mb}），未读取；绩效目标表应按部门和年度分文件",
        f"file too large ({size_mb}, limit {limit_mb}); not read. Keep one filing per department and year",
    )


def read_source(
    path: str, source: SourceText, readers: dict | None = None, max_bytes: int | None = MAX_BYTES
) -> ReadResult:
    if (
        max_bytes is not None and len(source.text) > max_bytes // 4
    ):  # only large texts pay for counting
        size = len(source.bom) + len(source.text.encode(source.encoding, errors="replace"))
        if size > max_bytes:
            return ReadResult(None, (too_large(path, size, max_bytes),))
    readers = readers or default_readers()
    reader = pick_reader(path, source.text, readers)
    try:
        read = reader(path, source.text)
        if not isinstance(read, ReadResult):
            raise TypeError(f"returned {type(read).__name__}, not a ReadResult")
        return read
    except RecursionError:
        return ReadResult(
            None,
            (
                parse_error(
                    Span(path, 1, 1, 1, 1),
                    "文件嵌套过深，无法读取",
                    "file is nested too deeply to read",
                ),
            ),
        )
    except Exception as error:
        detail = f"{type(error).__name__}: {error}"
        name = getattr(reader, "__module__", None) or repr(reader)
        message = Message(
            f"读取器 {name} 内部错误：{detail}", f"internal error in reader {name}: {detail}"
        )
        return ReadResult(
            None, (Diagnostic("PF000", "internal-error", "error", message, Span(path, 1, 1, 1, 1)),)
        )


def lint_source(
    path: str,
    source: SourceText,
    ruleset: RuleSet,
    readers: dict | None = None,
    max_bytes: int | None = MAX_BYTES,
) -> FileResult:
    read = read_source(path, source, readers, max_bytes)
    found = list(read.diagnostics)
    if read.filing is not None:
        found.extend(check(read.filing, ruleset))
    return FileResult(path, tuple(sorted(found, key=Diagnostic.sort_key)), source, read.filing)


def is_document(path: str, data: bytes = b"") -> bool:
    """Whether a file is read as a Word / Excel / WPS document (by suffix; an unknown suffix by
    its zip or OLE signature), not as text."""
    from perflint.readers.office import LEGACY_SUFFIXES, OFFICE_SUFFIXES, kind_of

    suffix = Path(path).suffix.lower()
    if suffix in OFFICE_SUFFIXES or suffix in LEGACY_SUFFIXES:
        return True
    return suffix not in (*YAML_SUFFIXES, ".txt") and kind_of(data[:8]) != "other"


def read_document(path: str, data: bytes) -> ReadResult:
    """A Word / Excel document's Filing (see perflint/readers/documents.py)."""
    from perflint.plugins.host import get_host
    from perflint.readers.documents import read_document as read

    return read(path, data, get_host().forms())


def lint_document(path: str, data: bytes, ruleset: RuleSet) -> FileResult:
    read = read_document(path, data)
    found = list(read.diagnostics)
    if read.filing is not None:
        found.extend(check(read.filing, ruleset))
    return FileResult(path, tuple(sorted(found, key=Diagnostic.sort_key)), None, read.filing)


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
    if is_document(path, data):
        return lint_document(path, data, ruleset)
    try:
        source = decode(data, encoding)
    except DecodeError as error:
        return FileResult(path, (decode_finding(path, error),))
    return lint_source(path, source, ruleset, readers, max_bytes)
