"""Readers turn one source text into one `Filing`; they are the only code that knows a file format."""

from __future__ import annotations

from dataclasses import dataclass

from perflint.diagnostics import Diagnostic, Message
from perflint.model import Filing, Span


@dataclass(frozen=True, slots=True)
class ReadResult:
    filing: Filing | None  # None when nothing could be read
    diagnostics: tuple[Diagnostic, ...] = ()


def parse_error(span: Span, zh: str, en: str) -> Diagnostic:
    """A PF001 parse-error finding."""
    return Diagnostic("PF001", "parse-error", "error", Message(zh, en), span)
