"""Writing files the way other tools do: atomically, with the mode a user expects."""

from __future__ import annotations

import os
import tempfile
from functools import cache


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
