"""The one fields table (perflint/fields.py) and what is derived from it agree with the goal
schema, the docs, the reader, the writer and the rule context."""

from __future__ import annotations

import json
import re
from pathlib import Path

from perflint import fields
from perflint.engine.context import MODEL_FIELDS, field_exists
from perflint.engine.plan import FILING_CELLS, INDICATOR_CELLS, PROJECT_CELLS
from perflint.model import Filing, Indicator, Project

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "perflint" / "schema" / "goal.schema.json").read_text(encoding="utf-8"))


def properties(node: dict) -> list[str]:
    return list(node["properties"])


def test_the_goal_schema_has_the_keys_of_the_table_in_its_order():
    project = SCHEMA["$defs"]["project"]
    assert properties(SCHEMA) == list(fields.keys("filing"))
    assert properties(SCHEMA["properties"]["部门"]) == list(fields.keys("filing", "部门"))
    assert properties(project) == list(fields.keys("project"))
    assert properties(project["properties"]["预算"]) == list(fields.keys("project", "预算"))
    assert properties(SCHEMA["$defs"]["flatRow"]) == list(fields.ROW_KEYS)
    assert properties(SCHEMA["$defs"]["groupedRow"]) == list(fields.ROW_KEYS[2:])
    assert project["properties"]["表中无"]["items"]["enum"] == list(fields.ABSENT_NAMES.values())


def test_the_docs_table_is_the_generated_one():
    text = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- fields:start -->\n(.*?)<!-- fields:end -->", text, re.S)
    assert found and found.group(1) == fields.markdown_table()


def test_every_field_is_a_model_attribute_once():
    models = {"filing": Filing, "project": Project, "indicator": Indicator}
    for field in fields.FIELDS:
        if field.key:  # 预算合计 is only a 表中无 name
            assert field.attribute in models[field.owner].__dataclass_fields__, field
        assert field.count in ("one", "optional", "many", "other"), field
    assert len(fields.BY_PATH) == len(fields.FIELDS)


def test_rules_read_the_fields_the_table_marks():
    for owner, names in MODEL_FIELDS.items():
        assert names == tuple(f.attribute for f in fields.of(owner) if f.rule)
        assert all(field_exists(f"{owner}.{name}", "indicator") for name in names)
    cells = FILING_CELLS + PROJECT_CELLS + INDICATOR_CELLS
    assert [path for path, _, _ in cells] == [f.path for f in fields.FIELDS if f.cells]


def test_labels_name_the_columns_in_messages():
    assert fields.label("indicator.basis") == ("指标值确定依据", "determination basis")
    assert fields.label("project.code") == ("项目编码", "project code")
    assert fields.label("no.such") == ("no.such", "no.such")
