"""A province adds its form without code in perflint: a plugin's `perflint_forms` hook names a
forms file whose titles, labels, header words and trailer words join the package's (the example
pack in tests/data/plugin-pack, registered through the plugin manager; test_packaging installs
it as a real package and runs the command)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pluggy import HookimplMarker
from test_layouts import export

from perflint.engine import load_ruleset
from perflint.plugins.host import Host
from perflint.readers.forms import builtin_forms, host_forms, plugin_forms
from perflint.readers.interpret import interpret
from perflint.readers.text_grid import text_grid

PACK = Path(__file__).parent / "data" / "plugin-pack" / "perflint_hebei"
hookimpl = HookimplMarker("perflint")

# an invented table in the province's form: its title, labels and header words are the pack's
PROVINCE_TABLE = export(
    "某县2025年项目绩效目标备案表",
    ["备案项目名称", "乡村道路养护", "项目主管单位", "[021001]某县交通运输局"],
    ["本年预算资金", "85万元", "项目负责科室", "公路股"],
    ["年度绩效目标", "完成县乡道路日常养护"],
    ["一级指标", "二级指标", "考评内容", "计划目标值", "指标值来源"],
    ["产出指标", "数量指标", "养护里程", "≥120公里", "年度养护计划"],
    ["效益指标", "社会效益指标", "群众出行条件", "有所改善", "历史标准"],
    ["附注：本表由项目单位填报", ""],
)


def pack_host(*plugins) -> Host:
    spec = importlib.util.spec_from_file_location("perflint_hebei_plugin", PACK / "plugin.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    host = Host(use_entry_points=False)
    host.manager.register(module, name="hebei")
    for index, plugin in enumerate(plugins):
        host.manager.register(plugin, name=f"plugin{index}")
    return host


def read(text: str, forms):
    return interpret(text_grid("t.txt", text), forms)


def test_the_province_form_reads_with_the_plugins_words():
    result = read(PROVINCE_TABLE, host_forms(pack_host()))
    assert result.diagnostics == ()
    (project,) = result.filing.projects
    assert project.name.text == "乡村道路养护"
    assert result.filing.department_name.text == "某县交通运输局"
    assert project.budget_total.text == "85万元"
    assert [(i.name.text, i.value.text, i.basis.text) for i in project.indicators] == [
        ("养护里程", "≥120公里", "年度养护计划"),
        ("群众出行条件", "有所改善", "历史标准"),
    ]
    assert [(r.key, r.value.text) for r in project.info] == [("office", "公路股")]
    assert [r.label.text for r in project.trailers] == ["附注：本表由项目单位填报"]


def test_without_the_plugin_the_same_table_is_not_read():
    result = read(PROVINCE_TABLE, builtin_forms())
    assert [d.code for d in result.diagnostics] == ["PF001"]  # no indicator header known


def test_the_packages_words_still_read_with_the_plugin():
    forms = host_forms(pack_host())
    assert forms.column("三级指标") == "name" and forms.column("考评内容") == "name"
    assert forms.label("项目名称") == ("name", None) and forms.title("项目支出绩效目标表")


def test_the_forms_files_count_in_the_rule_set_fingerprint(tmp_path):
    own = tmp_path / "own.yaml"
    own.write_text("labels: {name: [备案名称]}\n", encoding="utf-8")

    class Own:
        @hookimpl
        def perflint_forms(self):
            return own

    before = load_ruleset(host=pack_host(Own())).fingerprint
    own.write_text("labels: {name: [备案名称, 备案事项名称]}\n", encoding="utf-8")
    assert load_ruleset(host=pack_host(Own())).fingerprint != before


def test_an_unusable_forms_file_is_reported_and_left_out(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  - {field: nonsense, words: [某列]}\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("labels: [not, a, mapping]\n", encoding="utf-8")

    class Bad:
        @hookimpl
        def perflint_forms(self):
            return [bad, broken, tmp_path / "missing.yaml"]

    host = pack_host(Bad())
    files, problems = plugin_forms(host)
    assert len(files) == 4 and len(problems) == 3, problems
    assert "unknown field 'nonsense'" in problems[0] and "not used" in problems[0]
    assert "labels: a mapping is expected" in problems[1]
    assert "missing.yaml" in problems[2]
    ruleset = load_ruleset(host=host)
    assert all(p in ruleset.problems for p in problems)
    forms = host_forms(host)  # the run goes on with the package's and the good file's words
    assert forms.column("考评内容") == "name" and forms.column("某列") is None
    assert read(PROVINCE_TABLE, forms).diagnostics == ()
