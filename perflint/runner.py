"""Lint many files: serially or spread over processes, with the result cache.

`run(jobs, table, workers=N, cache=…)` lints each job — a file path and the index of its
`Settings` (the configuration that governs it) — and yields one `Outcome` per job, in the order
of `jobs`, whatever N is: as soon as a job and every job before it are done. So a caller can
report a file's findings and forget them; memory does not grow with the number of files.

The parent looks each job up in the cache as it goes (a hit costs a `stat` of the file and the
read of its entry; see perflint/cache.py); the misses are linted by the parent itself, or — once
there are enough of them to pay for starting processes — by a pool of `workers` processes
(`concurrent.futures`), fed in chunks. The parent looks at most `WINDOW` jobs ahead of the one it
reports, so what it holds is bounded. A warm run of an unchanged repository starts no processes.
Each worker builds the rule set of a configuration once (on platforms that fork, it inherits
the parent's). What crosses a process boundary is plain data: `Settings` (profile, params,
disabled plugins, the selection `Policy`, the encoding option) one way, each file's outcome as
lists and tuples of strings and numbers (the cache's encoding of findings) the other.
`--fix` / `--diff` do not come here (they stay serial in the command line).

An `Outcome` keeps the file's findings in that encoding (formatters can print them without
building `Diagnostic` objects; `Outcome.diagnostics` builds them) and only the source lines
they point at (what the text and SARIF formats print), not the whole text nor the Filing.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import deque
from dataclasses import dataclass

# Files per process below which a pool does not pay for itself.
MIN_FILES_PER_WORKER = 4
MAX_CHUNK = 16
# How many jobs the parent looks up ahead of the one it reports: the outcomes it may hold.
WINDOW = 512
# A file with more findings than this (a row-heavy export: one finding per row) is neither
# rendered where it is linted nor stored in the cache: its rendering, or its entry, would be
# one string of hundreds of MB (the report writes it in pieces instead; see cli.check_written).
MAX_KEPT_ROWS = 20_000
# From this many files on, the workers would look results up in the cache themselves (else the
# parent does, and starts workers only for the misses). Measured on 2 cores, 10 000 files, warm:
# 1.4 s with the parent's lookups, 2.5 s with the workers' (a hit costs the parent about as
# much to receive from a worker as to read itself), so this is off unless set lower.
LOOKUP_IN_WORKERS = 1 << 62


@dataclass(frozen=True)
class Settings:
    """How to lint the files of one configuration; picklable."""

    profile: str
    params: tuple  # ((code, ((name, value), …)), …)
    disabled: frozenset
    policy: object  # perflint.engine.selection.Policy
    encoding: str | None
    key: str = ""  # the cache's settings key ("" when there is no cache)


@dataclass(frozen=True)
class Job:
    path: str
    settings: int  # index into the settings table


@dataclass(frozen=True, slots=True)
class Outcome:
    """One file's findings and what printing them needs."""

    path: str
    # the findings as `perflint.cache.encode_diagnostics(…, path)` encodes them (a span's path
    # is None when it is `path`), sorted by `Diagnostic.sort_key`; None when the outcome is
    # `rendered` and was not decoded (see `decoded`)
    rows: list | None
    lines: dict | None  # {line number: text} of the lines the findings point at; None: not decoded
    encoding: str = "utf-8"
    bom: bytes = b""
    # (text, note, worst) of the run's renderer for this file (see `run`; text as UTF-8 bytes
    # when it comes from the cache), or None
    rendered: tuple | None = None
    # (key, header, body) of the file's cache entry, to decode the findings from (see `decoded`)
    entry: tuple | None = None

    @property
    def diagnostics(self) -> tuple:
        from perflint.cache import decode_diagnostics

        return decode_diagnostics(self.rows, self.path)

    def source(self):
        """A SourceText holding just the lines the findings need (others are blank), or None."""
        from perflint.source import SourceText

        if self.lines is None:
            return None
        return SourceText(sparse_text(self.lines), self.encoding, self.bom)


def sparse_text(lines) -> str:
    """A text whose numbered lines are `lines` ({number: text} or pairs) and all others empty."""
    if not lines:
        return ""
    known = dict(lines)
    return "\n".join(known.get(n, "") for n in range(1, max(known) + 1))


def make_outcome(
    path: str, diagnostics, lines: dict | None, encoding: str = "utf-8", bom: bytes = b""
) -> Outcome:
    """An Outcome of diagnostics (sorted here, as the report sorts them)."""
    from perflint.cache import encode_diagnostics
    from perflint.diagnostics import Diagnostic

    rows = encode_diagnostics(sorted(diagnostics, key=Diagnostic.sort_key), path)
    return Outcome(path, rows, lines, encoding, bom)


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
        self.renderer = None  # (key, render(path, rows, lines) -> (text, note, worst)); see run()
        self.repository = None  # perflint.repository.Index, for rules across filings


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
        full = load_ruleset(s.profile, params or None, host=get_host(s.disabled), memo=_STATE.memo)
        ruleset = _STATE.rulesets[index] = full.only(s.policy.enabled)
    return ruleset


def _tune_gc() -> None:
    """For a worker: fewer collections (it allocates many short-lived objects and few cycles);
    objects that live as long as it (rules, taxonomy, caches) are moved out of the way."""
    gc.enable()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)


def _init_worker(table, cache_dir, rulesets_inherited: bool, repository=None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if not rulesets_inherited:
        _STATE.rulesets = {}
        _STATE.renderer = None  # (only a forked worker has the parent's)
        _STATE.repository = repository
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
    return lookup(job) or _lint(job)


def _lint_chunk(jobs: list, look: bool) -> list:
    """For a worker: the outcomes of `jobs` as plain tuples, which cross a pipe far faster than
    dataclasses (pickling a frozen dataclass runs Python code per object). A rendered outcome
    with a cache entry goes as the rendering and the entry's bytes, no findings (the parent
    decodes them from the entry in the rare case it needs them; see `decoded`)."""
    out = []
    for job in jobs:
        found = lookup(job) if look else None
        if found is None:
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
    return _STATE.cache if settings.key else None


def _key(settings: Settings, path: str, enabled) -> str:
    """A file's entry key: its settings, path and selection, and, with rules across filings, the
    contents of the files it is compared with (a change there is a miss here)."""
    from perflint.cache import entry_key

    key = settings.key
    if _STATE.repository is not None:
        key += _STATE.repository.related_for(path)
    return entry_key(key, path, None if enabled is settings.policy.enabled else enabled)


def _lint(job: Job) -> Outcome:
    """Lint one file (no lookup) and store the result in the cache."""
    from perflint.lint import read_file, unreadable_finding

    settings = _STATE.table[job.settings]
    path = job.path
    cache = _cache_for(settings)
    checked = time.time_ns()  # before the stat and the read: see perflint.cache.trusted
    try:
        info = os.stat(path) if cache is not None else None
        data = read_file(path)  # a pipe, a device or a file above the limit is refused unread
    except OSError as error:
        return make_outcome(path, (unreadable_finding(path, error),), None)
    enabled = settings.policy.enabled_for(os.path.abspath(path))
    result, filing = _lint_data(path, data, settings, _ruleset(job.settings), enabled)
    if len(result.rows) > MAX_KEPT_ROWS:
        return result
    rendered = _render(result, filing)
    if cache is None:
        return result if rendered is None else _replace(result, rendered=rendered)
    from perflint.cache import pack, repack, sha256, stamp

    header = {
        "digest": sha256(data),
        "stamp": stamp(info),
        "checked": checked,
        "encoding": result.encoding,
        "bom": result.bom.hex(),
    }
    lines = None if result.lines is None else sorted(result.lines.items())
    key = _key(settings, path, enabled)
    packed = pack(header, [result.rows, lines])
    if packed is None:  # not JSON (a plugin's odd finding): not stored
        return result if rendered is None else _replace(result, rendered=rendered)
    header, body = packed
    with_rendering = _rendering(header, rendered)
    if with_rendering is not None:
        header, blob = with_rendering
        cache.put(key, repack(header, body, blob))
        rendered = (blob, rendered[1], rendered[2])  # as UTF-8, written out as it is
    else:
        cache.put(key, repack(header, body))
    return _replace(result, rendered=rendered, entry=(key, header, body))


def _replace(outcome: Outcome, **changes) -> Outcome:
    from dataclasses import replace

    return replace(outcome, **changes)


def _render(outcome: Outcome, filing=None) -> tuple | None:
    """The run's rendering of an outcome (see `run`), or None (no renderer; a finding whose span
    names another file, which the report shows elsewhere). A renderer that asks for it (a third
    element, true) gets the file's Filing too (None when the file could not be read)."""
    renderer = _STATE.renderer
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
    if rendered is None or _STATE.renderer is None:
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
        "render": {"key": _STATE.renderer[0], "crc": crc, "note": note, "worst": worst},
    }, blob


def decoded(outcome: Outcome) -> Outcome:
    """An outcome with its findings decoded (a rendered one from the cache may have none yet)."""
    if outcome.rows is not None or outcome.entry is None:
        return outcome
    found = _from_entry(outcome.path, outcome.entry[1], outcome.entry[2])
    return (
        _replace(found, rendered=outcome.rendered, entry=outcome.entry)
        if found is not None
        else _replace(outcome, rows=[])
    )


def lookup(job: Job) -> Outcome | None:
    """The cached outcome of a job, or None (no cache, unreadable file, a miss, a corrupt entry).

    The file is not read when its `stat` is the one its entry recorded and can be trusted
    (perflint.cache.trusted); otherwise its bytes are hashed and compared with the entry's.
    """
    settings = _STATE.table[job.settings]
    cache = _cache_for(settings)
    if cache is None:
        return None
    import stat as stat_module

    from perflint.cache import MARGIN_NS, repack, sha256, stamp, trusted, unpack

    path = job.path
    try:
        info = os.stat(path)
    except OSError:
        return None  # linting it reports why
    if not stat_module.S_ISREG(info.st_mode):
        return None
    key = _key(settings, path, settings.policy.enabled_for(os.path.abspath(path)))
    raw = cache.get(key)
    entry = unpack(raw) if raw is not None else None
    if entry is None:
        return None
    header, data, blob = entry
    current = stamp(info)
    if not trusted(header, current):
        from perflint.lint import read_file

        checked = time.time_ns()
        try:
            current = stamp(os.stat(path))
            content = read_file(path)
        except OSError:
            return None
        if sha256(content) != header.get("digest"):
            return None
        if max(current[1], current[2]) < checked - MARGIN_NS:  # trusted from now on
            header = {**header, "stamp": current, "checked": checked}
            cache.put(key, repack(header, data, blob))
    rendered = _rendered(header, data, blob)
    if rendered is not None:
        return Outcome(path, None, None, rendered=rendered, entry=(key, header, data))
    found = _from_entry(path, header, data)
    return None if found is None else _replace(found, entry=(key, header, data))


def _rendered(header: dict, data: bytes, blob: bytes) -> tuple | None:
    """The entry's rendering (text as UTF-8 bytes, note, worst) when it is in the run renderer's
    format and intact, with the body it was made from (the body is not decoded)."""
    if _STATE.renderer is None or not blob:
        return None
    import zlib

    render = header.get("render")
    if type(render) is not dict or render.get("key") != _STATE.renderer[0]:
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
    import json
    import zlib

    return zlib.crc32(
        blob, zlib.crc32(json.dumps([note, worst], ensure_ascii=False).encode("utf-8"))
    )


def _from_entry(path: str, header: dict, data: bytes) -> Outcome | None:
    """The Outcome a cache entry holds, or None when it is damaged or malformed (a miss)."""
    from perflint.cache import body

    content, encoding, bom = body(header, data), header.get("encoding"), header.get("bom")
    if (
        type(content) is not list
        or len(content) != 2
        or type(encoding) is not str
        or type(bom) is not str
    ):
        return None
    rows, lines = content
    if type(rows) is not list:
        return None
    try:
        return Outcome(
            path, rows, None if lines is None else dict(lines), encoding, bytes.fromhex(bom)
        )
    except (TypeError, ValueError):
        return None


def _lint_data(path: str, data: bytes, settings: Settings, ruleset, enabled) -> tuple:
    """(Outcome, Filing or None) of a file's bytes."""
    from perflint.lint import decode_finding, is_document
    from perflint.source import DecodeError, decode

    if is_document(path, data):  # a finding shows its cell's text (its CellRef holds it): no lines
        found, filing = document_checked(path, data, ruleset, settings.policy, enabled)
        return make_outcome(path, found, None), filing
    try:
        source = decode(data, settings.encoding)
    except DecodeError as error:
        return make_outcome(path, (decode_finding(path, error),), None), None
    found, filing = checked(path, source, ruleset, settings.policy, enabled)
    return make_outcome(
        path, found, dict(needed_lines(source.text, found)), source.encoding, source.bom
    ), filing


def findings(path, source, ruleset, policy, enabled) -> list:
    """One text's findings: read, check, select, suppress."""
    return checked(path, source, ruleset, policy, enabled)[0]


def checked(path, source, ruleset, policy, enabled) -> tuple:
    """(findings, Filing or None) of one text: read, check, select, suppress."""
    from perflint.engine.suppress import apply_suppressions
    from perflint.lint import lint_source

    result = lint_source(path, source, ruleset)
    found = policy.apply(_with_repository(result, path, ruleset), enabled)
    suppressions = result.filing.suppressions if result.filing is not None else ()
    if suppressions:
        found = policy.apply(
            apply_suppressions(found, suppressions, source.text, enabled, policy.known), enabled
        )
    return found, result.filing


def document_findings(path, data: bytes, ruleset, policy, enabled) -> list:
    """A Word / Excel file's findings: read, check, select (documents hold no suppression comments)."""
    return document_checked(path, data, ruleset, policy, enabled)[0]


def document_checked(path, data: bytes, ruleset, policy, enabled) -> tuple:
    """(findings, Filing or None) of a Word / Excel file."""
    from perflint.lint import lint_document

    result = lint_document(path, data, ruleset)
    return policy.apply(_with_repository(result, path, ruleset), enabled), result.filing


def _with_repository(result, path: str, ruleset) -> tuple:
    """A FileResult's findings and, when the run compares filings, the rules across filings'."""
    if _STATE.repository is None or result.filing is None:
        return result.diagnostics
    from perflint.engine.repository_checks import check_repository

    return (*result.diagnostics, *check_repository(result.filing, path, _STATE.repository, ruleset))


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


def run(
    jobs,
    table,
    workers: int = 1,
    cache=None,
    rulesets=None,
    progress: bool = False,
    renderer=None,
    repository=None,
):
    """Lint `jobs` ([Job]) under `table` ([Settings]); yields their outcomes in the order of `jobs`.

    Cached results are looked up here, in the parent; only the misses are linted, by `workers`
    processes when there are enough of them. `rulesets` ({settings index: RuleSet}) are the
    parent's, built already; workers that fork inherit them, others build their own. `cache` is
    a `perflint.cache.Cache` or None. Close the generator (or exhaust it) to stop the workers.
    `repository`: the perflint.repository.Index that rules across filings compare with (None:
    they do not run).

    `renderer`: (key, render(path, rows, lines) -> (text, note, worst)), how the report prints a
    file (with a third element, true: render(path, rows, lines, filing), for a report that shows
    the table as filed) (a `perflint.formats.FileWriter`'s key and file()). A linted file is rendered where it
    is linted (in a worker that forked) and the rendering kept in its cache entry with the key,
    in the one write that stores the entry; a later run with the same key takes it from there
    (`Outcome.rendered`, the findings not decoded) instead of formatting the file again. A run
    with another key formats the findings and leaves the entries as they are (rewriting every
    entry would cost more than it saves: on the VM this was measured on, 10 000 rewrites took
    5 s against 0.6 s for formatting them).
    """
    jobs = list(jobs)
    _STATE.table = list(table)
    _STATE.rulesets = dict(rulesets or {})
    _STATE.cache = cache
    _STATE.memo = None
    _STATE.renderer = renderer
    _STATE.repository = repository
    bar = _progress_bar(len(jobs)) if progress else None
    pool = None
    if workers > 1 and len(jobs) >= workers * MIN_FILES_PER_WORKER:
        pool = _Pool(
            table,
            workers,
            cache,
            len(jobs),
            look=cache is not None and len(jobs) >= LOOKUP_IN_WORKERS,
        )
    try:
        if pool is None:
            for job in jobs:
                yield _tick(bar, lint_job(job))
        else:
            yield from _ordered(jobs, pool, bar)
    finally:  # done, an error, Ctrl-C, or the caller closed the generator early
        if pool is not None:
            pool.close()
        if bar is not None:
            bar.close()


class _Slot:
    __slots__ = ("job", "outcome", "ticket")

    def __init__(self, job: Job, outcome: Outcome | None):
        self.job, self.outcome, self.ticket = job, outcome, None


def _ordered(jobs, pool: _Pool, bar):
    """Outcomes in job order: hits from the parent's lookups, misses from the pool (or, while
    there are too few of them to start it, from the parent)."""
    window: deque[_Slot] = deque()
    unsent: deque[_Slot] = deque()  # misses not given to the pool yet
    look = _STATE.cache is not None and not pool.look
    for job in jobs:
        slot = _Slot(job, lookup(job) if look else None)
        window.append(slot)
        if slot.outcome is None:
            unsent.append(slot)
            pool.wanted += 1
            if pool.started or pool.wanted >= pool.threshold:
                while len(unsent) >= pool.chunk:
                    pool.submit([unsent.popleft() for _ in range(pool.chunk)])
        while window and (window[0].outcome is not None or len(window) >= WINDOW):
            yield _tick(bar, _resolve(window.popleft(), pool, unsent))
    if pool.started or pool.wanted >= pool.threshold:
        while unsent:
            pool.submit([unsent.popleft() for _ in range(min(pool.chunk, len(unsent)))])
    while window:
        yield _tick(bar, _resolve(window.popleft(), pool, unsent))


def _resolve(slot: _Slot, pool: _Pool, unsent: deque) -> Outcome:
    """The outcome of the oldest job: known, awaited from the pool, or linted here."""
    if slot.outcome is not None:
        return slot.outcome
    if slot.ticket is None:
        if not pool.started:  # too few misses so far for processes: lint it here
            unsent.remove(slot)
            return lint_job(slot.job) if pool.look else _lint(slot.job)
        batch = []
        while unsent and len(batch) < pool.chunk:  # its chunk is still filling: send it as it is
            batch.append(unsent.popleft())
        pool.submit(batch)
    future, index = slot.ticket
    encoded = future.result()[index]
    return Outcome(*encoded)


class _Pool:
    """Worker processes, started at the first chunk."""

    def __init__(self, table, workers: int, cache, jobs: int, look: bool):
        self.table, self.workers, self.cache, self.look = table, workers, cache, look
        self.threshold = workers * MIN_FILES_PER_WORKER
        self.chunk = max(1, min(MAX_CHUNK, jobs // (workers * 8)))
        self.wanted = 0  # misses seen
        self.executor = None

    @property
    def started(self) -> bool:
        return self.executor is not None

    def submit(self, slots: list) -> None:
        if self.executor is None:
            self.executor = self._start()
        future = self.executor.submit(_lint_chunk, [s.job for s in slots], self.look)
        for index, slot in enumerate(slots):
            slot.ticket = (future, index)

    def _start(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        fork = (
            "fork" in methods and sys.platform != "darwin"
        )  # macOS: fork is unsafe with system libraries
        context = multiprocessing.get_context("fork" if fork else None)
        cache_dir = str(self.cache.root) if self.cache is not None else None
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=_init_worker,
            initargs=(self.table, cache_dir, fork, None if fork else _STATE.repository),
        )  # fmt: skip

    def close(self) -> None:
        """Stop the workers: chunks not started are dropped, running ones (at most MAX_CHUNK
        files each) are waited for (not waiting leaves the executor's wake-up pipe to a
        complaint at exit)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def _tick(bar, outcome):
    if bar is not None:
        bar.update(1)
    return outcome


def _progress_bar(total: int):
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety
        return None
    return tqdm(
        total=total, file=sys.stderr, unit="file", leave=False, dynamic_ncols=True, mininterval=0.2
    )
