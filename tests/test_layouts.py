"""Every family of forms in shared/layouts.md, as invented tables: every indicator row with its cells
and category, every project separate, name / department / year / budget read, no PF001, and no
structure finding for what a form does not have (the real `perflint` command, in a subprocess).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run

from perflint.model import Cell, Span
from perflint.readers.grid import Grid, GridCell, GridRow
from perflint.readers.interpret import interpret
from perflint.readers.text_reader import read_text
from perflint.readers.yaml_reader import read_yaml
from perflint.readers.yaml_writer import dump_filing

STRUCTURE = {"PF001", "PF101", "PF104", "PF401", "PF501", "PF502", "PF503", "PF504", "PF505"}
LAYOUTS = (
    Path(__file__).parent / "data" / "report-layouts"
)  # a copy of shared/layouts/*.txt (the invented examples)


def export(*blocks) -> str:
    """A text export: a str is a paragraph line, a list is a row of cells (a cell's "\\n" is a
    continuation line without a tab)."""
    out = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
            continue
        lines = []
        for cell in block:
            first, *more = cell.split("\n")
            lines.append("\t" + first)
            lines.extend(more)
        out.append("\n".join(lines) + "\n")
    return "\n".join(out) + "\n"


def rows_of(project):
    return [
        (i.level1.text, i.level2.text, i.name.text, i.description.text, i.value.text, i.basis.text)
        for i in project.indicators
    ]


def read(text: str, path: str = "t.txt"):
    result = read_text(path, text)
    assert result.diagnostics == ()
    return result.filing


def lint_codes(tmp_path, name: str, text: str) -> list[dict]:
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    result = run("check", "--no-cache", "--format", "json", "--exit-zero", str(target))
    assert result.returncode == 0, result.err
    return json.loads(result.out)


def assert_no_structure_phantoms(tmp_path, name: str, text: str, allowed: set[str] = frozenset()):
    found = {d["code"] for d in lint_codes(tmp_path, name, text)}
    assert not (found & STRUCTURE) - set(allowed), found


def round_trips(filing):
    import dataclasses

    def texts(value):
        if isinstance(value, Cell):
            return value.text
        if isinstance(value, Span):
            return None
        if isinstance(value, frozenset):
            return sorted(value)
        if dataclasses.is_dataclass(value):
            return {
                f.name: texts(getattr(value, f.name))
                for f in dataclasses.fields(value)
                if f.compare and f.name not in ("path", "format", "span")
            }
        if isinstance(value, tuple):
            return [texts(v) for v in value]
        return value

    back = read_yaml("back.yaml", dump_filing(filing))
    assert back.diagnostics == ()
    assert texts(back.filing) == texts(filing)


# --- a county 申报表: bracketed department code, inner money labels, no 依据 column, a trailer -----

COUNTY = export(
    "某县2025年农村文化活动项目支出绩效目标申报表",
    ["项目支出绩效目标申报表", "( 2025 年度)"],
    [
        "项目支出名称:",
        "农村文化活动补助",
        "主管部门及代码",
        "[033002]某县文化广电和旅游局",
        "实施单位",
        "某县文化馆",
        "项目属性",
        "新增□ 延续■",
    ],
    ["项目资金\n(万元)", "年度资金总额:", "48.50", "其中:财政拨款", "40.00", "其他资金", "8.50"],
    ["总 体 目 标", "年度目标", "1.开展送戏下乡演出\n2.组织农民文艺培训"],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "送戏下乡场次", "≥36场"],
    ["", "", "文艺培训人次", "≥300人次"],
    ["", "质量指标 (必填硬性指标)", "演出合格率", "≥95%"],
    ["", "时效\n指标", "演出完成时间", "2025年11月底前"],
    ["", "成本指标", "每场演出补助", "≤1.2万元"],
    ["效益指标（30分）", "社会效益\n指标", "群众参与人次", "≥5000人次"],
    ["", "可持续影响", "文化活动常态化", "长期"],
    ["满意度指标\n(10分)", "服务对象满意度", "观众满意度", "≥90%"],
    ["注:本表由项目单位填报", ""],
    ["财政部门审核意见", "(盖章)"],
)


def test_county_application_reads_every_row_and_field():
    filing = read(COUNTY)
    assert (filing.department_code.text, filing.department_name.text, filing.year.text) == (
        "033002",
        "某县文化广电和旅游局",
        "2025",
    )
    (project,) = filing.projects
    assert project.name.text == "农村文化活动补助"
    assert (project.budget_total.text, project.budget_fiscal.text, project.budget_other.text) == (
        "48.50",
        "40.00",
        "8.50",
    )
    assert project.money_unit.text == "万元"
    assert [g.text for g in project.goals] == ["开展送戏下乡演出", "组织农民文艺培训"]
    assert rows_of(project) == [
        ("产出指标", "数量指标", "送戏下乡场次", "", "≥36场", ""),
        ("产出指标", "数量指标", "文艺培训人次", "", "≥300人次", ""),
        ("产出指标", "质量指标 (必填硬性指标)", "演出合格率", "", "≥95%", ""),
        ("产出指标", "时效\n指标", "演出完成时间", "", "2025年11月底前", ""),
        ("产出指标", "成本指标", "每场演出补助", "", "≤1.2万元", ""),
        ("效益指标（30分）", "社会效益\n指标", "群众参与人次", "", "≥5000人次", ""),
        ("效益指标（30分）", "可持续影响", "文化活动常态化", "", "长期", ""),
        ("满意度指标\n(10分)", "服务对象满意度", "观众满意度", "", "≥90%", ""),
    ]
    assert [i.level1_weight.text if i.level1_weight else None for i in project.indicators][5:] == [
        "30",
        None,
        "10",
    ]
    assert [(r.key, r.label.text, r.value.text) for r in project.info] == [
        ("implementing_unit", "实施单位", "某县文化馆"),
        ("kind", "项目属性", "新增□ 延续■"),
    ]
    assert [r.label.text for r in project.trailers] == ["注:本表由项目单位填报", "财政部门审核意见"]
    assert {
        "project.code",
        "project.spending_plan",
        "indicator.basis",
        "indicator.description",
    } <= project.absent
    # the department code is located inside its cell: line 8, after the tab and “[”
    assert filing.department_code.span == Span("t.txt", 8, 3, 8, 9)


def test_county_categories_are_normalised_by_the_taxonomy():
    from perflint.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    project = read(COUNTY).projects[0]
    assert [taxonomy.canonical_level1(i.level1.text) for i in project.indicators] == [
        "产出指标"
    ] * 5 + ["效益指标"] * 2 + ["满意度指标"]
    assert [taxonomy.canonical_level2(i.level2.text) for i in project.indicators] == [
        "数量指标", "数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "可持续影响指标", "服务对象满意度指标",
    ]  # fmt: skip


def test_county_application_lints_without_phantoms(tmp_path):
    found = lint_codes(tmp_path, "county.txt", COUNTY)
    codes = [d["code"] for d in found]
    assert not set(codes) & STRUCTURE, codes
    assert codes.count("PF410") == 1  # no 依据 column: one finding for the table, not eight


# --- two-level: 数量指标… in the first column, weights in the category cells -------------------------

TWO_LEVEL = export(
    "项目支出绩效目标表",
    ["(2024年)"],
    ["项目名称", "小型水库巡查", "主管部门", "776001-某县水务局"],
    ["资金情况(万元)", "年度资金总额:", "12", "其中:财政拨款", "12", "其他资金", ""],
    ["年度绩效目标", "完成小型水库日常巡查"],
    ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
    ["数量指标", "巡查水库座数", "", "≥18座", "年度巡查计划"],
    ["", "巡查次数", "", "≥12次", "巡查制度"],
    ["时效指标(10分)", "险情上报时限", "", "≤2小时", "防汛预案"],
    ["成本指标(0-20)分", "巡查经费", "", "≤12万元", "预算批复"],
    ["社会效益", "水库安全运行", "", "无溃坝事故", "防汛要求"],
    ["满意度指标\n(10分)", "周边群众满意度", "", "≥90%", "满意度调查"],
)


def test_two_level_table_reads_the_second_level_from_the_first_column():
    filing = read(TWO_LEVEL)
    assert (filing.department_code.text, filing.department_name.text, filing.year.text) == (
        "776001",
        "某县水务局",
        "2024",
    )
    (project,) = filing.projects
    assert (
        project.name.text,
        project.budget_total.text,
        project.budget_fiscal.text,
        project.budget_other.text,
    ) == ("小型水库巡查", "12", "12", "")
    assert rows_of(project) == [
        ("产出指标", "数量指标", "巡查水库座数", "", "≥18座", "年度巡查计划"),
        ("产出指标", "数量指标", "巡查次数", "", "≥12次", "巡查制度"),
        ("产出指标", "时效指标(10分)", "险情上报时限", "", "≤2小时", "防汛预案"),
        ("产出指标", "成本指标(0-20)分", "巡查经费", "", "≤12万元", "预算批复"),
        ("效益指标", "社会效益", "水库安全运行", "", "无溃坝事故", "防汛要求"),
        ("满意度指标", "满意度指标\n(10分)", "周边群众满意度", "", "≥90%", "满意度调查"),
    ]
    assert [i.level2_weight.text if i.level2_weight else None for i in project.indicators] == [
        None,
        None,
        "10",
        "0-20",
        None,
        "10",
    ]


def test_two_level_lints_without_phantoms(tmp_path):
    assert_no_structure_phantoms(tmp_path, "two.txt", TWO_LEVEL)


# --- three-level only, split value columns, a unit line in 元 --------------------------------------

THREE_LEVEL = export(
    "2025年一般性项目绩效目标表(一级项目)",
    ["附表3", "编制单位:", "(433)某街道办事处", "金额单位:元"],
    [
        "专项资金名称",
        "社区网格员补贴",
        "当年预算",
        "1,250,000.00",
        "项目负责人(及电话)",
        "张某 1380000",
    ],
    ["当年绩效目标", "按月发放网格员补贴"],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "评(扣)分标准"],
    ["", "", "网格员人数", "≥", "120", "人", "花名册"],
    ["", "", "补贴发放及时率", "定性", "按月发放", "", "发放制度"],
    ["", "", "居民满意度", "大于等于", "90", "%", "问卷"],
)


def test_three_level_only_table():
    filing = read(THREE_LEVEL)
    assert (
        filing.department_code.text,
        filing.department_name.text,
        filing.year.text,
        filing.money_unit.text,
    ) == ("433", "某街道办事处", "2025", "元")
    (project,) = filing.projects
    assert (project.name.text, project.budget_total.text) == ("社区网格员补贴", "1,250,000.00")
    assert rows_of(project) == [
        ("", "", "网格员人数", "", "≥120人", "花名册"),
        ("", "", "补贴发放及时率", "", "按月发放", "发放制度"),
        ("", "", "居民满意度", "", "大于等于90%", "问卷"),
    ]
    assert {
        "indicator.level1",
        "indicator.level2",
        "project.code",
        "project.budget_fiscal",
    } <= project.absent
    first = project.indicators[0]
    assert [c.text for c in first.value_parts] == ["≥", "120", "人"]
    assert first.value.sub_span(0, 1) == first.value_parts[0].span  # ≥ is in the 指标性质 cell
    assert [(r.key, r.label.text) for r in project.info] == [("people", "项目负责人(及电话)")]


def test_three_level_only_lints_without_phantoms(tmp_path):
    assert_no_structure_phantoms(tmp_path, "three.txt", THREE_LEVEL)


# --- a self-evaluation table: 年初目标值, 实际完成值, 分值, 得分, 偏差原因; trailers ----------------

SELF_EVALUATION = export(
    "2024年度项目支出绩效自评表",
    ["项目名称", "老年助餐服务", "主管部门", "某区民政局", "实施单位", "某区养老中心"],
    ["项目资金\n(万元)", "年初预算数", "30", "全年执行数", "29.1", "执行率", "97%"],
    ["年度\n总体\n目标", "预期目标", "为老人提供助餐服务", "实际完成情况", "已提供助餐服务"],
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "年初目标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    ["产出指标", "数量指标", "助餐人次", "≥20000人次", "21000人次", "30", "30", ""],
    ["", "质量指标", "食品安全事故", "0起", "0起", "20", "20", ""],
    ["效益指标", "社会效益指标", "老人就餐便利度", "明显提升", "提升", "30", "27", "缺少调查数据"],
    ["满意度指标", "服务对象满意度指标", "老人满意度", "≥90%", "94%", "10", "10", ""],
    ["合计", "", "", "", "", "90", "87"],
    ["评价结论", "项目总体完成较好"],
    ["存在问题", "宣传不足"],
)


def test_self_evaluation_keeps_its_columns():
    (project,) = read(SELF_EVALUATION).projects
    assert project.name.text == "老年助餐服务" and project.budget_total.text == "30"
    assert [g.text for g in project.goals] == ["为老人提供助餐服务"]
    assert rows_of(project)[0] == ("产出指标", "数量指标", "助餐人次", "", "≥20000人次", "")
    assert len(project.indicators) == 4
    assert [
        (i.actual.text, i.weight.text, i.score.text, i.deviation.text) for i in project.indicators
    ] == [
        ("21000人次", "30", "30", ""),
        ("0起", "20", "20", ""),
        ("提升", "30", "27", "缺少调查数据"),
        ("94%", "10", "10", ""),
    ]
    assert [r.label.text for r in project.trailers] == ["合计", "评价结论", "存在问题"]
    assert (
        "project.budget_sum" in project.absent
    )  # 执行数 / 执行率 beside the budget: no 财政 + 其他 sum


def test_self_evaluation_lints_without_phantoms(tmp_path):
    assert_no_structure_phantoms(tmp_path, "self.txt", SELF_EVALUATION)


# --- a department-level (部门整体) table -----------------------------------------------------------

DEPARTMENT = export(
    "部门整体绩效目标表",
    ["(2025年度)"],
    ["部门编码:", "318", "部门名称:", "某县统计局"],
    ["*部门职能职责概述", "负责全县统计调查"],
    ["年度绩效目标", "*年度绩效总目标", "完成各项统计调查任务"],
    ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
    ["产出指标", "数量指标", "完成统计调查项目", "≥25项", "年度统计调查计划"],
    ["", "时效指标", "统计数据上报及时率", "100%", "统计法"],
    ["效益指标", "社会效益指标", "统计数据发布次数", "≥12次", "上年实际"],
    ["满意度指标", "服务对象满意度指标", "数据使用者满意度", "≥90%", "调查"],
)


def test_department_level_table_is_a_filing_of_the_department():
    filing = read(DEPARTMENT)
    assert (filing.department_code.text, filing.department_name.text, filing.year.text) == (
        "318",
        "某县统计局",
        "2025",
    )
    (table,) = filing.projects
    assert table.kind == "department" and table.name.text == "某县统计局"
    assert [g.text for g in table.goals] == ["完成各项统计调查任务"]
    assert [i.name.text for i in table.indicators] == [
        "完成统计调查项目",
        "统计数据上报及时率",
        "统计数据发布次数",
        "数据使用者满意度",
    ]
    assert [(r.key, r.label.text) for r in table.info] == [("background", "*部门职能职责概述")]


def test_department_level_lints_without_phantoms(tmp_path):
    assert_no_structure_phantoms(tmp_path, "dept.txt", DEPARTMENT)


# --- 实施期 and 年度 value columns, 指标方向, 权重, 备注 ------------------------------------------

PERIOD = export(
    "项目绩效目标批复表",
    [
        "项目名称",
        "城区绿化提升",
        "项目编码",
        "13020225P00000000001A",
        "预算部门",
        "455002某市园林局",
    ],
    ["预算数", "300万(其中苗木200万元)", "财政资金", "300万", "其他资金", "0"],
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "实施期指标值",
        "年度指标值",
        "指标方向",
        "权重",
        "指标值确定依据",
        "备注",
    ],
    ["产出指标", "数量指标", "新增绿地面积", "≥30公顷", "≥10公顷", "正向", "20", "绿化规划", ""],
    ["效益指标", "生态效益", "绿化覆盖率", "≥45%", "≥42%", "正向", "20", "规划", "新增"],
    ["满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "≥90%", "正向", "10", "调查", ""],
)


def test_period_and_year_values_are_both_kept():
    filing = read(PERIOD)
    assert (filing.department_code.text, filing.department_name.text) == ("455002", "某市园林局")
    (project,) = filing.projects
    assert (project.code.text, project.budget_total.text, project.budget_fiscal.text, project.budget_other.text) == (
        "13020225P00000000001A", "300万", "300万", "0",
    )  # fmt: skip
    first = project.indicators[0]
    assert (
        first.value.text,
        first.period_value.text,
        first.direction.text,
        first.weight.text,
        first.basis.text,
    ) == ("≥10公顷", "≥30公顷", "正向", "20", "绿化规划")
    assert project.indicators[1].note.text == "新增"


# --- several projects in one file: by title, by information block, by header row -------------------


def _indicator_rows(name: str):
    return [
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
        ["产出指标", "数量指标", f"{name}数量", "≥10个", "计划"],
        ["效益指标", "社会效益指标", f"{name}效益", "≥95%", "标准"],
        ["满意度指标", "服务对象满意度指标", f"{name}满意度", "≥90%", "调查"],
    ]


def test_several_projects_by_information_block_and_by_header():
    text = export(
        "某县2025年项目支出绩效目标表",
        ["项目名称", "甲项目", "主管部门", "某县教育局"],
        *_indicator_rows("甲"),
        ["项目名称", "乙项目", "主管部门", "某县教育局"],  # a new information block
        *_indicator_rows("乙"),
        *_indicator_rows("丙"),  # only a new header row
    )
    filing = read(text)
    assert [p.name.text for p in filing.projects] == ["甲项目", "乙项目", ""]
    assert [[i.name.text for i in p.indicators] for p in filing.projects] == [
        ["甲数量", "甲效益", "甲满意度"], ["乙数量", "乙效益", "乙满意度"], ["丙数量", "丙效益", "丙满意度"],
    ]  # fmt: skip
    assert all(i.level1.text != "一级指标" for p in filing.projects for i in p.indicators)


def test_several_projects_by_title(tmp_path):
    text = export(
        "甲项目绩效目标申报表", ["项目名称", "甲项目"], *_indicator_rows("甲"), ["财政部门审核意见", "(盖章)"],
        "乙项目绩效目标申报表", ["项目名称", "乙项目"], *_indicator_rows("乙"), ["合计", "100"],
    )  # fmt: skip
    filing = read(text)
    assert [p.name.text for p in filing.projects] == ["甲项目", "乙项目"]
    assert [len(p.indicators) for p in filing.projects] == [3, 3]
    assert [[t.label.text for t in p.trailers] for p in filing.projects] == [
        ["财政部门审核意见"],
        ["合计"],
    ]
    assert_no_structure_phantoms(tmp_path, "two-projects.txt", text)


def test_unknown_labels_are_kept_never_indicators_never_pf001(tmp_path):
    text = export(
        "项目绩效目标表",
        ["项目名称", "示范项目", "绩效联系人", "李某", "资金性质", "一般公共预算"],
        ["特别说明", "本项目为试点"],
        *_indicator_rows("示"),
    )
    (project,) = read(text).projects
    assert [(r.key, r.label.text, r.value.text) for r in project.info] == [
        ("", "绩效联系人", "李某"), ("", "资金性质", "一般公共预算"), ("", "特别说明", "本项目为试点"),
    ]  # fmt: skip
    assert len(project.indicators) == 3
    assert not {d["code"] for d in lint_codes(tmp_path, "unknown.txt", text)} & STRUCTURE
    imported = run("import", str(tmp_path / "unknown.txt"))
    assert (
        imported.returncode == 0 and "绩效联系人" in imported.out and "本项目为试点" in imported.out
    )


def test_no_indicator_table_is_pf001_at_the_table():
    text = export("项目绩效目标表", ["项目名称", "示范项目"])
    result = read_text("n.txt", text)
    assert [(d.code, d.span.line, d.span.col) for d in result.diagnostics] == [("PF001", 1, 1)]


# --- a grid with real merges (what the .docx/.xlsx readers produce) ---------------------------------


def _g(text: str, row: int, column: int, rows: int = 1, cols: int = 1) -> GridCell:
    from perflint.model import CellRef

    ref = CellRef(
        0, row, column + 1, f"表1 第{row}行第{column + 1}列", f"table 1 row {row} col {column + 1}"
    )
    return GridCell(
        Cell(text, Span("m.docx", 1, 1, 1, 1 + len(text), ref), True), column, rows, cols
    )


def test_merged_cells_apply_to_every_row_they_cover():
    rows = [
        GridRow((_g("项目名称", 1, 0), _g("合并示范项目", 1, 1, cols=4)), 0, 0),
        GridRow(
            tuple(
                _g(t, 2, c)
                for c, t in enumerate(
                    ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"]
                )
            ),
            0,
            1,
        ),
        GridRow(
            (
                _g("产出指标", 3, 0, rows=3),
                _g("数量指标", 3, 1, rows=2),
                _g("培训人次", 3, 2),
                _g("≥200人次", 3, 3),
                _g("计划", 3, 4),
            ),
            0,
            2,
        ),
        GridRow((_g("培训班次", 4, 2), _g("≥4期", 4, 3), _g("计划", 4, 4)), 0, 3),
        GridRow(
            (_g("质量指标", 5, 1), _g("合格率", 5, 2), _g("≥95%", 5, 3), _g("标准", 5, 4)), 0, 4
        ),
        GridRow(
            (
                _g("效益指标", 6, 0),
                _g("社会效益指标", 6, 1),
                _g("差错率", 6, 2),
                _g("说明文字跨两列", 6, 3, cols=2),
            ),
            0,
            5,
        ),
    ]
    result = interpret(Grid("m.docx", tuple(rows), "docx"))
    assert result.diagnostics == ()
    (project,) = result.filing.projects
    assert project.name.text == "合并示范项目"
    assert [
        (i.level1.text, i.level2.text, i.name.text, i.value.text) for i in project.indicators
    ] == [
        ("产出指标", "数量指标", "培训人次", "≥200人次"),
        ("产出指标", "数量指标", "培训班次", "≥4期"),
        ("产出指标", "质量指标", "合格率", "≥95%"),
        ("效益指标", "社会效益指标", "差错率", "说明文字跨两列"),
    ]
    assert project.indicators[1].level1.span.cell.row == 3  # the merged cell, where it is written
    assert project.indicators[3].basis.text == ""  # covered by the value spanning two columns


# --- the layouts examples: read, lint and round-trip ------------------------------------------------

EXAMPLES = sorted(LAYOUTS.glob("*.txt"))


@pytest.mark.skipif(not EXAMPLES, reason="shared/layouts not available")
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_layout_example_reads_and_round_trips(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    filing = read(text, str(path))
    assert filing.projects and all(p.indicators for p in filing.projects)
    assert all(i.name.text and i.value.text for p in filing.projects for i in p.indicators)
    round_trips(filing)
    imported = run("import", str(path), "-o", str(tmp_path / "out.yaml"))
    assert imported.returncode == 0, imported.err
    written = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    back = read_yaml("out.yaml", written)
    assert back.diagnostics == () and len(back.filing.projects) == len(filing.projects)
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(
        (
            Path(__file__).resolve().parent.parent / "perflint" / "schema" / "goal.schema.json"
        ).read_text(encoding="utf-8")
    )
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(written))) == []
    found = {d["code"] for d in lint_codes(tmp_path, path.name, text)}
    assert not found & {"PF001", "PF101", "PF401", "PF501", "PF502", "PF503", "PF504", "PF505"}, (
        found
    )


def test_a_new_form_is_data_not_code():
    """A province's header word and label, added to the vocabulary's data, are read without code."""
    import copy

    from perflint.readers.forms import forms_from
    from perflint.readers.text_grid import text_grid
    from perflint.resources import data_file
    from perflint.yamlutil import load_yaml_file

    text = export(
        ["考核项目", "新表式项目", "归口科室", "某科"],
        ["一级指标", "二级指标", "考核要点", "指标值"],
        ["产出指标", "数量指标", "完成件数", "≥5件"],
    )
    builtin = interpret(text_grid("p.txt", text))
    assert builtin.filing.projects[0].indicators == () and builtin.diagnostics  # not a header yet
    data = copy.deepcopy(load_yaml_file(data_file("rules", "forms", "forms.yaml")))
    next(c for c in data["columns"] if c["field"] == "name")["words"].append("考核要点")
    data["labels"]["name"].append("考核项目")
    (project,) = interpret(text_grid("p.txt", text), forms=forms_from(data)).filing.projects
    assert project.name.text == "新表式项目"
    assert [(i.level2.text, i.name.text, i.value.text) for i in project.indicators] == [
        ("数量指标", "完成件数", "≥5件")
    ]
    assert [(r.label.text, r.value.text) for r in project.info] == [("归口科室", "某科")]


def test_a_table_without_a_first_level_column_infers_it(tmp_path):
    text = export(
        ["项目名称", "无一级列项目"],
        ["二级指标", "三级指标", "指标值", "指标值确定依据"],
        ["数量指标", "培训人次", "≥100人次", "计划"],
        ["社会效益指标", "差错率", "≤2%", "历史"],
        ["服务对象满意度", "满意度", "≥90%", "调查"],
    )
    filing = read(text)
    (project,) = filing.projects
    assert [(i.level1.text, i.level2.text, i.name.text) for i in project.indicators] == [
        ("产出指标", "数量指标", "培训人次"), ("效益指标", "社会效益指标", "差错率"), ("满意度指标", "服务对象满意度", "满意度"),
    ]  # fmt: skip
    assert "indicator.level1" not in project.absent and "indicator.description" in project.absent
    round_trips(filing)
    assert_no_structure_phantoms(tmp_path, "no-level1.txt", text)
