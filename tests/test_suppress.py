"""Inline suppressions and PF009 unused-suppression, through the real command line and in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run

from perflint.diagnostics import Diagnostic, Message
from perflint.engine.fixer import apply_fixes
from perflint.engine.suppress import BUILTIN_RULES, PF009, apply_suppressions
from perflint.examples import case_text
from perflint.model import Span, Suppression

REPO = Path(__file__).resolve().parent.parent
BASIS = "    指标值确定依据: 无"  # raises PF401


def goal_text(basis_line: str = BASIS, before: str = "", head: str = "") -> str:
    """The clean example filing with its first basis replaced by `basis_line` (and lines put before it)."""
    text = case_text({"项目名称": "业务培训经费"})
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("指标值确定依据"))
    lines[index : index + 1] = ([before] if before else []) + [basis_line]
    return head + "\n".join(lines) + "\n"


def check(tmp_path, text: str, *args) -> list[dict]:
    (tmp_path / "goal.yaml").write_text(text, encoding="utf-8")
    result = run("check", "goal.yaml", "--format", "json", *args, cwd=tmp_path)
    return json.loads(result.out)


def test_unsuppressed_finding(tmp_path):
    assert [d["code"] for d in check(tmp_path, goal_text())] == ["PF401"]


@pytest.mark.parametrize(
    ("basis_line", "before", "head"),
    [
        (BASIS + "  # perflint: disable=PF401", "", ""),
        (BASIS + "  # perflint: disable=PF401 -- 上级未下达标准", "", ""),
        (BASIS + "  # perflint: disable=basis-missing", "", ""),
        (BASIS + "  # perflint: disable=PF4", "", ""),
        (BASIS + "  # perflint: disable", "", ""),
        (
            BASIS + "  # perflint: disable=PF203, PF401",
            "",
            "",
        ),  # PF203 is enabled but unused: see below
        (BASIS, "    # perflint: disable-next-line=PF401 -- 历史遗留", ""),
        (BASIS, "", "# perflint: disable-file=PF401\n"),
    ],
)
def test_suppressed(tmp_path, basis_line, before, head):
    found = check(tmp_path, goal_text(basis_line, before, head))
    assert "PF401" not in {d["code"] for d in found}
    if "PF203" in basis_line:
        assert [d["code"] for d in found] == ["PF009"]
        assert "PF203" in found[0]["message"] and "PF401" not in found[0]["message"]
    else:
        assert found == []


def test_wrong_line_does_not_suppress(tmp_path):
    text = goal_text(BASIS, "    # perflint: disable=PF401")  # `disable` covers its own line only
    assert sorted(d["code"] for d in check(tmp_path, text)) == ["PF009", "PF401"]


def test_unused_suppression_is_pf009_with_safe_fix(tmp_path):
    line = "    指标值确定依据: 年度工作计划  # perflint: disable=PF401 -- 已不需要"
    text = goal_text(line)
    found = check(tmp_path, text)
    assert [d["code"] for d in found] == ["PF009"]
    finding = found[0]
    assert finding["severity"] == "warning" and finding["name"] == "unused-suppression"
    assert finding["fix"]["applicability"] == "safe"
    assert text.splitlines()[finding["location"]["row"] - 1][
        finding["location"]["column"] - 1 :
    ].startswith("# perflint")
    fixed = _apply(text, finding["fix"]["edits"])
    assert "perflint" not in fixed and "    指标值确定依据: 年度工作计划\n" in fixed
    assert check(tmp_path, fixed) == []


def test_unused_own_line_comment_is_removed_whole(tmp_path):
    text = goal_text("    指标值确定依据: 年度工作计划", "    # perflint: disable-next-line=PF401")
    found = check(tmp_path, text)
    assert [d["code"] for d in found] == ["PF009"]
    fixed = _apply(text, found[0]["fix"]["edits"])
    assert fixed == goal_text("    指标值确定依据: 年度工作计划")


def test_partly_used_comment_keeps_used_codes(tmp_path):
    text = goal_text(BASIS + "  # perflint: disable=PF203,PF401 -- 理由")
    found = check(tmp_path, text)
    assert [d["code"] for d in found] == ["PF009"]
    fixed = _apply(text, found[0]["fix"]["edits"])
    assert BASIS + "  # perflint: disable=PF401 -- 理由" in fixed
    assert check(tmp_path, fixed) == []


def test_unknown_code_is_reported(tmp_path):
    found = check(tmp_path, goal_text(BASIS + "  # perflint: disable=PF401,PF777"))
    assert [d["code"] for d in found] == ["PF009"] and "PF777" in found[0]["message"]


def test_codes_of_disabled_rules_are_not_judged(tmp_path):
    text = goal_text("    指标值确定依据: 年度工作计划  # perflint: disable=PF401")
    assert check(tmp_path, text, "--ignore", "PF401") == []
    assert check(tmp_path, text, "--select", "PF2") == []
    (tmp_path / ".perflint.yaml").write_text(
        "per-file-ignores: {'goal.yaml': [PF401]}\n", encoding="utf-8"
    )
    assert check(tmp_path, text) == []


def test_pf009_can_be_ignored_or_suppressed(tmp_path):
    text = goal_text("    指标值确定依据: 年度工作计划  # perflint: disable=PF401")
    assert check(tmp_path, text, "--ignore", "PF009") == []
    assert check(tmp_path, text, "--ignore", "unused-suppression") == []
    assert (
        check(
            tmp_path, goal_text("    指标值确定依据: 年度工作计划  # perflint: disable=PF401,PF009")
        )
        == []
    )
    assert check(tmp_path, text, "--severity", "PF009=error")[0]["severity"] == "error"


def test_quoted_hash_is_not_a_comment(tmp_path):
    text = goal_text('    指标值确定依据: "无 # perflint: disable=PF401"')
    assert [
        d["code"] for d in check(tmp_path, text)
    ] == []  # the basis is not empty-ish any more, and no PF009
    text = goal_text('    指标值确定依据: "无"  # perflint: disable=PF401')
    assert check(tmp_path, text) == []


def test_text_exports_use_per_file_ignores(tmp_path):
    seeds = sorted((REPO.parent / "shared" / "seeds").glob("*.txt")) or sorted(
        (REPO / "examples").glob("*.txt")
    )
    if not seeds:
        pytest.skip("no seed text exports")
    (tmp_path / "seed.txt").write_bytes(seeds[0].read_bytes())
    everything = json.loads(run("check", "seed.txt", "--format", "json", cwd=tmp_path).out)
    assert everything
    code = everything[0]["code"]
    (tmp_path / ".perflint.yaml").write_text(
        f"per-file-ignores: {{'*.txt': [{code}]}}\n", encoding="utf-8"
    )
    rest = json.loads(run("check", "seed.txt", "--format", "json", cwd=tmp_path).out)
    assert code not in {d["code"] for d in rest} and len(rest) < len(everything)


# -- in-process


def _apply(text: str, edits: list[dict]) -> str:
    from perflint.diagnostics import Edit, Fix

    spans = tuple(
        Edit(
            Span(
                "x",
                e["location"]["row"],
                e["location"]["column"],
                e["end_location"]["row"],
                e["end_location"]["column"],
            ),
            e["content"],
        )
        for e in edits
    )
    return apply_fixes(text, [Fix("safe", Message("", ""), spans)])[0]


def _finding(code: str, name: str, line: int) -> Diagnostic:
    return Diagnostic(
        code, name, "error", Message("问题", "problem"), Span("f.yaml", line, 5, line, 9)
    )


KNOWN = {
    "PF000": "internal-error",
    "PF001": "parse-error",
    "PF009": "unused-suppression",
    "PF401": "basis-missing",
    "PF201": "vague-target",
}
ENABLED = frozenset(KNOWN)


def test_parse_errors_cannot_be_suppressed():
    text = "a: 1  # perflint: disable\n"
    suppression = Suppression("line", (), Span("f.yaml", 1, 7, 1, 26), 1)
    kept = apply_suppressions(
        [_finding("PF001", "parse-error", 1)], [suppression], text, ENABLED, KNOWN
    )
    assert [d.code for d in kept] == ["PF001", "PF009"]


def test_multi_line_findings_match_any_of_their_lines():
    text = "a\nb\nc\n"
    finding = Diagnostic(
        "PF201", "vague-target", "warning", Message("x", "x"), Span("f.yaml", 1, 1, 3, 1)
    )
    suppression = Suppression("line", ("PF201",), Span("f.yaml", 2, 3, 2, 20), 2)
    assert apply_suppressions([finding], [suppression], text, ENABLED, KNOWN) == []


def test_no_suppressions_is_a_no_op():
    found = [_finding("PF401", "basis-missing", 3)]
    assert apply_suppressions(found, (), None, ENABLED, KNOWN) == found


def test_pf009_not_reported_when_disabled():
    suppression = Suppression("line", ("PF401",), Span("f.yaml", 1, 7, 1, 30), 1)
    assert (
        apply_suppressions(
            [], [suppression], "x: 1  # perflint: disable=PF401\n", ENABLED - {"PF009"}, KNOWN
        )
        == []
    )


def test_builtin_rule_table():
    codes = [rule.code for rule in BUILTIN_RULES]
    assert codes == sorted(codes) and "PF009" in codes
    assert PF009.fix_applicability == "safe" and PF009.severity == "warning"
    assert PF009.url().endswith("#pf009-unused-suppression")
