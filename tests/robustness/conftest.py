"""Fixtures for the robustness tests (the built-in rule set comes from tests/conftest.py)."""

from __future__ import annotations

import pytest
from robust_helpers import seeds


@pytest.fixture(scope="session")
def seed_files() -> dict[str, bytes]:
    found = seeds()
    if not found:
        pytest.skip("no example filings found")
    return found
