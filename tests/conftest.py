"""Shared fixtures: the built-in rule set (no third-party plugins); hypothesis made deterministic."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# The same examples on every run, so CI cannot fail on a new random draw; explore with
# HYPOTHESIS_PROFILE=explore (and -m slow for the long fuzz), and pin what it finds as a case.
settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

# The key perflint seals its caches with (perflint.trust) lives in the user's cache directory:
# the tests (and every perflint they start, which inherits this) use one of their own.
if not os.environ.get("PERFLINT_TEST_KEEP_XDG"):
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="perflint-tests-xdg-")


@pytest.fixture(scope="session")
def ruleset():
    from perflint.engine import load_ruleset
    from perflint.plugins.host import Host

    loaded = load_ruleset(host=Host(use_entry_points=False))
    assert loaded.problems == ()
    return loaded
