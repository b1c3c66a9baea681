"""Lint many files: serially or spread over processes, with the result cache.

`run(jobs, table, workers=N, cache=…)` lints each job — a file path and the index of its
`Settings` (the configuration that governs it) — and returns one `Outcome` per job, in the
order of `jobs`, whatever N is. Workers are processes (`concurrent.futures`), fed in chunks;
each builds the rule set of a configuration once (on platforms that fork, it inherits the
parent's). What crosses a process boundary is plain data: `Settings` (profile, params, disabled
plugins, the selection `Policy`, the encoding option) one way, each file's outcome as lists and
tuples of strings and numbers (the cache's encoding of findings) the other.

Cached results are looked up by the parent before any worker starts, so a warm run of an
unchanged repository starts no processes. `--fix` / `--diff` do not come here (they stay serial
in the command line).

An `Outcome` keeps the file's findings and only the source lines they point at (what the text
and SARIF formats print), not the whole text nor the Filing, so memory grows with the findings,
not with the files.
"""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass

# Files per process below which a pool does not pay for itself.
MIN_FILES_PER_WORKER = 4
MAX_CHUNK = 16
# From this many files on, the workers would look results up in the cache themselves (else the
# parent does, and starts workers only for the misses). Measured on 2 cores, 10 000 files: the
# parent's lookups were faster (5.4 s against 6.5 s warm; it decodes every result anyway), so
# this is off unless set lower.
LOOKUP_IN_WORKERS = 1 << 62


@dataclass(frozen=True)
class Settings:
    """How to lint the files of one configuration; picklable."""

    profile: str
    params: tuple  # ((code, ((name, value), …)), …)
    disabled: frozenset
    policy: object  # perflint.selection.Policy
    encoding: str | None
    key: str = ""  # the cache's settings key ("" when there is no cache)


@dataclass(frozen=True)
class Job:
    path: str
    settings: int  # index into the settings table


@dataclass(frozen=True, slots=True)
class Outcome:
    path: str
    diagnostics: tuple
    lines: tuple | None  # ((line number, text), …) the findings point at; None: not decoded
    encoding: str = "utf-8"
    bom: bytes = b""

    def source(self):
        """A SourceText holding just the lines the findings need (others are blank), or None."""
        from perflint.source import SourceText

        if self.lines is None:
            return None
        return SourceText(sparse_text(self.lines), self.encoding, self.bom)


def sparse_text(lines) -> str:
    """A text whose numbered lines are `lines` and all others empty."""
    if not lines:
        return ""
    known = dict(lines)
    return "\n".join(known.get(n, "") for n in range(1, max(known) + 1))


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# ---------------------------------------------------------------------------------------------
# per-process state


class _State:
    def __init__(self):
        self.table: list[Settings] = []
        self.rulesets: dict[int, object] = {}
        self.cache = None  # perflint.cache.Cache
        self.memo = None  # its RuleMemo, made when a worker first builds a rule set


_STATE = _State()


def _ruleset(index: int):
    ruleset = _STATE.rulesets.get(index)
    if ruleset is None:
        from perflint.engine import load_ruleset
        from perflint.plugins.host import get_host

        s = _STATE.table[index]
        params = {code: dict(table) for code, table in s.params}
        if _STATE.memo is None and _STATE.cache is not None:
            _STATE.memo = _STATE.cache.memo("rules.json")
        full = load_ruleset(s.profile, params or None, get_host(s.disabled), _STATE.memo)
        ruleset = _STATE.rulesets[index] = full.only(s.policy.enabled)
    return ruleset


def _tune_gc() -> None:
    """For a worker: fewer collections (it allocates many short-lived objects and few cycles);
    objects that live as long as it (rules, taxonomy, caches) are moved out of the way."""
    gc.enable()  # a forked worker starts with the parent's collector switched off (see _Collector)
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)


def _init_worker(table, cache_dir, rulesets_inherited: bool) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if not rulesets_inherited:
        _STATE.rulesets = {}
    _STATE.table = list(table)
    if cache_dir is not None and (_STATE.cache is None or str(_STATE.cache.root) != str(cache_dir)):
        from perflint.cache import Cache
        from perflint.values import use_parser_cache

        _STATE.cache = Cache(cache_dir)  # created by the parent; no re-preparation
        use_parser_cache(_STATE.cache.directory)  # (a forked worker has the parent's setting)
    _tune_gc()


# ---------------------------------------------------------------------------------------------
# one file


def lint_job(job: Job) -> Outcome:
    """Read, lint, select and suppress one file (or take its result from the cache)."""
    return _lint(job, False)


def _lint_encoded(job: Job) -> tuple:
    """lint_job for a worker: the outcome as plain lists and tuples, which cross a pipe far
    faster than dataclasses (pickling a frozen dataclass runs Python code per object); a cached
    result is passed on as stored, undecoded."""
    return _lint(job, True)


def _lint(job: Job, encode: bool):
    from perflint.lint import read_file, unreadable_finding

    settings = _STATE.table[job.settings]
    path = job.path
    try:
        data = read_file(path)  # a pipe, a device or a file above the limit is refused unread
    except OSError as error:
        return _encode(Outcome(path, (unreadable_finding(path, error),), None), encode)
    enabled = settings.policy.enabled_for(os.path.abspath(path))
    key = _key(job, settings, data, enabled)
    if key is not None:
        hit = _cached(key, path, decode=not encode)
        if hit is not None:
            return hit
    outcome = _lint_data(path, data, settings, _ruleset(job.settings), enabled)
    diagnostics = None
    if key is not None:
        from perflint.cache import encode_diagnostics

        diagnostics = encode_diagnostics(outcome.diagnostics, path)
        _STATE.cache.put(key, {
            "diagnostics": diagnostics,
            "lines": outcome.lines,
            "encoding": outcome.encoding,
            "bom": outcome.bom.hex(),
        })  # fmt: skip
    return _encode(outcome, encode, diagnostics)


def _encode(outcome: Outcome, encode: bool, diagnostics=None):
    if not encode:
        return outcome
    from perflint.cache import encode_diagnostics

    if diagnostics is None:
        diagnostics = encode_diagnostics(outcome.diagnostics, outcome.path)
    return outcome.path, diagnostics, outcome.lines, outcome.encoding, outcome.bom


def _decode(encoded: tuple) -> Outcome:
    """An Outcome from `_lint_encoded`; ValueError (or another error) for a malformed one."""
    from perflint.cache import decode_diagnostics

    path, diagnostics, lines, encoding, bom = encoded
    return Outcome(path, decode_diagnostics(diagnostics, path), lines, encoding, bom)


_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def _key(job: Job, settings: Settings, data: bytes, enabled) -> str | None:
    if _STATE.cache is None or not settings.key:
        return None
    from perflint.cache import entry_key, sha256

    return entry_key(settings.key, job.path, None if enabled is settings.policy.enabled else enabled, sha256(data))


def _cached(key: str, path: str, decode: bool = True):
    """The stored outcome for `key` (an Outcome, or with decode=False its encoded tuple), or None
    (missing or corrupt: a miss)."""
    from perflint.cache import decode_diagnostics

    entry = _STATE.cache.get(key)
    if not isinstance(entry, dict):
        return None
    try:
        lines = entry["lines"]
        lines = None if lines is None else tuple((int(n), str(t)) for n, t in lines)
        encoding, bom, diagnostics = str(entry["encoding"]), bytes.fromhex(entry["bom"]), entry["diagnostics"]
        if not decode:
            return (path, diagnostics, lines, encoding, bom) if isinstance(diagnostics, list) else None
        return Outcome(path, decode_diagnostics(diagnostics, path), lines, encoding, bom)
    except _MALFORMED:
        return None


def lookup(job: Job) -> Outcome | None:
    """The cached outcome of a job, or None (no cache, unreadable file, a miss)."""
    settings = _STATE.table[job.settings]
    if _STATE.cache is None or not settings.key:
        return None
    from perflint.lint import read_file

    try:
        data = read_file(job.path)
    except OSError:
        return None  # linting it reports why
    key = _key(job, settings, data, settings.policy.enabled_for(os.path.abspath(job.path)))
    return _cached(key, job.path) if key is not None else None


def _lint_data(path: str, data: bytes, settings: Settings, ruleset, enabled) -> Outcome:
    from perflint.lint import decode_finding
    from perflint.source import DecodeError, decode

    try:
        source = decode(data, settings.encoding)
    except DecodeError as error:
        return Outcome(path, (decode_finding(path, error),), None)
    found = findings(path, source, ruleset, settings.policy, enabled)
    return Outcome(path, tuple(found), needed_lines(source.text, found), source.encoding, source.bom)


def findings(path, source, ruleset, policy, enabled) -> list:
    """One text's findings: read, check, select, suppress."""
    from perflint.lint import lint_source
    from perflint.suppress import apply_suppressions

    result = lint_source(path, source, ruleset)
    found = policy.apply(result.diagnostics, enabled)
    suppressions = result.filing.suppressions if result.filing is not None else ()
    if suppressions:
        found = policy.apply(apply_suppressions(found, suppressions, source.text, enabled, policy.known), enabled)
    return found


def needed_lines(text: str, diagnostics) -> tuple:
    """(number, text) of the lines the diagnostics start and end on."""
    numbers = set()
    for d in diagnostics:
        numbers.add(d.span.line)
        numbers.add(d.span.end_line)
    if not numbers:
        return ()
    from perflint.source import split_lines

    lines = split_lines(text)
    return tuple((n, lines[n - 1]) for n in sorted(numbers) if 0 < n <= len(lines))


# ---------------------------------------------------------------------------------------------
# many files


def run(jobs, table, workers: int = 1, cache=None, rulesets=None, progress: bool = False) -> list[Outcome]:
    """Lint `jobs` ([Job]) under `table` ([Settings]); outcomes in the order of `jobs`.

    Cached results are looked up here first; only the misses are linted, by `workers`
    processes when there are enough of them. `rulesets` ({settings index: RuleSet}) are the
    parent's, built already; workers that fork inherit them, others build their own. `cache` is
    a `perflint.cache.Cache` or None.
    """
    jobs = list(jobs)
    _STATE.table = list(table)
    _STATE.rulesets = dict(rulesets or {})
    _STATE.cache = cache
    _STATE.memo = None
    bar = _progress_bar(len(jobs)) if progress else None
    outcomes: list = [None] * len(jobs)
    collector = _Collector()
    try:
        todo = []
        pool = workers > 1 and len(jobs) >= workers * MIN_FILES_PER_WORKER
        look = cache is not None and not (pool and len(jobs) >= LOOKUP_IN_WORKERS)
        for index, job in enumerate(jobs):
            hit = lookup(job) if look else None
            if hit is None:
                todo.append(index)
            else:
                outcomes[index] = hit
                collector.step()
                if bar is not None:
                    bar.update(1)
        if workers > 1 and len(todo) >= workers * MIN_FILES_PER_WORKER:
            done = _parallel([jobs[i] for i in todo], table, min(workers, len(todo)), cache, bar)
        else:
            done = (_tick(bar, lint_job(jobs[i])) for i in todo)
        for index, outcome in zip(todo, done):
            outcomes[index] = outcome
            collector.step()
        return outcomes
    finally:
        collector.close()
        if bar is not None:
            bar.close()


class _Collector:
    """The cyclic garbage collector, tamed for a run that keeps every file's findings.

    Automatic collection scans the growing pile of findings again and again; a run makes
    almost no cyclic garbage (about two objects a file). So automatic collection is off, and
    every STEP files the objects made since the last time are collected once and then frozen
    (moved where no later collection looks). Each object is scanned once.
    """

    STEP = 256

    def __init__(self):
        self.enabled = gc.isenabled()
        self.count = 0
        gc.disable()
        gc.collect()
        gc.freeze()

    def step(self) -> None:
        self.count += 1
        if self.count % self.STEP == 0:
            gc.collect(1)
            gc.freeze()

    def close(self) -> None:
        gc.collect(1)
        gc.unfreeze()
        if self.enabled:
            gc.enable()


def _tick(bar, outcome):
    if bar is not None:
        bar.update(1)
    return outcome


def _parallel(jobs, table, workers: int, cache, bar):
    """Outcomes of `jobs`, in order, from a pool of `workers` processes (a generator)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    fork = "fork" in methods and sys.platform != "darwin"  # macOS: fork is unsafe with system libraries
    context = multiprocessing.get_context("fork" if fork else None)
    chunk = max(1, min(MAX_CHUNK, len(jobs) // (workers * 8)))
    cache_dir = str(cache.root) if cache is not None else None
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(table, cache_dir, fork)
    )
    try:
        for job, encoded in zip(jobs, executor.map(_lint_encoded, jobs, chunksize=chunk)):
            try:
                outcome = _decode(encoded)
            except _MALFORMED:  # a corrupt cache entry that looked whole: lint the file here
                outcome = lint_job(job)
            yield _tick(bar, outcome)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _progress_bar(total: int):
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety
        return None
    return tqdm(total=total, file=sys.stderr, unit="file", leave=False, dynamic_ncols=True, mininterval=0.2)
