"""Weights and scores (分值, 权重, 产出指标(50分)): they add up to the table's total and to each
category's weight. Predicates for PF506 and PF507; a table without weights is never checked."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:分)?\s*$")


def _number(cell) -> Decimal | None:
    text = getattr(cell, "text", None)
    found = _NUMBER.match(text) if isinstance(text, str) else None
    if found is None:
        return None
    try:
        return Decimal(found.group(1))
    except InvalidOperation:
        return None


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _stated_total(project) -> Decimal | None:
    """The total a trailer row states (合计 | 100), if the table has one."""
    for row in getattr(project, "trailers", ()):
        label = "".join(getattr(row.label, "text", "").split())
        if label.startswith(("合计", "总分")) and row.value is not None:
            found = re.search(r"\d+(?:\.\d+)?", row.value.text)
            if found:
                return Decimal(found.group())
    return None


def weights_total_mismatch(ctx):
    """The indicators' weights do not add up to the table's total: the 合计 row's figure, else
    100 (a self-evaluation form may also give 90, with 预算执行率 scored 10 apart)."""
    indicators = ctx.project.indicators
    weights = [
        _number(i.weight) for i in indicators if i.weight is not None and i.weight.text.strip()
    ]
    numbers = [weight for weight in weights if weight is not None]
    if (
        not weights
        or len(numbers) != len(weights)
        or len(weights) != sum(1 for i in indicators if i.weight is not None)
    ):
        return False  # no weights, or some not numbers or missing: nothing sure to add up
    total = sum(numbers, Decimal(0))
    stated = _stated_total(ctx.project)
    if stated is not None:
        allowed = {stated}
    else:
        self_evaluation = any(i.score is not None or i.actual is not None for i in indicators)
        allowed = {Decimal(100), Decimal(90)} if self_evaluation else {Decimal(100)}
    if total in allowed:
        return False
    first = next(i for i in indicators if i.weight is not None)
    return {
        "span": first.weight.span,
        "sum": _shown(total),
        "expected": "、".join(_shown(a) for a in sorted(allowed, reverse=True)),
        "expected_en": " or ".join(_shown(a) for a in sorted(allowed, reverse=True)),
    }


def category_weight_mismatch(ctx):
    """At the first indicator of a category that states its weight (产出指标(50分)): its
    indicators' weights do not add up to it."""
    indicator, indicators = ctx.indicator, ctx.project.indicators
    for level in ("level1", "level2"):
        stated = getattr(indicator, f"{level}_weight")
        total = _number(stated)
        if total is None:
            continue
        group = _group(indicators, indicator, level)
        if group is None:
            continue
        weights = [_number(i.weight) for i in group]
        numbers = [weight for weight in weights if weight is not None]
        if len(numbers) != len(weights):
            continue
        found = sum(numbers, Decimal(0))
        if found != total:
            return {
                "span": stated.span,
                "category": getattr(indicator, level).text,
                "stated": _shown(total),
                "sum": _shown(found),
            }
    return False


def _group(indicators, indicator, level: str):
    """The indicators of `indicator`'s category when `indicator` is its first one, else None."""
    index = next((n for n, i in enumerate(indicators) if i is indicator), None)
    if index is None:
        return None
    name = getattr(indicator, level).text
    if index > 0 and getattr(indicators[index - 1], level).text == name:
        return None
    group = [indicator]
    for other in indicators[index + 1 :]:
        if getattr(other, level).text != name:
            break
        group.append(other)
    return group


WEIGHT_PREDICATES = {
    "weights_total_mismatch": weights_total_mismatch,
    "category_weight_mismatch": category_weight_mismatch,
}
