"""Fixes: only the edited characters change, a second pass is a no-op, a broken result is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perflint.diagnostics import Diagnostic, Edit, Fix, Message
from perflint.engine.fixer import apply_fixes, fix_text, line_starts, write_atomic
from perflint.model import Span
from perflint.route import Settings, lint_text
from perflint.source import SourceText, decode

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES, FIXED = ROOT / "examples", Path(__file__).parent / "data" / "fixed"


def linter(ruleset, path: str, source: SourceText):
    return lambda text: list(
        lint_text(
            path, SourceText(text, source.encoding, source.bom), Settings(ruleset)
        ).diagnostics
    )


@pytest.mark.parametrize(
    ("stem", "unsafe", "expected"),
    [
        ("lunan-xinfang-2025", False, "lunan-xinfang-2025.safe.txt"),
        # issue 17: a count needs a comparator too; the one unsafe fix is 1个 → ≥1个 (数量, a floor); the
        # 1个 under 质量指标 gets no fix (a count does not fit 质量, so no comparator could be sure)
        ("lunan-xinfang-2025", True, "lunan-xinfang-2025.unsafe.txt"),
        # the 项目名称 keep their 【2024】 here: a fix to a name is unsafe (it must match the budget system)
        ("huailai-xinfang-2024", False, "huailai-xinfang-2024.safe.txt"),
        ("huailai-xinfang-2024", True, "huailai-xinfang-2024.unsafe.txt"),
    ],
)
def test_fixing_a_seed_gives_the_hand_checked_file_and_is_idempotent(
    ruleset, stem, unsafe, expected
):
    path = EXAMPLES / f"{stem}.txt"
    source = decode(path.read_bytes())
    lint = linter(ruleset, str(path), source)
    outcome = fix_text(source.text, lint, unsafe=unsafe)
    assert outcome.refused is None
    assert outcome.text == (FIXED / expected).read_text(encoding="utf-8")
    again = fix_text(outcome.text, lint, unsafe=unsafe)
    assert again.fixed == 0 and again.text == outcome.text
    assert not [d for d in outcome.remaining if d.fix and (d.fix.applicability == "safe" or unsafe)]


@pytest.mark.parametrize("stem", ["lunan-xinfang-2025", "huailai-xinfang-2024"])
def test_fixing_the_yaml_form_changes_the_same_cells(ruleset, stem):
    path = EXAMPLES / f"{stem}.yaml"
    source = decode(path.read_bytes())
    outcome = fix_text(source.text, linter(ruleset, str(path), source))
    before, after = source.text.splitlines(), outcome.text.splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and changed
    for old, new in changed:  # only the unit / bracket text inside one scalar changed
        assert old.split(":")[0] == new.split(":")[0]
        assert any(token in old for token in ("人、次", "件、次", "【", "万"))


def test_encoding_bom_and_crlf_survive_a_fix(ruleset):
    original = (EXAMPLES / "huailai-xinfang-2024.txt").read_text(encoding="utf-8")
    data = b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8")
    gbk = original.replace("\n", "\r\n").encode("gb18030")
    expected = (
        (FIXED / "huailai-xinfang-2024.safe.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    )
    for raw, want in (
        (data, b"\xef\xbb\xbf" + expected.encode("utf-8")),
        (gbk, expected.encode("gb18030")),
    ):
        source = decode(raw)
        outcome = fix_text(source.text, linter(ruleset, "x.txt", source))
        assert source.encode(outcome.text) == want


def test_a_fix_that_breaks_the_file_is_refused():
    text = "部门: {编码: '1', 名称: 甲}\n"

    def lint(current):
        if current != text:  # the "fixed" text no longer parses
            return [
                Diagnostic(
                    "PF001", "parse-error", "error", Message("坏", "bad"), Span("x", 1, 1, 1, 1)
                )
            ]
        edit = Edit(Span("x", 1, 4, 1, 5), "{{{")
        return [
            Diagnostic(
                "XX001",
                "x",
                "warning",
                Message("x", "x"),
                Span("x", 1, 1, 1, 2),
                Fix("safe", Message("x", "x"), (edit,)),
            )
        ]

    outcome = fix_text(text, lint)
    assert outcome.refused is not None and outcome.text == text and outcome.fixed == 0


def test_overlapping_fixes_are_taken_in_order_and_the_rest_wait():
    def fix(line, col, end, content):
        return Fix("safe", Message("", ""), (Edit(Span("x", line, col, line, end), content),))

    text, count = apply_fixes(
        "abcdef\nxyz\n",
        [fix(1, 2, 4, "B"), fix(1, 3, 5, "C"), fix(2, 1, 1, ">"), fix(2, 1, 1, "<")],
    )
    assert (text, count) == ("aBdef\n>xyz\n", 2)


@st.composite
def text_and_edits(draw):
    text = draw(st.text(alphabet=st.sampled_from("ab人、次\r\n\t%≥【】"), max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    # keep every edit away from the inside of a \r\n pair (positions are line/column based)
    pairs = [
        (s, e)
        for s, e in pairs
        if not (0 < s < len(text) and text[s - 1 : s + 1] == "\r\n")
        and not (0 < e < len(text) and text[e - 1 : e + 1] == "\r\n")
    ]
    contents = draw(
        st.lists(st.text(alphabet="XY次", max_size=3), min_size=len(pairs), max_size=len(pairs))
    )
    return text, pairs, contents


def _span(text: str, start: int, end: int) -> Span:
    starts = line_starts(text)

    def point(offset):
        line = max(i for i, s in enumerate(starts) if s <= offset)
        return line + 1, offset - starts[line] + 1

    (line, col), (end_line, end_col) = point(start), point(end)
    return Span("x", line, col, end_line, end_col)


@settings(max_examples=300, deadline=None)
@given(text_and_edits())
def test_applying_non_overlapping_edits_preserves_everything_outside_them(case):
    text, pairs, contents = case
    fixes = [
        Fix("safe", Message("", ""), (Edit(_span(text, s, e), c),))
        for (s, e), c in zip(pairs, contents)
    ]
    result, applied = apply_fixes(text, fixes)
    expected, cursor = [], 0
    taken = [(s, e, c) for (s, e), c in zip(pairs, contents)]
    # the reference: drop edits that clash with an earlier one exactly as the fixer promises
    kept = []
    for s, e, c in taken:
        if any(
            (s < ke and ks < e)
            or (s == e == ks == ke)
            or (s == e and ks < s < ke)
            or (ks == ke and s < ks < e)
            for ks, ke, _ in kept
        ):
            continue
        kept.append((s, e, c))
    for s, e, c in sorted(kept):
        expected += [text[cursor:s], c]
        cursor = e
    expected.append(text[cursor:])
    assert result == "".join(expected) and applied == len(kept)


def test_write_atomic_keeps_mode(tmp_path):
    target = tmp_path / "goal.yaml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["goal.yaml"]
