"""Predicates on a project as a whole: its budget and spending plan, its code, and how much it
copies the projects before it (PF5xx, PF601, PF602)."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from perflint.engine.compare import MAX_COMPARED, normalise_text
from perflint.engine.project_memo import per_project
from perflint.values import MAX_EXPONENT, parse_value


def _money(cell_text: str, default_unit: str):
    """A budget cell as Decimal in `default_unit` (empty → 0); None when it is not a number."""
    text = cell_text.strip().replace(",", "").replace("，", "")
    if not text:
        return Decimal(0)
    try:
        number = Decimal(text)
    except InvalidOperation:
        value = parse_value(text)
        return value.number_in(default_unit) if value.kind == "quantity" else None
    # NaN, Infinity and 9e999999 are not amounts; arithmetic on them would trap
    return number if number.is_finite() and abs(number.adjusted()) <= MAX_EXPONENT else None


def money_unit(ctx) -> str:
    for unit in (ctx.project.money_unit, ctx.filing.money_unit):
        if unit is not None and unit.text.strip():
            return unit.text.strip()
    return "万元"


_BUDGET_PARTS = frozenset(
    ("project.budget_total", "project.budget_fiscal", "project.budget_other", "project.budget_sum")
)


def budget_sum_mismatch(ctx):
    """PF501: 预算数 ≠ 财政资金 + 其他资金 (empty 其他资金 is 0)."""
    project, unit = ctx.project, money_unit(ctx)
    if not project.budget_total.text.strip() or project.absent & _BUDGET_PARTS:
        return (
            None  # the form lacks a part of the sum, or has more sources of money than 财政 + 其他
        )
    total, fiscal, other = (
        _money(c.text, unit)
        for c in (project.budget_total, project.budget_fiscal, project.budget_other)
    )
    if None in (total, fiscal, other) or total == fiscal + other:
        return None
    return {"sum": f"{fiscal + other:f}", "unit": unit}


def cost_exceeds_budget(ctx):
    """PF502: a 成本指标's upper bound is above the project's 预算数 (units converted)."""
    if ctx.category_kind != "cost":
        return None
    value, unit = ctx.value, money_unit(ctx)
    if value.unit_class != "money" or value.comparator in ("≥", ">"):
        return None
    bound = (
        value.number_in(unit)
        if value.kind == "quantity"
        else value.high_in(unit)
        if value.kind == "range"
        else None
    )
    budget = _money(ctx.project.budget_total.text, unit)
    if bound is None or not budget or bound <= budget:
        return None
    return {"budget": f"{budget:f}", "unit": unit}


def _percent(text: str):
    value = parse_value(text)
    return value.number if value.kind == "quantity" and value.unit_class == "percent" else None


def spending_plan_decreasing(ctx):
    """PF503: the cumulative spending plan goes down from one checkpoint to the next."""
    previous = None
    for checkpoint in ctx.project.spending_plan:
        number = _percent(checkpoint.percent.text)
        if number is None:
            continue
        if previous is not None and number < previous[1]:
            return {
                "span": checkpoint.percent.span,
                "label": checkpoint.label.text,
                "before": previous[0],
            }
        previous = (checkpoint.label.text, number)
    return None


def spending_plan_incomplete(ctx):
    """PF504: no plan, a checkpoint that is not a percentage, or a last checkpoint below 100%."""
    plan = ctx.project.spending_plan
    if not plan and "project.spending_plan" in ctx.project.absent:
        return None  # the form has no 资金支出计划
    if not plan:
        return {"problem_zh": "未填写资金支出计划", "problem_en": "no spending plan"}
    for checkpoint in plan:
        if _percent(checkpoint.percent.text) is None:
            return {
                "span": checkpoint.percent.span,
                "problem_zh": f"节点“{checkpoint.label.text}”的比例“{checkpoint.percent.text}”不是百分比",
                "problem_en": f"checkpoint '{checkpoint.label.text}' has '{checkpoint.percent.text}', not a percentage",
            }
    last = plan[-1]
    if _percent(last.percent.text) < 100:
        return {
            "span": last.percent.span,
            "problem_zh": f"最后节点“{last.label.text}”仅为{last.percent.text}，应为100%",
            "problem_en": f"the last checkpoint '{last.label.text}' is {last.percent.text}, not 100%",
        }
    return None


_CODE = re.compile(r"^\d{6}(\d{2})P[0-9A-Z]{12}$")


def project_code_problem(ctx):
    """PF505: a 项目编码 not shaped region(6) + year(2) + P + 12 of [0-9A-Z], or whose year is not the table's."""
    code = ctx.project.code.text.strip()
    if not code:
        return None
    match = _CODE.match(code)
    if not match:
        return {
            "problem_zh": "格式应为6位区划+2位年度+P+12位数字或大写字母",
            "problem_en": "expected 6-digit region + 2-digit year + P + 12 of [0-9A-Z]",
        }
    year = ctx.filing.year.text.strip() if ctx.filing.year is not None else ""
    if re.fullmatch(r"\d{4}", year) and match.group(1) != year[2:]:
        return {
            "problem_zh": f"年度位为“{match.group(1)}”，与表的年度{year}不符",
            "problem_en": f"year digits '{match.group(1)}' differ from the table's year {year}",
        }
    return None


def _row_key(indicator) -> tuple[str, str, str]:
    return (
        normalise_text(indicator.level2.text),
        normalise_text(indicator.name.text),
        normalise_text(indicator.description.text),
    )


# PF601/PF602 compare a project with the projects before it. A filing holds a handful; a
# hostile or merged file may hold thousands, so each project is compared with at most the
# MAX_EARLIER projects just before it, and goal texts by their first MAX_COMPARED characters.
MAX_EARLIER = 100


_last: tuple = ((), {})  # the last filing's projects (held, so their ids stay valid), {id: index}


def _earlier(ctx):
    """The projects before ctx.project in file order, at most MAX_EARLIER of them."""
    global _last
    projects = ctx.filing.projects
    held, positions = _last
    if held is not projects:
        positions = {id(project): i for i, project in reversed(tuple(enumerate(projects)))}
        _last = (projects, positions)
    index = positions.get(id(ctx.project))
    if index is None or projects[index] is not ctx.project:
        index = next(
            (i for i, project in enumerate(projects) if project is ctx.project), len(projects)
        )
    return projects[max(0, index - MAX_EARLIER) : index]


@per_project
def _row_keys(project) -> frozenset:
    return frozenset(_row_key(i) for i in project.indicators)


def copied_indicator_set(ctx, ratio: float = 0.8):
    """PF601: this project shares at least `ratio` of the smaller project's rows with an earlier project."""
    mine = _row_keys(ctx, ctx.project)
    if not mine:
        return None
    for earlier in _earlier(ctx):
        theirs = _row_keys(ctx, earlier)
        if not theirs:
            continue
        shared = len(mine & theirs)
        share = shared / min(len(mine), len(theirs))
        if share >= ratio:
            return {"earlier": earlier.name.text, "shared": shared, "percent": f"{share:.0%}"}
    return None


@per_project
def _goal_text(project) -> str:
    return normalise_text("".join(g.text for g in project.goals))[:MAX_COMPARED]


def copied_goal_text(ctx, ratio: float = 0.9):
    """PF602: this project's goal statements are (nearly) the same as an earlier project's."""
    mine = _goal_text(ctx, ctx.project)
    if not mine:
        return None
    for earlier in _earlier(ctx):
        theirs = _goal_text(ctx, earlier)
        if not theirs:
            continue
        if (
            _may_reach(mine, theirs, ratio)
            and difflib.SequenceMatcher(None, mine, theirs).ratio() >= ratio
        ):
            return {"earlier": earlier.name.text, "span": ctx.project.goals[0].span}
    return None


@lru_cache(maxsize=4096)
def _counts(text: str) -> Counter:
    return Counter(text)


def _may_reach(a: str, b: str, ratio: float) -> bool:
    """Whether SequenceMatcher(None, a, b).ratio() can reach `ratio`: difflib's quick_ratio (the
    characters in common, an upper bound of ratio), computed the same way, from cached counts."""
    total = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / total < ratio:
        return False
    small, large = sorted((_counts(a), _counts(b)), key=len)
    common = sum(min(n, large[c]) for c, n in small.items())
    return 2.0 * common / total >= ratio
