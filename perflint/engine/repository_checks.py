"""Rules across filings: run the `scope: repository` rules on a filing against the repository index.

A repository rule's `when:` is one `call:` of a predicate here. It takes the project's
`RepositoryContext`, a Context that also carries `ctx.counterpart` (this project as the index summarises it), `ctx.last` (the
same project last year, or None) and `ctx.copies` (projects of other departments with the same
indicator set), and yields one dict of extras per finding: `span` (where), `related` (the other
file's place and a message) and the message's `{extra.NAME}` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from perflint.diagnostics import Diagnostic, Message, Related
from perflint.engine.context import Context
from perflint.engine.plan import internal_error
from perflint.repository import Counterpart, Index, summarize
from perflint.taxonomy import profile_for
from perflint.values import parse_value


@dataclass
class RepositoryContext(Context):
    counterpart: Counterpart | None = None
    last: Counterpart | None = None
    copies: list[Counterpart] = field(default_factory=list)


_UP = ("≥", ">")
_DOWN = ("≤", "<")


def _money(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").strip()) if text and text.strip() else None
    except InvalidOperation:
        return None


def _shown(c: Counterpart, target=None) -> dict:
    """Extras naming the other filing's place."""
    span = c.value_location(target) if target is not None else c.location()
    return {
        "other_file": c.path,
        "other_line": str(span.line),
        "other_year": str(c.year) if c.year is not None else "",
        "other_project": c.name,
        "other_department": c.department,
    }


def _related(c: Counterpart, zh: str, en: str, target=None) -> tuple:
    span = c.value_location(target) if target is not None else c.location()
    return (Related(span, Message(zh, en)),)


def _pairs(ctx):
    """(this year's indicator, its summary, last year's target) for indicators found in both."""
    last = ctx.last
    if last is None:
        return
    before: dict = {}
    for target in last.targets:
        before.setdefault(target.key, target)
    for indicator, target in zip(ctx.project.indicators, ctx.counterpart.targets):
        old = before.get(target.key)
        if old is not None:
            yield indicator, target, old


def target_weakened(ctx):
    """A target lower than last year's (≥ falls, ≤ rises); a count or an amount only while the
    budget did not fall (a smaller budget may buy less)."""
    budget_now, budget_then = (
        _money(ctx.counterpart.budget),
        _money(ctx.last.budget) if ctx.last else None,
    )
    for indicator, target, old in _pairs(ctx):
        now, then = parse_value(target.value), parse_value(old.value)
        if (
            now.kind != "quantity"
            or then.kind != "quantity"
            or now.number is None
            or then.number is None
        ):
            continue
        if now.comparator is None or then.comparator is None:
            continue
        up = now.comparator in _UP and then.comparator in _UP
        down = now.comparator in _DOWN and then.comparator in _DOWN
        if not (up or down):
            continue
        current: Decimal | None
        if now.unit == then.unit:
            current = now.number
        else:
            current = now.number_in(then.unit) if then.unit is not None else None
        if current is None:
            continue
        weaker = current < then.number if up else current > then.number
        if not weaker:
            continue
        if then.unit_class != "percent" and (
            budget_now is None or budget_then is None or budget_now < budget_then
        ):
            continue
        yield _against_last_year(ctx, indicator, target, old)


def comparator_dropped(ctx):
    """Last year's value had a comparator (≥ ≤ > <); this year's has none."""
    for indicator, target, old in _pairs(ctx):
        now, then = parse_value(target.value), parse_value(old.value)
        if (
            then.comparator not in _UP + _DOWN
            or now.kind != "quantity"
            or now.comparator is not None
        ):
            continue
        yield _against_last_year(ctx, indicator, target, old)


def _against_last_year(ctx, indicator, target, old) -> dict:
    """A finding's extras at this year's value, naming last year's."""
    return {
        "span": indicator.value.span,
        "name": target.name,
        "value": target.value,
        "old_value": old.value,
        **_shown(ctx.last, old),
        "related": _related(
            ctx.last, f"上年指标值“{old.value}”", f"last year's value '{old.value}'", old
        ),
    }


def indicator_dropped(ctx):
    """An indicator of last year's table that this year's table no longer has."""
    last = ctx.last
    if last is None or not ctx.counterpart.targets:
        return
    now = {t.key for t in ctx.counterpart.targets}
    for old in last.targets:
        if old.key and old.key not in now:
            yield {
                "span": ctx.project.name.span,
                "name": old.name,
                "old_value": old.value,
                **_shown(last, old),
                "related": _related(
                    last, f"上年的指标“{old.name}”", f"last year's indicator '{old.name}'", old
                ),
            }


def copied_from_last_year(ctx, min_indicators: int = 3):
    """The same indicators, values and bases as last year, in the same order."""
    last = ctx.last
    targets = ctx.counterpart.targets
    if last is None or len(targets) < min_indicators:
        return
    same = [(t.key, t.value, t.basis) for t in targets] == [
        (t.key, t.value, t.basis) for t in last.targets
    ]
    if same:
        yield {
            "span": ctx.project.name.span,
            "count": str(len(targets)),
            **_shown(last),
            "related": _related(last, "上年的同一项目", "the same project last year"),
        }


def copied_across_departments(ctx):
    """The same 三级 names and values, in the same order, as a project of another department."""
    if not ctx.copies:
        return
    other = ctx.copies[0]
    yield {
        "span": ctx.project.name.span,
        "count": str(len(ctx.counterpart.targets)),
        **_shown(other),
        "related": _related(
            other,
            f"{other.department}的项目“{other.name}”",
            f"{other.department}'s project '{other.name}'",
        ),
    }


REPOSITORY_PREDICATES = {
    "target_weakened": target_weakened,
    "comparator_dropped": comparator_dropped,
    "indicator_dropped": indicator_dropped,
    "copied_from_last_year": copied_from_last_year,
    "copied_across_departments": copied_across_departments,
}


def check_repository(filing, path: str, index: Index | None, ruleset) -> list[Diagnostic]:
    """The findings of the rule set's repository rules on `filing` (read from `path`)."""
    rules = [r for r in ruleset.rules if r.scope == "repository"]
    if not rules or index is None or filing is None:
        return []
    found = []
    for project, counterpart in zip(filing.projects, summarize(filing, path, index.match)):
        profile = profile_for(project, ruleset.taxonomy, ruleset.profile)
        ctx = RepositoryContext(
            filing,
            ruleset.taxonomy,
            profile,
            project,
            counterpart=counterpart,
            last=index.last_year(counterpart),
            copies=index.copies_elsewhere(counterpart),
        )
        for rule in rules:
            ctx.params = rule.params
            try:
                for extras in rule.condition(ctx, **rule.params):
                    found.append(
                        Diagnostic(
                            rule.code,
                            rule.name,
                            rule.severity,
                            rule.render(ctx, extras),
                            extras["span"],
                            None,
                            ctx.where,
                            extras.get("related", ()),
                        )  # fmt: skip
                    )
            except Exception as error:
                found.append(internal_error(rule, project.span, error))
    return found
