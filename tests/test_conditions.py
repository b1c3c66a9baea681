"""Compiled conditions behave exactly like the condition vocabulary read plainly.

`perflint.engine.conditions` writes each `when:` as Python source and the engine puts all rules of a
scope into one function. These tests hold both against `reference`, a plain interpreter of the
vocabulary (how perflint evaluated conditions before they were compiled): the same extras,
the same exceptions, the same findings, for random conditions on real filings. They also check
that no text from a rule file ever lands in the generated source.
"""

from __future__ import annotations

import difflib
import io
import keyword
import re
import tokenize
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perflint.diagnostics import Diagnostic
from perflint.engine import RuleSet, check, internal_error
from perflint.engine.codegen import _HELPERS, MAX_NESTED, Source
from perflint.engine.compare import MAX_COMPARED, MAX_MATCHED, normalise_text
from perflint.engine.conditions import parse_condition
from perflint.engine.context import (
    DERIVED_FIELDS,
    MODEL_FIELDS,
    VALUE_FIELDS,
    Context,
    cell_getter,
    indicator_context,
)
from perflint.engine.rules import compile_rule
from perflint.model import Cell, Indicator, Span
from perflint.readers.yaml_reader import read_yaml
from perflint.taxonomy import load_taxonomy, profile_for

REPO = Path(__file__).resolve().parent.parent
FILES = [
    *sorted((REPO / "tests" / "data" / "clean").glob("*.yaml")),
    *sorted((REPO / "examples").glob("*.yaml")),
]
FILINGS = [read_yaml(str(path), path.read_text(encoding="utf-8")).filing for path in FILES]
TAXONOMY = load_taxonomy()


def compile_condition(spec, scope: str, predicates: dict, params: dict):
    """A condition compiled as rule files' conditions are (perflint.engine.rules.compile_rule)."""
    return Source().function(parse_condition(spec, scope, predicates, params))


def getter(path: str):
    """The reference reading of a field: ctx → its value (text for Cells, None when absent)."""
    root, _, name = path.partition(".")
    if root == "value":
        return (lambda ctx: ctx.value) if not name else (lambda ctx: getattr(ctx.value, name))
    if root == "cell":
        return (lambda ctx: ctx.cell.text) if name == "text" else (lambda ctx: ctx.cell_field)
    if root == "indicator" and name in DERIVED_FIELDS["indicator"]:
        return lambda ctx: getattr(ctx, name)  # a lazy attribute of Context
    cell = cell_getter(path)
    return lambda ctx: found.text if (found := cell(ctx)) is not None else None


def filing_cells(filing):
    """(field path, Cell) for every text cell, in file order (the reference for cell rules)."""
    for name in ("department_name", "overall_goal"):
        if (cell := getattr(filing, name)) is not None:
            yield f"filing.{name}", cell
    for cell in filing.sub_goals:
        yield "filing.sub_goals", cell
    for project in filing.projects:
        for name in ("code", "name", "purpose"):
            yield f"project.{name}", getattr(project, name)
        for cell in project.goals:
            yield "project.goals", cell
        for indicator in project.indicators:
            for name in ("level1", "level2", "name", "description", "value", "basis"):
                yield f"indicator.{name}", getattr(indicator, name)


def _odd(ctx, every: int = 3):
    """A predicate with every kind of answer: a dict (with a span, sometimes), True, falsy, an error."""
    n = len(ctx.indicator.name.text)
    if n % 7 == 0:
        raise ValueError(f"odd {n}")
    if n % every == 0:
        return {"k": n, "shared": "odd", **({"span": ctx.indicator.name.span} if n % 2 else {})}
    return True if n % every == 1 else 0


def _named(ctx):
    return (
        {"shared": "named", "name": ctx.indicator.name.text}
        if "率" in ctx.indicator.name.text
        else None
    )


PREDICATES = {"odd": _odd, "named": _named}


# indicator rows with the edge cases real filings seldom have: blank and empty cells, odd values
ODD_ROWS = [
    ("产出指标", "质量指标", "合格率", "   ", "95%", " "),
    ("产出指标", "数量指标", "", "", "", ""),
    ("效益指标", "满意度指标", "群众满意度率", "满意度", "≥90 %", "计划 2025年"),
    ("产出指标", "时效指标", "完成时间", "完成时间", "2025年12月底前", "完成时间"),
    ("产出指标", "成本指标", "成本", "成本（元）", "≤1,000元/人·次", "标准【2024】3号"),
]


def odd_indicator(row, line: int) -> Indicator:
    cells = [
        Cell(text, Span("odd.yaml", line, 10 * i + 1, line, 10 * i + 1 + len(text)), True)
        for i, text in enumerate(row)
    ]
    return Indicator(*cells, Span("odd.yaml", line, 1, line, 80))


def contexts():
    for filing in FILINGS:
        for project in filing.projects:
            profile = profile_for(project, TAXONOMY)
            for indicator in project.indicators:
                yield Context(filing, TAXONOMY, profile, project, indicator)
    filing = FILINGS[0]
    for line, row in enumerate(ODD_ROWS, 1):
        yield Context(
            filing,
            TAXONOMY,
            profile_for(filing.projects[0], TAXONOMY),
            filing.projects[0],
            odd_indicator(row, line),
        )


CONTEXTS = list(contexts())


# ---------------------------------------------------------------------------------------------
# the reference: the vocabulary read plainly, one closure per test

_OPS = {"lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b,
        "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}  # fmt: skip


def reference(spec, predicates=PREDICATES):
    """ctx → dict | None for a valid condition mapping, without compiling anything."""
    if "all" in spec or "any" in spec:
        parts = [reference(s, predicates) for s in spec.get("all", spec.get("any"))]
        if "all" in spec:

            def all_(ctx):
                extras = {}
                for part in parts:
                    result = part(ctx)
                    if result is None:
                        return None
                    extras.update(result)
                return extras

            return all_
        return lambda ctx: next((r for r in (part(ctx) for part in parts) if r is not None), None)
    if "not" in spec:
        inner = reference(spec["not"], predicates)
        return lambda ctx: {} if inner(ctx) is None else None
    if "call" in spec:
        function, args = predicates[spec["call"]], spec.get("args") or {}

        def call(ctx):
            result = function(ctx, **args)
            return (result if isinstance(result, dict) else {}) if result else None

        return call
    get = getter(spec["field"])
    if "equals" in spec:
        return lambda ctx: {} if get(ctx) == spec["equals"] else None
    if "in" in spec:
        return lambda ctx: {} if get(ctx) in set(spec["in"]) else None
    if "contains" in spec:
        words = [spec["contains"]] if isinstance(spec["contains"], str) else spec["contains"]
        return lambda ctx: {} if any(w in (get(ctx) or "") for w in words) else None
    if "empty" in spec:
        return lambda ctx: {} if (not (get(ctx) or "").strip()) == spec["empty"] else None
    if "present" in spec:
        return lambda ctx: {} if (get(ctx) is not None) == spec["present"] else None
    if "matches" in spec:
        regex, cell = re.compile(spec["matches"]), cell_getter(spec["field"])

        def matches(ctx):
            match = regex.search((get(ctx) or "")[:MAX_MATCHED])
            return None if match is None else {"match": (cell(ctx) if cell else None, match)}

        return matches
    if "same_as" in spec:
        other = getter(spec["same_as"])
        return lambda ctx: (
            {} if (a := normalise_text(get(ctx))) and a == normalise_text(other(ctx)) else None
        )
    if "similar_to" in spec:
        other, ratio = getter(spec["similar_to"]), spec.get("ratio", 0.8)

        def similar(ctx):
            a, b = (
                normalise_text(get(ctx))[:MAX_COMPARED],
                normalise_text(other(ctx))[:MAX_COMPARED],
            )
            if not a or not b:
                return None
            return {} if difflib.SequenceMatcher(None, a, b).ratio() >= ratio else None

        return similar
    unit = spec["number"].get("unit")
    tests = [
        (_OPS[op], Decimal(str(bound))) for op, bound in spec["number"].items() if op != "unit"
    ]

    def number(ctx):
        value = get(ctx)
        found = value.number_in(unit) if unit else getattr(value, "number", None)
        return (
            None
            if found is None
            else {}
            if all(test(found, bound) for test, bound in tests)
            else None
        )

    return number


def outcome(function, ctx):
    """What a condition did, comparable: its extras (a match by its place) or the error it raised."""
    try:
        extras = function(ctx)
    except Exception as error:
        return ("raised", type(error).__name__, str(error))
    if extras is None:
        return None
    return {
        k: (v[0], v[1].span(), v[1].re.pattern) if k == "match" else v for k, v in extras.items()
    }


# ---------------------------------------------------------------------------------------------
# random conditions over indicator fields

TEXT_FIELDS = [
    "indicator.name",
    "indicator.basis",
    "indicator.value",
    "indicator.description",
    "indicator.category",
    "value.unit",
]
VALUES = [
    "quantity",
    "percent",
    "quality",
    "vague",
    "count",
    "money",
    "数量指标",
    "%",
    True,
    None,
    1,
]
REGEXES = ["(\\d+)", "率", "^\\s*$", "(计划|标准)", "(?P<y>20\\d\\d)", "[人次]+"]

LEAVES = st.one_of(
    st.builds(lambda f, v: {"field": f, "equals": v},
              st.sampled_from(["value.kind", "value.unit_class", "indicator.category_kind", "value.unit_nonstandard", "value.unit"]),
              st.sampled_from(VALUES)),
    st.builds(lambda f, v: {"field": f, "in": v}, st.sampled_from(["value.kind", "indicator.category_kind"]), st.lists(st.sampled_from(VALUES), min_size=1, max_size=3)),
    st.builds(lambda f, r: {"field": f, "matches": r}, st.sampled_from(TEXT_FIELDS), st.sampled_from(REGEXES)),
    st.builds(lambda f, w: {"field": f, "contains": w}, st.sampled_from(TEXT_FIELDS), st.one_of(st.sampled_from(["率", "数", ""]), st.lists(st.sampled_from(["率", "人", "计划"]), min_size=1, max_size=3))),
    st.builds(lambda f, b: {"field": f, "empty": b}, st.sampled_from(TEXT_FIELDS), st.booleans()),
    st.builds(lambda f, b: {"field": f, "present": b}, st.sampled_from(["value.comparator", "indicator.keyword", "value.unit"]), st.booleans()),
    st.builds(lambda f, g: {"field": f, "same_as": g}, st.sampled_from(TEXT_FIELDS), st.sampled_from(TEXT_FIELDS)),
    st.builds(lambda f, g, r: {"field": f, "similar_to": g, "ratio": r}, st.sampled_from(TEXT_FIELDS), st.sampled_from(TEXT_FIELDS), st.sampled_from([0.0, 0.3, 0.8, 1])),
    st.builds(lambda ops, unit: {"field": "value", "number": {**ops, **({"unit": unit} if unit else {})}},
              st.dictionaries(st.sampled_from(["lt", "le", "gt", "ge", "eq", "ne"]), st.sampled_from([0, 1, 50, 95.5, 100, 1000]), min_size=1, max_size=2),
              st.sampled_from([None, "%", "元", "万元", ""])),
    st.builds(lambda name, every: {"call": name, **({"args": {"every": every}} if name == "odd" and every else {})}, st.sampled_from(["odd", "named"]), st.sampled_from([0, 2, 3])),
)  # fmt: skip
CONDITIONS = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=4).map(lambda parts: {"all": parts}),
        st.lists(children, min_size=1, max_size=4).map(lambda parts: {"any": parts}),
        children.map(lambda inner: {"not": inner}),
    ),
    max_leaves=10,
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# conditions whose every part matters: extras merged in order, the first passing `any:` part,
# `not:` around extras, tests of blank text
CASES = [
    {"all": [{"call": "odd"}, {"call": "named"}]},
    {
        "all": [
            {"call": "named"},
            {"field": "indicator.name", "matches": "(率)"},
            {"call": "odd", "args": {"every": 2}},
        ]
    },
    {
        "any": [
            {"call": "odd"},
            {"call": "named"},
            {"field": "indicator.basis", "matches": "(计划)"},
        ]
    },
    {"any": [{"field": "indicator.basis", "empty": True}, {"call": "named"}]},
    {
        "any": [
            {"all": [{"call": "named"}, {"field": "value.kind", "equals": "quantity"}]},
            {"field": "indicator.value", "matches": "(\\d+)"},
        ]
    },
    {"not": {"any": [{"call": "odd"}, {"field": "indicator.name", "matches": "率"}]}},
    {"field": "indicator.description", "empty": False},
    {"field": "indicator.basis", "empty": True},
    {"field": "indicator.basis", "same_as": "indicator.name"},
    {"field": "indicator.basis", "similar_to": "indicator.description", "ratio": 0.5},
    {"field": "value", "number": {"ge": 90, "le": 100, "unit": "%"}},
    {"field": "value", "number": {"ne": 1000}},
    {"field": "indicator.keyword", "present": False},
]


@pytest.mark.parametrize("spec", CASES)
def test_a_compiled_condition_answers_like_the_reference_in_these_cases(spec):
    compiled, expected = compile_condition(spec, "indicator", PREDICATES, {}), reference(spec)
    answers = [outcome(expected, ctx) for ctx in CONTEXTS]
    assert [outcome(compiled, ctx) for ctx in CONTEXTS] == answers
    assert len({repr(answer) for answer in answers}) > 1  # the case tells contexts apart


@SETTINGS
@given(CONDITIONS)
def test_a_compiled_condition_answers_like_the_reference(spec):
    compiled, expected = compile_condition(spec, "indicator", PREDICATES, {}), reference(spec)
    for ctx in CONTEXTS:
        assert outcome(compiled, ctx) == outcome(expected, ctx), spec


def rule_for(
    spec,
    code: str = "XX001",
    scope: str = "indicator",
    at: str | None = None,
    predicates=PREDICATES,
):
    raw = {
        "code": code, "name": "demo", "severity": "warning", "scope": scope,
        "summary": {"zh": "演", "en": "demo"}, "rationale": {"zh": "演", "en": "demo"},
        "message": {"zh": "“{indicator.name}”{ {match}}", "en": "{value.kind} {x"},
        "when": spec, "examples": {"bad": [], "good": []}, **({"at": at} if at else {}),
    }  # fmt: skip
    if scope == "cell":
        raw["message"] = {"zh": "{cell.field}:{cell.text}", "en": "{cell.text}"}
    return compile_rule(raw, f"{code}-demo.yaml", predicates)


def reference_check(filing, rules) -> list[Diagnostic]:
    """The findings of indicator `rules` on `filing`, the way the engine worked before it compiled them."""
    found = {}
    for project in filing.projects:
        profile = profile_for(project, TAXONOMY)
        for indicator in project.indicators:
            ctx = Context(filing, TAXONOMY, profile, project, indicator)
            for rule in rules:
                ctx.params = rule.params
                try:
                    extras = reference(rule.raw["when"])(ctx)
                    if extras is None:
                        continue
                    span = extras.get("span") or rule.locate(ctx, extras) or indicator.span
                    message = rule.render(ctx, extras)
                    made = Diagnostic(
                        rule.code,
                        rule.name,
                        rule.severity,
                        message,
                        span,
                        rule.make_fix(ctx, extras) if rule.make_fix else None,
                        ctx.where,
                    )
                except Exception as error:
                    made = internal_error(rule, indicator.span, error)
                found.setdefault((made.code, made.span), made)
    return sorted(found.values(), key=Diagnostic.sort_key)


@SETTINGS
@given(
    st.lists(
        st.tuples(CONDITIONS, st.sampled_from([None, "match", "indicator.name", "value.unit"])),
        min_size=1,
        max_size=3,
    )
)
def test_the_engine_finds_what_the_reference_finds(specs):
    rules = tuple(rule_for(spec, f"XX{100 + i}", at=at) for i, (spec, at) in enumerate(specs))
    ruleset = RuleSet(rules, TAXONOMY)
    for filing in FILINGS:
        assert check(filing, ruleset) == reference_check(filing, rules), specs


def test_a_long_all_chain_is_called_not_nested():
    spec = {
        "all": [{"field": "indicator.name", "matches": regex} for regex in ["."] * (MAX_NESTED + 3)]
    }
    rule = rule_for(spec, at="match")
    for filing in FILINGS:
        assert check(filing, RuleSet((rule,), TAXONOMY)) == reference_check(filing, (rule,))


def test_pf000_from_two_rules_at_one_place_keeps_the_first():
    def boom(ctx):
        raise RuntimeError("boom")

    predicates = {**PREDICATES, "boom": boom}
    rules = []
    for code in ("XX002", "XX001"):
        raw = rule_for({"call": "odd"}, code).raw | {"when": {"call": "boom"}}
        rules.append(compile_rule(raw, f"{code}-demo.yaml", predicates))
    ruleset = RuleSet(tuple(sorted(rules, key=lambda r: r.code)), TAXONOMY)
    found = check(FILINGS[0], ruleset)
    assert found and {d.code for d in found} == {"PF000"}
    assert all("rule XX001" in d.message.en for d in found)


def test_a_cell_rule_meets_the_fields_its_condition_names():
    first = rule_for(
        {
            "all": [
                {"field": "cell.field", "in": ["indicator.basis", "project.goals"]},
                {"field": "cell.text", "empty": False},
            ]
        },
        "XX001",
        "cell",
    )
    later = rule_for(
        {
            "all": [
                {"field": "cell.text", "empty": False},
                {"field": "cell.field", "equals": "project.name"},
            ]
        },
        "XX002",
        "cell",
    )
    anywhere = rule_for({"field": "cell.text", "matches": "(.)"}, "XX003", "cell", at="match")
    found = check(FILINGS[0], RuleSet((first, later, anywhere), TAXONOMY))
    fields = {(d.code, d.message.zh.split(":")[0]) for d in found}
    assert {field for code, field in fields if code == "XX001"} == {
        "indicator.basis",
        "project.goals",
    }
    assert {field for code, field in fields if code == "XX002"} == {"project.name"}
    assert {field for code, field in fields if code == "XX003"} >= {
        "project.name",
        "project.goals",
        "indicator.value",
    }


HOSTILE = [
    "'); import os; os.system('echo x') #",
    '"""',
    "\n",
    "\\",
    "{x}",
    "ctx.filing",
    "_k1",
    "__import__('os')",
]
# the only words generated source may hold: Python's, ours, and generated names (_k12, _m3, …)
OUR_NAMES = {
    *keyword.kwlist, *_HELPERS, "ctx", "isinstance", "dict", "getattr", "cell", "text", "strip", "search", "number_in",
    "params", "value", "indicator", "project", "filing", "cell_field", "_d", "_emit", "_fail", "error", "Exception",
    "found", "fallback", "setdefault", "code", "span", "owner",
    *(name for names in MODEL_FIELDS.values() for name in names), *VALUE_FIELDS,
    *(name for names in DERIVED_FIELDS.values() for name in names),
}  # fmt: skip


def tokens(text: str, kind: int) -> set[str]:
    return {
        token.string
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type == kind
    }


@pytest.mark.parametrize("hostile", HOSTILE)
def test_no_rule_text_is_written_into_the_source(hostile):
    name = Cell(hostile, Span("t.yaml", 1, 1, 1, 1 + len(hostile)), True)
    plain = Cell("x", Span("t.yaml", 1, 1, 1, 2), True)
    indicator = Indicator(plain, plain, name, plain, plain, plain, Span("t.yaml", 1, 1, 1, 2))
    ctx = Context(FILINGS[0], TAXONOMY, None, FILINGS[0].projects[0], indicator)
    spec = {"all": [
        {"field": "indicator.name", "equals": hostile}, {"field": "indicator.name", "in": [hostile, 1]},
        {"field": "indicator.name", "contains": [hostile]}, {"field": "indicator.name", "matches": re.escape(hostile)},
        {"any": [{"call": "odd", "args": {"every": 2}}, {"field": "indicator.name", "same_as": "indicator.basis"}]},
    ]}  # fmt: skip
    source = Source()
    source.function(parse_condition(spec, "indicator", PREDICATES, {}))
    rule = rule_for(spec)
    RuleSet((rule,), TAXONOMY)  # the engine's source, too
    check(FILINGS[0], ruleset := RuleSet((rule,), TAXONOMY))
    for text in source.texts + ruleset._plans["check"].source.texts:
        assert tokens(text, tokenize.STRING) <= {"''", "'match'", "'number'"}, text
        assert not tokens(text, tokenize.COMMENT) - {
            "# a faulty rule or predicate must not stop the run"
        }, text
        assert {
            n for n in tokens(text, tokenize.NAME) if not re.fullmatch(r"_[a-z]+\d+", n)
        } <= OUR_NAMES, text
    assert outcome(compile_condition(spec, "indicator", PREDICATES, {}), ctx) == outcome(
        reference(spec), ctx
    )


def test_an_indicator_context_holds_what_its_lazy_attributes_work_out():
    names = ("value", "group", "category", "category_kind", "keyword_kind", "keyword", "_keyword")
    for ctx in CONTEXTS:
        eager = indicator_context(ctx.filing, ctx.taxonomy, ctx.profile, ctx.project, ctx.indicator)
        lazy = Context(ctx.filing, ctx.taxonomy, ctx.profile, ctx.project, ctx.indicator)
        assert [getattr(eager, name) for name in names] == [getattr(lazy, name) for name in names]


def test_a_field_that_cannot_be_worked_out_is_left_to_the_rule_that_reads_it():
    row, other = odd_indicator(ODD_ROWS[0], 1), odd_indicator(ODD_ROWS[0], 2)
    broken = Indicator(
        other.level1,
        other.level2,
        Cell(None, other.name.span),
        other.description,
        other.value,
        other.basis,
        other.span,
    )
    filing = FILINGS[0]
    ctx = indicator_context(filing, TAXONOMY, None, filing.projects[0], broken)  # does not raise
    assert ctx.value.kind and ctx.category == "质量指标"
    with pytest.raises(TypeError):
        ctx.keyword  # noqa: B018
    filing = replace(filing, projects=(replace(filing.projects[0], indicators=(row, broken)),))
    rules = (
        rule_for({"field": "indicator.keyword", "present": False}, "XX001"),
        rule_for({"field": "value.kind", "present": True}, "XX002"),
    )
    found = check(filing, RuleSet(rules, TAXONOMY))
    assert found == reference_check(filing, rules)
    assert [(d.code, d.span) for d in found if d.code == "PF000"] == [("PF000", broken.span)]
    assert len([d for d in found if d.code == "XX002"]) == 2


@pytest.mark.parametrize(
    "template", ["〔\\1〕", "\\g<0>!", "\\\\1", "a\\tb", "\\g<y>", "x\\2", "\\"]
)
def test_a_fix_template_expands_as_match_expand_does(template):
    from perflint.engine.templates import _expand

    match = re.search("(?P<y>20\\d\\d)(年)", "于2024年")
    try:
        expected = match.expand(template)
    except Exception as error:
        with pytest.raises(type(error), match=re.escape(str(error))):
            _expand(match, template)
    else:
        assert _expand(match, template) == expected


def test_deeply_nested_conditions_compile_and_answer_like_the_reference():
    spec = {"field": "indicator.basis", "matches": "(计划)"}
    for depth in range(240):
        spec = (
            {"not": spec} if depth % 3 else {"any": [{"field": "value.kind", "equals": "x"}, spec]}
        )
    compiled, expected = compile_condition(spec, "indicator", PREDICATES, {}), reference(spec)
    assert [outcome(compiled, ctx) for ctx in CONTEXTS] == [
        outcome(expected, ctx) for ctx in CONTEXTS
    ]


def test_a_rule_the_engine_cannot_write_out_runs_through_its_own_function(monkeypatch):
    specs = [
        {"all": [{"field": "value.kind", "in": ["quantity", "vague"]}, {"call": "odd"}]},
        {"field": "indicator.basis", "matches": "(计划)"},
    ]
    rules = tuple(
        rule_for(spec, f"XX00{i}", at="match" if i else None) for i, spec in enumerate(specs)
    )

    def refuse(*args, **kwargs):
        raise RecursionError("too deep")

    monkeypatch.setattr(Source, "inline", refuse)
    found = [check(filing, RuleSet(rules, TAXONOMY)) for filing in FILINGS]
    assert found == [reference_check(filing, rules) for filing in FILINGS]
    assert {d.code for ds in found for d in ds} == {"XX000", "XX001", "PF000"}


def test_cell_rules_meet_the_cells_in_file_order():
    seen = []

    def record(ctx, tag: str = ""):
        seen.append((tag, ctx.cell_field, ctx.cell))  # and no finding

    predicates = {**PREDICATES, "record": record}
    every = rule_for(
        {"call": "record", "args": {"tag": "a"}}, "XX001", "cell", predicates=predicates
    )
    some = {
        "all": [
            {
                "field": "cell.field",
                "in": ["indicator.basis", "project.goals", "filing.overall_goal"],
            },
            {"call": "record", "args": {"tag": "b"}},
        ]
    }
    some = rule_for(some, "XX002", "cell", predicates=predicates)
    for filing in FILINGS:
        seen.clear()
        check(filing, RuleSet((every, some), TAXONOMY))
        expected = []
        for name, cell in filing_cells(filing):
            expected.append(("a", name, cell))
            if name in ("indicator.basis", "project.goals", "filing.overall_goal"):
                expected.append(("b", name, cell))
        assert [(t, n, id(c)) for t, n, c in seen] == [(t, n, id(c)) for t, n, c in expected]
