"""The streamed report: findings are written file by file as they are found, and the bytes are
those of the whole-list formatters; the runner yields outcomes in job order; --output-file is
never half-written. No timing or memory assertions (bench/ measures those)."""

from __future__ import annotations

import collections
import json
import os
import time
from pathlib import Path

import pytest
from helpers import REPO, count_calls, entry_payload, run, write_corpus, write_entry

from perflint import cli
from perflint.cli.args import parse_args
from perflint.cli.check import CheckRun
from perflint.diagnostics import Diagnostic, Edit, Fix, Message
from perflint.formats import (
    FormatOptions,
    Sources,
    batches_of,
    builtin_formatters,
    line_text,
    streaming,
)
from perflint.formats import text as text_format
from perflint.formats.json_format import diagnostic_object, format_json
from perflint.model import Span


@pytest.fixture(autouse=True)
def own_cache(monkeypatch):
    monkeypatch.delenv("PERFLINT_CACHE_DIR", raising=False)


@pytest.fixture
def files(tmp_path):
    """15 generated filings as goal YAML and as text export (30 files) in tmp/goals."""
    write_corpus(tmp_path / "goals", 15, seed=5)
    return tmp_path


def check(cwd: Path, *args, out: str = "out.txt") -> tuple[int, str]:
    """`perflint check ARGS -o OUT` in-process: (exit status, the output's text). Rules across
    filings are off here (they read the whole repository for their index, which has its own cache
    tests in test_repository.py), so each test sees the result cache alone."""
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        code = cli.main(["check", *args, "--ignore", "PF7", "-o", out])
    finally:
        os.chdir(previous)
    return code, (cwd / out).read_text(encoding="utf-8")


# -- formatters: streamed and whole give the same bytes


class _Rule:
    def __init__(self, code):
        self.code = code

    def url(self):
        return f"https://example.org/rules/#{self.code.lower()}"


def odd_diagnostics() -> list[Diagnostic]:
    """Findings with every shape JSON and the text report can meet."""

    def span(path, line, col, end_line=None, end_col=None):
        return Span(
            path,
            line,
            col,
            line if end_line is None else end_line,
            col + 1 if end_col is None else end_col,
        )

    texts = [
        '引号"与\\反斜杠',
        "控制\x01字符\t和\n换行",
        "𠀀 beyond the BMP",
        "\u2028行分隔\u2029",
        "",
        "plain",
    ]
    out = []
    for i, text in enumerate(texts):
        edits = tuple(Edit(span("a.yaml", i + 1, 2 + k), f"{text}{k}") for k in range(i % 3))
        fix = (
            Fix("safe" if i % 2 else "unsafe", Message(f"改{text}", f"fix {text}"), edits)
            if i % 3 != 1
            else None
        )
        out.append(
            Diagnostic(
                "PF20" + str(i),
                f"name-{i}",
                ("error", "warning", "info")[i % 3],
                Message(text + "中", text),
                span("a.yaml", i + 1, 1 + i),
                fix,
            )
        )
    out.append(
        Diagnostic(
            "XX001",
            "plugin-code",
            "weird",
            Message("无规则", "no rule"),
            span("b/c.yaml", 3, 2, 5, 1),
        )
    )
    out.append(
        Diagnostic("PF401", "basis-missing", "warning", Message("甲", "a"), span("b/c.yaml", 4, 1))
    )
    out.append(
        Diagnostic(
            "PF9,9", "odd:name", "error", Message("百分%号", "100%\r\n"), span("d,e:f%.yaml", 1, 1)
        )
    )
    for line, col, end_line, end_col in (
        (4, 0, 4, 3),
        (4, 9, 4, 12),
        (4, 3, 4, 2),
        (5, 1, 5, 1),
        (6, 2, 6, 4),
        (7, 5, 9, 1),
        (12, 1, 12, 2),
    ):
        out.append(
            Diagnostic(
                "PF101",
                "edge",
                "info",
                Message("边", "edge"),
                span("b/c.yaml", line, col, end_line, end_col),
            )
        )
    return sorted(out, key=Diagnostic.sort_key)


TEXTS = {
    "a.yaml": "\n".join(f"行{n}\t内容 content {n}" for n in range(1, 9)),
    "b/c.yaml": "x\ny\nz\n全角ＡＢ\n   \n  尾随空格  \n\tx\te\u0301\n",
    "d,e:f%.yaml": "甲: 乙\n",
}


# The text report as format_text wrote it before it streamed: a finding at a time, from its
# Diagnostic (header, snippet), then the summary.


def _header_of(d: Diagnostic, options: FormatOptions) -> str:
    """The finding's first line, and its context line (部门 / 项目 / indicator) when it has one
    and the source is shown."""
    s = d.span
    if s.cell is not None:
        position = s.cell.label_en or s.cell.label if options.lang == "en" else s.cell.label
    else:
        position = f"{s.line}:{s.col}"
    first = text_format._header(
        s.path,
        position,
        d.code,
        d.severity,
        d.message.get(options.lang),
        options.color,
        options.lang,
    )
    w = d.where
    context = None
    if w is not None and options.show_source:
        context = text_format.context_line(w.fields(), options.lang)
    return first if context is None else f"{first}\n{text_format.printable(context)}"


def _snippet_of(d: Diagnostic, options: FormatOptions) -> list[str]:
    """The offending line with a caret under the span, and the fix when there is one."""
    s = d.span
    fix = None if d.fix is None else [d.fix.applicability, d.fix.message.zh, d.fix.message.en]
    span = [s.path, s.line, s.col, s.end_line, s.end_col]
    shown = (
        line_text(options, s.path, s.line)
        if s.cell is None
        else text_format.cell_line([0, 0, 0, "", "", "", s.cell.text], s.line)
    )
    return text_format._snippet(shown, span, d.severity, fix, options)


def _summary_of(diagnostics, options: FormatOptions) -> str:
    counts = collections.Counter(d.severity for d in diagnostics)
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == "safe")
    unsafe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability != "safe")
    return text_format._summary(len(diagnostics), counts, safe, unsafe, options)


def reference_text(diagnostics, options: FormatOptions) -> str:
    """The text report as format_text wrote it before it streamed (header, snippet, summary)."""
    out = []
    for d in diagnostics:
        out.append(_header_of(d, options))
        if options.show_source:
            out.extend(_snippet_of(d, options))
            out.append("")
    if not options.quiet:
        if out and out[-1] != "":
            out.append("")
        out.append(_summary_of(diagnostics, options))
    return "\n".join(out) + "\n" if out else ""


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"lang": "en", "color": True},
        {"quiet": True, "show_source": False},
        {"show_source": False},
    ],
)
def test_text_is_written_as_before(options):
    from perflint.formats.text import format_text

    diagnostics = odd_diagnostics()
    options = FormatOptions(sources=TEXTS, files_checked=2, **options)
    assert format_text(diagnostics, options) == reference_text(diagnostics, options)
    assert format_text([], options) == reference_text([], options)


def test_github_is_written_as_before():
    from perflint.formats.github import LEVELS, escape_data, escape_property, format_github

    def reference(diagnostics, options):
        lines = []
        for d in diagnostics:
            s = d.span
            props = [("file", s.path), ("line", str(s.line)), ("col", str(s.col)), ("endLine", str(s.end_line)),
                     ("endColumn", str(s.end_col)), ("title", f"{d.code} {d.name}")]  # fmt: skip
            joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
            lines.append(
                f"::{LEVELS.get(d.severity, 'warning')} {joined}::{escape_data(d.message.get(options.lang))}"
            )
        return "".join(line + "\n" for line in lines)

    for lang in ("zh", "en"):
        options = FormatOptions(lang=lang)
        assert format_github(odd_diagnostics(), options) == reference(odd_diagnostics(), options)
    assert "file=d%2Ce%3Af%25.yaml" in format_github(odd_diagnostics(), FormatOptions())


def test_json_is_written_as_json_dumps_would():
    diagnostics = odd_diagnostics()
    for lang in ("zh", "en"):
        options = FormatOptions(lang=lang, rules={"PF401": _Rule("PF401"), "PF201": _Rule("PF201")})
        whole = (
            json.dumps(
                [diagnostic_object(d, options) for d in diagnostics], ensure_ascii=False, indent=2
            )
            + "\n"
        )
        assert format_json(diagnostics, options) == whole
        assert json.loads(whole)[0]["code"] == diagnostics[0].code
    assert format_json([], FormatOptions()) == json.dumps([], indent=2) + "\n"


@pytest.mark.parametrize("name", ["text", "json", "github", "sarif"])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"lang": "en", "color": True},
        {"quiet": True},
        {"show_source": False},
        {"show_source": False, "quiet": True, "lang": "en"},
        {"fixed": 3, "files_checked": 7},
    ],
)
def test_streamed_output_is_the_whole_output(name, options):
    diagnostics = odd_diagnostics()
    texts = TEXTS
    formatter = builtin_formatters()[name]
    whole_sources = Sources()
    for path, text in texts.items():
        whole_sources.set_text(path, text)
    whole = formatter(diagnostics, FormatOptions(sources=whole_sources, **options))
    assert whole == formatter(
        diagnostics, FormatOptions(sources=texts, **options)
    )  # a plain dict too

    streamed_sources = Sources()
    streamed_options = FormatOptions(sources=streamed_sources, **options)

    def batches():  # as the command line hands them over: only the current file's text is known
        for batch in batches_of(diagnostics):
            streamed_sources.clear()
            streamed_sources.set_text(batch[0].span.path, texts[batch[0].span.path])
            yield batch

    assert "".join(formatter.stream(batches(), streamed_options)) == whole
    for empty in ([], [()]):  # no findings (no batch, or an empty one)
        assert "".join(formatter.stream(iter(empty), streamed_options)) == formatter(
            [], streamed_options
        )


def test_sources_known_by_lines_read_as_the_sparse_text():
    sources = Sources()
    sources.set_lines("a", {2: "二", 4: "四"})
    sources.set_lines("none", {})
    assert sources["a"] == "\n二\n\n四" and sources["none"] == ""
    assert [sources.line("a", n) for n in range(6)] == [None, "", "二", "", "四", None]
    assert (
        sources.line("none", 1) == ""
        and sources.line("none", 2) is None
        and sources.line("x", 1) is None
    )
    assert dict(sources) == {"a": "\n二\n\n四", "none": ""}


def test_the_streaming_helper_makes_a_whole_formatter():
    @streaming
    def codes(batches, options):
        yield "["
        for batch in batches:
            yield ",".join(d.code for d in batch) + ";"
        yield "]"

    diagnostics = odd_diagnostics()
    a = ",".join(d.code for d in diagnostics if d.span.path == "a.yaml")
    b = ",".join(d.code for d in diagnostics if d.span.path == "b/c.yaml")
    assert a == "PF200,PF201,PF202,PF203,PF204,PF205" and b.startswith("XX001,")
    assert codes(diagnostics, FormatOptions()) == f"[{a};{b};PF9,9;]"
    assert codes.stream is not None


# -- the command line


def test_every_path_gives_the_same_bytes(files):
    """-j1 and -j2, no cache, a cold and a warm cache: the same output, and the same as the
    whole-list formatters give (the report before streaming)."""
    for fmt in ("text", "json", "github", "sarif"):
        reference = run("check", "goals", "--format", fmt, "-j", "1", "--no-cache", cwd=files)
        assert reference.returncode == 1
        for args in (["-j", "2", "--no-cache"], ["-j", "2"], ["-j", "2"], ["-j", "1"]):
            again = run("check", "goals", "--format", fmt, *args, cwd=files)
            assert (again.returncode, again.stdout) == (1, reference.stdout), (fmt, args)
    for args in (["--statistics"], ["--statistics", "--format", "json"], ["--lang", "en", "-q"]):
        assert (
            run("check", "goals", "-j", "2", *args, cwd=files).stdout
            == run("check", "goals", "-j", "1", "--no-cache", *args, cwd=files).stdout
        )


def whole_list_formatters():
    """The built-in formatters without their streams: the command line then formats the whole list."""
    out = {}
    for name, formatter in builtin_formatters().items():
        out[name] = lambda diagnostics, options, formatter=formatter: formatter(
            diagnostics, options
        )
    return out


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_streamed_report_is_the_whole_report(files, monkeypatch, fmt):
    streamed = check(files, "goals", "--format", fmt, "-j", "1", "--no-cache")
    import perflint.formats

    monkeypatch.setattr(perflint.formats, "builtin_formatters", whole_list_formatters)
    whole = check(files, "goals", "--format", fmt, "-j", "1", "--no-cache", out="whole.txt")
    assert streamed == whole and streamed[0] == 1
    if fmt == "json":
        found = json.loads(streamed[1])
        assert [d["filename"] for d in found] == sorted(d["filename"] for d in found)


def test_order_does_not_depend_on_the_order_of_the_paths(files):
    names = sorted(p.name for p in (files / "goals").iterdir())
    shuffled = [f"goals/{n}" for n in names[7:]] + [f"goals/{n}" for n in reversed(names[:7])]
    walked = run("check", "goals", "--format", "json", "--no-cache", cwd=files)
    named = run("check", *shuffled, "--format", "json", "-j", "2", "--no-cache", cwd=files)
    assert named.stdout == walked.stdout
    text = run("check", *shuffled, "-j", "2", cwd=files)
    assert text.stdout == run("check", "goals", "-j", "1", "--no-cache", cwd=files).stdout


def test_standard_input_named_like_a_file_merges_with_it(files):
    """Two inputs with one path (a file, and standard input named after it) form one batch,
    their findings interleaved as the sorted whole list has them."""
    found = json.loads(run("check", "goals", "--format", "json", "--no-cache", cwd=files).out)
    dirty = sorted({d["filename"] for d in found if d["filename"].endswith(".yaml")})
    assert len(dirty) >= 3
    name = dirty[1]
    other = (files / dirty[2]).read_bytes()
    args = ["check", dirty[0], name, "-", "--stdin-filename", name, "--no-cache"]
    streamed = run(*args, cwd=files, input=other)
    code = (
        "import sys, perflint.formats\n"
        "real = perflint.formats.builtin_formatters\n"
        "def whole():\n"
        "    return {n: (lambda d, o, f=f: f(d, o)) for n, f in real().items()}\n"
        "perflint.formats.builtin_formatters = whole\n"
        "from perflint.cli import main\n"
        f"sys.exit(main({args!r}))\n"
    )
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    whole = subprocess.run(
        [sys.executable, "-c", code],
        cwd=files,
        input=other,
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert streamed.returncode == whole.returncode == 1, whole.stderr
    assert streamed.stdout == whole.stdout
    alone = run("check", name, "--no-cache", "-q", cwd=files).out.count(f"{name}:")
    piped = run(
        "check", "-", "--stdin-filename", name, "--no-cache", "-q", cwd=files, input=other
    ).out.count(f"{name}:")
    assert alone and piped and streamed.out.count(f"{name}:") == alone + piped


def test_output_file_is_streamed_and_never_half_written(files, monkeypatch):
    code, written = check(
        files, "goals", "--format", "json", "--no-cache", out="reports/new/perflint.json"
    )
    assert (
        code == 1
        and written == run("check", "goals", "--format", "json", "--no-cache", cwd=files).out
    )
    json.loads(written)
    target = files / "reports" / "new" / "perflint.json"

    from perflint.formats.json_format import JsonWriter

    real, calls = JsonWriter.file, []

    def failing(self, path, rows):
        calls.append(path)
        if len(calls) == 3:
            raise RuntimeError("the disk caught fire")
        return real(self, path, rows)

    monkeypatch.setattr(JsonWriter, "file", failing)
    previous = os.getcwd()
    os.chdir(files)
    try:
        assert (
            cli.main(
                [
                    "check",
                    "goals",
                    "--format",
                    "json",
                    "--no-cache",
                    "-o",
                    "reports/new/perflint.json",
                ]
            )
            == 2
        )
    finally:
        os.chdir(previous)
    assert target.read_text(encoding="utf-8") == written  # the old report, whole
    assert sorted(p.name for p in target.parent.iterdir()) == ["perflint.json"]  # no temporary left


def test_output_file_that_cannot_be_written_fails_before_linting(files, counted):
    (files / "blocker").write_text("a file where a directory should be", encoding="utf-8")
    result = run("check", "goals", "-o", "blocker/out.txt", cwd=files)
    assert result.returncode == 2 and "blocker" in result.err and result.out == ""


@pytest.fixture
def counted(monkeypatch):
    """Files read by the runner (read_file calls) since the test began."""
    import perflint.files

    return count_calls(monkeypatch, perflint.files, "read_file")


# -- the runner


def test_runner_yields_outcomes_in_job_order(files, monkeypatch):
    """A small window and chunks, a cache holding every other file: the outcomes come in job
    order, the same as linting one by one."""
    from perflint import runner
    from perflint.cache import Cache

    monkeypatch.setattr(runner, "WINDOW", 3)
    monkeypatch.setattr(runner, "MAX_CHUNK", 2)
    args = parse_args(["check", "goals"])
    previous = os.getcwd()
    os.chdir(files)
    try:
        check_run = CheckRun(args)
        top = check_run.session.config_for(check_run.cwd)
        check_run.cache = Cache.open(files / "cache")
        from perflint.discovery import Walker

        items = Walker(check_run.session.config_for).items(["goals"])
        table, jobs, rulesets = check_run.plan(items)
        jobs = jobs[::-1]  # any order: the runner keeps it
        serial = [(o.path, o.rows) for o in runner.run(jobs, table, 1, None, rulesets)]
        list(runner.run(jobs[::2], table, 1, check_run.cache, rulesets))  # every other file cached
        parallel = [(o.path, o.rows) for o in runner.run(jobs, table, 2, check_run.cache, rulesets)]
        cached = [(o.path, o.rows) for o in runner.run(jobs, table, 2, check_run.cache, rulesets)]
        early = runner.run(jobs, table, 2, None, rulesets)
        first = next(early)
        early.close()  # stopping early stops the workers
    finally:
        os.chdir(previous)
    assert top is not None
    assert [p for p, _ in serial] == [j.path for j in jobs]
    assert parallel == serial == cached
    assert first.path == jobs[0].path


# -- the cache's stat shortcut


@pytest.fixture
def margin(monkeypatch):
    """A shorter racy-stat margin (the default, 2 s, would make these tests wait): a stat is
    trusted once its mtime and ctime are 50 ms older than the read."""
    import perflint.cache

    monkeypatch.setattr(perflint.cache, "MARGIN_NS", 50_000_000)


def age(root: Path, seconds: int = 3600) -> None:
    """Set every file's mtime an hour back (as files in a repository are), and let the ctime
    that this sets become older than the margin."""
    for path in root.rglob("*"):
        if path.is_file():
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))
    settle()


def settle() -> None:
    time.sleep(0.12)


def test_a_warm_run_reads_no_file(files, counted, margin):
    age(files / "goals")
    first = check(files, "goals", "--format", "json", "-j", "1")
    assert len(counted) == 30
    counted.clear()
    assert check(files, "goals", "--format", "json", "-j", "1", out="again.txt") == first
    assert counted == []  # stat and the entry were enough


def test_a_touched_file_is_hashed_once_and_not_linted(files, counted, monkeypatch, margin):
    import perflint.route

    age(files / "goals")
    first = check(files, "goals", "--format", "json", "-j", "1")
    linted = []
    real = perflint.route.lint_text
    monkeypatch.setattr(
        perflint.route,
        "lint_text",
        lambda path, *a, **k: linted.append(path) or real(path, *a, **k),
    )
    target = files / "goals" / "filing-00003.yaml"
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched, still old: same bytes
    settle()
    counted.clear()
    assert check(files, "goals", "--format", "json", "-j", "1") == first
    assert (
        counted == [os.path.join("goals", "filing-00003.yaml")] and linted == []
    )  # hashed, found the same
    counted.clear()
    assert check(files, "goals", "--format", "json", "-j", "1") == first
    assert counted == []  # the entry was refreshed with the new stat


def test_same_size_rewrite_in_the_same_timestamp_tick_is_not_served_stale(files, monkeypatch):
    """The racy case: a file rewritten with the same size within the timestamp tick of the
    version that was read keeps its stat. Here ctime and inode are left out of the recorded
    stat (as if the file system did not keep them), and the file's mtime is that of the moment
    it is read, so only the racy-git rule stands between the rewrite and a stale result."""
    import perflint.cache

    monkeypatch.setattr(perflint.cache, "stamp", lambda st: [st.st_size, st.st_mtime_ns, 0, 0])
    target = files / "goals" / "filing-00003.yaml"
    text = target.read_text(encoding="utf-8")
    assert "指标值确定依据: 无" in text
    tick = time.time_ns()  # the tick the file is written, read and rewritten in
    os.utime(target, ns=(tick, tick))
    code, first = check(files, "goals/filing-00003.yaml", "--format", "json", "-j", "1")
    assert code == 1 and '"PF401"' in first
    fixed = text.replace(
        "指标值确定依据: 无", "指标值确定依据: 甲"
    )  # same size (无 and 甲: 3 bytes each)
    target.write_text(fixed, encoding="utf-8")
    os.utime(target, ns=(tick, tick))
    assert target.stat().st_size == len(text.encode("utf-8")) and target.stat().st_mtime_ns == tick
    _, second = check(files, "goals/filing-00003.yaml", "--format", "json", "-j", "1")
    fresh = check(files, "goals/filing-00003.yaml", "--format", "json", "-j", "1", "--no-cache")[1]
    assert second == fresh and second != first
    assert second.count('"PF401"') < first.count('"PF401"')


def test_same_size_rewrite_with_the_old_mtime_restored_is_seen_by_ctime(files, margin):
    age(files / "goals")
    target = files / "goals" / "filing-00003.yaml"
    _, first = check(files, "goals/filing-00003.yaml", "--format", "json", "-j", "1")
    st = target.stat()
    target.write_text(
        target.read_text(encoding="utf-8").replace("指标值确定依据: 无", "指标值确定依据: 甲"),
        encoding="utf-8",
    )
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p` or `touch -d` would
    _, second = check(files, "goals/filing-00003.yaml", "--format", "json", "-j", "1")
    assert second != first
    assert (
        second
        == check(files, "goals/filing-00003.yaml", "--format", "json", "-j", "1", "--no-cache")[1]
    )


def test_trusted_needs_an_unchanged_and_old_stat():
    from perflint.cache import MARGIN_NS, trusted

    now = 10**19
    old = [10, now - 2 * MARGIN_NS, now - 2 * MARGIN_NS, 7]
    assert trusted({"stamp": old, "checked": now}, list(old))
    assert not trusted({"stamp": old, "checked": now}, [11, *old[1:]])  # size
    assert not trusted({"stamp": old, "checked": now}, [10, old[1] + 1, old[2], 7])  # mtime
    assert not trusted({"stamp": old, "checked": now}, [10, old[1], old[2], 8])  # inode
    recent = [10, now - MARGIN_NS // 2, now - 2 * MARGIN_NS, 7]
    assert not trusted(
        {"stamp": recent, "checked": now}, list(recent)
    )  # written just before it was read
    assert not trusted({"stamp": old}, list(old)) and not trusted({"checked": now}, list(old))
    assert not trusted({"stamp": old, "checked": str(now)}, list(old))


def entries(files: Path) -> list[Path]:
    return [
        p for p in (files / ".perflint_cache").rglob("*") if p.is_file() and len(p.parent.name) == 2
    ]


def test_a_damaged_entry_is_a_miss(files, counted, margin):
    """An entry whose findings part was damaged (its CRC no longer matches) is linted afresh."""
    age(files / "goals")
    check(files, "goals", "--format", "json", "-j", "1")
    assert len(entries(files)) == 30
    for entry in entries(files):
        head, body, rendering = entry_payload(entry).split(b"\n", 2)
        assert json.loads(head)["crc"] and json.loads(body) is not None
        damaged = body[:-1] + b" " + body[-1:]  # still JSON, not what was written
        json.loads(damaged)
        write_entry(entry, b"\n".join((head, damaged, rendering)))
    counted.clear()
    assert check(files, "goals", "-j", "1") == check(
        files, "goals", "-j", "1", "--no-cache", out="fresh.txt"
    )
    assert (
        len(counted) == 30 + 30
    )  # every one read and linted again (and once more without the cache)


# -- renderings kept in the cache


@pytest.fixture
def rendered(monkeypatch):
    """Files formatted by a FileWriter (calls of file()) since the test began."""
    from perflint.formats import FileWriter
    from perflint.formats.github import GithubWriter
    from perflint.formats.json_format import JsonWriter
    from perflint.formats.text import TextWriter

    calls = []
    for writer in (TextWriter, JsonWriter, GithubWriter):
        real = writer.file

        def counting(self, path, rows, real=real):
            calls.append((type(self).__name__, path))
            return real(self, path, rows)

        monkeypatch.setattr(writer, "file", counting)
    assert FileWriter
    return calls


def test_a_warm_run_prints_the_renderings_kept_in_the_cache(files, counted, rendered, margin):
    age(files / "goals")
    first = check(files, "goals", "-j", "1")
    assert len(rendered) == 30 and len(counted) == 30
    rendered.clear()
    counted.clear()
    assert check(files, "goals", "-j", "1", out="again.txt") == first
    assert rendered == [] and counted == []  # neither read, nor decoded, nor formatted
    entry = entry_payload(entries(files)[0]).split(b"\n", 2)
    assert json.loads(entry[0])["render"]["key"].startswith("text/zh/")
    assert entry[2] and json.loads(entry[1]) is not None


def test_other_formats_and_languages_format_the_cached_findings(files, counted, rendered, margin):
    """A run in another format or language than the one that linted the files formats their
    cached findings (and leaves the entries as they are); the output is always the one without
    a cache, and the run in the linting format still prints the kept renderings."""
    age(files / "goals")
    check(files, "goals", "-j", "1", "--format", "json")  # lints, keeps JSON renderings
    stamps = {entry: entry.stat().st_mtime_ns for entry in entries(files)}
    for args in (
        [],
        ["--lang", "en"],
        ["--format", "github"],
        ["--color"],
        ["--format", "json"],
        ["--format", "json", "--lang", "en"],
    ):
        fresh = run("check", "goals", "-j", "1", "--no-cache", *args, cwd=files)
        rendered.clear()
        counted.clear()
        assert check(files, "goals", "-j", "1", *args) == (fresh.returncode, fresh.out), args
        assert counted == [] and len(rendered) == (0 if args == ["--format", "json"] else 30), args
    assert {entry: entry.stat().st_mtime_ns for entry in entries(files)} == stamps  # not rewritten


def test_a_damaged_rendering_is_formatted_afresh(files, counted, rendered, margin):
    age(files / "goals")
    first = check(files, "goals", "-j", "1")
    for entry in entries(files):
        head, body, rendering = entry_payload(entry).split(b"\n", 2)
        write_entry(
            entry,
            b"\n".join(
                (
                    head,
                    body,
                    rendering.replace(b"PF", b"XX", 1) if b"PF" in rendering else rendering + b"!",
                )
            ),
        )
    rendered.clear()
    counted.clear()
    assert check(files, "goals", "-j", "1") == first
    assert len(rendered) == 30 and counted == []  # formatted again from the findings, not linted


def test_renderings_and_the_exit_status(files, margin):
    """The exit status of a run printed from renderings follows the fail level as a fresh one."""
    age(files / "goals")
    for level in ("info", "warning", "error"):
        fresh = run("check", "goals", "--fail-level", level, "--no-cache", cwd=files)
        assert check(files, "goals", "-j", "1", "--fail-level", level)[0] == fresh.returncode, level
        assert check(files, "goals", "-j", "1", "--fail-level", level)[0] == fresh.returncode, level
    assert check(files, "goals", "--exit-zero", "-j", "1")[0] == 0


def test_workers_render_what_they_lint(files, margin):
    """With -j2 the workers format the files they lint and keep the renderings."""
    age(files / "goals")
    fresh = run("check", "goals", "-j", "1", "--no-cache", cwd=files)
    cold = run("check", "goals", "-j", "2", cwd=files)
    assert cold.stdout == fresh.stdout
    assert all(
        b"\n" in entry_payload(entry).split(b"\n", 1)[1] for entry in entries(files)
    )  # a rendering after the body
    assert run("check", "goals", "-j", "2", cwd=files).stdout == fresh.stdout


def test_standard_input_beside_a_rendered_file(files, margin):
    """A file whose rendering is cached, reported with standard input of the same name: one
    batch, from the findings."""
    age(files / "goals")
    found = json.loads(run("check", "goals", "--format", "json", "--no-cache", cwd=files).out)
    name = sorted({d["filename"] for d in found if d["filename"].endswith(".yaml")})[0]
    other = (
        files / sorted({d["filename"] for d in found if d["filename"].endswith(".yaml")})[1]
    ).read_bytes()
    run("check", "goals", cwd=files)  # renderings of every file
    args = ["check", name, "-", "--stdin-filename", name]
    assert (
        run(*args, cwd=files, input=other).stdout
        == run(*args, "--no-cache", cwd=files, input=other).stdout
    )


def test_a_damaged_note_or_body_is_not_trusted_beside_a_rendering(files, counted, rendered, margin):
    age(files / "goals")
    first = check(files, "goals", "-j", "1")
    originals = {entry: entry_payload(entry) for entry in entries(files)}
    for entry in entries(files):  # the counts noted for the summary and the worst severity
        head, body, rendering = entry_payload(entry).split(b"\n", 2)
        header = json.loads(head)
        header["render"]["worst"] = -1
        header["render"]["note"][1] += 5
        write_entry(
            entry, b"\n".join((json.dumps(header, ensure_ascii=False).encode(), body, rendering))
        )
    rendered.clear()
    counted.clear()
    assert check(files, "goals", "-j", "1") == first
    assert len(rendered) == 30 and counted == []  # formatted from the findings
    for entry, raw in originals.items():  # the findings beside an intact rendering
        head, body, rendering = raw.split(b"\n", 2)
        write_entry(entry, b"\n".join((head, body[:-1] + b" " + body[-1:], rendering)))
    counted.clear()
    assert check(files, "goals", "-j", "1") == first
    assert len(counted) == 30  # linted again


# -- sarif: streamed a file at a time, the same bytes as the whole log


class _SarifRule(_Rule):
    def __init__(self, code, severity="warning", rationale=None):
        super().__init__(code)
        self.name = f"rule-{code.lower()}"
        self.severity = severity
        self.summary = Message(f"摘要 {code}", f"summary {code}")
        self.rationale = rationale


def reference_sarif(diagnostics, options: FormatOptions) -> str:
    """The SARIF log as format_sarif built it before it streamed: the whole log, then json.dumps."""
    from perflint.formats import sarif as S

    lang = options.lang
    rules = dict(sorted(options.rules.items()))
    descriptors = [S.rule_descriptor(rule, lang) for rule in rules.values()]
    index = {code: i for i, code in enumerate(rules)}
    for d in diagnostics:
        if d.code not in index:
            index[d.code] = len(descriptors)
            descriptors.append(
                {
                    "id": d.code,
                    "name": d.name,
                    "defaultConfiguration": {"level": S.LEVELS.get(d.severity, "warning")},
                }
            )
    results, seen = [], {}
    for d in diagnostics:
        s = d.span
        location = S.artifact_location(s.path, options.root)
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": S.LEVELS.get(d.severity, "warning"),
            "message": {"text": d.message.get(lang)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": S.region(options, s.path, s.line, s.col, s.end_line, s.end_col),
                    }
                }
            ],
            "partialFingerprints": {
                "perflint/v1": S._fingerprint(d, location["uri"], options, seen)
            },
        }
        if d.fix is not None:
            result["fixes"] = [{
                "description": {"text": d.fix.message.get(lang)},
                "artifactChanges": [{"artifactLocation": location, "replacements": [
                    {"deletedRegion": S.region(options, s.path, e.span.line, e.span.col, e.span.end_line, e.span.end_col), "insertedContent": {"text": e.content}}
                    for e in d.fix.edits]}],
                "properties": {"applicability": d.fix.applicability},
            }]  # fmt: skip
        results.append(result)
    root_uri = Path(os.path.abspath(options.root)).as_uri().rstrip("/") + "/"
    log = {
        "$schema": S.SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "perflint", "version": options.version or "0", "informationUri": S.INFORMATION_URI, "rules": descriptors}},
            "originalUriBaseIds": {S.SRCROOT: {"uri": root_uri}},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    }  # fmt: skip
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


SARIF_RULES = {
    "PF401": _SarifRule("PF401", "error", {"zh": "理由", "en": "why", "source": "§1"}),
    "PF201": _SarifRule("PF201", "info"),
    "PF203": _SarifRule("PF203"),
}


def _sarif_stream(diagnostics, texts, options):
    """format_sarif.stream fed as the command line feeds it: only the current file's text known."""
    from perflint.formats.sarif import format_sarif

    sources = Sources()
    options = FormatOptions(sources=sources, **options)

    def batches():
        for batch in batches_of(diagnostics):
            sources.clear()
            sources.set_text(batch[0].span.path, texts[batch[0].span.path])
            yield batch

    return "".join(format_sarif.stream(batches(), options))


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"lang": "en", "version": "9.9"},
        {"rules": SARIF_RULES},
        {"rules": SARIF_RULES, "lang": "en"},
    ],
)
def test_sarif_stream_is_the_whole_log_as_json_dumps_would_write_it(options, monkeypatch):
    from perflint.formats import sarif

    diagnostics = (
        odd_diagnostics()
    )  # several files, unknown codes (XX001, PF9,9 …), fixes with edits, U+20000
    assert {"a.yaml", "b/c.yaml", "d,e:f%.yaml"} == {d.span.path for d in diagnostics}
    assert any(d.fix is not None and d.fix.edits for d in diagnostics)
    whole = reference_sarif(diagnostics, FormatOptions(sources=TEXTS, **options))
    assert sarif.format_sarif(diagnostics, FormatOptions(sources=TEXTS, **options)) == whole
    assert _sarif_stream(diagnostics, TEXTS, options) == whole
    log = json.loads(whole)
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == [d.code for d in diagnostics]
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    monkeypatch.setattr(
        sarif, "_SPOOL_SIZE", 10
    )  # the results spilled to a file, read back in small pieces
    monkeypatch.setattr(sarif, "_CHUNK", 7)
    assert _sarif_stream(diagnostics, TEXTS, options) == whole


def test_sarif_stream_counts_columns_in_utf16_units():
    texts = {"wide.yaml": "𠀀𠀁 x: 𝐀 y\n"}
    d = Diagnostic("PF401", "basis-missing", "error", Message("宽", "wide"), Span("wide.yaml", 1, 4, 1, 9),
                   Fix("safe", Message("改", "fix"), (Edit(Span("wide.yaml", 1, 7, 1, 8), "𠀂"),)))  # fmt: skip
    whole = reference_sarif([d], FormatOptions(sources=texts, rules=SARIF_RULES))
    assert _sarif_stream([d], texts, {"rules": SARIF_RULES}) == whole
    result = json.loads(whole)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"]["startColumn"] == 6
    assert (
        result["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]["startColumn"]
        == 9
    )


@pytest.mark.parametrize("options", [{}, {"rules": SARIF_RULES}])
def test_sarif_stream_without_findings(options):
    from perflint.formats.sarif import format_sarif

    whole = reference_sarif([], FormatOptions(**options))
    assert '"results": []' in whole
    assert format_sarif([], FormatOptions(**options)) == whole
    for empty in ([], [()], [(), ()]):  # no batch, or empty ones
        assert (
            "".join(format_sarif.stream(iter(empty), FormatOptions(sources=Sources(), **options)))
            == whole
        )


def test_sarif_stream_with_one_unknown_code_among_known_ones():
    texts = {"a.yaml": "a\nb\n", "z.yaml": "c\n"}
    diagnostics = [
        Diagnostic("PF201", "n", "info", Message("甲", "a"), Span("a.yaml", 1, 1, 1, 2)),
        Diagnostic("ZZ999", "plugin", "error", Message("乙", "b"), Span("a.yaml", 2, 1, 2, 2)),
        Diagnostic("PF401", "n", "error", Message("丙", "c"), Span("z.yaml", 1, 1, 1, 2)),
        Diagnostic("ZZ999", "plugin", "error", Message("丁", "d"), Span("z.yaml", 1, 1, 1, 2)),
    ]
    whole = reference_sarif(diagnostics, FormatOptions(sources=texts, rules=SARIF_RULES))
    assert _sarif_stream(diagnostics, texts, {"rules": SARIF_RULES}) == whole
    run_ = json.loads(whole)["runs"][0]
    assert run_["tool"]["driver"]["rules"][-1]["id"] == "ZZ999"
    assert [r["ruleIndex"] for r in run_["results"]] == [
        0,
        3,
        2,
        3,
    ]  # PF201, PF203, PF401 sorted, then ZZ999
