"""A condition tree (perflint.engine.conditions) written as Python source and compiled.

An `all:` chain becomes a run of `if` tests with no call per test and no dict per passing test.
The source is made only of our own text: field expressions come from
`perflint.engine.context.field_source`, and every value a rule file gives (words, numbers,
regexes, predicates, arguments) is bound in the function's namespace under a generated name
(`_k12`), never written into the source. Each text compiled is registered with `linecache`
under its own `<perflint-rules:…>` file name, so a traceback shows the generated line.
"""

from __future__ import annotations

import hashlib
import linecache
from dataclasses import dataclass

from perflint.engine.compare import MAX_MATCHED, contains, normalise_text, similar
from perflint.engine.conditions import All, Any, Call, Match, Not, Test, uses_call
from perflint.engine.context import cell_source, field_source

# An `all:` chain is written as nested `if`s inside the engine's scope function; a chain with more
# steps than this (a step: a regex, a call, or a run of plain tests) is called as a function instead.
MAX_NESTED = 12
# Deeper `not:`/`all:`/`any:` nesting than this in one expression is written as a call.
MAX_DEPTH = 40

_HELPERS = {
    "_contains": contains,
    "_similar": similar,
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

    def __init__(self, label: str = "conditions"):
        self.namespace: dict = dict(_HELPERS)
        self.texts: list[str] = []  # every text compiled, for reading and for tests
        self.label = label  # names the texts' file for tracebacks: <perflint-rules:LABEL>
        self._count = 0

    def name(self, prefix: str) -> str:
        """A fresh local or global name; `prefix` is ours (k constant, f function, m match, …)."""
        self._count += 1
        return f"_{prefix}{self._count}"

    def constant(self, value) -> str:
        name = self.name("k")
        self.namespace[name] = value
        return name

    def define(self, lines: list[str], name: str, label: str | None = None):
        """Compile `lines` (defining `name`) and return what `name` is bound to.

        The text is registered with `linecache` under `<perflint-rules:LABEL>` (`label` or the
        source's own), so a traceback through it shows the generated line.
        """
        text = "\n".join(lines) + "\n"
        self.texts.append(text)
        exec(compile(text, register(label or self.label, text), "exec"), self.namespace)
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


def register(label: str, text: str) -> str:
    """A file name for `text` that `linecache` (and so every traceback) can read it under.

    `<perflint-rules:LABEL>`, or `<perflint-rules:LABEL#HASH>` when another text holds that
    name: two rule sets alive at once keep their own lines, and compiling the same text again
    reuses its name.
    """
    lines = _lines(text)
    filename = f"<perflint-rules:{label}>"
    held = linecache.cache.get(filename)
    if held is not None and held[2:3] != (lines,):
        digest = hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:10]
        filename = f"<perflint-rules:{label}#{digest}>"
    linecache.cache[filename] = (len(text), None, lines, filename)
    return filename


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def rename(function, name: str):
    """`function` with `name` as its name in tracebacks and reprs (the text is not changed: a
    name made of rule codes is never written into the source)."""
    function.__code__ = function.__code__.replace(co_name=name, co_qualname=name)
    function.__name__ = function.__qualname__ = name
    return function
