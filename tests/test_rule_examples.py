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


def test_a_plugin_rule_pack_runs_its_examples_too():
    """Third-party packs prove themselves the same way (the example pack in tests/data/plugin-pack)."""
    import importlib.util
    from pathlib import Path

    pack = Path(__file__).parent / "data" / "plugin-pack" / "perflint_hebei"
    spec = importlib.util.spec_from_file_location("perflint_hebei_plugin", pack / "plugin.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    host = Host(use_entry_points=False)
    host.manager.register(module, name="hebei")
    ruleset = load_ruleset(host=host)
    assert ruleset.problems == ()
    results = [
        run_case(ruleset, "HB101", kind, i, case)
        for kind in ("bad", "good")
        for i, case in enumerate(ruleset.by_code()["HB101"].examples[kind])
    ]
    assert results and all(r.ok for r in results), [r.problems for r in results]
