"""Importing a text export to goal YAML keeps every field: reading the YAML back gives the same model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from perflint.model import Cell, Span
from perflint.readers.text_reader import read_text
from perflint.readers.yaml_reader import read_yaml
from perflint.readers.yaml_writer import dump_filing

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEEDS = sorted(EXAMPLES.glob("*.txt"))


def texts(value):
    """The model with every Span dropped and every Cell reduced to its text."""
    if isinstance(value, Cell):
        return value.text
    if isinstance(value, Span):
        return None
    if dataclasses.is_dataclass(value):
        return {
            f.name: texts(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.compare and f.name not in ("path", "format", "span")  # value_parts: positions only
        }
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [texts(v) for v in value]
    return value


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_import_round_trip(seed):
    original = read_text(str(seed), seed.read_text(encoding="utf-8")).filing
    yaml_text = dump_filing(original)
    back = read_yaml("imported.yaml", yaml_text)
    assert back.diagnostics == ()
    assert texts(back.filing) == texts(original)


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_bundled_yaml_example_matches_its_export(seed):
    """examples/*.yaml are the imported seeds, kept in sync with their .txt originals."""
    imported = seed.with_suffix(".yaml")
    original = read_text(str(seed), seed.read_text(encoding="utf-8")).filing
    assert texts(read_yaml(str(imported), imported.read_text(encoding="utf-8")).filing) == texts(
        original
    )
