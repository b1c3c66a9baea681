"""Lint many files: serially or spread over processes, with the result cache.

`run(jobs, table, workers=N, cache=…)` yields one `Outcome` per job in the order of `jobs`,
whatever N is, as soon as a job and every job before it are done: memory does not grow with the
number of files. The parent looks jobs up in the cache; the misses are linted through the route
by the parent or, when there are enough of them, by worker processes (runner/worker.py). What
crosses a process boundary is plain data (runner/outcome.py). In full: docs/architecture.md.
"""

from __future__ import annotations

import os
import sys
from collections import deque

from perflint.runner.outcome import Job, Outcome, Settings, decoded, make_outcome
from perflint.runner.worker import STATE, _init_worker, _lint, _lint_chunk, lint_job, lookup

__all__ = ["Job", "Outcome", "Settings", "cpu_count", "decoded", "make_outcome", "run"]

# Files per process below which a pool does not pay for itself.
MIN_FILES_PER_WORKER = 4
MAX_CHUNK = 16
# How many jobs the parent looks up ahead of the one it reports: the outcomes it may hold.
WINDOW = 512


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


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
    STATE.table = list(table)
    STATE.rulesets = dict(rulesets or {})
    STATE.cache = cache
    STATE.memo = None
    STATE.renderer = renderer
    STATE.repository = repository
    bar = _progress_bar(len(jobs)) if progress else None
    pool = None
    if workers > 1 and len(jobs) >= workers * MIN_FILES_PER_WORKER:
        pool = _Pool(table, workers, cache, len(jobs))
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
    look = STATE.cache is not None
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
            return _lint(slot.job)
        batch = []
        while unsent and len(batch) < pool.chunk:  # its chunk is still filling: send it as it is
            batch.append(unsent.popleft())
        pool.submit(batch)
    future, index = slot.ticket
    encoded = future.result()[index]
    return Outcome(*encoded)


class _Pool:
    """Worker processes, started at the first chunk."""

    def __init__(self, table, workers: int, cache, jobs: int):
        self.table, self.workers, self.cache = table, workers, cache
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
        future = self.executor.submit(_lint_chunk, [s.job for s in slots])
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
            initargs=(self.table, cache_dir, fork, None if fork else STATE.repository),
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
