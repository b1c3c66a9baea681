"""The Project a table read becomes: its fields, plan, indicators and what its form lacks."""

from __future__ import annotations

from perflint.diagnostics import Diagnostic
from perflint.model import Checkpoint, Project
from perflint.readers import parse_error
from perflint.readers.forms import Forms
from perflint.readers.tables import cells as c
from perflint.readers.tables.draft import PROJECT_FIELDS, Draft
from perflint.readers.tables.indicators import indicators as read_indicators
from perflint.taxonomy import Taxonomy


def build_project(
    draft: Draft, forms: Forms, taxonomy: Taxonomy, diagnostics: list[Diagnostic]
) -> Project:
    """The Project a table read becomes (PF001 for a table with no indicator table)."""
    at = draft.span
    if draft.columns is None:
        diagnostics.append(
            parse_error(
                at.point(),
                "项目表不完整：缺少绩效指标表（一级指标…指标值确定依据）",
                "incomplete project table: no indicator table found",
            )
        )
    plan_values = draft.plan_values or []
    if draft.plan_labels and len(plan_values) != len(draft.plan_labels):
        where = plan_values[0].span if plan_values else at.point()
        diagnostics.append(
            parse_error(
                where,
                "资金支出计划的时间节点与比例个数不一致",
                "spending plan checkpoints and percentages do not pair up",
            )
        )
    plan = tuple(Checkpoint(label, value) for label, value in zip(draft.plan_labels, plan_values))
    indicators, absent_columns = read_indicators(draft, forms, taxonomy)
    fields = dict(draft.fields)
    seen = set(draft.seen)
    if draft.kind == "department" and "name" not in fields and draft.department_name is not None:
        fields["name"] = draft.department_name  # a department's table is named by the department
        seen.add("name")
    absent = {f"project.{name}" for name in PROJECT_FIELDS if name not in seen}
    if "budget_part" in seen:
        absent.add("project.budget_sum")  # more sources of money than 财政 + 其他: no sum to check
    missing = c.empty(at)
    return Project(
        **{
            key: fields.get(key, missing)
            for key in ("code", "name", "budget_total", "budget_fiscal", "budget_other", "purpose")
        },
        spending_plan=plan,
        goals=tuple(draft.goals),
        indicators=tuple(indicators),
        span=at,
        money_unit=draft.money_unit,
        kind=draft.kind,
        info=tuple(draft.info),
        trailers=tuple(draft.trailers),
        absent=frozenset(absent | absent_columns),
        header=draft.header.span if draft.header is not None else None,
    )
