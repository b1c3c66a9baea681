"""Reading and writing files the way other tools do: a goal file is read only when it is a
regular file within the size limit; a file is written atomically, with the mode a user expects."""

from __future__ import annotations

import os
import stat
import tempfile
from functools import cache

from perflint.errors import BilingualError

# A goal filing is tens or hundreds of KB; reading takes about 0.4 s and 30 MB of memory per MB
# of YAML, so a file above this limit is refused with PF001 before it is parsed (the route's
# `Settings.max_bytes` changes it; None: no limit).
MAX_BYTES = 20 * 1024 * 1024


class Unreadable(BilingualError, OSError):
    """A file perflint does not read: not a regular file, or above the size limit."""

    def __init__(self, path: str, zh: str, en: str):
        BilingualError.__init__(self, zh, en)
        self.filename, self.strerror = path, en


def too_large_message(size: int, limit: int) -> tuple[str, str]:
    """(zh, en) of the refusal of a file above the size limit."""
    size_mb, limit_mb = f"{size / 1048576:.1f} MB", f"{limit / 1048576:.1f} MB"
    return (
        f"文件过大（{size_mb}，上限 {limit_mb}），未读取；绩效目标表应按部门和年度分文件",
        f"file too large ({size_mb}, limit {limit_mb}); not read. Keep one filing per department and year",
    )


def read_file(path: str, max_bytes: int | None = MAX_BYTES) -> bytes:
    """A file's bytes. Unreadable (an OSError) for a pipe, device or socket, which could block or
    never end, and for a file above `max_bytes`; other OSErrors as open() raises them."""
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
            raise Unreadable(path, *too_large_message(info.st_size, max_bytes))
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


@cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode `open(path, "w")` would give a new file: 0o666 less the umask (0644 under 022)."""
    return 0o666 & ~_umask()


def open_replacement(path: str) -> tuple[int, str]:
    """A temporary file beside `path` (fd, name) with the mode the replaced file will have.

    An existing file keeps its mode; a new one follows the umask (mkstemp alone makes 0600).
    Rename it over `path` with os.replace once written.
    """
    directory = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = new_file_mode()
    fd, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".perflint-tmp", dir=directory
    )
    try:
        os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        os.unlink(temporary)
        raise
    return fd, temporary


def write_atomic(path: str, data: bytes) -> None:
    """Replace (or create) `path` with `data`: a temporary file renamed into place, mode kept."""
    fd, temporary = open_replacement(path)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
