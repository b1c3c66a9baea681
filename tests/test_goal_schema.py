"""The bundled goal files validate against the JSON Schema that editors use."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "perflint" / "schema" / "goal.schema.json").read_text(encoding="utf-8"))
FILES = sorted(ROOT.glob("examples/*.yaml")) + sorted(
    (ROOT / "tests" / "data" / "clean").glob("*.yaml")
)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_goal_file_validates(path):
    jsonschema.Draft202012Validator(SCHEMA).validate(
        yaml.safe_load(path.read_text(encoding="utf-8"))
    )


def test_examples_point_editors_at_the_schema():
    for path in ROOT.glob("examples/*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../perflint/schema/goal.schema.json"
        assert (path.parent / "../perflint/schema/goal.schema.json").resolve().is_file()
