"""Output formats: each turns the run's sorted diagnostics into one string.

A formatter is a function `format(diagnostics, options) -> str` registered through the pluggy
hook `perflint_formatters` ({name: formatter}); the built-ins (text, json, sarif, github) are
registered by `perflint/plugins/lib.py` the same way a plugin registers its own.

Positions in `Diagnostic.span` are 1-based and count Unicode code points; a formatter whose
target counts otherwise (SARIF: UTF-16 code units) converts with `utf16_column`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


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


def line_text(options: FormatOptions, path: str, line: int) -> str | None:
    """The text of 1-based `line` of `path` without its line end, or None when unknown."""
    text = options.sources.get(path)
    if text is None:
        return None
    from perflint.source import split_lines

    lines = _line_cache.get(path)
    if lines is None or lines[0] is not text:
        lines = (text, split_lines(text))
        _line_cache[path] = lines
    return lines[1][line - 1] if 0 < line <= len(lines[1]) else None


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


def builtin_formatters() -> dict:
    """{name: formatter} of the built-in formats, imported lazily."""
    return {
        "text": _lazy("perflint.formats.text", "format_text"),
        "json": _lazy("perflint.formats.json_format", "format_json"),
        "sarif": _lazy("perflint.formats.sarif", "format_sarif"),
        "github": _lazy("perflint.formats.github", "format_github"),
    }


def _lazy(module: str, name: str):
    def formatter(diagnostics, options):
        from importlib import import_module

        return getattr(import_module(module), name)(diagnostics, options)

    formatter.__name__ = name
    formatter.__qualname__ = name
    return formatter
