"""Generate a deterministic corpus of goal filings (goal YAML and text export) for benchmarks.

Each file is a department's filing with 1–8 projects of 6–12 indicators drawn from realistic
building blocks, with a known share of defects (vague values, 人、次, 无 as basis, 【】 in
document numbers, missing comparators). Same seed, same files.

By default a value or basis is drawn from all of its variants alike (about half of them are
defective: a dirty corpus, some 27 findings a file). `--defects RATE` draws a defective variant
with probability RATE instead (e.g. 0.05 for a repository that is mostly clean); project-level
findings (copied indicator sets, missing categories) come from the layout and stay.

    python bench/corpus.py OUT_DIR --files 1000 [--seed 7] [--format yaml|text|both] [--defects RATE]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

ROWS = [
    (
        "产出指标",
        "数量指标",
        "培训人次",
        "全年组织业务培训人次",
        ["≥{n}人次", "≥{n}人、次", "{n}人次"],
    ),
    ("产出指标", "数量指标", "购置设备数量", "购置设备台数", ["{n}台", "≥{n}台"]),
    ("产出指标", "数量指标", "新建道路长度", "新建道路", ["≥{n}公里", "{n}-{m}公里"]),
    ("产出指标", "质量指标", "验收合格率", "验收合格比例", ["≥95%", "95%", "100%", "有所提高"]),
    ("产出指标", "质量指标", "培训合格率", "考核合格比例", ["≥90%", "不低于90%", "90%以上"]),
    (
        "产出指标",
        "时效指标",
        "完成时间",
        "全部工作完成时间",
        ["2025年12月31日前", "年底前", "时间进度完成"],
    ),
    ("产出指标", "时效指标", "受理及时率", "按时受理比例", ["≥95%", "100%"]),
    ("产出指标", "成本指标", "项目总成本", "项目支出控制数", ["≤{b}万元", "{b}万", "≤{b}万"]),
    ("产出指标", "成本指标", "人均培训成本", "每人次培训费用", ["≤500元/人次", "≤800元/人"]),
    ("效益指标", "社会效益指标", "服务对象覆盖率", "覆盖比例", ["≥80%", "得到保障"]),
    ("效益指标", "经济效益指标", "带动就业人数", "带动就业", ["≥{n}人", "进一步提升"]),
    ("效益指标", "可持续影响指标", "长效机制建设", "制度建设情况", ["建立", "较好", "逐步完善"]),
    ("效益指标", "生态效益指标", "绿化面积", "新增绿化面积", ["≥{n}平方米"]),
    (
        "满意度指标",
        "服务对象满意度指标",
        "服务对象满意度",
        "问卷调查满意比例",
        ["≥90%", "≥85%", "≥95%"],
    ),
]
# The variants above and below that raise a finding (PF201 vague, PF203 no comparator, PF204 unit,
# PF205 comparator, PF401 no basis, PF403 document number).
DEFECTIVE = frozenset({
    "≥{n}人、次", "95%", "有所提高", "不低于90%", "时间进度完成", "{b}万", "≤{b}万", "得到保障", "进一步提升", "逐步完善",
    "冀财预【2024】{n}号", "无",
})  # fmt: skip
BASES = [
    "年度工作计划",
    "历史标准：上年{n}人次",
    "行业标准",
    "冀财预【2024】{n}号",
    "无",
    "部门预算",
    "省补贴标准目录",
]
GOALS = [
    "全年完成{name}相关工作任务",
    "保障{name}顺利实施，服务对象满意度不低于90%",
    "提高{name}资金使用效益",
]
AGENCIES = [
    "教育局",
    "卫生健康局",
    "农业农村局",
    "人力资源和社会保障局",
    "信访局",
    "民政局",
    "交通运输局",
    "住房和城乡建设局",
]
WORKS = [
    "业务培训",
    "设备购置",
    "道路养护",
    "困难群众救助",
    "信息化建设",
    "农田建设",
    "宣传推广",
    "值班值守",
]


def _pick(rng: random.Random, variants: list[str], defects: float | None) -> str:
    """A variant: any (defects None), else a defective one with probability `defects`."""
    if defects is None:
        return rng.choice(variants)
    bad = rng.random() < defects
    return rng.choice([v for v in variants if (v in DEFECTIVE) == bad] or variants)


def make_filing(
    rng: random.Random, index: int, projects: int | None = None, defects: float | None = None
) -> dict:
    """One filing; `projects` fixes how many projects it has (default: 1 to 8, drawn); `defects`
    the chance that a value or basis is a defective variant (default: variants drawn alike)."""
    count = projects
    year = rng.choice([2024, 2025, 2026])
    region = f"{rng.randint(110000, 659000):06d}"
    projects = []
    for p in range(count or rng.randint(1, 8)):
        work = rng.choice(WORKS)
        budget = rng.choice([10, 20, 30, 60, 120, 200, 500, 1000])
        rows = []
        for level1, level2, name, description, values in rng.sample(ROWS, rng.randint(6, 12)):
            value = _pick(rng, values, defects).format(
                n=rng.randint(1, 900), m=rng.randint(901, 2000), b=budget
            )
            basis = _pick(rng, BASES, defects).format(n=rng.randint(1, 300))
            rows.append(
                {
                    "一级指标": level1,
                    "二级指标": level2,
                    "三级指标": name,
                    "绩效指标描述": description,
                    "指标值": value,
                    "指标值确定依据": basis,
                }
            )
        projects.append(
            {
                "项目编码": f"{region}{year % 100:02d}P{index:06d}{p:06d}",
                "项目名称": f"{year}年{work}经费",
                "预算": {"预算数": f"{budget}.00", "财政资金": f"{budget}.00", "其他资金": ""},
                "资金用途": f"用于{work}",
                "资金支出计划": {"3月底": "25%", "6月底": "50%", "9月底": "75%", "12月底": "100%"},
                "绩效目标": [rng.choice(GOALS).format(name=work) for _ in range(rng.randint(1, 3))],
                "绩效指标": rows,
            }
        )
    agency = rng.choice(AGENCIES)
    return {
        "部门": {"编码": f"{rng.randint(100000, 999999)}", "名称": f"某县{agency}"},
        "年度": str(year),
        "金额单位": "万元",
        "项目": projects,
    }


def to_text(filing: dict) -> str:
    """The filing as a text export (cells on tab-started lines, rows split by blank lines)."""
    out = [" 第一部分", "部门整体绩效目标", " ", "第二部分", " ", "预算项目绩效目标", " "]
    dept = filing["部门"]
    for number, project in enumerate(filing["项目"], 1):
        budget, plan = project["预算"], project["资金支出计划"]
        out += [f"[bookmark: _Toc_{number}]{number}.{project['项目名称']}绩效目标表"]
        rows = [
            [dept["编码"] + dept["名称"], "单位：万元"],
            ["项目编码", project["项目编码"], "项目名称", project["项目名称"]],
            [
                "预算规模及资金用途",
                "预算数",
                budget["预算数"],
                "其中：财政    资金",
                budget["财政资金"],
                "其他资金",
                " ",
            ],
            ["", project["资金用途"]],
            ["资金支出计划（%）", *plan.keys()],
            ["", *plan.values()],
            ["绩效目标", "\n".join(f"{i}.{g}" for i, g in enumerate(project["绩效目标"], 1))],
        ]
        for row in rows:
            out += ["\t" + cell for cell in row] + [""]
        out += [
            " ",
            "\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n\t指标值确定依据",
            "",
        ]
        previous = None
        for row in project["绩效指标"]:
            cells = list(row.values())
            if cells[0] == previous:
                cells[0] = ""
            else:
                previous = cells[0]
            out += ["\t" + cell for cell in cells] + [""]
        out += ["", " "]
    return "\n".join(out) + "\n"


def write_corpus(
    out: Path, files: int, seed: int = 7, form: str = "both", defects: float | None = None
) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(files):
        filing = make_filing(rng, index, defects=defects)
        if form in ("yaml", "both"):
            path = out / f"filing-{index:05d}.yaml"
            path.write_text(
                yaml.safe_dump(filing, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            written.append(path)
        if form in ("text", "both"):
            path = out / f"filing-{index:05d}.txt"
            path.write_text(to_text(filing), encoding="utf-8")
            written.append(path)
    return written


def eight_project_yaml(seed: int = 7) -> str:
    """One goal YAML filing with 8 projects (the most the generator makes), for start-up timing."""
    filing = make_filing(random.Random(seed), 0, projects=8)
    return yaml.safe_dump(filing, allow_unicode=True, sort_keys=False)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["yaml", "text", "both"], default="both")
    parser.add_argument(
        "--defects",
        type=float,
        help="chance of a defective value or basis (default: variants drawn alike)",
    )
    args = parser.parse_args()
    print(
        len(write_corpus(args.out, args.files, args.seed, args.format, args.defects)),
        "files written to",
        args.out,
    )


if __name__ == "__main__":
    main()
