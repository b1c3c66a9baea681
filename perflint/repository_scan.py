"""The repository index built from the goal files of a run: each file read (not linted) into its
summary, kept in the cache beside the result entries and trusted by `stat` as they are, so a warm
run reads no file (the index itself: perflint/repository.py)."""

from __future__ import annotations

import json
import os
import time

from perflint.cache import code_fingerprint, sha256, stamp, trusted
from perflint.files import read_file
from perflint.reading import read_text
from perflint.repository import SUMMARY_FORMAT, Counterpart, Index, decode, encode, summarize
from perflint.source import DecodeError
from perflint.source import decode as decode_text


def read_counterparts(
    path: str, data: bytes, match: str = "code-or-name"
) -> tuple[Counterpart, ...]:
    """The counterparts of the filing in `data` (read, not linted); () when it does not read."""
    try:
        source = decode_text(data)
    except DecodeError:
        return ()
    read = read_text(path, source)
    return summarize(read.filing, path, match) if read.filing is not None else ()


def build_index(paths, cache=None, match: str = "code-or-name") -> Index:
    """The index of the goal files at `paths` (as shown in messages). A file's summary is kept in
    `cache` (a perflint.cache.Cache) with its digest and `stat`: while the `stat` can be trusted
    (perflint.cache.trusted) the file is not read again, as for the result cache; a file that
    cannot be read is left out."""
    index = Index(match=match)
    fingerprint = ""
    if cache is not None:
        fingerprint = code_fingerprint()
        cache = cache.beside("repository")
    for path in sorted(set(paths)):
        found = _summary(path, cache, match, fingerprint)
        if found is not None:
            index.add(path, *found)
    return index


def _summary(path: str, cache, match: str, fingerprint: str) -> tuple[str, tuple] | None:
    """(digest, counterparts) of one file, from the cache where its entry still holds."""
    key = entry = None
    if cache is not None:
        key = sha256(
            f"repository\x00{SUMMARY_FORMAT}\x00{match}\x00{fingerprint}\x00{os.path.abspath(path)}".encode()
        )
        raw = cache.get(key)
        try:
            entry = json.loads(raw) if raw is not None else None
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            entry = None
    checked = time.time_ns()
    try:
        info = os.stat(path)
        if entry is not None and trusted(entry, stamp(info)):
            return entry["digest"], decode(path, entry["summary"])
        data = read_file(path)
    except (OSError, KeyError, TypeError, ValueError):
        return None
    digest = sha256(data)
    counterparts = None
    if entry is not None and entry.get("digest") == digest:
        try:
            counterparts = decode(path, entry["summary"])
        except (KeyError, TypeError, ValueError):
            counterparts = None
    if counterparts is None:
        counterparts = read_counterparts(path, data, match)
    if cache is not None:
        record = {
            "digest": digest,
            "stamp": stamp(info),
            "checked": checked,
            "summary": encode(counterparts),
        }
        cache.put(key, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    return digest, counterparts
