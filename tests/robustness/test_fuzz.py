"""Random mutations of the example filings, through both readers: nothing raises, crashes a rule,
points outside the text or is broken by a safe fix (see robust_helpers.soundness_problems).

Mutations: delete / duplicate / swap lines, drop tabs, truncate anywhere, insert random Unicode
(and YAML syntax, NUL bytes, lone surrogates in YAML escapes, stray BOMs and line separators),
then write the result in another encoding or with other line ends. The default suite runs a few
hundred cases; `pytest -m slow tests/robustness` runs more than 10 000.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import assert_sound, seeds

from perflint.values import parse_value
from perflint.values.parse import _parse

SEEDS = seeds()
YAML_SEEDS = sorted(name for name in SEEDS if name.endswith(".yaml"))
TEXT_SEEDS = sorted(name for name in SEEDS if name.endswith(".txt"))
QUICK = 150  # per test below: about 600 cases in the default suite
SLOW = 3000  # per test below: 12 000 cases with -m slow

SNIPPETS = [
    "\x00", "\t", "\t\t", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u3000", "\x1b", "\x7f",
    "#", " # perflint: disable", "# perflint: disable-next-line=PF401", "# perflint: disable-file",
    "&a ", "*a", "!!python/object/apply:os.system ['true'] ", "!foo ", "!!binary ", "!!set ", "? ",
    "- ", ": ", ":", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "|\n", ">-\n", "'", '"', "\\",
    "{", "}", "[", "]", ",", '"\\ud800"', '"\\udfff\\ud800"', '"\\U0010FFFF"', '"\\x00"', '"\\N"', "'\\ud800'",
    "≥", "≤", "％", "%", "万元", "9" * 40, "1e999999", "NaN", "-Infinity", "【2024】", "〔", "（", "(" * 30,
    " " * 200, "项目名称", "一级指标", "绩效指标", "1.X项目支出绩效目标表", "[bookmark: _Toc]", "第二部分",
    "\ud800", "\udc00",
]  # fmt: skip

insertion = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(max_size=6),  # any Unicode (no surrogates)
    st.lists(st.sampled_from(SNIPPETS), min_size=2, max_size=4).map("".join),
)
position = st.integers(min_value=0, max_value=10**9)
operation = st.one_of(
    st.tuples(st.just("delete"), position),
    st.tuples(st.just("duplicate"), position),
    st.tuples(st.just("swap"), position, position),
    st.tuples(st.just("drop-tabs"), position),
    st.tuples(st.just("truncate"), position),
    st.tuples(st.just("insert"), position, position, insertion),
    st.tuples(st.just("replace-line"), position, insertion),
    st.tuples(st.just("cut"), position, position, st.integers(1, 40)),
)
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-bom", "gb18030", "utf-16", "crlf", "cr", "mixed"]


def mutate(text: str, operations) -> str:
    lines = text.split("\n")
    for op in operations:
        if not lines:
            lines = [""]
        i = op[1] % len(lines)
        kind = op[0]
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = op[2] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "drop-tabs":
            lines[i] = lines[i].replace("\t", "", 1 + op[1] % 3)
        elif kind == "truncate":
            whole = "\n".join(lines)
            lines = whole[: op[1] % (len(whole) + 1)].split("\n")
        elif kind == "insert":
            line = lines[i]
            k = op[2] % (len(line) + 1)
            lines[i] = line[:k] + op[3] + line[k:]
        elif kind == "replace-line":
            lines[i] = op[2]
        elif kind == "cut":
            line = lines[i]
            k = op[2] % (len(line) + 1)
            lines[i] = line[:k] + line[k + op[3] :]
    return "\n".join(lines)


def encode(text: str, how: str) -> bytes:
    raw = text.encode("utf-8", "surrogatepass")  # lone surrogates become invalid UTF-8 bytes
    if how == "utf-8-bom":
        return b"\xef\xbb\xbf" + raw
    if how == "gb18030":
        return text.encode("gb18030", "replace")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "crlf":
        return raw.replace(b"\n", b"\r\n")
    if how == "cr":
        return raw.replace(b"\n", b"\r")
    if how == "mixed":
        parts = raw.split(b"\n")
        ends = (b"\n", b"\r\n", b"\r")
        return b"".join(p + ends[i % 3] for i, p in enumerate(parts[:-1])) + parts[-1]
    return raw


def _check(ruleset, seed: str, suffix: str, operations, how: str) -> None:
    text = mutate(SEEDS[seed].decode("utf-8"), operations)
    assert_sound(seed.rsplit(".", 1)[0] + suffix, encode(text, how), ruleset)


fuzz_case = st.tuples(st.lists(operation, min_size=1, max_size=6), st.sampled_from(ENCODINGS))


def _fuzz(ruleset, max_examples: int, seed_names: list[str], suffixes: list[str]) -> None:
    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(seed_names), st.sampled_from(suffixes), fuzz_case)
    def run(seed, suffix, case):
        operations, how = case
        _check(ruleset, seed, suffix, operations, how)

    run()


@pytest.mark.skipif(not YAML_SEEDS, reason="no YAML example")
def test_fuzz_goal_yaml(ruleset):
    _fuzz(ruleset, QUICK, YAML_SEEDS, [".yaml", ".yml", ".goal"])


@pytest.mark.skipif(not TEXT_SEEDS, reason="no text example")
def test_fuzz_text_export(ruleset):
    _fuzz(ruleset, QUICK, TEXT_SEEDS, [".txt", ".export"])


@pytest.mark.skipif(not SEEDS, reason="no example")
def test_fuzz_either_reader_on_either_seed(ruleset):
    """A YAML file named .txt and a text export named .yaml: the wrong reader copes too."""
    _fuzz(ruleset, QUICK, sorted(SEEDS), [".yaml", ".txt"])


@settings(max_examples=QUICK, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(max_size=40), st.lists(insertion, max_size=8).map("".join)))
def test_values_never_raise(text):
    """The value grammar, without parse_value's safety net: anything is some kind of value."""
    value = _parse(text)
    assert value.kind in (
        "empty",
        "quantity",
        "range",
        "deadline",
        "period",
        "graded",
        "boolean",
        "vague",
        "free",
    )
    assert parse_value(text).kind == value.kind


@pytest.mark.slow
@pytest.mark.skipif(not YAML_SEEDS, reason="no YAML example")
def test_fuzz_goal_yaml_long(ruleset):
    _fuzz(ruleset, SLOW, YAML_SEEDS, [".yaml", ".yml", ".goal"])


@pytest.mark.slow
@pytest.mark.skipif(not TEXT_SEEDS, reason="no text example")
def test_fuzz_text_export_long(ruleset):
    _fuzz(ruleset, SLOW, TEXT_SEEDS, [".txt", ".export"])


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS, reason="no example")
def test_fuzz_either_reader_long(ruleset):
    _fuzz(ruleset, SLOW, sorted(SEEDS), [".yaml", ".txt"])


@pytest.mark.slow
@settings(max_examples=SLOW, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(max_size=40), st.lists(insertion, max_size=8).map("".join)))
def test_values_never_raise_long(text):
    test_values_never_raise.hypothesis.inner_test(text)
