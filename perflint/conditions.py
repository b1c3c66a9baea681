"""Compile a rule's `when:` condition into a plain Python callable, once, at load time.

A compiled condition takes a Context and returns None (no finding) or a dict of extras
(possibly empty) that messages, locations and fixes can use: `match` (a regex match and its
Cell) from `matches:`, and whatever a `call:` predicate returns.

The vocabulary is closed and small:

    {all: [...]}, {any: [...]}, {not: {...}}
    {field: F, equals: X} / in: [...] / matches: REGEX / contains: S|[S...] / empty: BOOL
    {field: F, present: BOOL}                    # the field is not None
    {field: F, same_as: G}                       # equal after normalising space, punctuation, width
    {field: F, similar_to: G, ratio: 0.8}        # difflib ratio after the same normalisation
    {field: value, number: {lt: 80, unit: "%"}}  # lt le gt ge eq ne; numbers or {param: NAME}; unit converts
    {call: PREDICATE, args: {...}}               # a named pure function registered by a plugin
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from perflint.context import cell_getter, field_exists, getter

_FIELD_OPS = ("equals", "in", "matches", "contains", "empty", "present", "same_as", "similar_to", "number")
_NUMBER_OPS = {
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}
_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


class ConditionError(ValueError):
    """A condition that cannot be compiled; the message names the problem and where it is."""


@lru_cache(maxsize=65536)
def normalise_text(text: str | None) -> str:
    """For comparisons: NFKC (full width → half width), no whitespace or punctuation."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def compile_condition(spec, scope: str, predicates: dict, params: dict, where: str = "when"):
    """Turn a condition mapping into `ctx -> dict | None`; raise ConditionError on a bad spec."""
    if not isinstance(spec, dict) or not spec:
        raise ConditionError(f"{where}: a condition must be a non-empty mapping")
    if "all" in spec or "any" in spec:
        key = "all" if "all" in spec else "any"
        _only(spec, {key}, where)
        items = spec[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{where}.{key}: expected a non-empty list of conditions")
        parts = [compile_condition(s, scope, predicates, params, f"{where}.{key}[{i}]") for i, s in enumerate(items)]
        return _all(parts) if key == "all" else _any(parts)
    if "not" in spec:
        _only(spec, {"not"}, where)
        inner = compile_condition(spec["not"], scope, predicates, params, f"{where}.not")
        return lambda ctx: {} if inner(ctx) is None else None
    if "call" in spec:
        _only(spec, {"call", "args"}, where)
        name = spec["call"]
        if name not in predicates:
            known = ", ".join(sorted(predicates)) or "none"
            raise ConditionError(f"{where}.call: unknown predicate {name!r} (known: {known})")
        function, args = predicates[name], dict(spec.get("args") or {})
        resolved = {k: params.get(v["param"]) if isinstance(v, dict) and "param" in v else v for k, v in args.items()}

        def call(ctx):
            result = function(ctx, **resolved)
            if not result:
                return None
            return result if isinstance(result, dict) else {}

        return call
    if "field" in spec:
        return _field_condition(spec, scope, params, where)
    raise ConditionError(f"{where}: expected one of all, any, not, call, field; got {sorted(spec)}")


def _only(spec: dict, allowed: set, where: str) -> None:
    extra = set(spec) - allowed
    if extra:
        raise ConditionError(f"{where}: unexpected key(s) {sorted(extra)} next to {sorted(allowed)}")


def _all(parts):
    def check(ctx):
        extras: dict = {}
        for part in parts:
            result = part(ctx)
            if result is None:
                return None
            extras.update(result)
        return extras

    return check


def _any(parts):
    def check(ctx):
        for part in parts:
            result = part(ctx)
            if result is not None:
                return result
        return None

    return check


def _field_condition(spec: dict, scope: str, params: dict, where: str):
    path = spec["field"]
    if not isinstance(path, str) or not field_exists(path, scope):
        raise ConditionError(f"{where}.field: unknown field {path!r} for scope {scope!r}")
    ops = [op for op in _FIELD_OPS if op in spec]
    allowed = {"field", *ops, *(("ratio",) if "similar_to" in spec else ())}
    _only(spec, allowed, where)
    if len(ops) != 1:
        raise ConditionError(f"{where}: a field condition needs exactly one of {', '.join(_FIELD_OPS)}")
    op, arg = ops[0], spec[ops[0]]
    get = getter(path)
    if op == "equals":
        return lambda ctx: {} if get(ctx) == arg else None
    if op == "in":
        if not isinstance(arg, list):
            raise ConditionError(f"{where}.in: expected a list")
        choices = set(arg)
        return lambda ctx: {} if get(ctx) in choices else None
    if op == "contains":
        words = [arg] if isinstance(arg, str) else arg
        return lambda ctx: {} if any(w in (get(ctx) or "") for w in words) else None
    if op == "empty":
        return lambda ctx: {} if (not (get(ctx) or "").strip()) == bool(arg) else None
    if op == "present":
        return lambda ctx: {} if (get(ctx) is not None) == bool(arg) else None
    if op == "matches":
        return _matches(path, arg, where)
    if op in ("same_as", "similar_to"):
        if not isinstance(arg, str) or not field_exists(arg, scope):
            raise ConditionError(f"{where}.{op}: unknown field {arg!r} for scope {scope!r}")
        other = getter(arg)
        if op == "same_as":
            return lambda ctx: {} if (a := normalise_text(get(ctx))) and a == normalise_text(other(ctx)) else None
        ratio = float(spec.get("ratio", 0.8))

        def similar(ctx):
            a, b = normalise_text(get(ctx)), normalise_text(other(ctx))
            if not a or not b or 2 * min(len(a), len(b)) < ratio * (len(a) + len(b)):
                return None  # the lengths alone rule the ratio out
            matcher = difflib.SequenceMatcher(None, a, b)
            return {} if matcher.quick_ratio() >= ratio and matcher.ratio() >= ratio else None

        return similar
    return _number(get, arg, params, where)


def _matches(path: str, pattern, where: str):
    try:
        regex = re.compile(pattern)
    except (re.error, TypeError) as error:
        raise ConditionError(f"{where}.matches: invalid regular expression {pattern!r}: {error}") from None
    get, cell = getter(path), cell_getter(path)

    def check(ctx):
        match = regex.search(get(ctx) or "")
        if match is None:
            return None
        return {"match": (cell(ctx) if cell else None, match)}

    return check


def _number(get, arg, params: dict, where: str):
    if not isinstance(arg, dict):
        raise ConditionError(f"{where}.number: expected a mapping such as {{lt: 80, unit: '%'}}")
    unit = arg.get("unit")
    tests = []
    for op, bound in arg.items():
        if op == "unit":
            continue
        if op not in _NUMBER_OPS:
            raise ConditionError(f"{where}.number: unknown comparison {op!r} (use {', '.join(_NUMBER_OPS)})")
        if isinstance(bound, dict) and "param" in bound:
            if bound["param"] not in params:
                raise ConditionError(f"{where}.number.{op}: unknown parameter {bound['param']!r}")
            bound = params[bound["param"]]
        try:
            number = Decimal(str(bound))
        except InvalidOperation:
            number = None
        if number is None or isinstance(bound, bool) or not number.is_finite():
            raise ConditionError(f"{where}.number.{op}: {bound!r} is not a number")
        tests.append((_NUMBER_OPS[op], number))

    def check(ctx):
        value = get(ctx)
        number = value.number_in(unit) if unit else getattr(value, "number", None)
        if number is None:
            return None
        return {} if all(test(number, bound) for test, bound in tests) else None

    return check
