"""False positives matter more than misses: well-written tables produce no finding at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import lint_bytes

CLEAN = sorted((Path(__file__).parent / "data" / "clean").glob("*"))


@pytest.mark.parametrize("path", CLEAN, ids=[p.name for p in CLEAN])
def test_clean_table_has_no_findings(ruleset, path):
    result = lint_bytes(str(path), path.read_bytes(), ruleset)
    assert [(d.code, d.span.line, d.span.col, d.message.zh) for d in result.diagnostics] == []
    assert result.filing is not None and result.filing.projects
