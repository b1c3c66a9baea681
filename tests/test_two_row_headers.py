"""Two-row indicator headers: a header cell divided by a second row (指标值 over 实施期 | 年度,
目标值 over 年度指标值 | 实施期指标值, 分值 over 权重 | 得分), each sub-column read into its own
field, in text exports (the divided cell written once, or padded) and in Word / Excel grids with
the header's merges. Invented tables in the forms of shared/layouts.md.
"""

from __future__ import annotations

import pytest
from office_files import write_docx, write_xlsx
from test_layouts import assert_no_structure_phantoms, export, lint_codes, read

from perflint.readers.documents import read_document

INFO = [
    ["项目名称", "城区道路养护", "主管部门", "[301001]某市住房和城乡建设局"],
    ["项目资金(万元)", "年度资金总额:", "300", "其中:财政拨款", "300", "其他资金", "0"],
    ["年度绩效目标", "完成城区主次干道日常养护"],
]
ROWS = [
    ["产出指标", "数量指标", "养护道路里程", "≥300公里", "≥100公里", "年度养护计划"],
    ["", "质量指标", "路面完好率", "≥95%", "≥92%", "行业标准"],
    ["效益指标", "社会效益指标", "群众出行条件", "明显改善", "有所改善", "历史标准"],
    ["满意度指标", "服务对象满意度指标", "市民满意度", "≥90%", "≥88%", "满意度调查"],
]


def values(project):
    return [
        (i.name.text, i.period_value.text if i.period_value else None, i.value.text, i.basis.text)
        for i in project.indicators
    ]


EXPECTED = [
    ("养护道路里程", "≥300公里", "≥100公里", "年度养护计划"),
    ("路面完好率", "≥95%", "≥92%", "行业标准"),
    ("群众出行条件", "明显改善", "有所改善", "历史标准"),
    ("市民满意度", "≥90%", "≥88%", "满意度调查"),
]


def test_text_export_value_over_period_and_year(tmp_path):
    """The divided cell written once: the lower row is the wider one, empty under merged cells."""
    text = export(
        "某市2025年项目支出绩效目标申报表",
        *INFO,
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
        ["", "", "", "实施期", "年度", ""],
        *ROWS,
    )
    (project,) = read(text).projects
    assert values(project) == EXPECTED
    assert project.indicators[1].level1.text == "产出指标"
    lines = text.splitlines()
    top, last = lines.index("\t一级指标") + 1, lines.index("\t年度") + 1
    assert (project.header.line, project.header.end_line) == (top, last + 1)  # both header rows
    assert_no_structure_phantoms(tmp_path, "period.txt", text)


def test_text_export_padded_divided_cell_and_reversed_order():
    """The divided cell padded with an empty cell; 年度指标值 before 实施期指标值 under 目标值."""
    text = export(
        "项目支出绩效目标表",
        *INFO,
        ["一级指标", "二级指标", "三级指标", "目标值", "", "指标值确定依据"],
        ["", "", "", "年度指标值", "实施期指标值", ""],
        *[[*r[:3], r[4], r[3], r[5]] for r in ROWS],
    )
    (project,) = read(text).projects
    assert values(project) == EXPECTED


def test_text_export_self_evaluation_two_divided_cells():
    """指标值 over 年度指标值 | 实际完成值 and 分值 over 权重 | 得分, side by side."""
    text = export(
        "2024年度项目支出绩效自评表",
        ["项目名称", "社区养老服务补助", "主管部门", "某区民政局"],
        ["一级指标", "二级指标", "三级指标", "指标值", "分值", "偏差原因分析及改进措施"],
        ["", "", "", "年度指标值", "实际完成值", "权重", "得分", ""],
        ["产出指标", "数量指标", "上门服务人次", "≥3000人次", "3120人次", "20", "20", ""],
        ["", "质量指标", "服务投诉率", "≤2%", "1.5%", "15", "15", ""],
        [
            "效益指标",
            "社会效益指标",
            "高龄老人生活质量",
            "有所提高",
            "提高",
            "20",
            "18",
            "缺少数据",
        ],
    )
    (project,) = read(text).projects
    got = [
        (i.value.text, i.actual.text, i.weight.text, i.score.text, i.deviation.text)
        for i in project.indicators
    ]
    assert got == [
        ("≥3000人次", "3120人次", "20", "20", ""),
        ("≤2%", "1.5%", "15", "15", ""),
        ("有所提高", "提高", "20", "18", "缺少数据"),
    ]


def test_text_export_value_divided_into_sign_number_and_unit():
    """指标值 over 计算符号 | 数值 | 计量单位: the number is the value, the three joined."""
    text = export(
        "项目支出绩效目标表",
        *INFO,
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
        ["", "", "", "计算符号", "数值", "计量单位", ""],
        ["产出指标", "数量指标", "养护道路里程", "≥", "100", "公里", "年度养护计划"],
        ["效益指标", "社会效益指标", "群众出行条件", "定性", "有所改善", "", "历史标准"],
    )
    (project,) = read(text).projects
    assert [(i.name.text, i.value.text, i.basis.text) for i in project.indicators] == [
        ("养护道路里程", "≥100公里", "年度养护计划"),
        ("群众出行条件", "有所改善", "历史标准"),
    ]


def test_a_first_row_with_empty_category_cells_is_an_indicator_not_a_second_header():
    """A three-level-only table's rows start with empty cells too: they stay indicators."""
    text = export(
        "2024年一般性项目绩效目标表(一级项目)",
        ["项目名称", "村级公益岗位补助"],
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
        ["", "", "补助人数", "≥60人", "岗位名册"],
        ["", "", "补助发放及时率", "100%", "发放制度"],
    )
    (project,) = read(text).projects
    assert [(i.name.text, i.value.text) for i in project.indicators] == [
        ("补助人数", "≥60人"),
        ("补助发放及时率", "100%"),
    ]


def test_two_projects_each_with_a_two_row_header():
    second = [
        ["项目名称", "公园绿化管护"],
        ["一级指标", "二级指标", "三级指标", "目标值", "指标值确定依据"],
        ["", "", "", "中期", "年度", ""],
        ["产出指标", "数量指标", "管护面积", "≥90万平方米", "≥30万平方米", "管护合同"],
    ]
    text = export(
        "某市项目支出绩效目标表",
        *INFO,
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
        ["", "", "", "实施期", "年度", ""],
        *ROWS,
        "某市项目支出绩效目标表",
        *second,
    )
    first, other = read(text).projects
    assert values(first) == EXPECTED
    assert other.name.text == "公园绿化管护"
    assert values(other) == [("管护面积", "≥90万平方米", "≥30万平方米", "管护合同")]


def test_pf410_points_at_the_header_of_a_table_without_a_basis_column(tmp_path):
    text = export(
        "某县2025年项目支出绩效目标申报表",
        *INFO,
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["", "", "", "实施期", "年度"],
        *[r[:5] for r in ROWS],
    )
    (project,) = read(text).projects
    assert [v[:3] for v in values(project)] == [v[:3] for v in EXPECTED]
    found = [d for d in lint_codes(tmp_path, "nobasis.txt", text) if d["code"] == "PF410"]
    header = text.splitlines().index("\t一级指标") + 1
    assert [d["location"]["row"] for d in found] == [project.header.line] == [header]


def _merged_header(xlsx: bool) -> list:
    """The header of a Word / Excel table: 一级…三级 and 依据 merged down over two rows, 指标值
    merged across its two sub-columns (in Excel every position is listed; None where covered)."""
    key = "value" if xlsx else "text"
    down = [{key: word, "rows": 2} for word in ("一级指标", "二级指标", "三级指标")]
    top = [
        *down,
        {key: "指标值", "cols": 2},
        *([None] if xlsx else []),
        {key: "指标值确定依据", "rows": 2},
    ]
    return [top, [None, None, None, "实施期", "年度", None]]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_word_and_excel_headers_with_merged_cells(tmp_path, kind):
    rows = [
        ["项目名称", "城区道路养护", "主管部门", "[301001]某市住房和城乡建设局", "", ""],
        *_merged_header(kind == "xlsx"),
        *ROWS,
    ]
    blocks = [("p", "某市2025年项目支出绩效目标申报表"), ("table", rows)]
    path = tmp_path / f"merged.{kind}"
    (write_docx if kind == "docx" else write_xlsx)(blocks, path)
    result = read_document(str(path), path.read_bytes())
    assert not [d for d in result.diagnostics if d.code == "PF001"], result.diagnostics
    (project,) = result.filing.projects
    assert values(project) == EXPECTED
    assert project.name.text == "城区道路养护"


def test_a_goal_yaml_file_has_no_header_and_pf410_points_at_its_first_indicator(tmp_path):
    """The goal YAML form has no header row: `Project.header` is None there, and PF410 (from
    `表中无: [指标值确定依据]`) stays at the first indicator."""
    from perflint.readers.yaml_reader import read_yaml

    text = (
        "部门: {编码: '301001', 名称: 某市住房和城乡建设局}\n年度: 2025\n项目:\n"
        "  - 项目名称: 城区道路养护\n    表中无: [指标值确定依据]\n    绩效指标:\n"
        "      - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 养护道路里程, 指标值: ≥100公里}\n"
    )
    (project,) = read_yaml("goal.yaml", text).filing.projects
    assert project.header is None
    found = [d for d in lint_codes(tmp_path, "goal.yaml", text) if d["code"] == "PF410"]
    assert [d["location"]["row"] for d in found] == [project.indicators[0].span.line]
