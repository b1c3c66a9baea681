"""Every case of the official YAML test suite either lints or yields PF001 with a location.

The inputs are vendored in data/yaml-test-suite/cases.json (see its README for the origin).
Each is read as goal YAML (by suffix), sniffed (an unknown suffix), and as a text export, with
libyaml's loader and with PyYAML's pure-Python one (the reader's fallback when libyaml is
missing); nothing may raise, crash a rule (PF000) or point outside the text.
"""

from __future__ import annotations

import json

import pytest
import yaml
from helpers import lint_bytes
from robust_helpers import DATA, assert_sound, codes

from perflint.readers import yaml_tree

CASES = json.loads((DATA / "yaml-test-suite" / "cases.json").read_text(encoding="utf-8"))


def test_the_vendored_suite_is_complete():
    assert len(CASES) > 350
    assert sum(case["fail"] for case in CASES) > 80  # the invalid-YAML cases are there too
    assert all(isinstance(case["yaml"], str) for case in CASES)


@pytest.mark.parametrize("suffix", [".yaml", ".txt", ".goal"])
def test_every_case_lints_or_is_refused_with_a_location(ruleset, suffix):
    failures = []
    for case in CASES:
        data = case["yaml"].encode("utf-8")
        try:
            assert_sound(f"{case['id']}{suffix}", data, ruleset)
        except AssertionError as error:
            failures.append(f"{case['id']} ({case['name']}): {error}")
    assert not failures, f"{len(failures)} of {len(CASES)} cases:\n" + "\n\n".join(failures[:5])


def test_invalid_yaml_is_refused_with_pf001(ruleset):
    """libyaml accepts a few inputs the suite calls invalid; those must then lint soundly (above)."""
    refused = accepted = 0
    for case in CASES:
        if not case["fail"]:
            continue
        result = lint_bytes(f"{case['id']}.yaml", case["yaml"].encode("utf-8"), ruleset)
        if "PF001" in codes(result):
            refused += 1
            first = next(d for d in result.diagnostics if d.code == "PF001")
            assert first.message.zh and first.message.en
        else:
            accepted += 1
    assert refused >= 0.8 * (refused + accepted), (refused, accepted)


def test_every_case_with_the_pure_python_loader(ruleset, monkeypatch):
    monkeypatch.setattr(yaml_tree, "_LOADER", yaml.SafeLoader)
    failures = []
    for case in CASES:
        try:
            assert_sound(f"{case['id']}.yaml", case["yaml"].encode("utf-8"), ruleset, fixes=False)
        except AssertionError as error:
            failures.append(f"{case['id']}: {error}")
    assert not failures, "\n\n".join(failures[:5])


@pytest.mark.parametrize("variant", ["crlf", "cr", "bom", "gb18030", "utf-16"])
def test_every_case_in_other_encodings_and_line_ends(ruleset, variant):
    failures = []
    for case in CASES:
        text = case["yaml"]
        if variant == "crlf":
            data = text.replace("\n", "\r\n").encode("utf-8")
        elif variant == "cr":
            data = text.replace("\n", "\r").encode("utf-8")
        elif variant == "bom":
            data = b"\xef\xbb\xbf" + text.encode("utf-8")
        elif variant == "gb18030":
            data = text.encode("gb18030")
        else:
            data = text.encode("utf-16")
        try:
            assert_sound(f"{case['id']}.yaml", data, ruleset, fixes=False)
        except AssertionError as error:
            failures.append(f"{case['id']}: {error}")
    assert not failures, "\n\n".join(failures[:5])
