"""The goal YAML reader, writer and schema (docs/goal-format.md)."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from pathlib import Path

import pytest
import yaml

from perflint.model import Cell, Checkpoint, Filing, Indicator, Project, Span
from perflint.readers.yaml_reader import read_yaml
from perflint.readers.yaml_writer import dump_filing

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "perflint" / "schema" / "goal.schema.json"

GOAL = """\
# yaml-language-server: $schema=https://raw.githubusercontent.com/perflint/perflint/main/perflint/schema/goal.schema.json
部门:
  编码: "455001"
  名称: 唐山市路南区信访局本级
年度: 2025
总体绩效目标: |-
  第一行
  第二行
项目:
  - 项目编码: 13020225P00000410005D
    项目名称: 2025信访救助及维稳工作经费
    预算:
      预算数: 1000.00
      财政资金: 1000.00
      其他资金:
    资金用途: 用于2025年信访救助及维稳相关工作
    资金支出计划:
      3月底: 30%
      12月底: 100%
    绩效目标: 保障日常信访工作顺利开展
    绩效指标:
      产出指标:
        数量指标:
          - 三级指标: 救助困难信访群众
            绩效指标描述: 被救助人次
            指标值: ≥10人、次
            指标值确定依据: 被救助人次
          - 三级指标: 救助金额
            绩效指标描述: 'it''s 引号'
            指标值: ≥5万元
            指标值确定依据: 上年实际
      满意度指标:
        服务对象满意度指标:
          - 三级指标: 满意度
            绩效指标描述: 群众对案件化解的满意度
            指标值: "≥95%"
            指标值确定依据: 年度工作计划
  - 项目编码: 13020225P00889710001K
    项目名称: 2025招商引资专项业务费
    金额单位: 元
    预算: {预算数: 200000, 财政资金: 200000, 其他资金: ~}
    资金用途: 招商引资
    资金支出计划: {3月底: 30%}
    绩效目标:
      - 保障招商引资工作顺利开展
      - 及时足额拨付招商引资经费
    绩效指标:
      - 一级指标: 产出指标
        二级指标: 数量指标
        三级指标: 招商引资数量
        绩效指标描述: 积极开展招商引资工作
        指标值: 1个
        指标值确定依据: 无
"""


def read(text: str, path: str = "goal.yaml"):
    return read_yaml(path, text)


def sp(line, col, end_line, end_col):
    return Span("goal.yaml", line, col, end_line, end_col)


def only(result, code="PF001"):
    assert len(result.diagnostics) == 1, result.diagnostics
    diagnostic = result.diagnostics[0]
    assert diagnostic.code == code
    return diagnostic


def texts(value):
    """Every text of a filing, in order, without paths, spans and the reader's name."""
    if isinstance(value, Cell):
        return value.text
    if isinstance(value, tuple):
        return [texts(v) for v in value]
    if dataclasses.is_dataclass(value):
        skip = {"path", "format", "suppressions", "span", "header"}  # header: a span too
        return {
            f.name: texts(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in skip
        }
    return value


# --- reading -------------------------------------------------------------------------------


def test_reads_the_whole_file():
    result = read(GOAL)
    assert result.diagnostics == ()
    f = result.filing
    assert f.format == "yaml"
    assert (f.department_code.text, f.department_name.text, f.year.text) == (
        "455001",
        "唐山市路南区信访局本级",
        "2025",
    )
    assert f.money_unit is None and f.sub_goals == ()
    assert f.overall_goal.text == "第一行\n第二行"
    first, second = f.projects
    assert (first.budget_total.text, first.budget_other.text) == ("1000.00", "")
    assert [(c.label.text, c.percent.text) for c in first.spending_plan] == [
        ("3月底", "30%"),
        ("12月底", "100%"),
    ]
    assert [g.text for g in first.goals] == ["保障日常信访工作顺利开展"]
    assert [(i.level1.text, i.level2.text, i.name.text) for i in first.indicators] == [
        ("产出指标", "数量指标", "救助困难信访群众"),
        ("产出指标", "数量指标", "救助金额"),
        ("满意度指标", "服务对象满意度指标", "满意度"),
    ]
    assert first.money_unit is None and second.money_unit.text == "元"
    assert (second.budget_total.text, second.budget_other.text) == ("200000", "")
    assert [g.text for g in second.goals] == [
        "保障招商引资工作顺利开展",
        "及时足额拨付招商引资经费",
    ]
    (row,) = second.indicators
    assert [row.level1.text, row.level2.text, row.value.text, row.basis.text] == [
        "产出指标",
        "数量指标",
        "1个",
        "无",
    ]


def test_exact_spans():
    f = read(GOAL).filing
    p = f.projects[0]
    assert f.department_code == Cell("455001", sp(3, 8, 3, 14), True)  # inside the quotes
    assert f.department_name == Cell("唐山市路南区信访局本级", sp(4, 7, 4, 18), True)
    assert f.year == Cell("2025", sp(5, 5, 5, 9), True)
    assert f.overall_goal == Cell(
        "第一行\n第二行", sp(6, 9, 8, 6), False
    )  # the whole block, from `|-`
    assert p.budget_total == Cell("1000.00", sp(13, 12, 13, 19), True)
    assert p.budget_other == Cell("", sp(15, 12, 15, 12), True)  # where one would type it
    assert p.indicators[0].value == Cell("≥10人、次", sp(26, 18, 26, 24), True)
    assert p.indicators[1].description == Cell("it's 引号", sp(29, 22, 29, 30), False)  # '' inside
    assert p.indicators[2].value == Cell("≥95%", sp(36, 19, 36, 23), True)
    assert p.indicators[0].level1 is p.indicators[1].level1  # grouped keys are shared
    assert p.indicators[0].level1.span == sp(22, 7, 22, 11)
    assert p.indicators[0].span == sp(24, 13, 27, 27)
    assert p.span == sp(10, 5, 10, 32)
    q = f.projects[1]
    assert q.budget_other == Cell("", sp(41, 43, 41, 44), False)  # `~`
    assert q.indicators[0].level1 == Cell("产出指标", sp(48, 15, 48, 19), True)
    assert q.indicators[0].span == sp(48, 9, 53, 19)


def test_direct_cells_stand_in_the_source():
    lines = GOAL.split("\n")
    f = read(GOAL).filing
    cells = [f.department_code, f.department_name, f.year]
    for p in f.projects:
        cells += [p.code, p.name, p.budget_total, p.budget_fiscal, p.purpose, *p.goals]
        cells += [c for k in p.spending_plan for c in (k.label, k.percent)]
        cells += [
            c
            for i in p.indicators
            for c in (i.level1, i.level2, i.name, i.description, i.value, i.basis)
        ]
    for cell in cells:
        if cell.direct:
            s = cell.span
            assert (
                s.line == s.end_line and lines[s.line - 1][s.col - 1 : s.end_col - 1] == cell.text
            )


def test_pure_python_parser_reads_the_same(monkeypatch):
    from perflint.readers import yaml_tree

    expected = read(GOAL).filing
    monkeypatch.setattr(yaml_tree, "_LOADER", yaml.SafeLoader)
    assert read(GOAL).filing == expected
    assert only(read("a: " + "[" * 10_000)).code == "PF001"


def test_crlf_gives_the_same_filing():
    assert read(GOAL.replace("\n", "\r\n")).filing == read(GOAL).filing


def test_columns_are_what_editors_show():
    assert read("\ufeff年度: 2025\n").filing.year.span == sp(1, 5, 1, 9)  # a BOM is no column
    text = (
        "年度: '1\u20282'\r部门: {名称: 甲}\r"  # U+2028 breaks lines for libyaml, not for editors
    )
    f = read(text).filing
    assert f.year.span == sp(1, 6, 1, 9) and f.department_name.span == sp(2, 10, 2, 11)
    assert only(read("a: x\u2028y\nb: c\n")).span.line == 2


def test_missing_keys_are_empty_cells_at_the_parent():
    text = "项目:\n  - 项目名称: 甲\n    预算:\n      预算数: 1\n    绩效指标:\n      - 一级指标: 产出指标\n"
    result = read(text)
    assert result.diagnostics == ()
    p = result.filing.projects[0]
    assert p.code == Cell("", sp(2, 5, 2, 5)) and p.purpose == Cell("", sp(2, 5, 2, 5))
    assert p.budget_fiscal == Cell("", sp(3, 5, 3, 5))  # at the 预算 key
    assert p.indicators[0].basis == Cell("", sp(6, 9, 6, 9))  # at the row
    assert result.filing.year is None and result.filing.department_code is None


def test_unknown_field_with_suggestion():
    text = GOAL.replace("指标值确定依据: 被救助人次", "指标值确定依剧: 被救助人次").replace(
        "年度:", "年份:"
    )
    result = read(text)
    year, basis = sorted(result.diagnostics, key=lambda d: d.span.line)
    assert (year.code, year.name, year.severity) == ("PF002", "unknown-field", "warning")
    assert basis.span == sp(27, 13, 27, 20)
    assert "指标值确定依据" in basis.message.zh and "did you mean" in basis.message.en
    assert basis.fix.edits[0].content == "指标值确定依据"
    assert result.filing.projects[0].indicators[0].basis.text == ""  # and reading went on
    assert result.filing.projects[0].indicators[2].basis.text == "年度工作计划"
    assert result.filing.year is None


def test_category_names_are_data_not_fields():
    text = GOAL.replace("产出指标:\n", "效果指标(10分):\n", 1)
    result = read(text)
    assert result.diagnostics == ()
    assert result.filing.projects[0].indicators[0].level1.text == "效果指标(10分)"


# --- refusing bad input --------------------------------------------------------------------


def test_syntax_error_is_located():
    d = only(read("部门:\n  名称: [唐山\n年度: 2025\n"))
    assert (d.span.line, d.span.col) == (3, 3)
    assert "YAML 语法错误" in d.message.zh and "flow sequence" in d.message.en


def test_root_must_be_a_mapping():
    result = read("- 项目编码: a\n- 项目编码: b\n")
    assert result.filing is None
    assert "列表" in only(result).message.zh
    assert only(read("")).message.en == "the file is empty"


def test_alias_bomb_is_refused_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev = chr(ord("a") + n - 1)
        lines.append(
            f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [" + ",".join([f"*{prev}"] * 9) + "]"
        )
    start = time.perf_counter()
    result = read("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1
    assert result.filing is None
    d = only(result)
    assert "anchors/aliases" in d.message.en and (d.span.line, d.span.col) == (1, 4)
    assert only(read("a: 1\nb: *a\n")).span.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 10_000 + "]" * 10_000,
        "a:\n  " + "- " * 10_000 + "x\n",
        "a: " + "{b: " * 10_000 + "c" + "}" * 10_000,
    ],
)
def test_deep_nesting_is_refused(text):
    d = only(read(text))
    assert "nesting deeper than 64" in d.message.en and d.message.zh == "嵌套超过 64 层"


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_flow_nesting_is_located_at_the_first_level_too_many(opener):
    # whether libyaml refuses first (PyYAML >= 6.0.3) or perflint's own walk does, the message is
    # perflint's and points at the 65th opening bracket
    d = only(read("a: " + opener * 5_000))
    assert d.message.zh == "嵌套超过 64 层" and (d.span.line, d.span.col) == (
        1,
        4 + 63 * len(opener),
    )


def test_libyaml_nesting_error_becomes_perflints_message():
    import yaml

    from perflint.readers.yaml_tree import syntax_error as _syntax_error

    error = yaml.scanner.ScannerError(
        None, None, "exceeded maximum nesting depth", yaml.Mark("", 0, 0, 9, None, None)
    )
    refusal = _syntax_error(error, "a: '[[[' #[[[\n" + "[" * 70, None)
    assert (refusal.zh, refusal.en) == ("嵌套超过 64 层", "nesting deeper than 64 levels")
    assert (refusal.line, refusal.col) == (1, 63)


def test_python_tags_are_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "pwned"
    d = only(read(f"年度: !!python/object/apply:os.system ['touch {marker}']\n"))
    assert "!!python/object/apply:os.system" in d.message.en and (d.span.line, d.span.col) == (1, 5)
    assert not marker.exists()
    assert only(read("部门: !!map {编码: 1}\n")).code == "PF001"
    assert read("年度: !!str 2025\n").filing.year.text == "2025"


def test_several_documents_are_refused():
    d = only(read("年度: 2025\n---\n年度: 2026\n"))
    assert d.span.line == 2


def test_duplicate_key():
    result = read("年度: 2025\n部门: {名称: 甲}\n年度: 2026\n")
    d = only(result)
    assert d.span == sp(3, 1, 3, 3) and "年度" in d.message.zh
    assert result.filing.year.text == "2025"


def test_wrong_shapes_are_skipped():
    text = "项目:\n  - 项目编码: [a, b]\n    项目名称: 甲\n    绩效目标: [好, {x: 1}]\n    绩效指标:\n      - 一级指标: {x: 1}\n        指标值: 1个\n"
    result = read(text)
    assert [(d.code, d.span.line, d.span.col) for d in result.diagnostics] == [
        ("PF001", 2, 11),
        ("PF001", 4, 15),
        ("PF001", 6, 15),
    ]
    p = result.filing.projects[0]
    assert p.code.text == "" and p.name.text == "甲" and [g.text for g in p.goals] == ["好"]
    assert p.indicators[0].value.text == "1个"
    assert only(read("项目: {项目名称: 甲}\n")).message.en.startswith('"项目" must be a list')


def test_control_character_is_located():
    d = only(read("年度: 20\x0125\n"))
    assert (d.span.line, d.span.col) == (1, 7)


# --- suppressions --------------------------------------------------------------------------


def test_suppression_comments():
    text = (
        "# perflint: disable-file\n"
        "年度: 2025  # perflint: disable=PF401,PF402 -- 按通知口径\n"
        "部门:\n"
        "  # perflint: disable-next-line=basis-missing\n"
        "  名称: '# perflint: disable=PF999'\n"
        "总体绩效目标: |-\n"
        "  # perflint: disable=PF998\n"
        "项目:  # note # perflint: disable-file=PF3\n"
    )
    result = read(text)
    assert result.diagnostics == ()
    got = [
        (s.kind, s.codes, s.target_line, s.span.line, s.span.col)
        for s in result.filing.suppressions
    ]
    assert got == [
        ("file", (), 0, 1, 1),
        ("line", ("PF401", "PF402"), 2, 2, 11),
        ("next-line", ("basis-missing",), 5, 4, 3),
        ("file", ("PF3",), 0, 8, 13),
    ]


# --- writing -------------------------------------------------------------------------------


def test_writer_round_trip_and_layout():
    f = read(GOAL).filing
    out = dump_filing(f)
    assert out.startswith("# yaml-language-server: $schema=")
    assert "年度: 2025\n" in out and "预算数: 1000.00\n" in out and '编码: "455001"' in out
    assert "总体绩效目标: |-\n  第一行\n  第二行\n" in out
    assert "      产出指标:\n        数量指标:\n          - 三级指标: 救助困难信访群众\n" in out
    again = read_yaml("x.yaml", out)
    assert again.diagnostics == ()
    assert texts(again.filing) == texts(f)
    assert dump_filing(again.filing) == out


def _cell(text):
    return Cell(text, Span("t", 1, 1, 1, 1))


def _row(l1, l2, name, value="≥1个"):
    return Indicator(
        _cell(l1),
        _cell(l2),
        _cell(name),
        _cell(""),
        _cell(value),
        _cell("计划"),
        Span("t", 1, 1, 1, 1),
    )


def _filing(rows=(), **texts_):
    c = {k: _cell(v) for k, v in texts_.items()}
    e = _cell("")
    project = Project(
        c.get("code", e),
        c.get("name", e),
        c.get("total", e),
        e,
        e,
        c.get("purpose", e),
        (Checkpoint(_cell("3月底"), c.get("percent", e)),),
        (c.get("goal", e),),
        tuple(rows),
        Span("t", 1, 1, 1, 1),
    )
    return Filing("t", c.get("dept"), None, c.get("year"), None, c.get("overall"), (), (project,))


TRICKY = [
    "2025",
    "1000.00",
    "0123",
    "yes",
    "null",
    "~",
    "",
    " ",
    "- x",
    ">90%",
    "%x",
    "*以上",
    "&a",
    "!x",
    "@x",
    "|",
    "#x",
    "a #b",
    "a: b",
    "'q'",
    '"q"',
    "[x]",
    "{x}",
    "≥95%",
    "x\n",
    "\n x",
    "a\tb",
    "\t\n",
    " 首\n尾 ",
    "行一\n\n行三",
    "true",
    "1e3",
    ".inf",
    "0x1F",
    "?",
    ":x",
    "\u2028",
    "a\rb",
    "\x85",
]


@pytest.mark.parametrize("text", TRICKY)
def test_writer_keeps_tricky_texts(text):
    f = _filing(
        [_row(text, text, text, text)],
        code=text,
        name=text,
        total=text,
        purpose=text,
        percent=text,
        goal=text,
        dept=text,
        year=text,
        overall=text,
    )
    again = read_yaml("x.yaml", dump_filing(f))
    assert again.diagnostics == ()
    assert texts(again.filing) == texts(f)


def test_writer_falls_back_to_the_flat_form():
    rows = [
        _row("产出指标", "数量指标", "甲"),
        _row("效益指标", "社会效益指标", "乙"),
        _row("产出指标", "质量指标", "丙"),
    ]
    out = dump_filing(_filing(rows))
    assert "- 一级指标: 产出指标" in out
    assert [i.name.text for i in read_yaml("x", out).filing.projects[0].indicators] == [
        "甲",
        "乙",
        "丙",
    ]
    grouped = dump_filing(_filing(rows[:2] + [_row("效益指标", "社会效益指标", "丁")]))
    assert "一级指标" not in grouped


def test_writer_round_trip_property():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    text = st.one_of(st.text(max_size=10), st.sampled_from(TRICKY))
    cell = text.map(_cell)
    span = st.just(Span("t", 1, 1, 1, 1))
    indicator = st.builds(Indicator, cell, cell, cell, cell, cell, cell, span)
    checkpoints = st.lists(
        st.builds(Checkpoint, cell, cell), max_size=3, unique_by=lambda c: c.label.text
    )
    project = st.builds(
        Project,
        cell,
        cell,
        cell,
        cell,
        cell,
        cell,
        checkpoints.map(tuple),
        st.lists(cell, max_size=3).map(tuple),
        st.lists(indicator, max_size=4).map(tuple),
        span,
        st.none() | cell,
    )
    maybe = st.none() | cell
    filing = st.builds(
        Filing,
        st.just("t"),
        maybe,
        maybe,
        maybe,
        maybe,
        maybe,
        st.lists(cell, max_size=2).map(tuple),
        st.lists(project, max_size=2).map(tuple),
    )

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(filing)
    def check(f):
        again = read_yaml("x.yaml", dump_filing(f))
        assert again.diagnostics == ()
        assert texts(again.filing) == texts(f)

    check()


def test_writer_round_trip_from_text_export():
    text_reader = pytest.importorskip("perflint.readers.text_reader")
    from perflint.source import decode

    seeds = sorted((ROOT / "examples").glob("**/*.txt")) or sorted(
        Path("/work/shared/seeds").glob("*.txt")
    )
    if not seeds:
        pytest.skip("no text exports to read")
    for seed in seeds:
        f = text_reader.read_text(str(seed), decode(seed.read_bytes()).text).filing
        again = read_yaml("x.yaml", dump_filing(f))
        assert again.diagnostics == () and texts(again.filing) == texts(f), seed


# --- schema --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _doc_examples():
    doc = (ROOT / "docs" / "goal-format.md").read_text(encoding="utf-8")
    return [
        block
        for block in re.findall(r"```yaml\n(.*?)```", doc, re.S)
        if "项目:" in block and block.startswith("# yaml-language")
    ]


def test_examples_validate(validator):
    examples = [GOAL, dump_filing(read(GOAL).filing), *_doc_examples()]
    assert len(examples) >= 3
    for example in examples:
        assert read(example).diagnostics == ()
        assert list(validator.iter_errors(yaml.safe_load(example))) == []


def test_typo_fails_validation(validator):
    from jsonschema.exceptions import best_match

    for typo, key in (
        (
            GOAL.replace("指标值确定依据: 被救助人次", "指标值确定依剧: 被救助人次"),
            "指标值确定依剧",
        ),
        (
            GOAL.replace("        指标值确定依据: 无", "        指标值确定依剧: 无"),
            "指标值确定依剧",
        ),
        (GOAL.replace("资金用途:", "资金用处:"), "资金用处"),
    ):
        error = best_match(validator.iter_errors(yaml.safe_load(typo)))
        assert error is not None and key in error.message
