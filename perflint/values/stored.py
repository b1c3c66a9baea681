"""Parsed values kept in the cache directory between runs (see `_Stored`)."""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from perflint import __version__
from perflint.files import write_atomic
from perflint.resources import data_dir
from perflint.trust import read_regular, seal, unseal
from perflint.values.lexicon import extra
from perflint.values.model import KINDS, Value


def code_fingerprint() -> str:
    """perflint's version and the state of the value code (size and mtime of each file), plus
    the libraries a Value depends on (Lark runs the grammar, PyYAML reads its data) — found
    without importing them."""
    stats = []
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        st = path.stat()
        stats.append((path.name, st.st_size, st.st_mtime_ns))
    libraries = []
    for name in ("lark", "yaml", "_yaml"):
        try:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            found = os.stat(origin) if origin else None
            libraries.append(
                (name, origin, found.st_size if found else 0, found.st_mtime_ns if found else 0)
            )
        except (ImportError, ValueError, OSError):
            libraries.append((name, None, 0, 0))
    return json.dumps([__version__, stats, libraries])


# Where the built parser and the stored values are kept between runs (set by the command line
# next to its result cache; None: nothing is kept, the parser is built in memory, about 20 ms).
# Stored as JSON, never pickle: a cache directory is not trusted to run code.
directory: Path | None = None
_stored: _Stored | None = None  # the store of `directory`, once used

SIDE_LIMIT = 64 << 20  # the largest store or grammar file read


def use_directory(path) -> None:
    """Keep the LALR tables of the value grammar, and the values that needed them, in `path`
    (None: do not)."""
    global directory, _stored
    directory = Path(path) if path is not None else None
    if _stored is not None and _stored.directory != directory:
        _stored.save()
        _stored = None


def forget() -> None:
    """After the lexicon changed: the store is saved and dropped (the next has another fingerprint)."""
    global _stored
    if _stored is not None:
        _stored.save()
        _stored = None


def stored_values() -> _Stored | None:
    global _stored
    if _stored is None and directory is not None:
        _stored = _Stored(directory)
    return _stored


def read_sealed(path: Path, context: bytes) -> bytes | None:
    """A side file's payload when it is a regular file within SIDE_LIMIT sealed for `context`
    (only what this user's perflint wrote)."""
    try:
        raw = read_regular(path, SIDE_LIMIT)
    except OSError:
        return None
    return unseal(context, raw)


def write_sealed(path: Path, context: bytes, payload: bytes) -> None:
    """Write a side file sealed for `context` (OSError on failure; nothing without a key)."""
    sealed = seal(context, payload)
    if sealed is not None:
        write_atomic(os.fspath(path), sealed)


class _Stored:
    """Parsed values kept in the cache directory between runs, so that a run on one file (a
    pre-commit hook, an editor) finds the common values there and seldom loads the grammar:
    importing Lark, loading its tables and compiling its lexer costs about 60 ms.

    One JSON file, named by a fingerprint of everything a Value depends on: perflint's code and
    Lark's version (`code_fingerprint`), the grammar data files and the
    words plugins added (`extend_lexicon`). At most LIMIT values are kept, those used last
    first. Written atomically at exit, only by a process that parsed something new; never
    raises for a cache problem (an unreadable or corrupt file is an empty store).
    """

    LIMIT = 4096

    def __init__(self, directory):
        self.directory = directory
        self.path = None
        self.entries: dict[str, list] = {}
        self.used: dict[str, list] = {}  # this run's, in order of use (kept first on save)
        self.dirty = False
        try:
            self.path = directory / f"values-{self._fingerprint()}.json"
            payload = read_sealed(
                self.path, b"values\x00" + self.path.name.encode()
            )  # only what this user's perflint wrote
            data = json.loads(payload) if payload is not None else None
            if isinstance(data, dict):
                self.entries = data
        except Exception:
            pass

    @staticmethod
    def _fingerprint() -> str:
        digest = hashlib.sha256(code_fingerprint().encode())
        for path in sorted(data_dir("grammar").glob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        digest.update(
            repr(
                sorted(
                    (k, sorted(v.items()) if isinstance(v, dict) else v) for k, v in extra.items()
                )
            ).encode()
        )
        return digest.hexdigest()[:32]

    def get(self, text: str) -> Value | None:
        data = self.entries.get(text)
        if type(data) is not list or len(data) != len(_STORED_FIELDS):
            return None
        try:
            value = Value(text, *(_restore(name, item) for name, item in zip(_STORED_FIELDS, data)))
        except Exception:
            return None
        self.used[text] = data
        return value

    def put(self, text: str, value: Value) -> None:
        data = [getattr(value, name) for name in _STORED_FIELDS]
        data = [
            str(item)
            if isinstance(item, Decimal)
            else list(item)
            if isinstance(item, tuple)
            else item
            for item in data
        ]
        self.entries[text] = self.used[text] = data
        if not self.dirty:
            self.dirty = True
            atexit.register(self.save)

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        self.dirty = False
        kept = dict(islice(self.used.items(), self.LIMIT))
        for text, data in self.entries.items():
            if len(kept) >= self.LIMIT:
                break
            kept.setdefault(text, data)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_sealed(
                self.path,
                b"values\x00" + self.path.name.encode(),
                json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            )
        except Exception:
            pass


_STORED_FIELDS = Value.__slots__[1:]  # every field after `text`, in order


def _restore(name: str, item: Any) -> Any:
    """A stored field back to its type; ValueError when it is not of that type (a damaged entry)."""
    if name in ("number", "low", "high"):
        number = None if item is None else Decimal(item) if type(item) is str else None
        if item is not None and (number is None or not number.is_finite()):
            raise ValueError(name)
        return number
    if name.endswith("_span"):
        if item is None:
            return None
        if type(item) is not list or len(item) != 2 or not all(type(i) is int for i in item):
            raise ValueError(name)
        return tuple(item)
    if name in ("unit_nonstandard", "truth"):
        if type(item) is not bool and not (item is None and name == "truth"):
            raise ValueError(name)
        return item
    if item is not None and type(item) is not str or (name == "kind" and item not in KINDS):
        raise ValueError(name)
    return item
