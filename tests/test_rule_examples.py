"""Every rule proves itself: each `bad:` case raises the rule (and gives `fixed:`), each `good:` case does not."""

from __future__ import annotations

import pytest

from perflint.engine import load_ruleset
from perflint.examples import run_case
from perflint.plugins.host import Host

_RULESET = load_ruleset(host=Host(use_entry_points=False))
CASES = [
    pytest.param(rule.code, kind, index, case, id=f"{rule.code}-{kind}-{index}")
    for rule in _RULESET.rules
    for kind in ("bad", "good")
    for index, case in enumerate(rule.examples[kind])
]


def test_rules_load_cleanly():
    assert _RULESET.problems == ()
    assert len(_RULESET.rules) >= 25


@pytest.mark.parametrize(("code", "kind", "index", "case"), CASES)
def test_example(code, kind, index, case):
    result = run_case(_RULESET, code, kind, index, case)
    assert result.ok, result.problems


def test_every_fixable_rule_shows_its_fix():
    for rule in _RULESET.rules:
        if rule.make_fix is not None:
            assert any("fixed" in case for case in rule.examples["bad"]), (
                f"{rule.code} has a fix but no `fixed:` example"
            )
