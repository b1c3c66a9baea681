"""The rule engine: malformed rule files are reported precisely, broken plugins are skipped."""

from __future__ import annotations

import re
import textwrap
import traceback
from pathlib import Path

import pytest
from helpers import GOOD_RULE, rule_pack_host

from perflint.engine import load_ruleset
from perflint.examples import run_examples
from perflint.plugins.hookspecs import hookimpl
from perflint.plugins.host import Host


def host_with(tmp_path: Path, files: dict[str, str], predicates=None) -> Host:
    return rule_pack_host(
        tmp_path, {name: textwrap.dedent(text) for name, text in files.items()}, predicates
    )


def test_a_plugin_rule_pack_adds_a_rule_that_fires(tmp_path):
    ruleset = load_ruleset(host=host_with(tmp_path, {"XX001-demo-rule.yaml": GOOD_RULE}))
    assert ruleset.problems == ()
    assert "XX001" in ruleset.by_code()
    assert all(result.ok for result in run_examples(ruleset, "XX001"))


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("severity: warning", "severity: fatal"), "severity: 'fatal' is not one of"),
        (
            ("scope: indicator", "scope: indicator\nbogus: 1"),
            "Additional properties are not allowed ('bogus'",
        ),
        (
            (
                "when: {field: indicator.basis, equals: 无}",
                "when: {field: indicator.basiz, equals: 无}",
            ),
            "unknown field 'indicator.basiz'",
        ),
        (("“{indicator.name}”", "“{indicator.nam}”"), "undefined placeholder {indicator.nam}"),
        (
            ("when: {field: indicator.basis, equals: 无}", "when: {call: no_such_predicate}"),
            "unknown predicate 'no_such_predicate'",
        ),
        (
            (
                "when: {field: indicator.basis, equals: 无}",
                "when: {field: indicator.basis, matches: '(['}",
            ),
            "invalid regular expression",
        ),
        (
            ("summary: {zh: 演示, en: demo}", "summary: {zh: 演示}"),
            "summary: 'en' is a required property",
        ),
        (
            ("summary: {zh: 演示, en: demo}", "summary: {zh: 演示, en: demo"),
            "cannot read rule file",
        ),
        (
            (
                "when: {field: indicator.basis, equals: 无}",
                "when: {field: indicator.basis, equals: 无, in: [a]}",
            ),
            "exactly one of",
        ),
    ],
)
def test_malformed_rule_file_is_reported_with_path_and_problem(tmp_path, edit, problem):
    text = GOOD_RULE.replace(*edit)
    ruleset = load_ruleset(host=host_with(tmp_path, {"XX001-demo-rule.yaml": text}))
    assert "XX001" not in ruleset.by_code()
    assert len(ruleset.problems) == 1
    assert str(tmp_path / "XX001-demo-rule.yaml") in ruleset.problems[0]
    assert problem in ruleset.problems[0]


def test_file_name_must_match_code_and_name(tmp_path):
    ruleset = load_ruleset(host=host_with(tmp_path, {"XX001-other.yaml": GOOD_RULE}))
    assert "file name must be XX001-demo-rule.yaml" in ruleset.problems[0]


def test_duplicate_code_keeps_the_first(tmp_path):
    text = GOOD_RULE.replace("code: XX001", "code: PF401").replace(
        "name: demo-rule", "name: basis-missing"
    )
    ruleset = load_ruleset(host=host_with(tmp_path, {"PF401-basis-missing.yaml": text}))
    assert "already defined" in ruleset.problems[0]
    assert ruleset.by_code()["PF401"].path.endswith("rules/PF401-basis-missing.yaml")


def test_a_predicate_that_raises_becomes_pf000_not_a_crash(tmp_path):
    def explode(ctx):
        raise ZeroDivisionError("boom")

    text = GOOD_RULE.replace("when: {field: indicator.basis, equals: 无}", "when: {call: explode}")
    ruleset = load_ruleset(
        host=host_with(tmp_path, {"XX001-demo-rule.yaml": text}, {"explode": explode})
    )
    results = run_examples(ruleset, "XX001")
    assert not results[0].ok and "boom" in results[0].problems[0]


@pytest.mark.parametrize("span", [[1, 2], (1, 1, 1, 1), "3:4"])
def test_a_predicate_span_that_is_not_a_span_becomes_pf000(tmp_path, span):
    def odd(ctx):
        return {"span": span}

    text = GOOD_RULE.replace("when: {field: indicator.basis, equals: 无}", "when: {call: odd}")
    ruleset = load_ruleset(host=host_with(tmp_path, {"XX001-demo-rule.yaml": text}, {"odd": odd}))
    results = run_examples(ruleset, "XX001")
    assert not results[0].ok and "not a perflint.model.Span" in results[0].problems[0]


def test_a_hook_that_raises_is_reported_and_skipped(tmp_path):
    class Broken:
        @hookimpl
        def perflint_rule_paths(self):
            raise RuntimeError("cannot find my rules")

    host = Host(use_entry_points=False)
    host.manager.register(Broken(), name="broken-pack")
    ruleset = load_ruleset(host=host)
    assert any("broken-pack" in p and "cannot find my rules" in p for p in ruleset.problems)
    assert "PF401" in ruleset.by_code()


def test_params_override_and_unknown_param(ruleset):
    strict = load_ruleset(params={"PF306": {"threshold": 95}}, host=Host(use_entry_points=False))
    assert strict.by_code()["PF306"].params == {"threshold": 95}
    wrong = load_ruleset(params={"PF306": {"treshold": 95}}, host=Host(use_entry_points=False))
    assert any("unknown parameter 'treshold'" in p for p in wrong.problems)


# -- debugging the generated code


def test_a_predicate_that_raises_shows_the_generated_line_in_its_traceback(tmp_path, monkeypatch):
    from perflint.engine import check, plan
    from perflint.readers.yaml_reader import read_yaml

    def boom(ctx):
        raise RuntimeError("boom")

    rule = GOOD_RULE.replace("when: {field: indicator.basis, equals: 无}", "when: {call: boom}")
    host = host_with(tmp_path, {"XX001-demo-rule.yaml": rule}, {"boom": boom})
    ruleset = load_ruleset(host=host).only(["XX001"])
    tracebacks = []

    def recording(rule, span, error):
        tracebacks.append("".join(traceback.format_exception(error)))
        return internal_error(rule, span, error)

    internal_error = plan.internal_error
    monkeypatch.setattr(plan, "internal_error", recording)
    path = Path(__file__).parent.parent / "examples" / "lunan-xinfang-2025.yaml"
    filing = read_yaml(str(path), path.read_text(encoding="utf-8")).filing
    found = check(filing, ruleset)
    assert {d.code for d in found} == {"PF000"} and tracebacks
    assert re.search(
        r'File "<perflint-rules:indicator(#\w+)?>", line \d+, in _scope_indicator__XX001\n'
        r"\s+_r\d+ = _k\d+\(ctx\)\n",
        tracebacks[0],
    ), tracebacks[0]
    assert "RuntimeError: boom" in tracebacks[0]


def test_perflint_debug_plan_prints_the_plan(tmp_path):
    from helpers import run

    path = Path(__file__).parent.parent / "examples" / "lunan-xinfang-2025.yaml"
    result = run("check", str(path), "--no-cache", env={"PERFLINT_DEBUG": "plan"})
    assert result.err.startswith("perflint: rule plan, 5 compiled scope functions\n"), result.err
    assert re.search(
        r"  indicator: _scope_indicator__PF103_\w*PF401\w* in <perflint-rules:indicator", result.err
    )
    assert "  rules run through their own function: none\n" in result.err
    assert run("check", str(path), "--no-cache").err == ""  # and nothing without it
