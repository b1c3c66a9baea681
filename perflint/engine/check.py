"""Checking one filing: the filing's rules, then per project and indicator, then every cell."""

from __future__ import annotations

import os
import sys

from perflint.diagnostics import Diagnostic
from perflint.engine.context import Context, indicator_context
from perflint.engine.plan import Plan
from perflint.engine.ruleset import RuleSet
from perflint.model import Filing, Span
from perflint.taxonomy import profile_for


def check(filing: Filing, ruleset: RuleSet) -> list[Diagnostic]:
    """All findings of `ruleset` on `filing`, sorted by position.

    The filing's rules run first, then per project its rules and its indicators' rules, then the
    cell rules on every cell in file order. Each runs as one compiled function
    (see perflint.engine.plan); a finding is kept once per (code, span): the first one found.
    """
    plan = ruleset._plans.get("check")
    if plan is None:
        plan = ruleset._plans["check"] = Plan(ruleset.rules)
        if "plan" in os.environ.get("PERFLINT_DEBUG", "").replace(",", " ").split():
            sys.stderr.write(plan.describe())
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
