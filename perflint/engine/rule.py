"""A compiled rule (`Rule`), the error a bad rule file gives, and the memo of checked files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from perflint import rule_url
from perflint.diagnostics import Fix, Message
from perflint.model import Span


class RuleMemo(Protocol):
    """Rule files that passed the schema check before (a `perflint.cache.RuleMemo`)."""

    def key(self, *parts: Any) -> str: ...

    def get(self, key: str) -> dict | None: ...

    def put(self, key: str, raw: dict) -> None: ...

    def save(self) -> None: ...


class RuleError(ValueError):
    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    scope: str
    summary: Message
    message_templates: Message
    rationale: dict
    params: dict  # name → effective value
    examples: dict
    path: str
    enabled: bool
    raw: dict = field(repr=False, compare=False)
    # ctx → extras or None (a repository rule's: ctx, **params → extras per finding)
    condition: Callable[..., Any] = field(repr=False, compare=False)
    render: Callable[..., Message] = field(repr=False, compare=False)  # ctx, extras → message
    # ctx, extras → where the finding points (None for a repository rule: its predicate says)
    locate: Callable[..., Span | None] | None = field(repr=False, compare=False, default=None)
    make_fix: Callable[..., Fix | None] | None = field(repr=False, compare=False, default=None)
    fix_applicability: str | None = None
    test: object = field(repr=False, compare=False, default=None)  # the condition's tree

    def url(self) -> str:
        return rule_url(self.code, self.name)
