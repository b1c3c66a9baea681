"""Output formats: each turns the run's sorted diagnostics into one string — or streams it.

A formatter is `format(diagnostics, options) -> str` registered through the `perflint_formatters`
hook; one that streams also has `stream(batches, options) -> Iterable[str]` (a file's sorted
diagnostics per batch; `streaming(stream)` makes a whole formatter of one). The built-ins are
`FileWriter`s fed `(path, rows)` a file at a time. The protocols, in full:
docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from perflint.cache_rows import encode_diagnostics
from perflint.source import split_lines

SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


@dataclass(frozen=True)
class RulePage:
    """What a report shows of a rule beside its summary, written by the front end from the rule
    file (formats render; they do not read rule files)."""

    why: str | None = None  # the rationale as prose
    bad: str | None = None  # the example that fires, as YAML
    good: str | None = None  # "use instead"
    safety: str = ""  # whether the fix is safe, unsafe or absent
    fix_message: str | None = None


@dataclass(frozen=True)
class FormatOptions:
    """What a formatter may use besides the diagnostics."""

    lang: str = "zh"  # "zh" or "en": which half of each Message to print
    color: bool = False  # ANSI colours (text format only)
    sources: Mapping[str, str] = field(default_factory=dict)  # diagnostic path → decoded file text
    rules: Mapping[str, object] = field(
        default_factory=dict
    )  # code → Rule / MetaRule (code, name, severity, summary, rationale, url())
    files_checked: int = 0
    root: str = "."  # directory SARIF URIs are relative to (the working directory)
    show_source: bool = True  # text: print the offending line with a caret
    quiet: bool = False  # text: diagnostics only, no summary line
    version: str = ""
    fixed: int = 0  # fixes applied by --fix in this run (text: mentioned in the summary)
    unsafe_fixes: bool = False  # --unsafe-fixes: an unsafe fix counts as fixable (--statistics)
    # Given by the front end, for the reports (html, xlsx); formats never read files or rules:
    filing_of: Callable[[str, str | None], object] | None = None  # (path, text or None) → Filing
    rule_page: Callable[[object, str], RulePage] | None = None  # (rule, lang) → its RulePage


class Sources(Mapping):
    """path → decoded text (`FormatOptions.sources`), where a file may be known only by the lines
    its findings point at (the others read as empty lines). `line_text` reads such a file's
    lines without building its text; a formatter that asks for the text gets it built."""

    def __init__(self):
        self._texts: dict[str, str] = {}
        self._lines: dict[str, tuple[dict[int, str], int]] = {}
        self._split: dict[str, list[str]] = {}

    def set_text(self, path: str, text: str) -> None:
        self._lines.pop(path, None)
        self._split.pop(path, None)
        self._texts[path] = text

    def set_lines(self, path: str, lines: dict[int, str]) -> None:
        """A file known by {line number: text}; its other lines up to the last known are empty."""
        self._texts.pop(path, None)
        self._split.pop(path, None)
        self._lines[path] = (
            lines,
            max(lines) if lines else 1,
        )  # an empty text has one (empty) line

    def clear(self) -> None:
        self._texts.clear()
        self._lines.clear()
        self._split.clear()

    def line(self, path: str, number: int) -> str | None:
        """Line `number` (1-based) of `path` without its line end, or None when unknown."""
        known = self._lines.get(path)
        if known is not None:
            lines, last = known
            return lines.get(number, "") if 0 < number <= last else None
        lines = self._split.get(path)
        if lines is None:
            text = self._texts.get(path)
            if text is None:
                return None
            lines = self._split[path] = split_lines(text)
        return lines[number - 1] if 0 < number <= len(lines) else None

    def __getitem__(self, path: str) -> str:
        text = self._texts.get(path)
        if text is not None:
            return text
        lines, last = self._lines[path]
        return "\n".join(lines.get(n, "") for n in range(1, last + 1)) if lines else ""

    def __iter__(self) -> Iterator[str]:
        yield from self._texts
        yield from self._lines

    def __len__(self) -> int:
        return len(self._texts) + len(self._lines)

    def __contains__(self, path) -> bool:
        return path in self._texts or path in self._lines


def line_text(options: FormatOptions, path: str, line: int) -> str | None:
    """The text of 1-based `line` of `path` without its line end, or None when unknown."""
    sources = options.sources
    if type(sources) is Sources:
        return sources.line(path, line)
    text = sources.get(path)
    if text is None:
        return None
    lines = _line_cache.get(path)
    if lines is None or lines[0] is not text:
        lines = (text, split_lines(text))
        _line_cache[path] = lines
    return lines[1][line - 1] if 0 < line <= len(lines[1]) else None


def line_reader(options: FormatOptions):
    """`line_text` bound to `options`: a function (path, line) -> str | None."""
    sources = options.sources
    if type(sources) is Sources:
        return sources.line
    return lambda path, line: line_text(options, path, line)


_line_cache: dict[str, tuple[str, list[str]]] = {}


def utf16_column(line: str | None, column: int) -> int:
    """A 1-based code-point column as a 1-based UTF-16 code-unit column on `line`."""
    if line is None:
        return column
    head = line[: column - 1]
    wide = sum(1 for ch in head if ord(ch) > 0xFFFF)
    return column + wide


def rule_url(options: FormatOptions, code: str) -> str | None:
    rule = options.rules.get(code)
    return rule.url() if rule is not None else None


# ---------------------------------------------------------------------------------------------
# streaming


def batches_of(diagnostics) -> Iterator[tuple]:
    """A sorted list of diagnostics as the batches `stream` gets: one tuple per path."""
    from itertools import groupby

    for _, batch in groupby(diagnostics, key=lambda d: d.span.path):
        yield tuple(batch)


def streaming(stream):
    """A formatter made of a streaming one (see the module docstring): `format(diagnostics,
    options)` joins what `stream(batches_of(diagnostics), options)` yields; `format.stream` is
    `stream`."""
    from functools import wraps

    @wraps(stream)
    def formatter(diagnostics, options: FormatOptions) -> str:
        return "".join(stream(batches_of(diagnostics), options))

    formatter.stream = stream
    return formatter


def to_rows(diagnostics) -> list:
    """Diagnostics in the cache's encoding, every span with its path (what `stream_rows` takes)."""
    return encode_diagnostics(diagnostics, None)


def rows_stream(stream_rows):
    """The `stream` (diagnostic batches) of a formatter written as `stream_rows` ((path, rows) batches)."""

    def stream(batches: Iterable, options: FormatOptions):
        return stream_rows(((None, to_rows(batch)) for batch in batches), options)

    return stream


class FileWriter:
    """A built-in format written a file at a time, from findings in the cache's encoding.

    `file(path, rows)` gives one file's text and a note of what the end of the report needs to
    know of it (counts, say; plain JSON values). It depends on nothing but the file's findings,
    its lines in `options.sources` and `key` (the format and the options it uses), so the
    runner may keep the text in the file's cache entry when it lints the file and, on a later
    run with the same key, hand text and note to `take` without the findings being decoded or
    formatted again.
    `take(text, note)` accounts for a file and gives the text as written at this point of the
    report; `end()` the rest of the report (a string, or an iterable of strings and bytes — for a
    long tail such as the HTML report's spooled sections, or a binary format's bytes).

    A writer with `needs_filing = True` is given the file's Filing where the file is linted:
    `file(path, rows, filing)` (None when the file was not read as a filing). Called without it,
    `file(path, rows)` must find what it needs itself (the HTML report reads the file again).
    A writer with `needs_output_file = True` writes no text (a workbook): the command refuses it
    without `--output-file`.
    """

    needs_filing = False
    needs_output_file = False

    def __init__(self, options: FormatOptions):
        self.options = options

    @property
    def key(self) -> str:
        return type(self).__name__

    def file(self, path: str | None, rows: list) -> tuple[str, object]:
        raise NotImplementedError

    def take(self, text: str, note) -> str:
        return text

    def take_bytes(self, text: bytes, note) -> bytes:
        """`take` of a text as UTF-8 bytes (a rendering kept in the cache is written as it is)."""
        return self.take(text.decode("utf-8"), note).encode("utf-8")

    def end(self) -> str:
        return ""


def written(writer: type[FileWriter]):
    """The `stream_rows` of a FileWriter: (path, rows) batches in, the report's pieces out."""

    def stream_rows(batches: Iterable, options: FormatOptions) -> Iterator[str]:
        out = writer(options)
        for path, rows in batches:
            text = out.take(*out.file(path, rows))
            if text:
                yield text
        tail = out.end()
        if isinstance(tail, (str, bytes)):
            tail = (tail,)
        for piece in tail:
            if piece:
                yield piece

    stream_rows.__name__ = stream_rows.__qualname__ = f"stream_rows_{writer.__name__}"
    return stream_rows


def builtin_formatters() -> dict:
    """{name: formatter} of the built-in formats, imported lazily."""
    return {
        "text": _lazy("perflint.formats.text", "format_text", "TextWriter"),
        "json": _lazy("perflint.formats.json_format", "format_json", "JsonWriter"),
        "sarif": _lazy("perflint.formats.sarif", "format_sarif", stream="stream_sarif"),
        "github": _lazy("perflint.formats.github", "format_github", "GithubWriter"),
        "html": _lazy("perflint.formats.html", "format_html", "HtmlWriter"),
        "xlsx": _lazy("perflint.formats.xlsx", "format_xlsx", "XlsxWriter"),
    }


def _lazy(module: str, name: str, writer: str | None = None, stream: str | None = None):
    """A formatter importing `module` when first used; with `writer` (a FileWriter there) it also
    has `stream_rows`, `stream` and `writer()` (the class); with `stream` (a function there), `stream`."""
    from importlib import import_module

    def formatter(diagnostics, options):
        return getattr(import_module(module), name)(diagnostics, options)

    formatter.__name__ = name
    formatter.__qualname__ = name
    if stream is not None:
        formatter.stream = lambda batches, options: getattr(import_module(module), stream)(
            batches, options
        )
    if writer is not None:

        def writer_class() -> type[FileWriter]:
            return getattr(import_module(module), writer)

        def stream_rows(batches, options):
            return written(writer_class())(batches, options)

        formatter.writer = writer_class
        formatter.stream_rows = stream_rows
        formatter.stream = rows_stream(stream_rows)
    return formatter
