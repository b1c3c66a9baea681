"""A rule set arranged for `check`: per scope, one compiled function running its rules in order."""

from __future__ import annotations

from perflint import fields
from perflint.diagnostics import Diagnostic, Message
from perflint.engine.codegen import Source, rename
from perflint.engine.conditions import All, Test
from perflint.engine.context import Context
from perflint.engine.rule import Rule
from perflint.model import Span

# The cells rules of scope `cell` meet, by owner, in file order: (field path, attribute, count)
# with count "optional" (a Cell or None), "one" (a Cell) or "many" (a tuple of Cells).
FILING_CELLS = fields.cell_fields("filing")
PROJECT_CELLS = fields.cell_fields("project")
INDICATOR_CELLS = fields.cell_fields("indicator")


class Plan:
    """A rule set arranged for `check`, once, as compiled functions.

    `filing`, `project`, `indicator`: (ctx, fallback span, found) → None, running the scope's
    rules in code order. `filing_cells`, `project_cells`, `indicator_cells`: (ctx, owner, found)
    → None, running the cell rules on each of the owner's cells in turn. Each is None when it
    has no rules to run.

    The functions are Python source written from the rules' condition trees
    (perflint.engine.conditions): for each rule, its condition as nested `if`s, then `_emit` (the
    finding) when it holds; a rule that raises gives a PF000 finding instead (`_fail`), and the
    run goes on. A cell rule whose condition starts with a test of `cell.field` (`equals` or
    `in`) is written only for the fields that pass it, without that test. A rule whose condition
    cannot be written inline runs through its own compiled function (`Rule.condition`).

    Each function is named after its scope and rule codes (`_scope_indicator__PF201_PF202`) and
    its source is registered under `<perflint-rules:SCOPE>`, so a traceback shows the line;
    `describe()` is the plan in words (`PERFLINT_DEBUG=plan`).
    """

    def __init__(self, rules):
        by_scope: dict[str, list] = {}
        for rule in rules:
            by_scope.setdefault(rule.scope, []).append(rule)
        self.source = source = Source("plan")
        source.namespace.update(_emit=_emit, _fail=internal_error)
        self._codes: list[str] = []  # of the scope function being written
        self._own: list[str] = []
        # scope label → (function name, its file name, codes run through their own function)
        self.scopes: dict[str, tuple[str, str, list[str]]] = {}
        self.filing = self._scope("filing", by_scope.get("filing", ()))
        self.project = self._scope("project", by_scope.get("project", ()))
        self.indicator = self._scope("indicator", by_scope.get("indicator", ()))
        cell_rules = by_scope.get("cell", ())
        self.filing_cells = self._cells("filing-cells", cell_rules, FILING_CELLS)
        self.project_cells = self._cells("project-cells", cell_rules, PROJECT_CELLS)
        self.indicator_cells = self._cells("indicator-cells", cell_rules, INDICATOR_CELLS)

    def describe(self) -> str:
        """The plan in words: per scope its function, its rules, and those run on their own."""
        lines = [f"perflint: rule plan, {len(self.scopes)} compiled scope functions"]
        own: list[str] = []
        for label, (name, filename, fallen) in self.scopes.items():
            lines.append(f"  {label}: {name} in {filename}")
            own += (code for code in fallen if code not in own)
        lines.append(f"  rules run through their own function: {' '.join(own) or 'none'}")
        return "\n".join(lines) + "\n"

    def _rule_lines(self, label: str, rule: Rule, test) -> list[str]:
        """Statements running `rule` (with the condition tree `test`) on `ctx`: a finding, or
        PF000, into `found`."""
        source = self.source
        r = source.constant(rule)
        # a predicate reads the rule's params from the context
        params = [f"ctx.params = {source.constant(rule.params)}"]
        source.label = f"{label}.{rule.code}"  # the functions a condition needs of its own
        try:
            body = source.inline(
                test, lambda extras: [f"_d = _emit({r}, ctx, {extras}, fallback)"], params
            )
        except Exception:
            self._own.append(rule.code)
            condition = source.constant(rule.condition)
            body = [
                *params,
                f"_x = {condition}(ctx)",
                "if _x is not None:",
                f"    _d = _emit({r}, ctx, _x, fallback)",
            ]
        self._codes.append(rule.code)
        return [
            "_d = None",
            "try:",
            *(f"    {line}" for line in body),
            "except Exception as error:  # a faulty rule or predicate must not stop the run",
            f"    _d = _fail({r}, fallback, error)",
            "if _d is not None:",
            "    found.setdefault((_d.code, _d.span), _d)",
        ]

    def _scope(self, label: str, rules):
        """The function (ctx, fallback, found) running `rules` in order; None for no rules."""
        if not rules:
            return None
        self._codes, self._own = [], []
        name = self.source.name("scope")
        lines = [f"def {name}(ctx, fallback, found):"]
        for rule in rules:
            lines += [f"    {line}" for line in self._rule_lines(label, rule, rule.test)]
        return self._define(label, lines, name, "_scope")

    def _cells(self, label: str, rules, cells):
        """The function (ctx, owner, found) running the cell `rules` on the owner's `cells`;
        None for none."""
        self._codes, self._own = [], []
        name = self.source.name("cells")
        lines = [f"def {name}(ctx, owner, found):"]
        for path, attribute, count in cells:
            body = []
            for rule in rules:
                test = _for_field(rule.test, path)
                if test is not None:
                    body += self._rule_lines(label, rule, test)
            if not body:
                continue
            cell = f"owner.{attribute}"  # our own attribute name (perflint.fields)
            head, indent = {
                "optional": ([f"cell = {cell}", "if cell is not None:"], "    "),
                "one": ([f"cell = {cell}"], ""),
                "many": ([f"for cell in {cell}:"], "    "),
            }[count]
            setup = [
                f"ctx.cell, ctx.cell_field = cell, {self.source.constant(path)}",
                "fallback = cell.span",
            ]
            lines += [f"    {line}" for line in head]
            lines += [f"    {indent}{line}" for line in setup + body]
        return self._define(label, lines, name, "_cells") if len(lines) > 1 else None

    def _define(self, label: str, lines: list[str], name: str, kind: str):
        """Compile a scope's function under `<perflint-rules:LABEL>`, named after its rules."""
        codes = list(dict.fromkeys(self._codes))  # a cell rule is written once per field
        own = list(dict.fromkeys(self._own))
        function = self.source.define(lines, name, label)
        owner = label.split("-")[0]
        display = f"{kind}_{owner}__" + "_".join(c for c in codes if c.isidentifier())
        self.scopes[label] = (display, function.__code__.co_filename, own)
        return rename(function, display)


def _for_field(test, name: str):
    """The condition `test` of a cell rule for cells of field `name`: None when it cannot hold there,
    without its leading `cell.field` test when that test is known to pass."""
    parts = test.parts if isinstance(test, All) else (test,)
    first = parts[0] if parts else None
    if not (
        isinstance(first, Test) and first.path == "cell.field" and first.op in ("equals", "in")
    ):
        return test
    passes = name == first.arg if first.op == "equals" else name in first.arg
    return All(parts[1:]) if passes else None


def _emit(rule: Rule, ctx: Context, extras: dict, fallback: Span) -> Diagnostic:
    """The finding of `rule` whose condition held with `extras`."""
    span = extras.get("span") or (rule.locate and rule.locate(ctx, extras)) or fallback
    if (
        type(span) is not Span
    ):  # a predicate's own `span`: anything else would break sorting and output
        raise TypeError(f"the predicate gave span={span!r}, not a perflint.model.Span")
    message = rule.render(ctx, extras)
    fix = rule.make_fix(ctx, extras) if rule.make_fix else None
    return Diagnostic(rule.code, rule.name, rule.severity, message, span, fix, ctx.where)


def internal_error(rule: Rule, span: Span, error: Exception) -> Diagnostic:
    detail = f"{type(error).__name__}: {error}"
    return Diagnostic(
        "PF000", "internal-error", "error",
        Message(f"规则 {rule.code} 内部错误：{detail}", f"internal error in rule {rule.code}: {detail}"), span,
    )  # fmt: skip
