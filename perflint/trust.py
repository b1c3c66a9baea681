"""What perflint keeps between runs is signed with a key that is not in the linted tree.

A cache directory sits in the repository it caches (`.perflint_cache/`), and a repository's
files are written by whoever would like the check to pass: a committed cache must not decide
the findings. So every file perflint reads back from a cache directory — per-file entries, the
memo of checked rule files, stored values, the value grammar's tables — is sealed with an
HMAC-SHA256 under a key of this user's, kept in the user's cache directory
(`$XDG_CACHE_HOME/perflint/key`, else `~/.cache/perflint/key`; `%LOCALAPPDATA%\\perflint\\key` on
Windows), created 0600 on first use. A file that was not sealed with this key (made on another
machine, by another user, or by hand) is a miss and is rebuilt. When no key can be kept (no
home directory, a read-only one) caches are neither read nor written.

Side files are read with `read_regular`: a regular file only (never a FIFO, a device or a
symbolic link), opened without blocking, and never more than a bound.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat

KEY_NAME = "key"
_KEY_BYTES = 32
_TAG = 64  # hex digits of a seal

_key: bytes | None = None
_looked = False


class NotRegular(OSError):
    """A side file that is a link, FIFO, device or directory, or larger than its bound."""


def read_regular(path, limit: int) -> bytes:
    """The bytes of the regular file `path` (OSError when it is missing, a symbolic link, not a
    regular file or larger than `limit` bytes). Opened with O_NOFOLLOW and O_NONBLOCK, so a link
    to /dev/zero or a FIFO neither blocks nor streams; the read stops past `limit` whatever the
    file claims its size is (a file in /proc says 0)."""
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_BINARY", 0)
        | getattr(os, "O_NOFOLLOW", 0)
    )
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(f"not a regular file: {path}")
        if info.st_size > limit:
            raise NotRegular(f"larger than {limit} bytes: {path}")
        chunks, size = [], 0
        want = max(info.st_size + 1, 1 << 16)  # for a regular file, one read and one at its end
        while chunk := os.read(fd, min(want, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise NotRegular(f"larger than {limit} bytes: {path}")
        return b"".join(chunks)
    finally:
        os.close(fd)


def key_dir() -> str | None:
    """The user's perflint directory (not created here), or None when there is no home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
            base = os.environ["LOCALAPPDATA"]
        else:
            home = os.path.expanduser("~")
            if not home or home == "~" or not os.path.isabs(home):
                return None
            base = os.path.join(home, ".cache")
    return os.path.join(base, "perflint")


def secret() -> bytes | None:
    """This user's key (made on first use), or None when it cannot be kept."""
    global _key, _looked
    if not _looked:
        _looked = True
        try:
            _key = _load_or_make()
        except (OSError, ValueError):
            _key = None
    return _key


def _load_or_make() -> bytes | None:
    directory = key_dir()
    if directory is None:
        return None
    path = os.path.join(directory, KEY_NAME)
    try:
        return _parse(read_regular(path, 256))
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        pass  # damaged or not a plain file: replaced below
    os.makedirs(directory, mode=0o700, exist_ok=True)
    fresh = os.urandom(_KEY_BYTES)
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=".key-", dir=directory)  # 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(fresh.hex().encode("ascii") + b"\n")
        try:
            os.link(temporary, path)  # only if there is none yet: two first runs agree on one key
        except FileExistsError:
            try:
                return _parse(read_regular(path, 256))
            except (OSError, ValueError):
                os.replace(
                    temporary, path
                )  # a damaged key: start afresh (old caches become misses)
                temporary = None
                return fresh
        except OSError:  # no hard links here
            os.replace(temporary, path)
            temporary = None
        return fresh
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _parse(data: bytes) -> bytes:
    text = data.strip()
    if len(text) != 2 * _KEY_BYTES:
        raise ValueError("not a key")
    return bytes.fromhex(text.decode("ascii"))


def tag(context: bytes, payload: bytes) -> bytes | None:
    """The seal (hex, ASCII) of `payload` for `context` (what the file is and which it is), or
    None without a key."""
    key = secret()
    if key is None:
        return None
    mac = hmac.new(key, context, hashlib.sha256)
    mac.update(b"\x00")
    mac.update(payload)
    return mac.hexdigest().encode("ascii")


def seal(context: bytes, payload: bytes) -> bytes | None:
    """`payload` with its seal in front (one line), or None without a key (then store nothing)."""
    mark = tag(context, payload)
    return None if mark is None else mark + b"\n" + payload


def unseal(context: bytes, raw: bytes) -> bytes | None:
    """The payload of sealed bytes when their seal is this user's for `context`, else None."""
    if len(raw) <= _TAG or raw[_TAG : _TAG + 1] != b"\n":
        return None
    payload = raw[_TAG + 1 :]
    mark = tag(context, payload)
    if mark is None or not hmac.compare_digest(mark, raw[:_TAG]):
        return None
    return payload
