"""Malformed rule files and broken plugins: each is reported once, the rest of the run goes on.

A rule file is data from anyone (a province's rule pack): any mistake in it — YAML, schema,
condition, regex, placeholders, fix templates, predicate arguments — is a problem naming the
file, found when the rules are loaded, never a traceback and never a PF000 while linting.
A regex that can backtrack catastrophically is refused at load time, and every regex sees at
most a bounded prefix of a cell.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
import yaml
from helpers import GOOD_RULE, lint_bytes, rule_pack_host
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import assert_sound, codes, seeds

from perflint.engine import load_ruleset
from perflint.engine.compare import MAX_MATCHED
from perflint.engine.ruledocs import rule_doc
from perflint.examples import run_examples
from perflint.plugins.hookspecs import hookimpl
from perflint.plugins.host import Host

SEEDS = seeds()
SEED_YAML = SEEDS.get("huailai-xinfang-2024.yaml", b"")

REGEX_RULE = """\
code: XX002
name: regex-rule
severity: warning
scope: indicator
summary: {zh: 演示, en: demo}
message: {zh: "依据“{match}”", en: "basis {match}"}
rationale: {zh: 演示, en: demo, source: test}
at: match
when: {field: indicator.basis, matches: '(计划)'}
fix:
  applicability: safe
  message: {zh: 改, en: change}
  edits: [{replace: match, with: '\\1书'}]
examples:
  bad: [{一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 甲, 绩效指标描述: 甲, 指标值: ≥1个, 指标值确定依据: 计划, fixed: {指标值确定依据: 计划书}}]
  good: [{一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 甲, 绩效指标描述: 甲, 指标值: ≥1个, 指标值确定依据: 方案}]
"""


def pack(tmp_path: Path, files: dict[str, str], predicates=None, *plugins) -> Host:
    return rule_pack_host(tmp_path, files, predicates, *plugins)


def still_works(ruleset) -> None:
    """The built-in rules still load and fire: the run went on."""
    assert "PF401" in ruleset.by_code() and "PF403" in ruleset.by_code()
    result = lint_bytes("seed.yaml", SEED_YAML, ruleset)
    assert "PF403" in codes(result) and "PF000" not in codes(result)


# a billion laughs in a parameter's default, expanded by the rule's documentation or a cache
ALIAS_BOMB = (
    "params:\n  p0: {default: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n"
    + "".join(
        f"  p{i}: {{default: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]}}\n" for i in range(1, 9)
    )
)
MALFORMED = {
    "yaml syntax": (
        "summary: {zh: 演示, en: demo}",
        "summary: {zh: 演示, en: demo",
        "cannot read rule file",
    ),
    "not a mapping": (GOOD_RULE, "- just\n- a list\n", "must be a YAML mapping"),
    "tabs": ("severity: warning", "severity:\twarning\n\t- x", "cannot read rule file"),
    "an alias bomb": (
        "rationale:",
        ALIAS_BOMB + "rationale:",
        "anchors and aliases (&, *) are not allowed",
    ),
    "an anchor": (
        "severity: warning",
        "severity: &s warning",
        "anchors and aliases (&, *) are not allowed",
    ),
    "a python tag": (
        "severity: warning",
        "severity: !!python/object/apply:os.system ['true']",
        "cannot read rule file",
    ),
    "binary": (GOOD_RULE, "\x00\x01\x02", "cannot read rule file"),
    "schema": ("severity: warning", "severity: fatal", "is not one of"),
    "unknown field": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basiz, equals: 无}",
        "unknown field",
    ),
    "when is a list": (
        "when: {field: indicator.basis, equals: 无}",
        "when: [1, 2]",
        "is not of type 'object'",
    ),
    "in: a string": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, in: 无}",
        "expected a list",
    ),
    "in: unhashable": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, in: [[1], {a: 1}]}",
        "expected a list of texts",
    ),
    "equals a list": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, equals: [无]}",
        "expected a text",
    ),
    "contains a number": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, contains: 5}",
        "expected a text",
    ),
    "contains nulls": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, contains: [~, 1]}",
        "expected a text",
    ),
    "empty: text": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, empty: maybe}",
        "expected true or false",
    ),
    "ratio: text": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, similar_to: indicator.name, ratio: high}",
        "ratio",
    ),
    "ratio: null": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, similar_to: indicator.name, ratio: ~}",
        "ratio",
    ),
    "number: NaN": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: value, number: {lt: .nan}}",
        "is not a number",
    ),
    "number: infinity": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: value, number: {lt: .inf}}",
        "is not a number",
    ),
    "number: true": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: value, number: {lt: true}}",
        "is not a number",
    ),
    "number: no test": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: value, number: {unit: '%'}}",
        "expected a mapping",
    ),
    "number: unit a list": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: value, number: {lt: 1, unit: [1]}}",
        "unit",
    ),
    "call: a mapping": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {call: {a: 1}}",
        "unknown predicate",
    ),
    "call: unknown arguments": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {call: value_fits_category, args: {x: 1}}",
        "unexpected keyword argument",
    ),
    "call: args a list": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {call: copied_goal_text, args: [1]}",
        "expected a mapping",
    ),
    "call: wrong argument type": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {call: copied_goal_text, args: {ratio: high}}",
        "expects float",
    ),
    "call: unknown param": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {call: copied_goal_text, args: {ratio: {param: nope}}}",
        "unknown parameter",
    ),
    "matches a number": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: value.number, matches: '1'}",
        "is not text",
    ),
    "contains a yes/no": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: value.truth, contains: 是}",
        "is not text",
    ),
    "same as the whole value": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, same_as: value}",
        "is not text",
    ),
    "number of a text": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, number: {lt: 1, unit: '%'}}",
        "write field: value",
    ),
    "fixed: not a mapping": ("指标值确定依据: 无}]", "指标值确定依据: 无, fixed: ~}]", "fixed"),
    "fixed in a good case": (
        "指标值确定依据: 计划}]",
        "指标值确定依据: 计划, fixed: {指标值确定依据: 计划}}]",
        "fixed",
    ),
    "not: null": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {not: ~}",
        "non-empty mapping",
    ),
    "placeholder": ("“{indicator.name}”", "“{indicator.nam}”", "undefined placeholder"),
    "regex syntax": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, matches: '(['}",
        "invalid regular expression",
    ),
    "regex not text": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, matches: 5}",
        "expected a regular expression",
    ),
    "regex repeat too large": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, matches: 'a{9999999999}'}",
        "invalid regular expression",
    ),
    "regex nested too deep": (
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, matches: '" + "(" * 5000 + ")" * 5000 + "'}",
        "invalid regular expression",
    ),
}
CATASTROPHIC = [
    "(a+)+$",
    "(a*)*b",
    "(a|aa)+$",
    "(a|a)*b",
    "(\\d+,?)+$",
    "(.*a){12}",
    "(aa?)+$",
    "(?:\\s*,)*$",
    "^(\\w+\\s?)*$",
    "(x+x+)+y",
]
HARMLESS = [
    "(?:年|月)+",
    "(?:增长|增幅)+",
    "(xy?)+",
    "(?:\\d{3},)+",
    "(?>a+)+",
    "(?:a++)+",
    "\\d+(?:\\.\\d+)?%",
    "(\\w|\\d)+",
    "^\\s*\\s*$",
]


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_rule_file_is_reported_and_skipped(tmp_path, case):
    old, new, problem = MALFORMED[case]
    text = GOOD_RULE.replace(old, new) if old != GOOD_RULE else new
    assert text != GOOD_RULE
    ruleset = load_ruleset(host=pack(tmp_path, {"XX001-demo-rule.yaml": text}))
    assert "XX001" not in ruleset.by_code()
    assert len(ruleset.problems) == 1, ruleset.problems
    assert str(tmp_path / "XX001-demo-rule.yaml") in ruleset.problems[0]
    assert problem in ruleset.problems[0], ruleset.problems[0]
    still_works(ruleset)


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_catastrophic_regex_is_refused_at_load_time(tmp_path, pattern):
    text = GOOD_RULE.replace(
        "when: {field: indicator.basis, equals: 无}",
        f"when: {{field: indicator.basis, matches: '{pattern}'}}",
    )
    start = time.perf_counter()
    ruleset = load_ruleset(host=pack(tmp_path, {"XX001-demo-rule.yaml": text}))
    assert time.perf_counter() - start < 30
    assert "XX001" not in ruleset.by_code()
    (problem,) = ruleset.problems
    assert "exponential time" in problem and "XX001-demo-rule.yaml" in problem
    still_works(ruleset)


@pytest.mark.parametrize("pattern", HARMLESS)
def test_a_harmless_regex_is_accepted(tmp_path, pattern):
    text = GOOD_RULE.replace(
        "when: {field: indicator.basis, equals: 无}",
        f"when: {{field: indicator.basis, matches: '{pattern}'}}",
    )
    ruleset = load_ruleset(host=pack(tmp_path, {"XX001-demo-rule.yaml": text}))
    assert ruleset.problems == () and "XX001" in ruleset.by_code()


def test_every_builtin_regex_passes_the_check(ruleset):
    assert ruleset.problems == ()


def test_a_polynomial_regex_sees_a_bounded_prefix_of_a_cell(tmp_path):
    """`\\s*\\s*$` is quadratic in a run of spaces: on a 1 MB cell it would take hours."""
    text = GOOD_RULE.replace(
        "when: {field: indicator.basis, equals: 无}",
        "when: {field: indicator.basis, matches: '^\\s*\\s*x$'}",
    )
    ruleset = load_ruleset(host=pack(tmp_path, {"XX001-demo-rule.yaml": text}))
    assert "XX001" in ruleset.by_code()
    data = SEED_YAML.decode("utf-8").replace(
        "指标值确定依据: 年初工作计划", "indicator_basis_placeholder", 1
    )
    data = data.replace(
        "indicator_basis_placeholder", '指标值确定依据: "' + " " * (1 << 20) + 'y"'
    ).encode("utf-8")
    start = time.perf_counter()
    result = lint_bytes("spaces.yaml", data, ruleset)
    assert "PF000" not in codes(result)
    assert time.perf_counter() - start < 60
    assert MAX_MATCHED <= 10_000


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('{match}"', '{match.9}"', "has no group 9"),
        ('{match}"', '{match.name}"', "has no group name"),
        ("with: '\\1书'", "with: '\\9书'", "invalid group reference"),
        ("with: '\\1书'", "with: '\\g<x>书'", "unknown group name"),
        ("with: '\\1书'", "with: '书\\'", "bad escape"),
    ],
)
def test_match_groups_and_fix_templates_are_checked_at_load_time(tmp_path, old, new, problem):
    text = REGEX_RULE.replace(old, new, 1)
    assert text != REGEX_RULE
    ruleset = load_ruleset(host=pack(tmp_path, {"XX002-regex-rule.yaml": text}))
    assert "XX002" not in ruleset.by_code()
    assert problem in ruleset.problems[0], ruleset.problems
    still_works(ruleset)


def test_a_backslash_in_the_file_is_not_a_group_reference_in_a_fix(tmp_path):
    text = REGEX_RULE.replace("with: '\\1书'", "with: '\\1{indicator.name}'")
    ruleset = load_ruleset(host=pack(tmp_path, {"XX002-regex-rule.yaml": text}))
    assert ruleset.problems == ()
    data = (
        SEED_YAML.decode("utf-8")
        .replace("三级指标: 项目资金覆盖率", "三级指标: 项目\\1资金\\g<0>覆盖率\\", 1)
        .encode("utf-8")
    )
    result = lint_bytes("slash.yaml", data, ruleset)
    assert "PF000" not in codes(result)
    fixes = [d.fix for d in result.diagnostics if d.code == "XX002" and d.fix]
    assert fixes and any("项目\\1资金\\g<0>覆盖率\\" in e.content for f in fixes for e in f.edits)


# -- rule files mutated at random: load_ruleset never raises, a loaded rule never crashes


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield from _paths(value, (*prefix, index))


HOSTILE_VALUES = [
    None, {"fixed": None}, {"fixed": "x"}, {"三级指标": [1, {"a": None}]}, 0, -1, 10**30, 1.5, float("nan"), float("inf"), True, "", "x", "{", "{match.9}", "{extra.x}", "{param.x}",
    "{indicator.name}", "\\9", "(a+)+$", "((a", "a{99999999999}", [], [1], {}, {"a": 1}, {"field": "indicator.basis"},
    {"field": "indicator.basis", "matches": "(x)"}, {"param": "x"}, {"call": "value_fits_category", "args": {"x": 1}},
    {"call": "copied_goal_text", "args": {"ratio": "abc"}}, {"not": None}, {"all": []}, {"any": [{}]},
    {"field": "value", "number": {"lt": "x"}}, {"field": "indicator.name", "similar_to": "indicator.description", "ratio": "x"},
    {"field": "indicator.name", "in": "abc"}, {"field": "indicator.name", "in": [[1]]}, {"field": "cell.text", "matches": 5},
    "match", "value.unit", "value.number", "indicator.nope", "project.name", {"threshold": {"default": None}},
]  # fmt: skip
BASES = [yaml.safe_load(GOOD_RULE), yaml.safe_load(REGEX_RULE)]


@st.composite
def mutated_rule(draw):
    raw = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from([p for p in _paths(raw) if p]))
        parent = raw
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(HOSTILE_VALUES)))
    return raw


def _rule_fuzz(tmp_path_factory, max_examples: int) -> None:
    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(mutated_rule())
    def run(raw):
        directory = tmp_path_factory.mktemp("rules")
        code = raw.get("code") if isinstance(raw.get("code"), str) else "XX001"
        name = raw.get("name") if isinstance(raw.get("name"), str) else "demo-rule"
        try:
            text = yaml.safe_dump(raw, allow_unicode=True)
        except yaml.YAMLError:
            return
        host = pack(directory, {f"{code}-{name}.yaml".replace("/", "_"): text})
        ruleset = load_ruleset(host=host)
        for seed, data in SEEDS.items():
            result = lint_bytes(seed, data, ruleset)
            assert "PF000" not in codes(result), [
                d.message.en for d in result.diagnostics if d.code == "PF000"
            ]
        if code in ruleset.by_code():
            run_examples(ruleset, code)
            for lang in ("zh", "en"):
                rule_doc(ruleset.by_code()[code], lang)

    run()


def test_mutated_rule_files_never_crash(tmp_path_factory):
    _rule_fuzz(tmp_path_factory, 60)


@pytest.mark.slow
def test_mutated_rule_files_never_crash_long(tmp_path_factory):
    _rule_fuzz(tmp_path_factory, 1500)


# -- plugins that raise or return nonsense


class Raises:
    def __init__(self, hook: str, error: BaseException):
        self.error = error
        setattr(self, hook, hookimpl(self._raise, specname=hook))

    def _raise(self):
        raise self.error


HOOKS = [
    "perflint_rule_paths",
    "perflint_predicates",
    "perflint_taxonomy_paths",
    "perflint_lexicon",
    "perflint_readers",
]


@pytest.mark.parametrize("hook", HOOKS)
@pytest.mark.parametrize(
    "error",
    [RuntimeError("boom"), SystemExit(3), RecursionError("deep")],
    ids=["error", "exit", "recursion"],
)
def test_a_plugin_hook_that_raises_is_reported_and_the_run_goes_on(hook, error):
    host = Host(use_entry_points=False)
    plugin = type(
        "Plugin",
        (),
        {hook: staticmethod(hookimpl(specname=hook)(lambda: (_ for _ in ()).throw(error)))},
    )()
    host.manager.register(plugin, name="broken")
    ruleset = load_ruleset(host=host)
    readers = host.readers()  # asked for when a file is read
    problems = [*ruleset.problems, *map(str, host.problems)]
    assert any("broken" in p and hook in p for p in problems), problems
    still_works(ruleset)
    assert ".yaml" in readers
    assert "PF000" not in codes(lint_bytes("seed.yaml", SEED_YAML, ruleset, readers=readers))


def _plugin(**hooks):
    namespace = {
        name: staticmethod(hookimpl(specname=name)(lambda value=value: value))
        for name, value in hooks.items()
    }
    return type("Plugin", (), namespace)()


@pytest.mark.parametrize(
    "hooks",
    [
        {"perflint_rule_paths": None},
        {"perflint_rule_paths": 5},
        {"perflint_rule_paths": [None, 5, "/no/such/dir", "\x00bad"]},
        {"perflint_rule_paths": "/no/such/dir"},
        {"perflint_predicates": [1, 2]},
        {"perflint_predicates": {"value_fits_category": 5}},
        {"perflint_lexicon": [1, 2]},
        {"perflint_lexicon": {"nonsense": ["x"]}},
        {"perflint_lexicon": {"vague": 5}},
        {"perflint_taxonomy_paths": 5},
        {"perflint_taxonomy_paths": ["/no/such/dir"]},
        {"perflint_readers": ["x"]},
    ],
    ids=lambda hooks: "-".join(f"{k}={v!r}"[:40] for k, v in hooks.items()),
)
def test_a_plugin_returning_nonsense_is_reported_or_ignored(hooks):
    from perflint.values import reset_lexicon

    host = Host(use_entry_points=False)
    host.manager.register(_plugin(**hooks), name="odd")
    try:
        ruleset = load_ruleset(host=host)
        still_works(ruleset)
    finally:
        reset_lexicon()


def test_a_malformed_taxonomy_profile_from_a_plugin_is_reported(tmp_path):
    (tmp_path / "province.yaml").write_text(
        "name: province\nstructure: [not, a, mapping]\n", encoding="utf-8"
    )
    host = Host(use_entry_points=False)
    host.manager.register(_plugin(perflint_taxonomy_paths=[str(tmp_path)]), name="province")
    ruleset = load_ruleset(host=host)
    assert any("taxonomy" in p for p in ruleset.problems), ruleset.problems
    still_works(ruleset)


def test_a_plugin_predicate_that_is_not_a_function_is_a_rule_problem(tmp_path):
    text = GOOD_RULE.replace("when: {field: indicator.basis, equals: 无}", "when: {call: odd}")
    ruleset = load_ruleset(host=pack(tmp_path, {"XX001-demo-rule.yaml": text}, {"odd": 42}))
    assert "XX001" not in ruleset.by_code() and "is not a function" in ruleset.problems[0]


@pytest.mark.parametrize(
    "reader",
    [
        lambda path, text: 1 / 0,
        lambda path, text: None,
        lambda path, text: "a filing",
        lambda: None,
        42,
    ],
    ids=["raises", "returns None", "returns text", "wrong signature", "not callable"],
)
def test_a_plugin_reader_that_fails_gives_pf000_for_that_file_only(ruleset, reader):
    readers = {".odd": reader}
    result = lint_bytes("file.odd", b"anything", ruleset, readers=readers)
    assert codes(result) == ["PF000"] and "reader" in result.diagnostics[0].message.en
    assert "PF000" not in codes(lint_bytes("seed.yaml", SEED_YAML, ruleset))


def test_a_plugin_rule_pack_with_one_bad_file_keeps_the_good_ones(tmp_path):
    bad = (
        GOOD_RULE.replace("XX001", "XX003")
        .replace("demo-rule", "bad-rule")
        .replace("equals: 无}", "matches: '(a+)+'}")
    )
    ruleset = load_ruleset(
        host=pack(tmp_path, {"XX001-demo-rule.yaml": GOOD_RULE, "XX003-bad-rule.yaml": bad})
    )
    assert "XX001" in ruleset.by_code() and "XX003" not in ruleset.by_code()
    assert len(ruleset.problems) == 1 and "XX003-bad-rule.yaml" in ruleset.problems[0]
    assert_sound("seed.yaml", SEED_YAML, ruleset)
