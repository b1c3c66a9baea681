"""A cache of per-file results in `.perflint_cache/`, like ruff's.

One entry per linted file, named by a key that hashes everything its findings depend on except
the file's bytes:

- the path the findings carry,
- the perflint version and its own code (the package's files, so an edited checkout does not
  serve stale results), the versions of PyYAML and Lark,
- the rule set's fingerprint (`RuleSet.fingerprint`: rule files, taxonomy and grammar data,
  plugin modules and their lexicon additions),
- the effective configuration for the file: profile, params, selection, severity overrides,
  per-file ignores (as the set of rules enabled for it) and the encoding option.

The entry records the sha256 of the bytes it was made from, and a result is served only for
those bytes. To tell without reading the file, an entry also records the file's `stat` when it
was read (size, mtime, ctime, inode) and when that was: a file whose `stat` is unchanged has
the recorded bytes — if its mtime and ctime are more than `MARGIN_NS` older than the moment it
was read (the "racy git" rule: a file rewritten with the same size within the same timestamp
tick as the recorded version would keep its `stat`; such a recent file is hashed again). When
the `stat` differs (a `touch`, a checkout of the same content) the bytes are hashed and
compared, and a match refreshes the entry.

An entry stores diagnostics (both languages of every message, so `--lang` and `--format` are
applied when the report is rendered), sorted as the report sorts them, and the source lines they
point at. Entries are JSON (never pickle: a cache directory is not trusted to run code): a
header line (the bytes' hash, the stat, when, the encoding and the CRC-32 of the body) and a
body line (the findings and lines, in the encoding `encode_diagnostics` gives); then, when the
run that linted the file printed a built-in format, its rendering of the file (text; its
format's key, CRC-32 and what the report's summary needs are in the header; see
perflint.runner.run). The
header is read first; the body only for a hit, and only when its CRC matches (then it is what
perflint wrote, and formatters use it as it is); a rendering in the run's format instead of the
body. Entries are written atomically (a temporary file renamed into place) so two runs may
share the directory: each entry is whole and describes the bytes it names. An entry that cannot be read or does not decode is a miss; a directory that cannot be
created or written means running without writing to the cache. Nothing here raises for a cache
problem.

Nothing under the linted tree may decide the findings (a cache directory sits in the repository
and may be committed by whoever wants the check to pass): every entry and side file (the rule
memo, stored values, the grammar's tables) is sealed with an HMAC under this user's key, kept
outside the tree (perflint.trust), and one that is not is a miss. Files are read only when they
are regular files (not links, FIFOs, devices) within a bound. The CRCs stay as a check of the
parts an entry is decoded from.

A directory perflint creates gets a `CACHEDIR.TAG` (backup tools skip it) and a `.gitignore`
holding `*`; an existing directory is used only when it is empty or already a perflint cache
(`is_perflint_cache`), and a version directory that is a symbolic link is not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from pathlib import Path

from perflint import __version__
from perflint.files import MAX_BYTES, write_atomic
from perflint.trust import read_regular, seal, secret, unseal

DEFAULT_DIR = ".perflint_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by perflint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)
FORMAT = 6  # bump when the entry layout changes
# A file's recorded `stat` is trusted only when its mtime and ctime were older than this when it
# was read: more than the timestamp granularity of common file systems (FAT: 2 s; ext4, XFS,
# btrfs, APFS, NTFS: a clock tick or better).
MARGIN_NS = 2_000_000_000


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest(*parts) -> str:
    return sha256(
        json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    )


_code_fingerprint: str | None = None


def code_fingerprint() -> str:
    """perflint's version and the state of its own files (size and mtime of each), plus the
    libraries whose behaviour shows in findings (PyYAML, Lark) — found without importing them."""
    global _code_fingerprint
    if _code_fingerprint is None:
        import importlib.util

        package = Path(__file__).resolve().parent
        stats = []
        for directory, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".json", ".lark", ".yaml")):
                    try:
                        st = os.stat(os.path.join(directory, name))
                    except OSError:
                        continue
                    stats.append(
                        (
                            os.path.relpath(os.path.join(directory, name), package),
                            st.st_size,
                            st.st_mtime_ns,
                        )
                    )
        libraries = []
        for name in ("yaml", "_yaml", "lark"):
            try:
                spec = importlib.util.find_spec(name)
                origin = spec.origin if spec is not None else None
                st = os.stat(origin) if origin else None
                libraries.append(
                    (name, origin, st.st_size if st else 0, st.st_mtime_ns if st else 0)
                )
            except (ImportError, ValueError, OSError):
                libraries.append((name, None, 0, 0))
        _code_fingerprint = _digest(__version__, FORMAT, stats, libraries)
    return _code_fingerprint


def settings_key(ruleset, policy, encoding: str | None, extra=()) -> str:
    """The part of every entry's key that one configuration shares."""
    params = sorted(
        (rule.code, sorted(rule.params.items())) for rule in ruleset.rules if rule.params
    )
    return _digest(
        code_fingerprint(),
        getattr(ruleset, "fingerprint", ""),
        ruleset.profile,
        params,
        sorted(policy.enabled),
        sorted(policy.severity.items()),
        sorted(policy.known.items()),
        encoding,
        MAX_BYTES,
        list(extra),
    )


def entry_key(settings: str, path: str, enabled: frozenset[str] | None) -> str:
    """One file's key: the settings, the path its findings name and the rules enabled for it
    (None: the configuration's own set). The entry says which bytes it is for (see `trusted`)."""
    extra = "" if enabled is None else "\x00".join(sorted(enabled))
    return sha256(
        f"{FORMAT}\x00{settings}\x00{path}\x00{enabled is None}\x00{extra}".encode(
            "utf-8", "surrogatepass"
        )
    )


def stamp(info: os.stat_result) -> list:
    """What an entry records of a file's `stat`."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def trusted(entry: dict, current: list) -> bool:
    """Whether a file whose `stat` is now `current` still has the bytes `entry` was made from,
    without reading it: its `stat` is the recorded one and was already old when the file was
    read (else a rewrite within the same timestamp tick could have kept it; see the module
    docstring)."""
    recorded, checked = entry.get("stamp"), entry.get("checked")
    return (
        recorded == current
        and type(checked) is int
        and max(current[1], current[2]) < checked - MARGIN_NS
    )


# ---------------------------------------------------------------------------------------------
# entries


def pack(header: dict, body) -> tuple[dict, bytes] | None:
    """(header with the CRC-32 of the body added, the body as JSON bytes), or None when the body
    is not JSON. `repack` makes an entry's bytes of them."""
    try:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):
        return None
    return {**header, "crc": zlib.crc32(data)}, data


def repack(header: dict, data: bytes, rendering: bytes = b"") -> bytes | None:
    """An entry's bytes: the header on one JSON line, the body (JSON never holds a raw line
    break), and a rendering of the findings when there is one (see perflint.runner.run)."""
    try:
        head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):
        return None
    return head + b"\n" + data + (b"\n" + rendering if rendering else b"")


_scan = (
    json.JSONDecoder().scan_once
)  # json.loads without its checks of the input's encoding and tail


def _loads(data: bytes):
    """JSON bytes (UTF-8, one value and nothing else) decoded; ValueError when they are not."""
    text = data.decode("utf-8")
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        raise ValueError("not JSON") from None
    if end != len(text):
        raise ValueError("extra data")
    return value


def unpack(raw: bytes) -> tuple[dict, bytes, bytes] | None:
    """(header, body bytes, rendering bytes) of an entry's bytes, or None when the header does
    not decode."""
    head, _, rest = raw.partition(b"\n")
    try:
        header = _loads(head)
    except (ValueError, RecursionError):
        return None
    if type(header) is not dict:
        return None
    data, _, rendering = rest.partition(b"\n")
    return header, data, rendering


def body(header: dict, data: bytes):
    """The decoded body of an entry, or None when it is not the body the header was written
    with (its CRC-32 differs: a damaged entry) or does not decode."""
    if zlib.crc32(data) != header.get("crc"):
        return None
    try:
        return _loads(data)
    except (ValueError, RecursionError):
        return None


# ---------------------------------------------------------------------------------------------
# the store


class Cache:
    """Per-file entries under `<directory>/<version>/`. Never raises for a cache problem.

    Each entry is sealed (perflint.trust) for its key: one that was not written by this user's
    perflint is a miss. Without a key (see perflint.trust.secret) nothing is read or written.
    """

    def __init__(self, directory: str | os.PathLike):
        self.root = Path(directory)
        self.directory = self.root / __version__
        self.usable = secret() is not None
        self.writable = self.usable
        self.hits = self.misses = 0
        self.refused: str | None = None  # why the directory is not used (Cache.open), for a warning
        self._made: set[str] = set()
        self._base = os.path.join(str(self.directory), "")

    @classmethod
    def open(cls, directory: str | os.PathLike) -> Cache:
        cache = cls(directory)
        cache._prepare()
        return cache

    def _prepare(self) -> None:
        """Make the directory, or take an existing perflint cache; a directory that is
        something else is left alone (not used; `refused` says why)."""
        if not self.usable:
            return
        try:
            fresh = not os.path.lexists(self.root)
            if not fresh and not is_perflint_cache(self.root):
                self.refused = "foreign"
                self.usable = self.writable = False
                return
            self.directory.mkdir(parents=True, exist_ok=True)
            if os.path.islink(self.directory):  # a link out of the cache: not followed
                self.refused = "link"
                self.usable = self.writable = False
                return
            for name, text in (
                ("CACHEDIR.TAG", CACHEDIR_TAG),
                (".gitignore", "# Created by perflint.\n*\n"),
            ):
                if not os.path.lexists(self.root / name):
                    write_atomic(self.root / name, text.encode("utf-8"))
        except OSError:
            self.writable = False

    _split = 2  # entries go to <version>/<key[:2]>/<key[2:]>

    def beside(self, folder: str) -> Cache:
        """A store of other records (e.g. the repository index's summaries) in its own folder
        of the version directory, kept apart from the entries: <version>/<folder>/<key[:3]>/…"""
        from copy import copy

        other = copy(self)
        other._base = os.path.join(str(self.directory), folder, "")
        other._made, other._split, other.hits, other.misses = set(), 3, 0, 0
        return other

    def _path(self, key: str) -> str:
        return f"{self._base}{key[: self._split]}{os.sep}{key[self._split :]}"

    def get(self, key: str) -> bytes | None:
        """The stored bytes for `key`, or None (missing, unreadable, not a regular file, too
        large, or not sealed by this user's perflint for this key)."""
        if not self.usable:
            return None
        try:
            raw = read_regular(self._path(key), ENTRY_LIMIT)
        except OSError:
            self.misses += 1
            return None
        data = unseal(b"entry\x00" + key.encode("ascii", "replace"), raw)
        if data is None:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: bytes | None) -> None:
        """Store `data` (from `pack`) for `key`, sealed, atomically; nothing when None."""
        if not self.writable or data is None:
            return
        sealed = seal(b"entry\x00" + key.encode("ascii", "replace"), data)
        if sealed is None:
            return
        path = self._path(key)
        try:
            if key[: self._split] not in self._made:
                folder = os.path.dirname(path)
                os.makedirs(folder, exist_ok=True)
                if os.path.islink(folder):  # never written through a link out of the cache
                    return
                self._made.add(key[: self._split])
            write_atomic(path, sealed)
        except OSError:
            self.writable = False  # read-only or full: go on without writing

    # -- a small shared file: validated rule files (see RuleMemo)

    def memo(self, name: str) -> RuleMemo:
        return RuleMemo(self.directory / name, self.writable, self.usable)


# Bounds on what is read back from a cache directory (a larger file is a miss).
ENTRY_LIMIT = 64 << 20
SIDE_LIMIT = 64 << 20  # rules.json, values-*.json, value-grammar-*.json


def is_perflint_cache(directory) -> bool:
    """Whether an existing `directory` is empty or holds perflint's CACHEDIR.TAG (then perflint
    may write into it)."""
    try:
        if not os.path.isdir(directory):
            return False
        with os.scandir(directory) as entries:
            if next(entries, None) is None:
                return True
        tag = read_regular(os.path.join(directory, "CACHEDIR.TAG"), 4096)
    except OSError:
        return False
    return tag.startswith(CACHEDIR_TAG.splitlines()[0].encode()) and b"created by perflint" in tag


def read_sealed(path, context: bytes) -> bytes | None:
    """A side file's payload when it is a regular file within SIDE_LIMIT sealed for `context`."""
    try:
        raw = read_regular(path, SIDE_LIMIT)
    except OSError:
        return None
    return unseal(context, raw)


def write_sealed(path, context: bytes, payload: bytes) -> None:
    """Write a side file sealed for `context` (OSError on failure; nothing without a key)."""
    sealed = seal(context, payload)
    if sealed is not None:
        write_atomic(path, sealed)


class RuleMemo:
    """Rule files already parsed and schema-checked, by a hash of their text and the schema.

    Lets a run skip the YAML parse and the jsonschema validation (and the jsonschema import) of
    rule files that passed before; a rule file that fails is never stored, so its error message
    is produced afresh each time. Values are stored as JSON text and decoded on each use; only
    mappings made of JSON types are stored (anything else is simply read the normal way).
    """

    LIMIT = 2000  # entries kept; past it only those used by this process are written back

    def __init__(self, path: Path, writable: bool = True, readable: bool = True):
        self.path = path
        self.writable = writable
        self.readable = readable
        self.entries: dict[str, str] | None = None
        self.used: set[str] = set()
        self.dirty = False

    def _load(self) -> dict[str, str]:
        if self.entries is None:
            try:
                payload = read_sealed(self.path, b"rules.json") if self.readable else None
                if payload is None:
                    raise ValueError("not this user's memo")
                data = json.loads(payload)
                self.entries = (
                    {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
                    if isinstance(data, dict)
                    else {}
                )
            except (OSError, ValueError, AttributeError):
                self.entries = {}
        return self.entries

    @staticmethod
    def key(schema: bytes, name: str, text: str) -> str:
        return _digest(__version__, sha256(schema), name, text)

    def get(self, key: str):
        text = self._load().get(key)
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if not isinstance(value, dict):
            return None
        self.used.add(key)
        return value

    def put(self, key: str, raw: dict) -> None:
        if not _plain(raw):
            return
        try:
            text = json.dumps(raw, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return
        self._load()[key] = text
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        if not (self.dirty and self.writable):
            return
        entries = self._load()
        if len(entries) > self.LIMIT:
            entries = {k: v for k, v in entries.items() if k in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_sealed(
                self.path, b"rules.json", json.dumps(entries, ensure_ascii=False).encode("utf-8")
            )
            self.dirty = False
        except OSError:
            self.writable = False


def _plain(value) -> bool:
    """Only types JSON gives back unchanged: str, int, float (finite), bool, None, list, str-keyed dict."""
    kind = type(value)
    if kind in (str, int, bool) or value is None:
        return True
    if kind is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if kind is list:
        return all(_plain(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False
