"""The two readers agree: a generated filing written as goal YAML and as a text export reads
into the same model (every text, in order) and raises the same findings."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import yaml
from helpers import lint_bytes
from test_roundtrip import texts

from perflint.readers.text_reader import read_text
from perflint.readers.yaml_reader import read_yaml

_spec = importlib.util.spec_from_file_location(
    "corpus", Path(__file__).resolve().parent.parent / "bench" / "corpus.py"
)
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


def test_generated_filings_read_the_same_in_both_formats(ruleset):
    rng = random.Random(2026)
    for index in range(40):
        filing = corpus.make_filing(rng, index)
        as_yaml = yaml.safe_dump(filing, allow_unicode=True, sort_keys=False)
        as_text = corpus.to_text(filing)
        from_yaml, from_text = read_yaml("g.yaml", as_yaml), read_text("g.txt", as_text)
        assert from_yaml.diagnostics == () and from_text.diagnostics == ()
        a, b = texts(from_yaml.filing), texts(from_text.filing)
        for project in b["projects"]:
            assert (
                project.pop("money_unit") == "万元"
            )  # the export states 单位：万元 on every table
            project["money_unit"] = None
        for key in ("department_code", "department_name", "year", "projects"):
            assert a[key] == b[key], (index, key)
        codes_yaml = [d.code for d in lint_bytes("g.yaml", as_yaml.encode(), ruleset).diagnostics]
        codes_text = [d.code for d in lint_bytes("g.txt", as_text.encode(), ruleset).diagnostics]
        assert sorted(codes_yaml) == sorted(codes_text), index
