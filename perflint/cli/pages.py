"""What the reports (html, xlsx) are given instead of reading for themselves: a rule's page from
its rule file, and a file's Filing read again (formats render diagnostics only)."""

from __future__ import annotations

from perflint.engine.ruledocs import FIX_SAFETY, _examples, _fix_message, _prose
from perflint.files import read_file
from perflint.formats import RulePage
from perflint.reading import read_text
from perflint.source import DecodeError, SourceText, decode


def rule_page(rule, lang: str) -> RulePage:
    """The rationale, the examples and the fix's safety of `rule`, as `perflint rule CODE` says."""
    rationale = rule.rationale or {}
    try:
        bad, good = _examples(rule, lang)
    except Exception:  # a plugin's rule with odd examples still gets its page
        bad = good = None
    kind = rule.fix_applicability if rule.fix_applicability in ("safe", "unsafe") else None
    return RulePage(
        why=_prose(rationale.get(lang), lang),
        bad=bad,
        good=good,
        safety=FIX_SAFETY[lang][kind],
        fix_message=_fix_message(rule, lang) if hasattr(rule, "raw") else None,
    )


def filing_of(path: str, text: str | None):
    """The Filing of `path` (its `text` when the run holds it whole, as for standard input), read
    again for a report section rendered away from where it was linted; None when it does not read."""
    try:
        source = decode(read_file(path)) if text is None else SourceText(text, "utf-8", b"")
        return read_text(path, source).filing
    except (OSError, DecodeError, ValueError):
        return None
