"""Which rules run on which file, at which severity: select / extend-select / ignore, severity
overrides and per-file-ignores, from configuration layers (the config file, then the command line).

A selector is `ALL`, a code (`PF401`), a code prefix (`PF4`, `PF`) or a rule name
(`basis-missing`). Like ruff, within one layer the most specific selector decides (a full code or
a name beats a prefix, a longer prefix a shorter one; on a tie `ignore` wins), and a layer that
gives `select` starts afresh while one that gives only `extend-select` / `ignore` adjusts what the
layer before it chose. Rules a rule file marks `enabled: false` run only when selected by their
full code or name. PF000 and PF001 always run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from perflint.diagnostics import Diagnostic

SELECTOR = re.compile(r"^(?:ALL|[A-Z]+[0-9]*|[a-z][a-z0-9]*(?:-[a-z0-9]+)*)$")
EXACT = 1000
ALWAYS = frozenset({"PF000", "PF001"})
LEVELS = ("error", "warning", "info")


def is_selector(text: str) -> bool:
    return isinstance(text, str) and bool(SELECTOR.match(text))


def specificity(selector: str, code: str, name: str) -> int | None:
    """How specifically `selector` names the rule (code, name); None when it does not."""
    if selector == "ALL":
        return 0
    if selector == name or selector == code:
        return EXACT
    if selector[:1].isupper() and code.startswith(selector):
        return len(selector)
    return None


def matches(selector: str, code: str, name: str) -> bool:
    return specificity(selector.strip(), code, name) is not None


def _best(selectors, code: str, name: str) -> int | None:
    found = [s for s in (specificity(sel, code, name) for sel in selectors) if s is not None]
    return max(found) if found else None


@dataclass(frozen=True)
class Layer:
    """One source of selection settings (a config file or the command line)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (selector, level)
    per_file_ignores: tuple[
        tuple[str, tuple[str, ...], str], ...
    ] = ()  # (pattern, selectors, base directory)

    def selectors(self):
        yield from self.select or ()
        yield from self.extend_select
        yield from self.ignore
        for selector, _ in self.severity:
            yield selector
        for _, selectors, _ in self.per_file_ignores:
            yield from selectors


@dataclass(frozen=True)
class RuleRef:
    code: str
    name: str
    default_on: bool = True


def unknown_selectors(selectors, rules) -> list[str]:
    """The selectors (besides ALL) that name no rule."""
    return [
        s
        for s in selectors
        if s != "ALL" and not any(specificity(s, r.code, r.name) is not None for r in rules)
    ]


def resolve(layers, rules) -> frozenset[str]:
    """The codes enabled by the layers, in order."""
    state = {r.code: r.default_on for r in rules}
    for layer in layers:
        chosen = (*(layer.select or ()), *layer.extend_select)
        for r in rules:
            s = _best(chosen, r.code, r.name)
            if s is not None and s < EXACT and not r.default_on:
                s = None
            i = _best(layer.ignore, r.code, r.name)
            if s is None and i is None:
                if layer.select is not None:
                    state[r.code] = False
            elif i is not None and (s is None or i >= s):
                state[r.code] = False
            else:
                state[r.code] = True
    return frozenset(code for code, on in state.items() if on) | ALWAYS


def severity_overrides(layers, rules) -> dict[str, str]:
    """code → level: the most specific override wins; a later layer wins a tie."""
    best: dict[str, tuple[int, int, str]] = {}
    for order, layer in enumerate(layers):
        for selector, level in layer.severity:
            for r in rules:
                s = specificity(selector, r.code, r.name)
                if (
                    s is not None
                    and r.code not in ALWAYS
                    and (r.code not in best or (s, order) >= best[r.code][:2])
                ):
                    best[r.code] = (s, order, level)
    return {code: level for code, (_, _, level) in best.items()}


@dataclass(frozen=True)
class Policy:
    """The resolved selection for one configuration: apply it to each file's findings."""

    enabled: frozenset[str]
    severity: dict = field(default_factory=dict)
    per_file_ignores: tuple = ()  # (matcher, selectors, base directory)
    known: dict = field(default_factory=dict)  # code → name of every known rule

    def ignored_here(self, path: str) -> tuple[str, ...]:
        """The selectors per-file-ignores name for `path` (an absolute path)."""
        import os

        found: list[str] = []
        for spec, selectors, base in self.per_file_ignores:
            relative = os.path.relpath(path, base)
            if relative.startswith(".."):
                continue
            if spec.match_file(relative.replace(os.sep, "/")):
                found.extend(selectors)
        return tuple(found)

    def enabled_for(self, path: str) -> frozenset[str]:
        ignored = self.ignored_here(path)
        if not ignored:
            return self.enabled
        return frozenset(
            code
            for code in self.enabled
            if code in ALWAYS
            or not any(matches(s, code, self.known.get(code, "")) for s in ignored)
        )

    def apply(self, diagnostics, enabled: frozenset[str]) -> list[Diagnostic]:
        """Drop findings of rules not enabled (unknown codes are kept) and apply severity overrides."""
        out = []
        for d in diagnostics:
            if d.code in self.known and d.code not in enabled:
                continue
            level = self.severity.get(d.code)
            out.append(replace(d, severity=level) if level and level != d.severity else d)
        return out


def make_policy(layers, rules) -> Policy:
    pfi = []
    for layer in layers:
        for pattern, selectors, base in layer.per_file_ignores:
            from pathspec import (
                GitIgnoreSpec,  # only when there are per-file-ignores: ~20 ms of start-up
            )

            pfi.append((GitIgnoreSpec.from_lines([pattern]), selectors, base))
    return Policy(
        enabled=resolve(layers, rules),
        severity=severity_overrides(layers, rules),
        per_file_ignores=tuple(pfi),
        known={r.code: r.name for r in rules},
    )
