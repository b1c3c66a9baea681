"""The engine: gather rules from every plugin, compile them, and walk a filing per scope."""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from perflint.conditions import All, Source, Test
from perflint.context import Context, indicator_context
from perflint.diagnostics import Diagnostic, Message
from perflint.model import Filing, Span
from perflint.readers.forms import plugin_forms
from perflint.rules import Rule, RuleError, compile_rule, read_rule_file
from perflint.taxonomy import Taxonomy, load_taxonomy, profile_for

PROFILES = ("auto", "legacy", "mof-2021")


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    taxonomy: Taxonomy
    profile: str = "auto"
    problems: tuple[str, ...] = ()  # broken rule files and plugins, reported once per run
    # a hash of everything the rules' findings depend on besides perflint's code: rule files,
    # taxonomy and grammar data, plugin modules and their lexicon additions (for the result cache)
    fingerprint: str = ""
    _plans: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def by_code(self) -> dict[str, Rule]:
        return {rule.code: rule for rule in self.rules}

    def only(self, codes) -> RuleSet:
        wanted = set(codes)
        return replace(self, rules=tuple(r for r in self.rules if r.code in wanted))


def rule_files(paths, problems: list | None = None, plugin: str = "") -> list[Path]:
    """The rule files in `paths` (files or directories); what is not a path becomes a problem."""
    files = []
    if isinstance(paths, (str, Path)):
        paths = [paths]
    try:
        paths = list(paths)
    except TypeError:
        paths = [paths]
    for entry in paths:
        try:
            path = Path(entry)
            if path.is_dir():
                files.extend(sorted(p for p in path.glob("*.y*ml") if p.is_file()))
            elif path.is_file():
                files.append(path)
        except (TypeError, OSError) as error:
            if problems is not None:
                problems.append(f"plugin {plugin!r}: perflint_rule_paths gave {entry!r}: {error}")
    return files


def load_ruleset(
    profile: str = "auto", params: dict | None = None, host=None, memo=None
) -> RuleSet:
    """Every rule from every plugin, compiled with `params` ({code: {param: value}}) applied.

    `memo` (a `perflint.cache.RuleMemo`) lets rule files that passed the schema check before skip
    it; the rule set and every message are the same with or without it.
    """
    if host is None:
        from perflint.plugins.host import get_host

        host = get_host()
    problems: list[str] = []
    predicates = host.merged("perflint_predicates")
    lexicon = host.collect("perflint_lexicon")
    fingerprint = _Fingerprint()
    fingerprint.plugins(host, predicates, lexicon)
    if lexicon:
        from perflint.values import extend_lexicon

        for plugin, extra in lexicon:
            try:
                extend_lexicon(**extra)
            except Exception as error:
                problems.append(
                    f"plugin {plugin!r}: perflint_lexicon: {type(error).__name__}: {error}"
                )
    taxonomy_dirs = []
    for plugin, paths in host.collect("perflint_taxonomy_paths"):
        try:
            taxonomy_dirs.extend(
                Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)
            )
        except TypeError as error:
            problems.append(f"plugin {plugin!r}: perflint_taxonomy_paths: {error}")
    taxonomy_dirs = tuple(taxonomy_dirs)
    try:
        taxonomy = load_taxonomy(taxonomy_dirs)
    except Exception as error:
        problems.append(
            f"taxonomy profiles in {[str(d) for d in taxonomy_dirs]}: {type(error).__name__}: {error}"
        )
        taxonomy_dirs = ()
        taxonomy = load_taxonomy(taxonomy_dirs)
    fingerprint.data(taxonomy_dirs)
    forms_files, forms_problems = plugin_forms(host)  # a province's forms: read by the readers
    problems.extend(forms_problems)
    for path in forms_files:
        fingerprint.file(path)
    if profile not in ("auto", *taxonomy.profiles):
        problems.append(
            f"unknown profile {profile!r} (known: auto, {', '.join(taxonomy.profiles)}); using auto"
        )
        profile = "auto"
    rules: dict[str, Rule] = {}
    params = params or {}
    for plugin, paths in host.collect("perflint_rule_paths"):
        for path in rule_files(paths, problems, plugin):
            fingerprint.file(path)
            try:
                raw = read_rule_file(path, memo)
                rule = compile_rule(raw, str(path), predicates, params.get(raw["code"]))
            except RuleError as error:
                problems.append(f"rule file {error}")
                continue
            except Exception as error:
                problems.append(
                    f"rule file {path}: cannot be compiled: {type(error).__name__}: {error}; skipped"
                )
                continue
            if rule.code in rules:
                problems.append(
                    f"rule file {path}: code {rule.code} is already defined by {rules[rule.code].path}; skipped"
                )
                continue
            rules[rule.code] = rule
    problems.extend(str(p) for p in host.problems)
    fingerprint.add(
        profile, sorted((code, sorted(table.items())) for code, table in params.items()), problems
    )
    if memo is not None:
        memo.save()
    return RuleSet(
        tuple(sorted(rules.values(), key=lambda r: r.code)),
        taxonomy,
        profile,
        tuple(problems),
        fingerprint.hexdigest(),
    )


class _Fingerprint:
    """sha256 over the inputs of a rule set (see RuleSet.fingerprint); cheap: a few small files."""

    def __init__(self):
        self.hash = hashlib.sha256()

    def add(self, *parts) -> None:
        self.hash.update(repr(parts).encode("utf-8", "replace") + b"\0")

    def file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            data = repr(error).encode()
        self.add(str(path), len(data))
        self.hash.update(data)

    def module(self, name: str) -> None:
        module = sys.modules.get(name)
        origin = getattr(module, "__file__", None)
        try:
            st = os.stat(origin) if origin else None
        except OSError:
            st = None
        self.add(
            name, getattr(module, "__version__", None), origin, st and (st.st_size, st.st_mtime_ns)
        )

    def plugins(self, host, predicates: dict, lexicon) -> None:
        """Plugin names and their modules' files (a plugin's version shows in them), predicates, lexicon."""
        for name, plugin in host.manager.list_name_plugin():
            self.add("plugin", name)
            self.module(
                getattr(plugin, "__name__", None) or getattr(type(plugin), "__module__", "")
            )
        modules = sorted({getattr(f, "__module__", None) or "" for f in predicates.values()})
        self.add("predicates", sorted(predicates))
        for module in modules:
            self.module(module)
        self.add("lexicon", lexicon)

    def data(self, taxonomy_dirs) -> None:
        from perflint.resources import data_dir

        for directory in (
            data_dir("rules") / "taxonomy",
            data_dir("rules") / "forms",
            *taxonomy_dirs,
            data_dir("grammar"),
        ):
            for path in sorted(Path(directory).glob("*")):
                if path.is_file():
                    self.file(path)

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def filing_cells(filing: Filing):
    """(field path, Cell, project, indicator) for every text cell, in file order."""
    for name in ("department_name", "overall_goal"):
        cell = getattr(filing, name)
        if cell is not None:
            yield f"filing.{name}", cell, None, None
    for cell in filing.sub_goals:
        yield "filing.sub_goals", cell, None, None
    for project in filing.projects:
        for name in ("code", "name", "purpose"):
            yield f"project.{name}", getattr(project, name), project, None
        for cell in project.goals:
            yield "project.goals", cell, project, None
        for indicator in project.indicators:
            for name in ("level1", "level2", "name", "description", "value", "basis"):
                yield f"indicator.{name}", getattr(indicator, name), project, indicator


# The cells of filing_cells, by owner: (field path, attribute, how many) of the filing, a project,
# an indicator. "optional": a Cell or None; "one": a Cell; "many": a tuple of Cells.
FILING_CELLS = (
    ("filing.department_name", "department_name", "optional"),
    ("filing.overall_goal", "overall_goal", "optional"),
    ("filing.sub_goals", "sub_goals", "many"),
)
PROJECT_CELLS = (
    ("project.code", "code", "one"), ("project.name", "name", "one"), ("project.purpose", "purpose", "one"),
    ("project.goals", "goals", "many"),
)  # fmt: skip
INDICATOR_CELLS = tuple(
    (f"indicator.{name}", name, "one")
    for name in ("level1", "level2", "name", "description", "value", "basis")
)


def check(filing: Filing, ruleset: RuleSet) -> list[Diagnostic]:
    """All findings of `ruleset` on `filing`, sorted by position.

    The filing's rules run first, then per project its rules and its indicators' rules, then the
    cell rules on every cell in file order (filing_cells). Each runs as one compiled function
    (see _Plan); a finding is kept once per (code, span): the first one found.
    """
    plan = ruleset._plans.get("check")
    if plan is None:
        plan = ruleset._plans["check"] = _Plan(ruleset.rules)
    found: dict[tuple, Diagnostic] = {}
    taxonomy = ruleset.taxonomy
    if plan.filing:
        plan.filing(Context(filing, taxonomy), Span(filing.path, 1, 1, 1, 1), found)
    run_project, run_indicator = plan.project, plan.indicator
    cells_of_project, cells_of_indicator = plan.project_cells, plan.indicator_cells
    # the contexts of projects and indicators in visiting order, kept for their cells (visited in
    # the same order): rules read a context only while they run, and the cell functions set
    # `cell` and `cell_field` first
    project_contexts, indicator_contexts = [], []
    profiles = []
    for project in filing.projects:
        profile = profile_for(project, taxonomy, ruleset.profile)
        profiles.append(profile)
        if run_project:
            ctx = Context(filing, taxonomy, profile, project)
            run_project(ctx, project.span, found)
            project_contexts.append(ctx)
        if run_indicator:
            for indicator in project.indicators:
                ctx = indicator_context(filing, taxonomy, profile, project, indicator)
                run_indicator(ctx, indicator.span, found)
                indicator_contexts.append(ctx)
    if plan.filing_cells:
        plan.filing_cells(Context(filing, taxonomy), filing, found)
    if cells_of_project or cells_of_indicator:
        kept_projects, kept_indicators = iter(project_contexts), iter(indicator_contexts)
        for project, profile in zip(filing.projects, profiles):
            if cells_of_project:
                ctx = next(kept_projects, None) or Context(filing, taxonomy, profile, project)
                cells_of_project(ctx, project, found)
            if cells_of_indicator:
                for indicator in project.indicators:
                    ctx = next(kept_indicators, None) or Context(
                        filing, taxonomy, profile, project, indicator
                    )
                    cells_of_indicator(ctx, indicator, found)
    return sorted(found.values(), key=Diagnostic.sort_key)


class _Plan:
    """A rule set arranged for `check`, once, as compiled functions.

    `filing`, `project`, `indicator`: (ctx, fallback span, found) → None, running the scope's
    rules in code order. `filing_cells`, `project_cells`, `indicator_cells`: (ctx, owner, found)
    → None, running the cell rules on each of the owner's cells in turn. Each is None when it
    has no rules to run.

    The functions are Python source written from the rules' condition trees (perflint.conditions):
    for each rule, its condition as nested `if`s, then `_emit` (the finding) when it holds; a rule
    that raises gives a PF000 finding instead (`_fail`), and the run goes on. A cell rule whose
    condition starts with a test of `cell.field` (`equals` or `in`) is written only for the fields
    that pass it, without that test.
    """

    def __init__(self, rules):
        by_scope: dict[str, list] = {}
        for rule in rules:
            by_scope.setdefault(rule.scope, []).append(rule)
        self.source = source = Source()
        source.namespace.update(_emit=_emit, _fail=internal_error)
        self.filing = _scope_function(source, by_scope.get("filing", ()))
        self.project = _scope_function(source, by_scope.get("project", ()))
        self.indicator = _scope_function(source, by_scope.get("indicator", ()))
        cell_rules = by_scope.get("cell", ())
        self.filing_cells = _cells_function(source, cell_rules, FILING_CELLS)
        self.project_cells = _cells_function(source, cell_rules, PROJECT_CELLS)
        self.indicator_cells = _cells_function(source, cell_rules, INDICATOR_CELLS)


def _rule_lines(source: Source, rule: Rule, test) -> list[str]:
    """Statements running `rule` (with the condition tree `test`) on `ctx`: a finding, or PF000, into `found`."""
    r = source.constant(rule)
    # a predicate reads the rule's params from the context
    params = [f"ctx.params = {source.constant(rule.params)}"]
    try:
        body = source.inline(
            test, lambda extras: [f"_d = _emit({r}, ctx, {extras}, fallback)"], params
        )
    except Exception:
        condition = source.constant(rule.condition)
        body = [
            *params,
            f"_x = {condition}(ctx)",
            "if _x is not None:",
            f"    _d = _emit({r}, ctx, _x, fallback)",
        ]
    return [
        "_d = None",
        "try:",
        *(f"    {line}" for line in body),
        "except Exception as error:  # a faulty rule or predicate must not stop the run",
        f"    _d = _fail({r}, fallback, error)",
        "if _d is not None:",
        "    found.setdefault((_d.code, _d.span), _d)",
    ]


def _scope_function(source: Source, rules):
    """The function (ctx, fallback, found) running `rules` in order; None for no rules."""
    if not rules:
        return None
    name = source.name("scope")
    lines = [f"def {name}(ctx, fallback, found):"]
    for rule in rules:
        lines += [f"    {line}" for line in _rule_lines(source, rule, rule.test)]
    return source.define(lines, name)


def _cells_function(source: Source, rules, cells):
    """The function (ctx, owner, found) running the cell `rules` on the owner's `cells`; None for none."""
    name = source.name("cells")
    lines = [f"def {name}(ctx, owner, found):"]
    for path, attribute, count in cells:
        body = []
        for rule in rules:
            test = _for_field(rule.test, path)
            if test is not None:
                body += _rule_lines(source, rule, test)
        if not body:
            continue
        cell = f"owner.{attribute}"  # our own attribute name (the tables above)
        head, indent = {
            "optional": ([f"cell = {cell}", "if cell is not None:"], "    "),
            "one": ([f"cell = {cell}"], ""),
            "many": ([f"for cell in {cell}:"], "    "),
        }[count]
        setup = [
            f"ctx.cell, ctx.cell_field = cell, {source.constant(path)}",
            "fallback = cell.span",
        ]
        lines += [f"    {line}" for line in head]
        lines += [f"    {indent}{line}" for line in setup + body]
    return source.define(lines, name) if len(lines) > 1 else None


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
    span = extras.get("span") or rule.locate(ctx, extras) or fallback
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
