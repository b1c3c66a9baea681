"""Named pure predicates for `call:` conditions — what the condition vocabulary cannot say.

Each takes the Context (and keyword args from the rule file) and returns a falsy value (no
finding), True, or a dict of extras for the message (`{extra.NAME}`), the fix, or `span` to
point the finding somewhere more exact than the rule's `at:`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from perflint import fields
from perflint.engine.compare import normalise_text
from perflint.engine.project_memo import per_project
from perflint.engine.project_predicates import (
    budget_sum_mismatch,
    copied_goal_text,
    copied_indicator_set,
    cost_exceeds_budget,
    project_code_problem,
    spending_plan_decreasing,
    spending_plan_incomplete,
)
from perflint.values import parse_value, unit_info

_LOWER_IS_BETTER = re.compile(
    r"差错|错误|故障|事故|投诉|发生|误差|超支|返工|流失|死亡|违约|空置|失误|损耗|不合格|逾期|偏差|复发|上访|信访量|案件数"
)


def _names(field: str) -> dict:
    zh, en = fields.label(field)
    return {"field_zh": zh, "field_en": en}


def _absent(ctx, path: str) -> bool:
    """Whether the form of the project in scope has no such field (it is not "left empty")."""
    project = ctx.project
    return project is not None and path in project.absent


def field_label(ctx):
    """PF101: the Chinese and English name of the cell's column, for the message; nothing for a
    field the form does not have."""
    if _absent(ctx, ctx.cell_field):
        return None
    return _names(ctx.cell_field)


def has_column(ctx, field: str):
    """Whether the form has the column or field `field` (e.g. indicator.basis)."""
    return not _absent(ctx, field)


def column_absent(ctx, field: str):
    """PF410: the project's table has no `field` column at all: one finding for the table."""
    project = ctx.project
    if field not in project.absent or not project.indicators:
        return None
    first = project.indicators[0]
    zh, en = fields.label(field)
    at = project.header or first.span  # the header row, where the column would be named
    return {"field_zh": zh, "field_en": en, "span": at, "rows": len(project.indicators)}


def unknown_category(ctx):
    """PF102: a 一级/二级 cell names a category the project's profile does not have."""
    taxonomy, profile, text = ctx.taxonomy, ctx.profile, ctx.cell.text
    if not text.strip() or profile is None:
        return None
    if ctx.cell_field == "indicator.level1":
        canonical = taxonomy.canonical_level1(text)
        known = profile.level1_names
        level = ("一级指标", "first-level")
    elif ctx.cell_field == "indicator.level2":
        canonical = taxonomy.canonical_level2(text)
        known = profile.level2_names
        level = ("二级指标", "second-level")
    else:
        return None
    if canonical in known:
        return None
    choices = known  # in the profile's own order
    return {
        "level_zh": level[0],
        "level_en": level[1],
        "profile": profile.name,
        "choices": "、".join(choices),
    }


def misplaced_category(ctx):
    """PF103: a known 二级 under a 一级 that, in this profile, does not hold it."""
    profile = ctx.profile
    level1, level2 = ctx.group, ctx.category  # the canonical 一级 and 二级
    if not level1 or not level2 or level1 not in profile.structure:
        return None
    parents = profile.parents(level2)
    if not parents or level1 in parents:
        return None
    return {"expected": "、".join(parents), "profile": profile.name}


def missing_category(ctx):
    """PF104: the project lacks a 数量指标 row or a category its profile requires."""
    taxonomy, profile, project = ctx.taxonomy, ctx.profile, ctx.project
    if {"indicator.level1", "indicator.level2"} <= project.absent:
        return None  # a table of 三级 only names no categories
    present = set()
    for indicator in project.indicators:
        present.add(taxonomy.canonical_level1(indicator.level1.text))
        present.add(taxonomy.canonical_level2(indicator.level2.text))
    wanted = ["数量指标", *(name for name in profile.required if name != "数量指标")]
    missing = [name for name in wanted if name not in present]
    if not missing:
        return None
    return {"missing": "、".join(missing), "profile": profile.name}


def duplicate_indicator(ctx):
    """PF105: the same 三级 name appears earlier in the same project."""
    key = normalise_text(ctx.indicator.name.text)
    if not key:
        return None
    try:
        firsts = _earlier_namesakes(ctx, ctx.project)
    except Exception:
        firsts = {}
    if id(ctx.indicator) in firsts:
        found, other = firsts[id(ctx.indicator)]
        return (
            {"first_line": other.name.span.line}
            if found is ctx.indicator and other is not None
            else None
        )
    for other in ctx.project.indicators:
        if other is ctx.indicator:
            return None
        if normalise_text(other.name.text) == key:
            return {"first_line": other.name.span.line}
    return None


@per_project
def _earlier_namesakes(project) -> dict:
    """{id(row): (row, the first row before it with the same normalised 三级 name, or None)} — what
    duplicate_indicator's loop finds for each row, in one pass over the project."""
    firsts: dict[int, tuple] = {}
    seen: dict[str, object] = {}
    for row in project.indicators:
        if id(row) in firsts:
            continue  # the same row again: its loop stops at its first place
        key = normalise_text(row.name.text)
        firsts[id(row)] = (row, seen.get(key) if key else None)
        seen.setdefault(key, row)
    return firsts


# A reduction to reach (能耗降低率 ≥15%) is a lower bound although its name says 降低/减少.
_REDUCTION_TARGET = re.compile(
    r"降低率|下降率|减少率|降幅|减幅|压减率|节约率|节支率|节能率|减排率|削减率|化解率"
)
_DURATION_NAME = re.compile(
    r"时限|周期|用时|耗时|办结|处置|响应|到达|等待|审批|办理"
)  # a time limit, not 培训时长
_GROWTH_NAME = re.compile(r"增长|增幅|增速|增加|提高|提升|同比|环比|比上年|上升|下降|降低|减少")


def _direction(ctx) -> str | None:
    """The comparator a bare target surely means, or None when it cannot be told from the row.

    A count or rate is a floor (≥) unless its name says it should stay low (差错率, 投诉件数 → ≤);
    a reduction to reach (降低率) is a floor; zero is exact (＝0起); money is a ceiling only
    under a cost category, a duration only when its name says it is a time limit. Nothing is
    suggested for a value that does not fit its category (≤500万元 under 数量指标 could not be right).
    """
    value, name = ctx.value, ctx.indicator.name.text + ctx.indicator.description.text
    if not value_fits_category(ctx):
        return None
    if value.number == 0:
        return "="
    lower = bool(_LOWER_IS_BETTER.search(name)) and not _REDUCTION_TARGET.search(name)
    cls = value.unit_class
    if cls == "money" or (cls == "rate" and (value.unit or "").split("/")[0] in _MONEY_UNITS):
        return "≤" if ctx.category_kind == "cost" else None
    if cls == "time":
        return "≤" if _DURATION_NAME.search(name) else None
    if cls in ("percent", "count", "other", None):
        return "≤" if lower else "≥"
    return None


_MONEY_UNITS = frozenset(("元", "千元", "万元", "亿元"))


def suggest_comparator(ctx):
    """PF203: a quantitative target with no comparator; the comparator it surely means, when one
    can be told (`comparator`, for the message and the fix), else no fix. Not for a number a
    viewer's lost ≥ produced, nor for a target that cannot be right (PF210 / PF209 say so instead)."""
    if lost_comparator(ctx) or impossible_target(ctx):
        return None  # PF210 / PF209 say what is wrong; a comparator would not make it right
    comparator = _direction(ctx)
    if comparator is None:
        return {
            "comparator": "",
            "advice_zh": "请按目标方向补写≥、≤或＝",
            "advice_en": "add ≥, ≤ or ＝ as the target means",
        }
    shown = ctx.indicator.value.text.strip()
    return {
        "comparator": comparator,
        "advice_zh": f"应写作“{comparator}{shown}”",
        "advice_en": f"write '{comparator}{shown}'",
    }


def value_fits_category(ctx):
    """PF301/303/304/305: the value has a kind and unit class the 二级 category expects (taxonomy data)."""
    value = ctx.value
    kind = ctx.category_kind
    expects = ctx.taxonomy.expects.get(kind)
    if expects is None or value.kind in ("empty", "not_applicable") or unit_only_value(ctx):
        return True  # nothing to judge, or PF211 / PF213 speak for the row
    if _PLACEHOLDER.search(value.text):
        return True  # ≥**人次: PF207 speaks for it
    if value.kind not in expects["kinds"]:
        return False
    name = ctx.indicator.name.text + ctx.indicator.description.text
    if value.kind in ("quantity", "range"):
        cls = value.unit_class
        if _bare_wan(ctx):
            return True  # ≥1.2万 for 人次: PF204 asks what the 万 counts
        if cls not in expects["unit_classes"]:
            # a percentage where the category's own names allow one (按时完成率 under 时效, 节支率 under 成本)
            pattern = expects.get("percent_names")
            return cls == "percent" and bool(pattern) and _pattern(pattern).search(name) is not None
        if kind == "cost" and cls == "rate":
            return (value.unit or "").split("/")[0] in _MONEY_UNITS  # 元/人 is a cost, 人/天 is not
    return True


@lru_cache(maxsize=64)
def _pattern(text: str):
    return re.compile(text)


_PLACEHOLDER = re.compile(r"\*{2,}|＊{2,}|[Xx]{2,}|×{2,}")


_MONEY_NAME = re.compile(
    r"资金|经费|成本|金额|投资|收入|费用|预算|补助|补贴|奖励|支出|价|元|税|产值|营收|销售额|资产"
)


def _bare_wan(ctx) -> bool:
    """万 or 亿 written alone where nothing says money: 惠及群众≥1.2万 counts people, not 万元."""
    value = ctx.value
    if value.unit_raw not in ("万", "亿"):
        return False
    return ctx.category_kind != "cost" and not _MONEY_NAME.search(
        ctx.indicator.name.text + ctx.indicator.description.text
    )


def unit_spelling(ctx):
    """PF204: the unit is written non-standardly; `fix` is the standard spelling when it is sure
    (万 is 万元 only where the row speaks of money; elsewhere it may be 万人次)."""
    value = ctx.value
    if not value.unit_nonstandard:
        return None
    if _bare_wan(ctx):
        return {
            "fix": "",
            "advice_zh": f"计量单位“{value.unit_raw}”不完整，应写明“{value.unit_raw}元”“{value.unit_raw}人次”等",
            "advice_en": f"unit '{value.unit_raw}' is incomplete; write {value.unit_raw}元, {value.unit_raw}人次 or the like",
        }
    return {
        "fix": value.unit,
        "advice_zh": f"计量单位“{value.unit_raw}”应写作“{value.unit}”",
        "advice_en": f"unit '{value.unit_raw}' should be written '{value.unit}'",
    }


def lost_comparator(ctx):
    """PF210: a number that is most likely a comparator a document viewer rendered as 2
    (≥150次 shown as 2150次): no comparator, it starts with 2, what follows the 2 is a number of
    its own, and either it is a percentage above 100 whose rest is a percentage (295%), or the
    project writes no ≥ at all while another comparator-less value starts with 2 the same way."""
    value = ctx.value
    if value.kind != "quantity" or value.comparator is not None or value.number_span is None:
        return None
    digits = ctx.indicator.value.text[value.number_span[0] : value.number_span[1]]
    rest = _lost_rest(digits)
    if rest is None:
        return None
    if value.unit == "%":
        if (
            value.number > 100
            and Decimal(rest) <= 100
            and not _GROWTH_NAME.search(ctx.indicator.name.text)
        ):
            return {"meant": "≥" + rest + (value.unit_raw or "")}
        return None
    others = _bare_twos(ctx, ctx.project)
    if others is None or len(others) < 2 or id(ctx.indicator) not in others:
        return None
    return {"meant": "≥" + rest + (value.unit_raw or "")}


def _lost_rest(digits: str) -> str | None:
    """What follows a leading 2 when the rest reads as a number of its own (2150 → 150), else None."""
    if (
        len(digits) < 2
        or digits[0] != "2"
        or not digits[1].isdigit()
        or digits[1] == "0"
        and not digits[1:].startswith("0.")
    ):
        return None
    return digits[1:].replace(",", "")


@per_project
def _bare_twos(project):
    """{ids of rows whose bare value starts with a detachable 2}, or None when the project writes
    a ≥ somewhere (then a viewer did not lose them all)."""
    found = set()
    for row in project.indicators:
        text = row.value.text
        if "≥" in text or ">=" in text or "≧" in text:
            return None
        value = parse_value(text)
        if value.kind == "quantity" and value.comparator is None and value.number_span is not None:
            if _lost_rest(text[value.number_span[0] : value.number_span[1]]) is not None:
                found.add(id(row))
    return found


def impossible_target(ctx):
    """PF209: a target that cannot be right: ≥100% of a share (only ＝100% is possible), ≥0 (met
    by anything), a satisfaction target of 0, a negative amount of money, or a name that says
    100% with a value that says less."""
    value, name = ctx.value, ctx.indicator.name.text
    if value.kind != "quantity" or value.number is None:
        return None
    number, comparator = value.number, value.comparator
    if value.unit == "%" and comparator == ">" and number >= 100 and not _GROWTH_NAME.search(name):
        return {"problem_zh": "比率不能超过100%", "problem_en": "a share cannot exceed 100%"}
    if value.unit == "%" and comparator == "≥" and number == 100 and not _GROWTH_NAME.search(name):
        return {
            "problem_zh": "比率不能超过100%，“≥100%”只能是“＝100%”",
            "problem_en": "a share cannot exceed 100%, so ≥100% can only be ＝100%",
            "standard": "=",
        }
    if (
        comparator in ("≥", None)
        and number == 0
        and (comparator or ctx.category_kind == "satisfaction")
    ):
        if ctx.category_kind == "satisfaction" or "满意" in name:
            return {"problem_zh": "满意度目标为0", "problem_en": "a satisfaction target of 0"}
        return {
            "problem_zh": "“≥0”任何结果都能达到，不是目标",
            "problem_en": "≥0 is met by any result and sets no target",
        }
    if value.unit_class == "money" and number < 0:
        return {"problem_zh": "金额为负数", "problem_en": "a negative amount of money"}
    if value.unit == "%" and number < 100 and re.search(r"100\s*[%％]", name) and comparator != "≤":
        return {
            "problem_zh": "指标名称写明100%，指标值却低于100%",
            "problem_en": "the name says 100% but the value is less",
        }
    return None


_FILLER = re.compile(
    r"^\s*(?:…+|\.{3,}|。{3,}|指标\s*\d+\s*[:：.．、]?|[-_*—－＿＊/／]|[(（]\s*(?:必填|选填)[^()（）]{0,8}[)）])?\s*$"
)


def empty_template_row(ctx):
    """PF212: an indicator row of an unfilled template: a category and nothing else (no name, no
    description, no value, no basis, or only filler such as 指标2: or ……). One finding for the row."""
    row = ctx.indicator
    if row is None:
        return None
    taxonomy = (
        ctx.taxonomy
    )  # a row of a template has a category; a misread trailer row (合计, 盖章) has none
    if (
        taxonomy.canonical_level2(row.level2.text) is None
        and taxonomy.canonical_level1(row.level1.text) is None
    ):
        return None
    return all(
        _FILLER.match(cell.text) for cell in (row.name, row.description, row.value, row.basis)
    )


def not_empty_template_row(ctx):
    """The opposite of empty_template_row, for the cell rules that leave such a row to PF212."""
    return ctx.indicator is None or not empty_template_row(ctx)


def unit_only_value(ctx):
    """PF213: the value is a unit (and maybe a comparator) with no number: 公顷, ≥ %, ≤万元."""
    text = ctx.indicator.value.text.strip()
    if not text or any(c.isdigit() for c in text):
        return None
    body = _UNIT_ONLY_PREFIX.sub("", text).strip()
    if body and (unit_info(body) is not None or body in ("％",)):
        return {"unit": body}
    return None


_UNIT_ONLY_PREFIX = re.compile(r"^(?:[≥≤<>=＜＞＝≧≦]|>=|<=)+\s*")


def keyword_mismatch(ctx):
    """PF307: the 三级 name's keyword says another kind of indicator than its 二级 category."""
    taxonomy = ctx.taxonomy
    category_kind, hint = ctx.category_kind, ctx._keyword
    if not category_kind or not hint:
        return None
    keyword_kind, word = hint
    if keyword_kind == category_kind or keyword_kind in taxonomy.keyword_compatible.get(
        category_kind, ()
    ):
        return None
    suggested = next(
        (name for name, kind in taxonomy.kinds.items() if kind == keyword_kind), keyword_kind
    )
    start = ctx.indicator.name.text.find(word)
    return {
        "keyword": word,
        "suggested": suggested,
        "span": ctx.indicator.name.sub_span(start, start + len(word)),
    }


PREDICATES = {
    function.__name__: function
    for function in (
        field_label, unknown_category, misplaced_category, missing_category, duplicate_indicator,
        has_column, column_absent, suggest_comparator, value_fits_category, keyword_mismatch, budget_sum_mismatch,
        cost_exceeds_budget, lost_comparator, impossible_target, empty_template_row, not_empty_template_row,
        unit_only_value, unit_spelling,
        spending_plan_decreasing, spending_plan_incomplete, project_code_problem, copied_indicator_set,
        copied_goal_text,
    )
}  # fmt: skip
