"""One process's part of a run: its state (settings table, rule sets, cache, renderer), and one
file linted through the route — or taken from the result cache — and stored there."""

from __future__ import annotations

import gc
import json
import os
import signal
import stat
import time
import zlib

from perflint import cache as result_cache
from perflint import files, reading, route
from perflint.engine import load_ruleset
from perflint.plugins.host import get_host
from perflint.runner.outcome import (
    Job,
    Outcome,
    Settings,
    from_entry,
    make_outcome,
    outcome_of,
    replaced,
)
from perflint.values import use_parser_cache

# A file with more findings than this (a row-heavy export: one finding per row) is neither
# rendered where it is linted nor stored in the cache: its rendering, or its entry, would be
# one string of hundreds of MB (the report writes it in pieces instead; see cli/report.py).
MAX_KEPT_ROWS = 20_000


class _State:
    def __init__(self):
        self.table: list[Settings] = []
        self.rulesets: dict[int, object] = {}
        self.cache = None  # perflint.cache.Cache
        self.memo = None  # its RuleMemo, made when a worker first builds a rule set
        self.renderer = None  # (key, render(path, rows, lines) -> (text, note, worst)); see run()
        self.repository = None  # perflint.repository.Index, for rules across filings


STATE = _State()


def _ruleset(index: int):
    """The rule set of settings `index`, restricted to its enabled rules (built once)."""
    ruleset = STATE.rulesets.get(index)
    if ruleset is None:
        s = STATE.table[index]
        params = {code: dict(table) for code, table in s.params}
        if STATE.memo is None and STATE.cache is not None:
            STATE.memo = STATE.cache.memo("rules.json")
        full = load_ruleset(s.profile, params or None, host=get_host(s.disabled), memo=STATE.memo)
        ruleset = STATE.rulesets[index] = full.only(s.policy.enabled)
    return ruleset


def _settings(index: int) -> route.Settings:
    """How the route lints a file of settings `index`."""
    s = STATE.table[index]
    return route.Settings(_ruleset(index), s.policy, s.encoding, repository=STATE.repository)


def _tune_gc() -> None:
    """For a worker: fewer collections (it allocates many short-lived objects and few cycles);
    objects that live as long as it (rules, taxonomy, caches) are moved out of the way."""
    gc.enable()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)


def _init_worker(table, cache_dir, rulesets_inherited: bool, repository=None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if not rulesets_inherited:
        STATE.rulesets = {}
        STATE.renderer = None  # (only a forked worker has the parent's)
        STATE.repository = repository
    STATE.table = list(table)
    if cache_dir is not None and (STATE.cache is None or str(STATE.cache.root) != str(cache_dir)):
        STATE.cache = result_cache.Cache(cache_dir)  # created by the parent; no re-preparation
        use_parser_cache(STATE.cache.directory)  # (a forked worker has the parent's setting)
    _tune_gc()


def lint_job(job: Job) -> Outcome:
    """Read, lint, select and suppress one file (or take its result from the cache)."""
    return lookup(job) or _lint(job)


def _lint_chunk(jobs: list) -> list:
    """For a worker: the outcomes of `jobs` as plain tuples, which cross a pipe far faster than
    dataclasses (pickling a frozen dataclass runs Python code per object). A rendered outcome
    with a cache entry goes as the rendering and the entry's bytes, no findings (the parent
    decodes them from the entry in the rare case it needs them; see `decoded`)."""
    out = []
    for job in jobs:
        found = _lint(job)
        if found.rendered is not None and found.entry is not None:
            out.append(
                (found.path, None, None, found.encoding, found.bom, found.rendered, found.entry)
            )
        else:
            out.append(
                (
                    found.path,
                    found.rows,
                    found.lines,
                    found.encoding,
                    found.bom,
                    found.rendered,
                    None,
                )
            )
    return out


def _cache_for(settings: Settings):
    return STATE.cache if settings.key else None


def _key(settings: Settings, path: str, enabled) -> str:
    """A file's entry key: its settings, path and selection, and, with rules across filings, the
    contents of the files it is compared with (a change there is a miss here)."""
    key = settings.key
    if STATE.repository is not None:
        key += STATE.repository.related_for(path)
    return result_cache.entry_key(
        key, path, None if enabled is settings.policy.enabled else enabled
    )


def _lint(job: Job) -> Outcome:
    """Lint one file through the route (no lookup) and store the result in the cache."""
    settings = STATE.table[job.settings]
    path = job.path
    cache = _cache_for(settings)
    checked = time.time_ns()  # before the stat and the read: see perflint.cache.trusted
    try:
        info = os.stat(path) if cache is not None else None
        data = files.read_file(path)  # a pipe, a device or a file too large: refused unread
    except OSError as error:
        return make_outcome(path, (reading.unreadable_finding(path, error),), None)
    report = route.lint_file(route.Bytes(path, data), _settings(job.settings))
    result, filing = outcome_of(report), report.filing
    if len(result.rows) > MAX_KEPT_ROWS:
        return result
    rendered = _render(result, filing)
    if cache is None:
        return result if rendered is None else replaced(result, rendered=rendered)
    header = {
        "digest": result_cache.sha256(data),
        "stamp": result_cache.stamp(info),
        "checked": checked,
        "encoding": result.encoding,
        "bom": result.bom.hex(),
    }
    lines = None if result.lines is None else sorted(result.lines.items())
    key = _key(settings, path, settings.policy.enabled_for(os.path.abspath(path)))
    packed = result_cache.pack(header, [result.rows, lines])
    if packed is None:  # not JSON (a plugin's odd finding): not stored
        return result if rendered is None else replaced(result, rendered=rendered)
    header, body = packed
    with_rendering = _rendering(header, rendered)
    if with_rendering is not None:
        header, blob = with_rendering
        cache.put(key, result_cache.repack(header, body, blob))
        rendered = (blob, rendered[1], rendered[2])  # as UTF-8, written out as it is
    else:
        cache.put(key, result_cache.repack(header, body))
    return replaced(result, rendered=rendered, entry=(key, header, body))


def _render(outcome: Outcome, filing=None) -> tuple | None:
    """The run's rendering of an outcome (see `run`), or None (no renderer; a finding whose span
    names another file, which the report shows elsewhere). A renderer that asks for it (a third
    element, true) gets the file's Filing too (None when the file could not be read)."""
    renderer = STATE.renderer
    if renderer is None or outcome.rows is None:
        return None
    for row in outcome.rows:
        if row[5][0] is not None:
            return None
    if len(renderer) > 2 and renderer[2]:
        return renderer[1](outcome.path, outcome.rows, outcome.lines, filing)
    return renderer[1](outcome.path, outcome.rows, outcome.lines)


def _rendering(header: dict, rendered: tuple | None) -> tuple[dict, bytes] | None:
    """(header, rendering bytes) to store a rendering in an entry with `header`, or None."""
    if rendered is None or STATE.renderer is None:
        return None
    text, note, worst = rendered
    try:
        blob = (
            text if type(text) is bytes else text.encode("utf-8")
        )  # (a file name that is not UTF-8 is not stored)
        crc = _crc(blob, note, worst)
    except (UnicodeEncodeError, TypeError, ValueError):
        return None
    return {
        **header,
        "render": {"key": STATE.renderer[0], "crc": crc, "note": note, "worst": worst},
    }, blob


def lookup(job: Job) -> Outcome | None:
    """The cached outcome of a job, or None (no cache, unreadable file, a miss, a corrupt entry).

    The file is not read when its `stat` is the one its entry recorded and can be trusted
    (perflint.cache.trusted); otherwise its bytes are hashed and compared with the entry's.
    """
    settings = STATE.table[job.settings]
    cache = _cache_for(settings)
    if cache is None:
        return None
    path = job.path
    try:
        info = os.stat(path)
    except OSError:
        return None  # linting it reports why
    if not stat.S_ISREG(info.st_mode):
        return None
    key = _key(settings, path, settings.policy.enabled_for(os.path.abspath(path)))
    raw = cache.get(key)
    entry = result_cache.unpack(raw) if raw is not None else None
    if entry is None:
        return None
    header, data, blob = entry
    current = result_cache.stamp(info)
    if not result_cache.trusted(header, current):
        checked = time.time_ns()
        try:
            current = result_cache.stamp(os.stat(path))
            content = files.read_file(path)
        except OSError:
            return None
        if result_cache.sha256(content) != header.get("digest"):
            return None
        if max(current[1], current[2]) < checked - result_cache.MARGIN_NS:  # trusted from now on
            header = {**header, "stamp": current, "checked": checked}
            cache.put(key, result_cache.repack(header, data, blob))
    rendered = _rendered(header, data, blob)
    if rendered is not None:
        return Outcome(path, None, None, rendered=rendered, entry=(key, header, data))
    found = from_entry(path, header, data)
    return None if found is None else replaced(found, entry=(key, header, data))


def _rendered(header: dict, data: bytes, blob: bytes) -> tuple | None:
    """The entry's rendering (text as UTF-8 bytes, note, worst) when it is in the run renderer's
    format and intact, with the body it was made from (the body is not decoded)."""
    if STATE.renderer is None or not blob:
        return None
    render = header.get("render")
    if type(render) is not dict or render.get("key") != STATE.renderer[0]:
        return None
    note, worst = render.get("note"), render.get("worst")
    if (
        render.get("crc") != _crc(blob, note, worst)
        or zlib.crc32(data) != header.get("crc")
        or type(worst) is not int
    ):
        return None
    return blob, note, worst


def _crc(blob: bytes, note, worst) -> int:
    """The CRC-32 of a rendering and what is noted with it."""
    return zlib.crc32(
        blob, zlib.crc32(json.dumps([note, worst], ensure_ascii=False).encode("utf-8"))
    )
