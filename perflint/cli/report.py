"""The streamed report of `perflint check`: each file's findings are formatted and written as
soon as the file (and every one before it) is done, then forgotten, so memory stays flat."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from itertools import count

from perflint.cache_rows import decode_diagnostics
from perflint.cli.output import Output, say
from perflint.formats import Sources
from perflint.formats.json_format import format_statistics_json, stream_statistics_json_rows
from perflint.formats.text import format_statistics, stream_statistics_rows
from perflint.runner import decoded

RANK = {"info": 0, "warning": 1, "error": 2}
PIECE_ROWS = 2000  # findings of one file formatted at a time (memory: see check_written)


def statistics(name: str):
    """The --statistics formatter of a format (json, else text) for the whole list."""
    return format_statistics_json if name == "json" else format_statistics


def nothing_checked(lang: str, skipped) -> None:
    """Say that a run found no file to check, and what it skipped and why (never a "pass")."""
    total = sum(skipped.values())
    zh = "没有检查任何文件"
    en = "no files were checked"
    if total:
        reasons = sorted(skipped.items(), key=lambda item: -item[1])
        zh += f"，跳过 {total} 个文件：" + "；".join(f"{r[0]}（{n} 个）" for r, n in reasons)
        en += f"; skipped {total}: " + "; ".join(f"{r[1]} ({n})" for r, n in reasons)
    else:
        zh += "，没有找到目标文件（.yaml、.yml、.txt）"
        en += "; no goal files found (.yaml, .yml, .txt)"
    say(lang, zh, en, "warning")


def check(run, top, items) -> int:
    """Lint and report, streaming: each file's findings are formatted and written as soon
    as the file (and every one before it) is done, then forgotten. Formatters that take
    the whole list (SARIF, plugins without `stream`) get it at the end (see report)."""
    args = run.args
    name = args.format or top.get("output-format", "text")
    formatter = run.formatter(name, top)
    writer = None
    if args.statistics:
        write = stream_statistics_json_rows if name == "json" else stream_statistics_rows
    else:
        write = getattr(formatter, "stream_rows", None)
        stream = getattr(formatter, "stream", None)
        if write is None and callable(stream):
            write = _diagnostic_stream(stream)
        writer = getattr(formatter, "writer", None)  # a built-in FileWriter
    if write is None:
        results, sources = run.lint_all(items)
        return run.report(top, items, results, sources)
    plan = run.plan(items)  # configuration errors come before the output is opened
    sources = Sources()
    options = run.options(top, items, sources)
    fail = run.fail_rank(top)
    if writer is not None:
        return check_written(run, items, plan, writer()(options), sources, fail)
    failed = False

    def batches():
        nonlocal failed
        for path, rows, _ in _batches(run.outcomes(items, plan=plan), sources):
            if not failed and fail is not None:
                failed = any(RANK.get(row[2], 2) >= fail for row in rows)
            yield path, rows

    feed = batches()
    with Output(args.output_file) as output:
        for text in write(feed, options):
            output.write(text)
        for _ in feed:  # a formatter that stopped reading early: the exit status needs them all
            pass
    return 1 if failed else 0


def check_written(run, items, plan, writer, sources, fail) -> int:
    """check() with a built-in format (a FileWriter): a file's text comes from its cache entry
    when it was linted by a run in the same format (which kept it there), else from the
    writer — in the worker that lints the file, or here."""

    def render(path, rows, lines, *filing):
        sources.clear()
        if lines is not None:
            sources.set_lines(path, lines)
        text, note = writer.file(path, rows, *filing)
        return text, note, max((RANK.get(row[2], 2) for row in rows), default=-1)

    # a writer that shows the table as filed renders where the Filing is (the worker), cache or not
    renderer = (
        (writer.key, render, True)
        if writer.needs_filing
        else (writer.key, render)
        if run.cache is not None
        else None
    )
    failed = False
    with Output(run.args.output_file) as output:
        for path, rows, single in _batches(
            run.outcomes(items, plan=plan, renderer=renderer), sources, True
        ):
            if rows is None:  # rendered already
                text, note, worst = single.rendered
                if type(text) is bytes:  # from the cache
                    output.write_bytes(writer.take_bytes(text, note))
                else:
                    output.write(writer.take(text, note))
            else:
                worst = max((RANK.get(row[2], 2) for row in rows), default=-1)
                for start in range(0, len(rows), PIECE_ROWS):  # a row-heavy file: in pieces
                    text, note = writer.file(
                        path,
                        rows[start : start + PIECE_ROWS] if len(rows) > PIECE_ROWS else rows,
                    )
                    output.write(writer.take(text, note))
                    del text
                if not rows:
                    output.write(writer.take(*writer.file(path, rows)))
            failed = failed or (fail is not None and worst >= fail)
        tail = writer.end()
        for piece in (tail,) if isinstance(tail, (str, bytes)) else tail:
            if type(piece) is bytes:
                output.write_bytes(piece)
            else:
                output.write(piece)
    return 1 if failed else 0


def _batches(outcomes, sources, rendered: bool = False):
    """(path, rows, single) batches for a formatter from `outcomes` ((Outcome, text) in path
    order): consecutive outcomes of one path form one batch, sorted as the report sorts;
    `sources` is set to the batch's lines before it is handed over. `single` is the outcome when
    the batch is all of one outcome's findings and nothing else, else None. With `rendered`, a
    single outcome that comes rendered (Outcome.rendered) is handed over as it is, rows None.

    A finding whose span names another file than the one linted (only a plugin could make one)
    waits in a heap for its file's turn; if that file was reported already it comes next."""
    pending: list = []  # (path, line, col, code, end_line, end_col, n, row) of such findings
    serial = count()

    def take(path, group):
        rows, foreign = [], False
        for outcome, _ in group:
            for row in outcome.rows:
                if row[5][0] is None or row[5][0] == path:
                    rows.append(row)
                else:
                    foreign = True
        if foreign:
            for outcome, _ in group:
                for row in outcome.rows:
                    p = row[5][0]
                    if p is not None and p != path:
                        s = row[5]
                        heapq.heappush(
                            pending, (p, s[1], s[2], row[0], s[3], s[4], next(serial), row)
                        )
        return rows, foreign

    def overdue(before):
        """Batches of pending findings of paths before `before` (None: all)."""
        while pending and (before is None or pending[0][0] < before):
            path = pending[0][0]
            rows = []
            while pending and pending[0][0] == path:
                rows.append(heapq.heappop(pending)[-1])
            sources.clear()
            yield path, rows, None

    def batch(path, group):
        if (
            rendered
            and len(group) == 1
            and group[0][0].rendered is not None
            and not (pending and pending[0][0] <= path)
        ):
            yield group[0][0].path, None, group[0][0]
            return
        group = [(decoded(outcome), text) for outcome, text in group]
        rows, foreign = take(path, group)
        yield from overdue(path)
        merged = False
        while pending and pending[0][0] == path:
            rows.append(heapq.heappop(pending)[-1])
            merged = True
        if len(group) > 1 or merged:
            rows.sort(key=lambda r: (r[5][1], r[5][2], r[0], r[5][3], r[5][4]))
        sources.clear()
        for outcome, text in group:
            if outcome.lines is not None:
                sources.set_lines(path, outcome.lines)
            elif text is not None:
                sources.set_text(path, text)
        yield path, rows, (group[0][0] if len(group) == 1 and not foreign and not merged else None)

    group: list = []
    for outcome in outcomes:
        if group and outcome[0].path != group[0][0].path:
            yield from batch(group[0][0].path, group)
            group = []
        group.append(outcome)
    if group:
        yield from batch(group[0][0].path, group)
    yield from overdue(None)


def _diagnostic_stream(stream):
    """A formatter's `stream` (batches of diagnostics) fed (path, rows) batches."""

    def write(batches, options):
        return stream((_Decoded(rows, path) for path, rows in batches), options)

    return write


class _Decoded(Sequence):
    """One batch of findings in the cache's encoding as a sequence of Diagnostics, each decoded
    when it is reached (a file with 100 000 findings is not a second list of 100 000 objects)."""

    __slots__ = ("rows", "path")

    def __init__(self, rows: list, path):
        self.rows, self.path = rows, path

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return decode_diagnostics(self.rows[index], self.path)
        return decode_diagnostics([self.rows[index]], self.path)[0]

    def __iter__(self):
        rows, path = self.rows, self.path
        for start in range(0, len(rows), 1000):
            yield from decode_diagnostics(rows[start : start + 1000], path)
