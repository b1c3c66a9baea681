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
expressions come from `perflint.context.field_source`, and every value a rule file gives (words,
numbers, regexes, predicates, arguments) is bound in the function's namespace under a generated
name (`_k12`), never written into the source. The engine uses the same `Source` to put the
conditions of all rules of a scope into one function (see `perflint.engine`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from perflint.context import cell_source, field_exists, field_source

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
_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)


# Work bounds against hostile cells (a 1 MB line): a regex sees a cell's first MAX_MATCHED
# characters, similar_to compares the first MAX_COMPARED (after normalising). Real cells are
# well under both.
MAX_MATCHED = 2000
MAX_COMPARED = 1000

# An `all:` chain is written as nested `if`s inside the engine's scope function; a chain with more
# steps than this (a step: a regex, a call, or a run of plain tests) is called as a function instead.
MAX_NESTED = 12
# Deeper `not:`/`all:`/`any:` nesting than this in one expression is written as a call.
MAX_DEPTH = 40


_TEXT_OPS = ("matches", "contains", "empty", "same_as", "similar_to")
_NOT_TEXT = frozenset(
    ("value", "value.number", "value.low", "value.high", "value.unit_nonstandard", "value.truth")
)


class ConditionError(ValueError):
    """A condition that cannot be compiled; the message names the problem and where it is."""


@lru_cache(maxsize=65536)
def normalise_text(text: str | None) -> str:
    """For comparisons: NFKC (full width → half width), no whitespace or punctuation."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text or "")).lower()


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
    arg: object
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


def compile_condition(spec, scope: str, predicates: dict, params: dict, where: str = "when"):
    """Turn a condition mapping into `ctx -> dict | None`; raise ConditionError on a bad spec."""
    return Source().function(parse_condition(spec, scope, predicates, params, where))


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
        risky = _backtracking_risk(pattern)
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


# ---------------------------------------------------------------------------------------------
# the tree as Python source


def _contains(words: tuple, text) -> bool:
    """`contains:` — any of the words is in the text (None is empty)."""
    text = text or ""
    return any(word in text for word in words)


def _similar(a: str, b: str, ratio: float) -> bool:
    """`similar_to:` on two normalised texts, each cut to its first MAX_COMPARED characters
    (difflib is quadratic in the worst case)."""
    a, b = a[:MAX_COMPARED], b[:MAX_COMPARED]
    if not a or not b or 2 * min(len(a), len(b)) < ratio * (len(a) + len(b)):
        return False  # the lengths alone rule the ratio out
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= ratio and matcher.ratio() >= ratio


_HELPERS = {
    "_contains": _contains,
    "_similar": _similar,
    "_normalise": normalise_text,
    "_MAX_MATCHED": MAX_MATCHED,
}


@dataclass
class Step:
    """One step of an `all:` chain in source form: `setup` lines, then `test` must be true.

    `extras` are expressions (valid once the test passed) whose merge, in order, is what the
    step adds to the condition's extras.
    """

    setup: list
    test: str
    extras: list
    calls: bool = False  # whether the step calls a predicate (which reads ctx.params)


class Source:
    """Python source under construction for compiled conditions.

    Values from rule files are never written into the text: `constant` binds them in
    `namespace` under a generated name. `define` compiles lines into that namespace.
    """

    def __init__(self):
        self.namespace: dict = dict(_HELPERS)
        self.texts: list[str] = []  # every text compiled, for reading and for tests
        self._count = 0

    def name(self, prefix: str) -> str:
        """A fresh local or global name; `prefix` is ours (k constant, f function, m match, …)."""
        self._count += 1
        return f"_{prefix}{self._count}"

    def constant(self, value) -> str:
        name = self.name("k")
        self.namespace[name] = value
        return name

    def define(self, lines: list[str], name: str):
        """Compile `lines` (defining `name`) and return what `name` is bound to."""
        text = "\n".join(lines) + "\n"
        self.texts.append(text)
        exec(compile(text, "<perflint rules>", "exec"), self.namespace)
        return self.namespace[name]

    # -- expressions ---------------------------------------------------------------------------

    def field(self, path: str) -> str:
        return field_source(path, self.name("c"))

    def test(self, node: Test) -> str:
        """A Python expression that is true exactly when the field test passes."""
        get, op, arg = self.field(node.path), node.op, node.arg
        if op in ("equals", "in"):
            return f"{get} {'==' if op == 'equals' else 'in'} {self.constant(arg)}"
        if op == "contains":
            return f"_contains({self.constant(arg)}, {get})"
        if op == "empty":
            return f"{'not ' if arg else ''}({get} or '').strip()"
        if op == "present":
            return f"{get} {'is not' if arg else 'is'} None"
        if op == "same_as":
            a = self.name("a")
            return f"({a} := _normalise({get})) and {a} == _normalise({self.field(arg)})"
        if op == "similar_to":
            return f"_similar(_normalise({get}), _normalise({self.field(arg)}), {self.constant(node.ratio)})"
        # number: the value's number (in `unit`), then every comparison
        n = self.name("n")
        number = (
            f"{get}.number_in({self.constant(node.unit)})"
            if node.unit
            else f"getattr({get}, 'number', None)"
        )
        comparisons = "".join(
            f" and {n} {operator} {self.constant(bound)}" for operator, bound in arg
        )
        return f"({n} := {number}) is not None{comparisons}"

    def truth(self, node, depth: int = 0) -> str:
        """A Python expression whose truth is whether `node` passes (its extras unused).

        Below MAX_DEPTH levels of `not:`/`all:`/`any:` a subtree is called as its own function:
        Python's parser refuses deeply nested parentheses.
        """
        if isinstance(node, Test):
            return self.test(node)
        if isinstance(node, Match):
            return f"{self.search(node)} is not None"
        if isinstance(node, Call):
            return self.call(node)
        if depth >= MAX_DEPTH:
            return f"{self.function(node).__name__}(ctx) is not None"
        if isinstance(node, Not):
            return f"not ({self.truth(node.inner, depth + 1)})"
        joiner = " and " if isinstance(node, All) else " or "
        return joiner.join(f"({self.truth(part, depth + 1)})" for part in node.parts)

    def search(self, node: Match) -> str:
        # the first MAX_MATCHED characters: Python's regex engine can be polynomial (\s*\s*$)
        return f"{self.constant(node.regex)}.search(({self.field(node.path)} or '')[:_MAX_MATCHED])"

    def call(self, node: Call) -> str:
        return f"{self.constant(node.function)}(ctx{', **' + self.constant(node.args) if node.args else ''})"

    # -- statements ----------------------------------------------------------------------------

    def steps(self, node) -> list[Step]:
        """`node` as a chain of steps; plain tests next to each other share one step."""
        if isinstance(node, All):
            chain: list[Step] = []
            for part in node.parts:
                for step in self.steps(part):
                    # a test joins the step before it; one that calls a predicate starts its own
                    # after tests that do not, so ctx.params is set only once those passed
                    if chain and not step.setup and (chain[-1].calls or not step.calls):
                        chain[-1].test += f" and {step.test}"
                        chain[-1].extras += step.extras
                    else:
                        chain.append(step)
            return chain
        if isinstance(node, Match):
            m = self.name("m")
            cell = cell_source(node.path) or "None"
            return [
                Step(
                    [f"{m} = {self.search(node)}"],
                    f"{m} is not None",
                    [f"{{'match': ({cell}, {m})}}"],
                )
            ]
        if isinstance(node, Call):
            r = self.name("r")
            return [
                Step(
                    [f"{r} = {self.call(node)}"],
                    r,
                    [f"({r} if isinstance({r}, dict) else {{}})"],
                    calls=True,
                )
            ]
        if isinstance(node, Any) and not _plain(node):
            return [self.call_step(node)]
        return [
            Step([], f"({self.truth(node)})", [], calls=uses_call(node))
        ]  # Test, Not, or an Any of plain tests

    def call_step(self, node) -> Step:
        """A step that calls the function compiled for `node`."""
        x = self.name("x")
        return Step(
            [f"{x} = {self.function(node).__name__}(ctx)"],
            f"{x} is not None",
            [x],
            calls=uses_call(node),
        )

    def function(self, node):
        """A function ctx → dict | None for `node`, defined in the namespace (its __name__ is its global)."""
        name = self.name("f")
        lines = [f"def {name}(ctx):"]
        if isinstance(node, Any):
            # the first part that passes gives the extras
            for part in node.parts:
                if _plain(part):
                    lines += [f"    if {self.truth(part)}:", "        return {}"]
                    continue
                (step,) = (
                    self.steps(part) if isinstance(part, (Match, Call)) else [self.call_step(part)]
                )
                lines += [f"    {line}" for line in step.setup]
                lines += [f"    if {step.test}:", f"        return {merge(step.extras)}"]
            lines.append("    return None")
        else:
            extras = []
            for step in self.steps(node):
                lines += [f"    {line}" for line in step.setup]
                lines += [f"    if not ({step.test}):", "        return None"]
                extras += step.extras
            lines.append(f"    return {merge(extras)}")
        return self.define(lines, name)

    def inline(self, node, hit, before_calls=()) -> list[str]:
        """Statements that run `hit(extras expression)` (a list of lines) when `node` passes.

        An `all:` chain becomes nested `if`s, one per step; a longer chain calls its function.
        The lines `before_calls` come just before the first predicate is called, if one is.
        """
        steps = self.steps(node)
        if len(steps) > MAX_NESTED:
            steps = [self.call_step(node)]
        lines, indent, extras = [], "", []
        for step in steps:
            if step.calls and before_calls:
                lines += [indent + line for line in before_calls]
                before_calls = ()
            lines += [indent + line for line in step.setup]
            lines.append(f"{indent}if {step.test}:")
            indent += "    "
            extras += step.extras
        return lines + [indent + line for line in hit(merge(extras))]


def _plain(node) -> bool:
    """Whether `node` never gives extras (so it can be written as one expression)."""
    if isinstance(node, (Test, Not)):
        return True
    return isinstance(node, (All, Any)) and all(_plain(part) for part in node.parts)


def merge(extras: list[str]) -> str:
    """The expression for the merged extras (later keys win, as with dict.update)."""
    if not extras:
        return "{}"
    if len(extras) == 1:
        return extras[0]
    return "{" + ", ".join(f"**{e}" for e in extras) + "}"


# ---------------------------------------------------------------------------------------------
# regular expressions that backtrack catastrophically


def _backtracking_risk(pattern: str) -> str | None:
    r"""Why `pattern` may take exponential time, or None.

    Rejected: a repeated group (`+`, `*`, `{n,}`, `{n,m}` with m > 1) around another variable
    repeat (`(a+)+`, `(a*)*`, `(\d+,?)+`, `(.*a){12}`), around alternatives that can start
    with the same character (`(a|a)+`, `(ab|a.)+`, `(a|aa)+`), or around an optional part
    that can start what the group starts with (`(aa?)+`). Possessive repeats and atomic groups
    never backtrack and are allowed. The check reads the parsed pattern (where `(a|b)+` is already
    a class `[ab]+`); it is conservative and rejects a few harmless patterns.
    """
    from re import _constants as c
    from re import _parser

    flags = _parser.parse(pattern).state.flags
    ignore_case = bool(flags & re.IGNORECASE)
    repeats = (c.MAX_REPEAT, c.MIN_REPEAT)

    def first(items):
        """(characters a match can start with: a list of (low, high) ranges or None for any; nullable)."""
        ranges: list = []
        for op, av in items:
            found, nullable = _first_of(op, av, first)
            if found is None or ranges is None:
                ranges = None
            else:
                ranges.extend(found)
            if not nullable:
                return (None if ignore_case and ranges else ranges), False
        return (None if ignore_case and ranges else ranges), True

    def walk(items, body_first):
        """A reason when a variable repeat or ambiguous choice sits inside a repeated body."""
        for op, av in items:
            if op in repeats:
                low, high, sub = av
                variable = low != high
                if body_first is not _OUTSIDE and variable:
                    if high > 1:
                        return "a repeat inside a repeated group"
                    if _overlap(first(sub)[0], body_first):
                        return "an optional part inside a repeated group"
                if high > 1 and body_first is _OUTSIDE:
                    reason = walk(sub, first(sub)[0])
                else:
                    reason = walk(sub, body_first)
            elif op == c.BRANCH:
                alternatives = av[1]
                if body_first is not _OUTSIDE:
                    starts = [first(alternative) for alternative in alternatives]
                    for i, (a, a_empty) in enumerate(starts):
                        for b, b_empty in starts[i + 1 :]:
                            if _overlap(a, b) or (a_empty and b_empty):
                                return "alternatives that can match the same text inside a repeated group"
                        if a_empty and any(_overlap(b, body_first) for b, _ in starts):
                            return (
                                "alternatives that can match the same text inside a repeated group"
                            )
                reason = next(
                    (r for r in (walk(alt, body_first) for alt in alternatives) if r), None
                )
            elif op == c.SUBPATTERN:
                reason = walk(av[3], body_first)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                reason = walk(av[1], body_first)
            elif op == c.GROUPREF_EXISTS:
                reason = walk(av[1], body_first) or (walk(av[2], body_first) if av[2] else None)
            elif op in (c.ATOMIC_GROUP,):
                reason = walk(av, _OUTSIDE)  # never backtracked into
            elif op in (c.POSSESSIVE_REPEAT,):
                reason = walk(av[2], _OUTSIDE)
            else:
                reason = None
            if reason:
                return reason
        return None

    return walk(_parser.parse(pattern), _OUTSIDE)


_OUTSIDE = ("outside a repeated group",)  # a marker, not a set of characters
_ANY = None


def _first_of(op, av, first):
    """(start characters, nullable) of one parsed item; see _backtracking_risk."""
    from re import _constants as c

    if op == c.LITERAL:
        return [(av, av)], False
    if op == c.IN:
        if any(kind in (c.NEGATE, c.CATEGORY) for kind, _ in av):
            return _ANY, False
        return [
            (v, v) if kind == c.LITERAL else v for kind, v in av if kind in (c.LITERAL, c.RANGE)
        ], False
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        found, nullable = first(av[2])
        return found, nullable or av[0] == 0
    if op == c.SUBPATTERN:
        found, nullable = first(av[3])
        return (_ANY if av[1] & re.IGNORECASE and found else found), nullable
    if op == c.ATOMIC_GROUP:
        return first(av)
    if op == c.BRANCH:
        ranges, nullable = [], False
        for alternative in av[1]:
            found, empty = first(alternative)
            ranges = None if found is None or ranges is None else ranges + found
            nullable = nullable or empty
        return ranges, nullable
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return [], True
    if op == c.GROUPREF_EXISTS:
        return _ANY, True
    if op == c.GROUPREF:
        return _ANY, True
    return _ANY, False  # ANY, NOT_LITERAL, CATEGORY …


def _overlap(a, b) -> bool:
    """Whether two start sets (range lists, None for any character, _OUTSIDE) share a character."""
    if a is _OUTSIDE or b is _OUTSIDE:
        return False
    if a is None or b is None:
        return a != [] and b != []
    return any(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in a for lo2, hi2 in b)
