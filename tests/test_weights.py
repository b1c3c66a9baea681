"""Weights and scores on tables written in the real layouts (PF506, PF507): they add up or are reported once."""

from __future__ import annotations

import json

from helpers import run

HEAD = "项目支出绩效自评表\n\t项目名称\n\t社区养老服务补助\n\t主管部门\n\t某区民政局\n\n"
HEADER = "\t一级指标\n\t二级指标\n\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t得分\n\n"


def row(level1: str, level2: str, name: str, value: str, weight: str) -> str:
    return f"\t{level1}\n\t{level2}\n\t{name}\n\t{value}\n\t{value}\n\t{weight}\n\t{weight}\n\n"


def findings(tmp_path, text: str) -> list[tuple[str, int, int]]:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    result = run(
        "check",
        "--isolated",
        "--no-cache",
        "--format",
        "json",
        "--select",
        "PF506,PF507",
        str(path),
    )
    return [
        (d["code"], d["location"]["row"], d["location"]["column"]) for d in json.loads(result.out)
    ]


def test_weights_that_add_up_give_nothing(tmp_path):
    rows = [
        row("产出指标(60分)", "数量指标", "上门服务人次", "≥3000人次", "30"),
        row("", "质量指标", "服务投诉率", "≤2%", "30"),
        row("满意度指标(30分)", "服务对象满意度指标", "老人满意度", "≥90%", "30"),
    ]  # 90, with 预算执行率 scored 10 apart (a self-evaluation form)
    assert findings(tmp_path, HEAD + HEADER + "".join(rows)) == []


def test_a_total_and_a_category_that_do_not_add_up_are_each_reported_once(tmp_path):
    rows = [
        row("产出指标(50分)", "数量指标", "上门服务人次", "≥3000人次", "20"),
        row("", "质量指标", "服务投诉率", "≤2%", "20"),
        row("满意度指标(10分)", "服务对象满意度指标", "老人满意度", "≥90%", "10"),
    ]
    text = HEAD + HEADER + "".join(rows) + "\t合计\n\t100\n\t\n\t\n\t\n\t\n\t\n"
    found = findings(tmp_path, text)
    lines = text.split("\n")
    assert [code for code, _, _ in found] == ["PF507", "PF506"]  # in file order
    (_, category_line, category_col), (_, total_line, _) = found
    assert lines[total_line - 1] == "\t20"  # the first weight: 50 ≠ the 合计 row's 100
    assert (
        lines[category_line - 1] == "\t产出指标(50分)"
        and lines[category_line - 1][category_col - 1 : category_col + 1] == "50"
    )
