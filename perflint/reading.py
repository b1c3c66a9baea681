"""Reading a file's text or bytes into a `Filing`, unchecked: the reader a file's suffix (or its
look) picks, and the PF001 finding of a file that does not read (too large, not text, missing).
The route (perflint/route.py) checks what is read here; `perflint import` and the index of
rules across filings (perflint/repository.py) only read.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from perflint.diagnostics import Diagnostic, Message
from perflint.files import MAX_BYTES, too_large_message
from perflint.model import Span
from perflint.readers import ReadResult, parse_error
from perflint.source import DecodeError, SourceText, decode

YAML_SUFFIXES = (".yaml", ".yml")


def read_text(
    path: str, source: SourceText, readers: dict | None = None, max_bytes: int | None = MAX_BYTES
) -> ReadResult:
    """A text's Filing, by the reader its suffix (or its look) picks; a reader's crash is PF000."""
    if max_bytes is not None and len(source.text) > max_bytes // 4:  # only large texts count
        size = len(source.bom) + len(source.text.encode(source.encoding, errors="replace"))
        if size > max_bytes:
            return ReadResult(None, (too_large(path, size, max_bytes),))
    reader = pick_reader(path, source.text, readers or default_readers())
    try:
        read = reader(path, source.text)
        if not isinstance(read, ReadResult):
            raise TypeError(f"returned {type(read).__name__}, not a ReadResult")
        return read
    except RecursionError:
        finding = parse_error(
            Span(path, 1, 1, 1, 1), "文件嵌套过深，无法读取", "file is nested too deeply to read"
        )
        return ReadResult(None, (finding,))
    except Exception as error:
        detail = f"{type(error).__name__}: {error}"
        name = getattr(reader, "__module__", None) or repr(reader)
        message = Message(
            f"读取器 {name} 内部错误：{detail}", f"internal error in reader {name}: {detail}"
        )
        return ReadResult(
            None, (Diagnostic("PF000", "internal-error", "error", message, Span(path, 1, 1, 1, 1)),)
        )


def read_any(path: str, data: bytes, encoding: str | None = None) -> tuple:
    """(ReadResult, SourceText or None) of a file's bytes, unchecked (`perflint import`)."""
    if is_document(path, data):
        from perflint.plugins.host import get_host
        from perflint.readers.documents import read_document

        return read_document(path, data, get_host().forms()), None
    try:
        source = decode(data, encoding)
    except DecodeError as error:
        return ReadResult(None, (decode_finding(path, error),)), None
    return read_text(path, source), source


def pick_reader(path: str, text: str, readers: dict):
    """The reader for a file: by suffix, else by sniffing (tab-started table rows → text export)."""
    suffix = Path(path).suffix.lower()
    if suffix in readers:
        return readers[suffix]
    looks_like_export = any(line.startswith("\t") for line in text.splitlines()[:400])
    return readers[".txt"] if looks_like_export else readers[".yaml"]


def default_readers() -> dict:
    from perflint.plugins.host import get_host

    return get_host().readers()


def is_document(path: str, data: bytes = b"") -> bool:
    """Whether a file is read as a Word / Excel / WPS document (by suffix; an unknown suffix by
    its zip or OLE signature), not as text."""
    from perflint.readers.office import LEGACY_SUFFIXES, OFFICE_SUFFIXES, kind_of

    suffix = Path(path).suffix.lower()
    if suffix in OFFICE_SUFFIXES or suffix in LEGACY_SUFFIXES:
        return True
    return suffix not in (*YAML_SUFFIXES, ".txt") and kind_of(data[:8]) != "other"


def unreadable_finding(path: str, error: OSError) -> Diagnostic:
    """The PF001 finding for a file that could not be read (see `files.read_file`)."""
    reason = error.strerror or str(error)
    zh = getattr(error, "zh", f"无法读取文件：{reason}")
    en = getattr(error, "en", f"cannot read the file: {reason}")
    return parse_error(Span(path, 1, 1, 1, 1), zh, en)


def decode_finding(path: str, error: DecodeError) -> Diagnostic:
    """The PF001 finding, at the first bad byte, for bytes that are not text."""
    return parse_error(
        Span(path, error.line, error.col, error.line, error.col), error.message_zh, error.message_en
    )


def too_large(path: str, size: int, limit: int) -> Diagnostic:
    """The PF001 finding for a file above the size limit."""
    return parse_error(Span(path, 1, 1, 1, 1), *too_large_message(size, limit))


def missing_finding(path: str) -> Diagnostic:
    """The PF001 finding for a named path that is not there: gone, a dangling symlink, a loop."""
    return parse_error(Span(path, 1, 1, 1, 1), *missing_reason(path))


def missing_reason(path: str) -> tuple[str, str]:
    """Why a named path cannot be read: gone, a dangling symlink, a loop of symlinks…"""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return (
                "符号链接循环（Too many levels of symbolic links）",
                f"{error.strerror} (a loop of symbolic links)",
            )
        if error.errno != errno.ENOENT:
            return f"无法访问：{error.strerror}", f"cannot access it: {error.strerror}"
    if os.path.islink(path):
        return "符号链接指向的文件不存在", "a dangling symbolic link: its target does not exist"
    return "文件不存在", "no such file or directory"
