"""Compile a rule's `when:` condition into one plain Python function, once, at load time.

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

Compiling has two steps. `parse_condition` checks the mapping (every ConditionError is raised
there) and returns a tree of nodes (Test, Match, Call, All, Any, Not). `Source` then writes the
tree as Python source — an `all:` chain becomes a run of `if` tests with no call per test and no
dict per passing test — and `compile()`s it. The source is made only of our own text: field
expressions come from `perflint.engine.context.field_source`, and every value a rule file gives (words,
numbers, regexes, predicates, arguments) is bound in the function's namespace under a generated
name (`_k12`), never written into the source. `Source` lives in `perflint.engine.codegen`; the
engine uses it to put the conditions of all rules of a scope into one function
(`perflint.engine.plan`).
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from perflint.engine.context import field_exists
from perflint.engine.regex_risk import backtracking_risk

_FIELD_OPS = (
    "equals",
    "in",
    "matches",
    "contains",
    "empty",
    "present",
    "same_as",
    "similar_to",
    "number",
)
_NUMBER_OPS = {
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
    "eq": "==",
    "ne": "!=",
}  # → Python operator


_TEXT_OPS = ("matches", "contains", "empty", "same_as", "similar_to")
_NOT_TEXT = frozenset(
    ("value", "value.number", "value.low", "value.high", "value.unit_nonstandard", "value.truth")
)


class ConditionError(ValueError):
    """A condition that cannot be compiled; the message names the problem and where it is."""


# ---------------------------------------------------------------------------------------------
# the condition tree


@dataclass(frozen=True, eq=False)
class Test:
    """A field test that gives no extras: equals, in, contains, empty, present, same_as, similar_to, number.

    `arg` is the value, the set of values, the list of words, the flag, the other field path or,
    for `number`, the ((operator, Decimal bound), …) tests.
    """

    op: str
    path: str
    arg: typing.Any  # see above: its type depends on `op`
    ratio: float = 0.8  # similar_to
    unit: str | None = None  # number


@dataclass(frozen=True, eq=False)
class Match:
    """`matches:` — extras {"match": (the field's Cell or None, the re.Match)}."""

    path: str
    regex: re.Pattern


@dataclass(frozen=True, eq=False)
class Call:
    """`call:` — the predicate's dict as extras ({} for another true value)."""

    function: object
    args: dict


@dataclass(frozen=True, eq=False)
class All:
    parts: tuple


@dataclass(frozen=True, eq=False)
class Any:
    parts: tuple


@dataclass(frozen=True, eq=False)
class Not:
    inner: object


def uses_call(node) -> bool:
    """Whether a predicate is called anywhere in the condition (it then reads ctx.params)."""
    if isinstance(node, Call):
        return True
    if isinstance(node, (All, Any)):
        return any(uses_call(part) for part in node.parts)
    return isinstance(node, Not) and uses_call(node.inner)


def parse_condition(spec, scope: str, predicates: dict, params: dict, where: str = "when"):
    """Check a condition mapping and return its tree; raise ConditionError on a bad spec."""
    if not isinstance(spec, dict) or not spec:
        raise ConditionError(f"{where}: a condition must be a non-empty mapping")
    if "all" in spec or "any" in spec:
        key = "all" if "all" in spec else "any"
        _only(spec, {key}, where)
        items = spec[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{where}.{key}: expected a non-empty list of conditions")
        parts = tuple(
            parse_condition(s, scope, predicates, params, f"{where}.{key}[{i}]")
            for i, s in enumerate(items)
        )
        return All(parts) if key == "all" else Any(parts)
    if "not" in spec:
        _only(spec, {"not"}, where)
        return Not(parse_condition(spec["not"], scope, predicates, params, f"{where}.not"))
    if "call" in spec:
        _only(spec, {"call", "args"}, where)
        name = spec["call"]
        if not isinstance(name, str) or name not in predicates:
            known = ", ".join(sorted(predicates)) or "none"
            raise ConditionError(f"{where}.call: unknown predicate {name!r} (known: {known})")
        function, args = predicates[name], spec.get("args") or {}
        if not callable(function):
            raise ConditionError(
                f"{where}.call: predicate {name!r} is not a function ({function!r})"
            )
        if not isinstance(args, dict):
            raise ConditionError(f"{where}.args: expected a mapping of argument names to values")
        resolved = {}
        for key, value in args.items():
            if isinstance(value, dict) and "param" in value:
                if value["param"] not in params:
                    raise ConditionError(
                        f"{where}.args.{key}: unknown parameter {value['param']!r}"
                    )
                value = params[value["param"]]
            resolved[key] = value
        _check_arguments(function, name, resolved, where)
        return Call(function, resolved)
    if "field" in spec:
        return _field_condition(spec, scope, params, where)
    raise ConditionError(f"{where}: expected one of all, any, not, call, field; got {sorted(spec)}")


def _check_arguments(function, name: str, args: dict, where: str) -> None:
    """The predicate takes these keyword arguments, each of the type of its default (when it has one)."""
    import inspect

    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # a builtin or C function: nothing to check
        return
    try:
        signature.bind(None, **args)
    except TypeError as error:
        raise ConditionError(f"{where}.args: predicate {name!r}: {error}") from None
    for key, value in args.items():
        parameter = signature.parameters.get(key)
        default = parameter.default if parameter is not None else inspect.Parameter.empty
        if default is inspect.Parameter.empty or default is None:
            continue
        kinds = (int, float) if type(default) in (int, float) else (type(default),)
        if not isinstance(value, kinds) or isinstance(value, bool) != isinstance(default, bool):
            raise ConditionError(
                f"{where}.args.{key}: predicate {name!r} expects {type(default).__name__}, got {value!r}"
            )


def _scalar(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _only(spec: dict, allowed: set, where: str) -> None:
    extra = set(spec) - allowed
    if extra:
        raise ConditionError(
            f"{where}: unexpected key(s) {sorted(extra)} next to {sorted(allowed)}"
        )


def _field_condition(spec: dict, scope: str, params: dict, where: str):
    path = spec["field"]
    if not isinstance(path, str) or not field_exists(path, scope):
        raise ConditionError(f"{where}.field: unknown field {path!r} for scope {scope!r}")
    ops = [op for op in _FIELD_OPS if op in spec]
    allowed = {"field", *ops, *(("ratio",) if "similar_to" in spec else ())}
    _only(spec, allowed, where)
    if len(ops) != 1:
        raise ConditionError(
            f"{where}: a field condition needs exactly one of {', '.join(_FIELD_OPS)}"
        )
    op, arg = ops[0], spec[ops[0]]
    if op in _TEXT_OPS and (
        path in _NOT_TEXT or op in ("same_as", "similar_to") and arg in _NOT_TEXT
    ):
        raise ConditionError(
            f"{where}.{op}: {path if path in _NOT_TEXT else arg!r} is not text (a number, yes/no or the whole value)"
        )
    if op == "number" and path != "value":
        raise ConditionError(
            f"{where}.number: compares the indicator value: write field: value, not {path!r}"
        )
    if op == "equals":
        if not _scalar(arg):
            raise ConditionError(f"{where}.equals: expected a text, number or boolean, got {arg!r}")
        return Test(op, path, arg)
    if op == "in":
        if not isinstance(arg, list) or not all(_scalar(a) for a in arg):
            raise ConditionError(f"{where}.in: expected a list of texts or numbers")
        return Test(op, path, set(arg))
    if op == "contains":
        words = [arg] if isinstance(arg, str) else arg
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise ConditionError(f"{where}.contains: expected a text or a non-empty list of texts")
        return Test(op, path, tuple(words))
    if op in ("empty", "present") and not isinstance(arg, bool):
        raise ConditionError(f"{where}.{op}: expected true or false, got {arg!r}")
    if op in ("empty", "present"):
        return Test(op, path, arg)
    if op == "matches":
        return _matches(path, arg, where)
    if op in ("same_as", "similar_to"):
        if not isinstance(arg, str) or not field_exists(arg, scope):
            raise ConditionError(f"{where}.{op}: unknown field {arg!r} for scope {scope!r}")
        if op == "same_as":
            return Test(op, path, arg)
        ratio = spec.get("ratio", 0.8)
        if not isinstance(ratio, (int, float)) or isinstance(ratio, bool) or not 0 <= ratio <= 1:
            raise ConditionError(f"{where}.ratio: expected a number from 0 to 1, got {ratio!r}")
        return Test(op, path, arg, ratio=ratio)
    return _number(path, arg, params, where)


def _matches(path: str, pattern, where: str) -> Match:
    if not isinstance(pattern, str):
        raise ConditionError(
            f"{where}.matches: expected a regular expression (text), got {pattern!r}"
        )
    try:
        regex = re.compile(pattern)
        risky = backtracking_risk(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        raise ConditionError(
            f"{where}.matches: invalid regular expression {pattern!r}: {error}"
        ) from None
    if risky:
        raise ConditionError(
            f"{where}.matches: regular expression {pattern!r} can take exponential time ({risky}); "
            "rewrite it without a repeated group that can match the same text in several ways, "
            "or use a possessive quantifier (*+, ++) or an atomic group (?>...)"
        )
    return Match(path, regex)


def _number(path: str, arg, params: dict, where: str) -> Test:
    if not isinstance(arg, dict) or not set(arg) - {"unit"}:
        raise ConditionError(f"{where}.number: expected a mapping such as {{lt: 80, unit: '%'}}")
    unit = arg.get("unit")
    if unit is not None and not isinstance(unit, str):
        raise ConditionError(
            f"{where}.number.unit: expected a unit such as '%' or 万元, got {unit!r}"
        )
    tests = []
    for op, bound in arg.items():
        if op == "unit":
            continue
        if op not in _NUMBER_OPS:
            raise ConditionError(
                f"{where}.number: unknown comparison {op!r} (use {', '.join(_NUMBER_OPS)})"
            )
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
    return Test("number", path, tuple(tests), unit=unit)
