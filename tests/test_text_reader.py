"""The text-export reader on the two seeds (counts, figures, hand-checked spans) and on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import lint_bytes

from perflint.model import Span
from perflint.readers.text_reader import read_text
from perflint.source import decode

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED_000 = EXAMPLES / "lunan-xinfang-2025.txt"
SEED_001 = EXAMPLES / "huailai-xinfang-2024.txt"


def read(path: Path):
    result = read_text(str(path), path.read_text(encoding="utf-8"))
    assert result.diagnostics == ()
    return result.filing


def at(path, line, col, end_col):
    return Span(str(path), line, col, line, end_col)


def test_seed_000_department_year_and_part_one():
    filing = read(SEED_000)
    assert (filing.department_code.text, filing.department_name.text) == (
        "455001",
        "唐山市路南区信访局本级",
    )
    assert filing.department_code.span == at(SEED_000, 34, 2, 8)
    assert filing.department_name.span == at(SEED_000, 34, 8, 19)
    assert filing.money_unit.text == "万元" and filing.money_unit.span == at(SEED_000, 35, 5, 7)
    assert filing.year.text == "2025" and filing.year.span == at(SEED_000, 33, 34, 38)
    assert filing.overall_goal.text.startswith("区信访局坚持用群众工作统领信访工作")
    assert [g.text for g in filing.sub_goals] == [
        "维护重点区域正常工作秩序。",
        "负责信访疑难案件化解工作及信访救助。",
        "参与全区社会治理和维护社会政治稳定。",
    ]
    assert filing.sub_goals[0].span == at(SEED_000, 8, 3, 16)  # after “1、”


def test_seed_000_projects_budget_plan_and_indicators():
    filing = read(SEED_000)
    assert [p.code.text for p in filing.projects] == [
        "13020225P00000410005D",
        "13020225P00000310002W",
        "13020225P00889710001K",
    ]
    assert [p.name.text for p in filing.projects] == [
        "2025信访救助及维稳工作经费",
        "2025信访维稳及相关工作经费",
        "2025招商引资专项业务费",
    ]
    budgets = [
        (p.budget_total.text, p.budget_fiscal.text, p.budget_other.text) for p in filing.projects
    ]
    assert budgets == [("1000.00", "1000.00", ""), ("200.00", "200.00", ""), ("20.00", "20.00", "")]
    first = filing.projects[0]
    assert first.code.span == at(SEED_000, 38, 2, 23)
    assert first.budget_total.span == at(SEED_000, 44, 2, 9)
    assert first.budget_other.span == at(
        SEED_000, 48, 3, 3
    )  # the cell holds one space: empty, after it
    assert first.purpose.text == "用于2025年信访救助及维稳相关工作"
    plans = [[(c.label.text, c.percent.text) for c in p.spending_plan] for p in filing.projects]
    assert plans[0] == [("3月底", "30%"), ("6月底", "60%"), ("10月底", "75%"), ("12月底", "100%")]
    assert [c.percent.text for c in filing.projects[1].spending_plan] == [
        "25%",
        "50%",
        "75%",
        "100%",
    ]
    assert [c.percent.text for c in filing.projects[2].spending_plan] == [
        "30%",
        "50%",
        "70%",
        "100%",
    ]
    assert first.spending_plan[3].percent.span == at(SEED_000, 63, 2, 6)
    assert [g.text for g in first.goals] == [
        "保障日常信访工作顺利开展",
        "及时足额拨付信访救助款及维稳值班经费等",
    ]
    assert first.goals[1].span == at(
        SEED_000, 67, 3, 22
    )  # a continuation line without a tab, after “2.”
    assert [len(p.indicators) for p in filing.projects] == [7, 7, 6]
    quality = first.indicators[1]
    assert (quality.level1.text, quality.level2.text, quality.name.text) == (
        "产出指标",
        "质量指标",
        "减少信访案件",
    )
    assert quality.level1.span == at(
        SEED_000, 78, 2, 6
    )  # merged cell: the 一级 written on the first row
    assert quality.value.text == "≥10件、次" and quality.value.span == at(SEED_000, 89, 2, 8)
    assert quality.basis.text == "路南办字【2019】12号文要求" and quality.basis.span == at(
        SEED_000, 90, 2, 18
    )
    last = filing.projects[2].indicators[-1]
    assert (last.level1.text, last.level2.text, last.basis.text) == (
        "满意度指标",
        "服务对象满意度指标",
        "满意度",
    )


def test_seed_001_counts_and_trailing_tabs():
    filing = read(SEED_001)
    assert (filing.department_code.text, filing.department_name.text, filing.year.text) == (
        "286001",
        "怀来县信访局",
        "2024",
    )
    assert len(filing.sub_goals) == 4
    assert [p.budget_total.text for p in filing.projects] == ["30.00", "60.00"]
    assert [len(p.indicators) for p in filing.projects] == [6, 6]
    second = filing.projects[1]
    assert [g.text for g in second.goals] == [
        "通过开展信访维稳工作,维护群众合法权益和全县社会和谐稳定"
    ]
    assert second.goals[0].span == at(SEED_001, 148, 4, 32)  # trailing tabs are padding, not text
    cost = filing.projects[0].indicators[3]
    assert (cost.level2.text, cost.value.text, cost.value.span) == (
        "成本指标",
        "30万",
        at(SEED_001, 95, 2, 5),
    )


@pytest.mark.parametrize("variant", ["crlf", "bom", "gb18030"])
def test_encodings_and_line_ends_keep_positions(variant):
    data = SEED_000.read_bytes()
    if variant == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif variant == "bom":
        data = b"\xef\xbb\xbf" + data
    else:
        data = data.decode("utf-8").encode("gb18030")
    source = decode(data)
    filing = read_text("x.txt", source.text).filing
    reference = read(SEED_000)
    cell, expected = (
        filing.projects[0].indicators[1].basis,
        reference.projects[0].indicators[1].basis,
    )
    assert cell.text == expected.text and (cell.span.line, cell.span.col, cell.span.end_col) == (
        90,
        2,
        18,
    )


def codes(path: str, data: bytes, ruleset):
    return [(d.code, d.span.line, d.span.col) for d in lint_bytes(path, data, ruleset).diagnostics]


def test_empty_file_is_a_finding(ruleset):
    assert codes("empty.txt", b"", ruleset) == [("PF001", 1, 1)]
    assert codes("blank.txt", b"\n \n\t\n", ruleset)[0][0] == "PF001"


def test_headings_only_is_a_finding(ruleset):
    text = " 第一部分\n部门整体绩效目标\n一、总体绩效目标\n做好工作。\n第二部分\n预算项目绩效目标\n"
    assert codes("h.txt", text.encode(), ruleset) == [("PF001", 1, 1)]


def test_truncated_table_is_located(ruleset):
    lines = SEED_001.read_text(encoding="utf-8").splitlines()
    truncated = "\n".join(lines[:79]) + "\n"  # cut inside the second indicator row (质量指标 …)
    found = codes("t.txt", truncated.encode(), ruleset)
    assert ("PF001", 79, 2) in found


def test_cut_before_the_indicator_table(ruleset):
    lines = SEED_001.read_text(encoding="utf-8").splitlines()
    found = codes("t.txt", ("\n".join(lines[:60]) + "\n").encode(), ruleset)
    assert ("PF001", 26, 32) in found  # the project heading: no indicator table follows


def test_binary_file_is_a_finding(ruleset):
    assert codes("b.txt", b"\x00\x01\x02PK\x03\x04", ruleset)[0][0] == "PF001"


def _table(header: list[str], rows: list[list[str]]) -> str:
    """A one-project export whose indicator table has the given columns."""
    head = (
        "[bookmark: _Toc_1]1.2025业务培训经费绩效目标表\n\t100001示例单位\n\t单位：万元\n\n"
        "\t项目编码\n\t11010125P000000000001\n\t项目名称\n\t业务培训经费\n\n"
        "\t预算规模及资金用途\n\t预算数\n\t10.00\n\t其中：财政资金\n\t10.00\n\t其他资金\n\t \n\n\t\n\t用于业务培训\n\n"
        "\t资金支出计划（%）\n\t6月底\n\t12月底\n\n\t\n\t50%\n\t100%\n\n\t绩效目标\n\t完成培训200人次\n\n \n"
    )
    blocks = ["\n".join("\t" + c for c in header)] + [
        "\n".join("\t" + c for c in row) for row in rows
    ]
    return head + "\n\n".join(blocks) + "\n"


def test_indicator_columns_follow_the_header():
    """The MoF system's layout: comparator, value and unit in columns of their own, no description."""
    text = _table(
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "计算符号",
            "指标值",
            "计量单位",
            "指标值设定依据及数据来源",
        ],
        [
            ["产出指标", "数量指标", "培训人次", "≥", "200", "人、次", "年度工作计划"],
            ["", "质量指标", "培训合格率", "定性", "合格", "", "行业标准"],
        ],
    )
    result = read_text("m.txt", text)
    assert result.diagnostics == ()
    first, second = result.filing.projects[0].indicators
    assert (first.name.text, first.value.text, first.basis.text, first.description.text) == (
        "培训人次",
        "≥200人、次",
        "年度工作计划",
        "",
    )
    assert (
        first.value.span.line == second.value.span.line - 8 and not first.value.direct
    )  # joined: no exact sub-spans
    assert (second.level1.text, second.value.text) == ("产出指标", "合格")


def test_four_column_table_and_a_short_row(ruleset):
    text = _table(
        ["一级指标", "二级指标", "三级指标", "指标值"],
        [["产出指标", "数量指标", "培训人次", "≥200人次"], ["", "质量指标", "培训合格率"]],
    )
    found = [(d.code, d.span.line) for d in lint_bytes("f.txt", text.encode(), ruleset).diagnostics]
    assert ("PF001", len(text.splitlines())) in found  # the short last row, at its last cell
