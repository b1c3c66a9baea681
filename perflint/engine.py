"""The engine: gather rules from every plugin, compile them, and walk a filing per scope."""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from perflint.context import Context
from perflint.diagnostics import Diagnostic, Message
from perflint.model import Filing, Span
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


def load_ruleset(profile: str = "auto", params: dict | None = None, host=None, memo=None) -> RuleSet:
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
            except Exception as error:  # noqa: BLE001 - a broken plugin is reported and skipped
                problems.append(f"plugin {plugin!r}: perflint_lexicon: {type(error).__name__}: {error}")
    taxonomy_dirs = []
    for plugin, paths in host.collect("perflint_taxonomy_paths"):
        try:
            taxonomy_dirs.extend(Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths))
        except TypeError as error:
            problems.append(f"plugin {plugin!r}: perflint_taxonomy_paths: {error}")
    taxonomy_dirs = tuple(taxonomy_dirs)
    try:
        taxonomy = load_taxonomy(taxonomy_dirs)
    except Exception as error:  # noqa: BLE001 - a malformed profile file from a plugin
        problems.append(f"taxonomy profiles in {[str(d) for d in taxonomy_dirs]}: {type(error).__name__}: {error}")
        taxonomy_dirs = ()
        taxonomy = load_taxonomy(taxonomy_dirs)
    fingerprint.data(taxonomy_dirs)
    if profile not in ("auto", *taxonomy.profiles):
        problems.append(f"unknown profile {profile!r} (known: auto, {', '.join(taxonomy.profiles)}); using auto")
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
            except Exception as error:  # noqa: BLE001 - a bug must not stop the run: report the file
                problems.append(f"rule file {path}: cannot be compiled: {type(error).__name__}: {error}; skipped")
                continue
            if rule.code in rules:
                problems.append(
                    f"rule file {path}: code {rule.code} is already defined by {rules[rule.code].path}; skipped"
                )
                continue
            rules[rule.code] = rule
    problems.extend(str(p) for p in host.problems)
    fingerprint.add(profile, sorted((code, sorted(table.items())) for code, table in params.items()), problems)
    if memo is not None:
        memo.save()
    return RuleSet(
        tuple(sorted(rules.values(), key=lambda r: r.code)), taxonomy, profile, tuple(problems), fingerprint.hexdigest()
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
        self.add(name, getattr(module, "__version__", None), origin, st and (st.st_size, st.st_mtime_ns))

    def plugins(self, host, predicates: dict, lexicon) -> None:
        """Plugin names and their modules' files (a plugin's version shows in them), predicates, lexicon."""
        for name, plugin in host.manager.list_name_plugin():
            self.add("plugin", name)
            self.module(getattr(plugin, "__name__", None) or getattr(type(plugin), "__module__", ""))
        modules = sorted({getattr(f, "__module__", None) or "" for f in predicates.values()})
        self.add("predicates", sorted(predicates))
        for module in modules:
            self.module(module)
        self.add("lexicon", lexicon)

    def data(self, taxonomy_dirs) -> None:
        from perflint.resources import data_dir

        for directory in (data_dir("rules") / "taxonomy", *taxonomy_dirs, data_dir("grammar")):
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


def check(filing: Filing, ruleset: RuleSet) -> list[Diagnostic]:
    """All findings of `ruleset` on `filing`, sorted by position."""
    plan = ruleset._plans.get("check")
    if plan is None:
        plan = ruleset._plans["check"] = _Plan(ruleset.rules)
    found: dict[tuple, Diagnostic] = {}
    taxonomy = ruleset.taxonomy

    def run(rules, ctx: Context, fallback: Span) -> None:
        known = {}  # guard field → its value in this context
        for rule, guards in rules:
            if guards:
                # the rule's first tests are `field in values`: skip the rule when one fails.
                # When one cannot be told here, the rule runs and meets the same error itself.
                passed = True
                for path, accepted, get in guards:
                    try:
                        value = known[path] if path in known else known.setdefault(path, get(ctx))
                        if value not in accepted:
                            passed = False
                            break
                    except Exception:  # noqa: BLE001
                        break
                if not passed:
                    continue
            ctx.params = rule.params
            try:
                extras = rule.condition(ctx)
                if extras is None:
                    continue
                span = extras.get("span") or rule.locate(ctx, extras) or fallback
                diagnostic = Diagnostic(
                    rule.code, rule.name, rule.severity, rule.render(ctx, extras), span,
                    rule.make_fix(ctx, extras) if rule.make_fix else None,
                )  # fmt: skip
            except Exception as error:  # noqa: BLE001 - a faulty rule or predicate must not stop the run
                diagnostic = internal_error(rule, fallback, error)
            found.setdefault((diagnostic.code, diagnostic.span), diagnostic)

    start = Span(filing.path, 1, 1, 1, 1)
    if plan.filing:
        run(plan.filing, Context(filing, taxonomy), start)
    project_rules, indicator_rules = plan.project, plan.indicator
    profiles = {}
    for project in filing.projects:
        profile = profiles[id(project)] = profile_for(project, taxonomy, ruleset.profile)
        if project_rules:
            run(project_rules, Context(filing, taxonomy, profile, project), project.span)
        if indicator_rules:
            for indicator in project.indicators:
                run(indicator_rules, Context(filing, taxonomy, profile, project, indicator), indicator.span)
    if plan.has_cells:
        cells, any_cell = plan.cells, plan.any_cell
        ctx = owner = None
        for name, cell, project, indicator in filing_cells(filing):
            rules = cells.get(name, any_cell)
            if not rules:
                continue
            if ctx is None or owner[0] is not project or owner[1] is not indicator:
                # one context for the cells of one indicator (or project, or the filing): rules
                # read it only while they run, and only `cell` and `cell_field` differ
                profile = profiles[id(project)] if project is not None else None
                ctx, owner = Context(filing, taxonomy, profile, project, indicator), (project, indicator)
            ctx.cell, ctx.cell_field = cell, name
            run(rules, ctx, cell.span)
    return sorted(found.values(), key=Diagnostic.sort_key)


class _Plan:
    """A rule set arranged for `check`, once: rules by scope, in code order, each with its guards.

    Guards are read off a rule's condition: when it is, or starts with (inside `all:`), tests
    `{field: F, equals: X}` / `{field: F, in: [...]}`, the rule cannot fire unless each F's value
    is among those, so each F is looked up once per context and a rule a guard rules out is
    skipped without running (in the same order as the condition, so a test that would raise
    still lets the rule run and report it). Cell rules guarded by `cell.field` are sorted by field
    name up front, so a cell meets only the rules that look at its field.
    """

    def __init__(self, rules):
        by_scope: dict[str, list] = {}
        for rule in rules:
            by_scope.setdefault(rule.scope, []).append((rule, _guards(rule)))
        self.filing = by_scope.get("filing", [])
        self.project = by_scope.get("project", [])
        self.indicator = by_scope.get("indicator", [])
        cell_rules = by_scope.get("cell", [])
        self.has_cells = bool(cell_rules)

        def by_field(guards) -> bool:
            return bool(guards) and guards[0][0] == "cell.field"

        # rules not guarded by cell.field meet every cell; the others only cells of their fields
        self.any_cell = [(rule, guards) for rule, guards in cell_rules if not by_field(guards)]
        names = set().union(*(guards[0][1] for _, guards in cell_rules if by_field(guards)))
        self.cells = {
            name: [(rule, guards[1:] if by_field(guards) else guards) for rule, guards in cell_rules if not by_field(guards) or name in guards[0][1]]
            for name in names
        }


def _guards(rule: Rule) -> tuple:
    """((field path, accepted values, getter), …) for the tests the rule's condition starts with."""
    raw = rule.raw if isinstance(rule.raw, dict) else None
    spec = raw.get("when") if raw else None
    if isinstance(spec, dict) and set(spec) == {"all"} and isinstance(spec["all"], list):
        tests = spec["all"]
    else:
        tests = [spec]
    guards = []
    for test in tests:
        guard = _guard(test)
        if guard is None:
            break
        guards.append(guard)
    return tuple(guards)


def _guard(spec):
    from perflint.context import getter

    if not isinstance(spec, dict) or not isinstance(spec.get("field"), str):
        return None
    if set(spec) == {"field", "equals"}:
        values = [spec["equals"]]
    elif set(spec) == {"field", "in"} and isinstance(spec["in"], list):
        values = spec["in"]
    else:
        return None
    if not all(value is None or isinstance(value, (str, int, float, bool)) for value in values):
        return None
    try:
        return spec["field"], frozenset(values), getter(spec["field"])
    except Exception:  # noqa: BLE001 - no guard; the rule simply always runs
        return None


def internal_error(rule: Rule, span: Span, error: Exception) -> Diagnostic:
    detail = f"{type(error).__name__}: {error}"
    return Diagnostic(
        "PF000", "internal-error", "error",
        Message(f"规则 {rule.code} 内部错误：{detail}", f"internal error in rule {rule.code}: {detail}"), span,
    )  # fmt: skip
