"""`--format sarif`: SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps).

perflint counts columns in code points; SARIF's default `columnKind` is `utf16CodeUnits`, so
every column is converted on the way out (a character beyond U+FFFF counts as two units).
Artifact URIs are relative to the working directory (`%SRCROOT%`), percent-encoded.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from perflint import HOME_URL
from perflint.diagnostics import Diagnostic
from perflint.formats import FormatOptions, batches_of, line_text, utf16_column
from perflint.formats.json_format import cell_object, context_object

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = HOME_URL
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"


def _text(message, lang: str) -> str:
    return message.get(lang) if hasattr(message, "get") else str(message)


def rule_descriptor(rule, lang: str) -> dict:
    summary = _text(rule.summary, lang)
    rationale = rule.rationale or {}
    why = (rationale.get("en") if lang == "en" else rationale.get("zh")) or summary
    source = rationale.get("source")
    help_text = why + (f"\n\n{'Source' if lang == 'en' else '依据'}: {source}" if source else "")
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": " ".join(why.split())},
        "help": {
            "text": help_text + f"\n\n{rule.url()}",
            "markdown": f"{help_text}\n\n[{rule.code}]({rule.url()})",
        },
        "helpUri": rule.url(),
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": {"tags": ["perflint", rule.severity]},
    }
    return descriptor


def artifact_location(path: str, root: str) -> dict:
    absolute = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return {"uri": absolute.as_uri()}
    # the name's bytes, percent-encoded: a file name need not be UTF-8 (surrogate-escaped here)
    return {"uri": quote(os.fsencode(relative.as_posix()), safe="/"), "uriBaseId": SRCROOT}


def region(
    options: FormatOptions, path: str, line: int, col: int, end_line: int, end_col: int
) -> dict:
    return {
        "startLine": line,
        "startColumn": utf16_column(line_text(options, path, line), col),
        "endLine": end_line,
        "endColumn": utf16_column(line_text(options, path, end_line), end_col),
    }


def _cell_line(span) -> str | None:
    lines = span.cell.text.split("\n")
    return lines[span.line - 1] if 0 < span.line <= len(lines) else None


def _cell_region(span) -> dict:
    """A region counted inside a cell's text (UTF-16 units, as the run's columnKind says)."""
    lines = span.cell.text.split("\n")

    def line(n: int):
        return lines[n - 1] if 0 < n <= len(lines) else None

    return {
        "startLine": span.line,
        "startColumn": utf16_column(line(span.line), span.col),
        "endLine": span.end_line,
        "endColumn": utf16_column(line(span.end_line), span.end_col),
    }


def _cell_result(result: dict, d: Diagnostic, location: dict) -> dict:
    """A finding in a workbook or document: the file as its physical location (a region of a
    zip's bytes would mean nothing), the cell as a logical location, and the position inside
    the cell's text in the location's properties. Fixes are not given (SARIF replaces regions
    of the file's bytes); `perflint check --fix` applies them."""
    c = d.span.cell
    result["locations"] = [
        {
            "physicalLocation": {"artifactLocation": location},
            "logicalLocations": [
                {"name": c.label, "fullyQualifiedName": c.label, "kind": "element"}
            ],
            "properties": {"cell": cell_object(c), "region": _cell_region(d.span)},
        }
    ]
    return result


def _fingerprint(d: Diagnostic, uri: str, options: FormatOptions, seen: dict) -> str:
    """Stable across line moves: the rule, the file and the flagged line's text, plus an occurrence count."""
    if d.span.cell is not None:
        text = f"{d.span.cell.label}\x00{(_cell_line(d.span) or '').strip()}"
    else:
        text = (line_text(options, d.span.path, d.span.line) or "").strip()
    key = (d.code, uri, text)
    seen[key] = seen.get(key, 0) + 1
    digest = hashlib.sha256(f"{d.code}\x00{uri}\x00{text}".encode()).hexdigest()[:32]
    return f"{digest}:{seen[key]}"


def _logical_location(d: Diagnostic) -> dict | None:
    """The finding's 部门 › 项目 › 一级 › 二级 › 三级 as a SARIF logical location."""
    w = d.where
    if w is None:
        return None
    names = [n for n in (w.department, w.project, w.level1, w.level2, w.indicator) if n]
    if not names:
        return None
    kind = "member" if w.indicator else "module" if w.project else "namespace"
    return {"name": names[-1], "fullyQualifiedName": " › ".join(names), "kind": kind}


def _result(d: Diagnostic, rule_index: int, options: FormatOptions, seen: dict) -> dict:
    lang = options.lang
    s = d.span
    location = artifact_location(s.path, options.root)
    result = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": LEVELS.get(d.severity, "warning"),
        "message": {"text": d.message.get(lang)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": region(options, s.path, s.line, s.col, s.end_line, s.end_col),
                }
            }
        ],
        "partialFingerprints": {"perflint/v1": _fingerprint(d, location["uri"], options, seen)},
    }
    if d.related:
        result["relatedLocations"] = [
            {
                "id": index,
                "physicalLocation": {
                    "artifactLocation": artifact_location(r.span.path, options.root),
                    "region": region(
                        options,
                        r.span.path,
                        r.span.line,
                        r.span.col,
                        r.span.end_line,
                        r.span.end_col,
                    ),
                },
                "message": {"text": r.message.get(lang)},
            }
            for index, r in enumerate(d.related)
        ]
    if s.cell is not None:
        _cell_result(result, d, location)
    logical = _logical_location(d)
    if logical is not None:
        result["locations"][0].setdefault("logicalLocations", []).append(logical)
        w = d.where
        result["properties"] = {"context": context_object(w.fields())}
    if s.cell is not None:
        return result
    if d.fix is not None:
        result["fixes"] = [
            {
                "description": {"text": d.fix.message.get(lang)},
                "artifactChanges": [
                    {
                        "artifactLocation": location,
                        "replacements": [
                            {
                                "deletedRegion": region(
                                    options,
                                    s.path,
                                    e.span.line,
                                    e.span.col,
                                    e.span.end_line,
                                    e.span.end_col,
                                ),
                                "insertedContent": {"text": e.content},
                            }
                            for e in d.fix.edits
                        ],
                    }
                ],
                "properties": {"applicability": d.fix.applicability},
            }
        ]
    return result


def _log(descriptors: list, results: list, options: FormatOptions) -> dict:
    root_uri = Path(os.path.abspath(options.root)).as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "perflint",
                        "version": options.version or "0",
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


_RESULT_INDENT = (
    "\n" + " " * 8
)  # a result's lines inside runs[0].results, as json.dumps(log, indent=2) lays them out
_SPOOL_SIZE = 8 << 20  # results text kept in memory up to this many bytes, then in a temporary file
_CHUNK = 1 << 20


def stream_sarif(batches, options: FormatOptions) -> Iterator[str]:
    """`stream` of the SARIF format (batches of diagnostics): byte for byte what
    `json.dumps(log, ensure_ascii=False, indent=2)` writes for the whole log.

    The rule table comes before the results but grows with the codes no rule of the run has
    (appended at first sight, so a result's `ruleIndex` is known when it is written): the
    results are written, a file at a time, to a spooled temporary file, and the log is
    given out once `batches` is exhausted — head (with every descriptor), results, tail."""
    from codecs import getincrementaldecoder
    from tempfile import SpooledTemporaryFile

    lang = options.lang
    rules = dict(sorted(options.rules.items()))
    descriptors = [rule_descriptor(rule, lang) for rule in rules.values()]
    index = {code: i for i, code in enumerate(rules)}
    seen: dict = {}
    count = 0
    with SpooledTemporaryFile(
        max_size=_SPOOL_SIZE
    ) as spool:  # the results' text, UTF-8 (lone surrogates passed)
        for batch in batches:
            parts = []
            for d in batch:
                rule_index = index.get(d.code)
                if (
                    rule_index is None
                ):  # a finding from a rule the run does not know (a plugin reader's code)
                    rule_index = index[d.code] = len(descriptors)
                    descriptors.append(
                        {
                            "id": d.code,
                            "name": d.name,
                            "defaultConfiguration": {"level": LEVELS.get(d.severity, "warning")},
                        }
                    )
                text = json.dumps(
                    _result(d, rule_index, options, seen), ensure_ascii=False, indent=2
                )
                parts.append(
                    ("," if count else "") + _RESULT_INDENT + text.replace("\n", _RESULT_INDENT)
                )
                count += 1
                if len(parts) >= 1000:  # a file with many findings: spooled in pieces
                    spool.write("".join(parts).encode("utf-8", "surrogatepass"))
                    parts.clear()
            if parts:
                spool.write("".join(parts).encode("utf-8", "surrogatepass"))
        whole = json.dumps(_log(descriptors, [], options), ensure_ascii=False, indent=2) + "\n"
        if not count:
            yield whole
            return
        head, _, tail = whole.rpartition('"results": []')  # the last key of the log's one run
        yield head + '"results": ['
        spool.seek(0)
        decoder = getincrementaldecoder("utf-8")("surrogatepass")
        while chunk := spool.read(_CHUNK):
            text = decoder.decode(chunk)
            if text:
                yield text
        yield decoder.decode(b"", final=True) + "\n" + " " * 6 + "]" + tail


def format_sarif(diagnostics, options: FormatOptions) -> str:
    return "".join(stream_sarif(batches_of(diagnostics), options))


format_sarif.stream = stream_sarif
