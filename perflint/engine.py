"""The engine: gather rules from every plugin, compile them, and walk a filing per scope."""

from __future__ import annotations

from dataclasses import dataclass, replace
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

    def by_code(self) -> dict[str, Rule]:
        return {rule.code: rule for rule in self.rules}

    def only(self, codes) -> RuleSet:
        wanted = set(codes)
        return replace(self, rules=tuple(r for r in self.rules if r.code in wanted))


def rule_files(paths) -> list[Path]:
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.y*ml") if p.is_file()))
        elif path.is_file():
            files.append(path)
    return files


def load_ruleset(profile: str = "auto", params: dict | None = None, host=None) -> RuleSet:
    """Every rule from every plugin, compiled with `params` ({code: {param: value}}) applied."""
    if host is None:
        from perflint.plugins.host import get_host

        host = get_host()
    problems: list[str] = []
    predicates = host.merged("perflint_predicates")
    lexicon = host.collect("perflint_lexicon")
    if lexicon:
        from perflint.values import extend_lexicon

        for _, extra in lexicon:
            extend_lexicon(**extra)
    taxonomy_dirs = tuple(Path(p) for _, paths in host.collect("perflint_taxonomy_paths") for p in paths)
    taxonomy = load_taxonomy(taxonomy_dirs)
    if profile not in ("auto", *taxonomy.profiles):
        problems.append(f"unknown profile {profile!r} (known: auto, {', '.join(taxonomy.profiles)}); using auto")
        profile = "auto"
    rules: dict[str, Rule] = {}
    params = params or {}
    for plugin, paths in host.collect("perflint_rule_paths"):
        for path in rule_files(paths):
            try:
                raw = read_rule_file(path)
                rule = compile_rule(raw, str(path), predicates, params.get(raw["code"]))
            except RuleError as error:
                problems.append(f"rule file {error}")
                continue
            if rule.code in rules:
                problems.append(
                    f"rule file {path}: code {rule.code} is already defined by {rules[rule.code].path}; skipped"
                )
                continue
            rules[rule.code] = rule
    problems.extend(str(p) for p in host.problems)
    return RuleSet(tuple(sorted(rules.values(), key=lambda r: r.code)), taxonomy, profile, tuple(problems))


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
    by_scope: dict[str, list[Rule]] = {}
    for rule in ruleset.rules:
        by_scope.setdefault(rule.scope, []).append(rule)
    found: dict[tuple, Diagnostic] = {}
    taxonomy = ruleset.taxonomy

    def run(rules, ctx: Context, fallback: Span) -> None:
        for rule in rules:
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
    run(by_scope.get("filing", ()), Context(filing, taxonomy), start)
    for project in filing.projects:
        profile = profile_for(project, taxonomy, ruleset.profile)
        run(by_scope.get("project", ()), Context(filing, taxonomy, profile, project), project.span)
        indicator_rules = by_scope.get("indicator", ())
        if indicator_rules:
            for indicator in project.indicators:
                run(indicator_rules, Context(filing, taxonomy, profile, project, indicator), indicator.span)
    cell_rules = by_scope.get("cell", ())
    if cell_rules:
        profiles = {id(p): profile_for(p, taxonomy, ruleset.profile) for p in filing.projects}
        for name, cell, project, indicator in filing_cells(filing):
            profile = profiles[id(project)] if project is not None else None
            run(cell_rules, Context(filing, taxonomy, profile, project, indicator, cell, name), cell.span)
    return sorted(found.values(), key=Diagnostic.sort_key)


def internal_error(rule: Rule, span: Span, error: Exception) -> Diagnostic:
    detail = f"{type(error).__name__}: {error}"
    return Diagnostic(
        "PF000", "internal-error", "error",
        Message(f"规则 {rule.code} 内部错误：{detail}", f"internal error in rule {rule.code}: {detail}"), span,
    )  # fmt: skip
