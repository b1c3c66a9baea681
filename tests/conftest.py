"""Shared fixtures: the built-in rule set (no third-party plugins)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ruleset():
    from perflint.engine import load_ruleset
    from perflint.plugins.host import Host

    loaded = load_ruleset(host=Host(use_entry_points=False))
    assert loaded.problems == ()
    return loaded
