"""Configuration: discovery, validation with file and line, and every key's effect."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from helpers import run

from perflint.config import ConfigError, Finder, load_config
from perflint.examples import case_text
from perflint.selection import Layer, RuleRef, make_policy, resolve, severity_overrides

REPO = Path(__file__).resolve().parent.parent


def defective_yaml() -> str:
    """PF401 (basis 无) and PF306 (satisfaction ≥82%: below a threshold of 85, not of 80)."""
    text = case_text({"项目名称": "业务培训经费"})
    text = text.replace("指标值确定依据: 年度工作计划", "指标值确定依据: 无", 1)
    return text.replace("指标值: ≥90%", "指标值: ≥82%")


def codes(result) -> set[str]:
    return {d["code"] for d in json.loads(result.out)}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path):
    write(tmp_path / "a.yaml", defective_yaml())
    write(tmp_path / "sub" / "b.yaml", defective_yaml())
    return tmp_path


# -- discovery


def test_no_config_runs_every_rule(tree):
    assert codes(run("check", ".", "--format", "json", cwd=tree)) == {"PF401"}


def test_nearest_config_applies(tree):
    write(tree / ".perflint.yaml", "ignore: [PF401]\n")
    write(tree / "sub" / "perflint.toml", "params = {PF306 = {threshold = 85}}\n")
    result = run("check", ".", "--format", "json", cwd=tree)
    by_file = {}
    for d in json.loads(result.out):
        by_file.setdefault(d["filename"], set()).add(d["code"])
    # a.yaml: root config ignores PF401; sub/b.yaml: nearest config (no ignore) raises the threshold
    assert by_file == {os.path.join("sub", "b.yaml"): {"PF401", "PF306"}}


def test_preference_within_a_directory(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.perflint]\nignore = ['PF1']\n")
    assert Finder().config_path(str(tmp_path)) == str(tmp_path / "pyproject.toml")
    write(tmp_path / "perflint.toml", "ignore = ['PF2']\n")
    assert Finder().config_path(str(tmp_path)) == str(tmp_path / "perflint.toml")
    write(tmp_path / ".perflint.yaml", "ignore: [PF3]\n")
    assert Finder().config_path(str(tmp_path / "deeper")) == str(tmp_path / ".perflint.yaml")


def test_pyproject_without_table_is_skipped(tree):
    write(tree / ".perflint.yaml", "ignore: [PF401]\n")
    write(tree / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    result = run("check", ".", "--format", "json", cwd=tree)
    assert codes(result) == set()  # sub/ inherits the root config
    write(
        tree / "sub" / "pyproject.toml",
        "[project]\nname = 'x'\n\n[tool.perflint]\nselect = ['ALL']\n",
    )
    result = run("check", ".", "--format", "json", cwd=tree)
    assert {d["filename"] for d in json.loads(result.out)} == {os.path.join("sub", "b.yaml")}


def test_config_option_and_isolated(tree):
    write(tree / ".perflint.yaml", "ignore: [PF401]\n")
    write(tree / "elsewhere.yaml", "params: {PF306: {threshold: 85}}\n")
    assert codes(run("check", "a.yaml", "--format", "json", cwd=tree)) == set()
    assert codes(
        run("check", "a.yaml", "--format", "json", "--config", "elsewhere.yaml", cwd=tree)
    ) == {"PF401", "PF306"}
    assert codes(run("check", "a.yaml", "--format", "json", "--isolated", cwd=tree)) == {"PF401"}
    missing = run("check", "a.yaml", "--config", "nope.yaml", cwd=tree)
    assert missing.returncode == 2 and "nope.yaml" in missing.err


# -- errors name the file and line


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        (".perflint.yaml", "select: [PF4]\nselct: [PF4]\n", 2, "select"),
        (".perflint.yaml", "ignore: [PF4]\nselect: 5\n", 2, "select"),
        (".perflint.yaml", "fail-level: fatal\n", 1, "fail-level"),
        (".perflint.yaml", "lang: zh\nseverity:\n  PF306: fatal\n", 3, "PF306"),
        (".perflint.yaml", "per-file-ignores:\n  '*.yaml': 3\n", 2, "*.yaml"),
        (".perflint.yaml", "respect-gitignore: maybe\n", 1, "respect-gitignore"),
        (".perflint.yaml", "ignore: [PF4]\nextend-select: [PF999]\n", 2, "PF999"),
        (".perflint.yaml", "params:\n  PF306:\n    threshold: high\n", 3, "threshold"),
        (".perflint.yaml", "params:\n  PF306:\n    limit: 85\n", 3, "limit"),
        (".perflint.yaml", "params:\n  PF999: {threshold: 85}\n", 2, "PF999"),
        (".perflint.yaml", "lang: zh\nprofile: nope\n", 2, "nope"),
        (".perflint.yaml", "select: [PF4\n", 2, "YAML"),
        (".perflint.yaml", "- PF4\n", 1, "映射"),
        ("perflint.toml", "ignore = ['PF4']\nselct = ['PF4']\n", 2, "select"),
        ("perflint.toml", "ignore = ['PF4']\n\n[params.PF306]\nthreshold = 'x'\n", 4, "threshold"),
        (
            "pyproject.toml",
            "[project]\nname = 'x'\n\n[tool.perflint]\nfail-level = 3\n",
            5,
            "fail-level",
        ),
        ("perflint.toml", "ignore = [\n", 1, "TOML"),
    ],
)
def test_bad_config_exits_2_with_file_and_line(tree, name, text, line, words):
    write(tree / name, text)
    result = run("check", "a.yaml", cwd=tree)
    assert result.returncode == 2, result.out
    assert f"perflint: 错误：{name}:{line}:" in result.err, result.err
    assert words in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_english_config_errors(tree):
    write(tree / ".perflint.yaml", "selct: [PF4]\n")
    result = run("check", "a.yaml", "--lang", "en", cwd=tree)
    assert "unknown config key 'selct'; did you mean 'select'?" in result.err


def test_load_config_values(tmp_path):
    path = write(
        tmp_path / ".perflint.yaml",
        """
        select: [ALL]
        ignore: PF307, PF2
        severity: {PF306: error}
        per-file-ignores: {"archive/**": [PF4]}
        params: {PF306: {threshold: 85}}
        fail-level: warning
        """,
    )
    config = load_config(path)
    assert config.get("ignore") == ("PF307", "PF2")
    assert config.get("severity") == (("PF306", "error"),)
    assert config.get("per-file-ignores") == (("archive/**", ("PF4",)),)
    assert config.root == str(tmp_path)
    assert config.line_of("params", "PF306", "threshold") == 5
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "x.yaml", "include: [1]\n"))
    assert caught.value.line == 1 and "include" in caught.value.render("en")


# -- keys


def test_select_and_severity_in_config(tree):
    write(tree / ".perflint.yaml", "select: [PF4]\nseverity: {basis-missing: info}\n")
    result = run("check", "a.yaml", "--format", "json", cwd=tree)
    assert [(d["code"], d["severity"]) for d in json.loads(result.out)] == [("PF401", "info")]
    assert run("check", "a.yaml", "--fail-level", "warning", cwd=tree).returncode == 0
    # the command line's --select replaces the file's; --severity wins over it
    result = run(
        "check",
        "a.yaml",
        "--format",
        "json",
        "--select",
        "PF306,PF401",
        "--severity",
        "PF401=error",
        cwd=tree,
    )
    assert [(d["code"], d["severity"]) for d in json.loads(result.out)] == [("PF401", "error")]


def test_per_file_ignores(tree):
    write(
        tree / ".perflint.yaml",
        "per-file-ignores:\n  'sub/**': [PF4]\n  'a.yaml': [basis-missing]\n",
    )
    assert codes(run("check", ".", "--format", "json", cwd=tree)) == set()
    write(tree / ".perflint.yaml", "per-file-ignores:\n  'sub/': [PF4]\n")
    assert {
        d["filename"] for d in json.loads(run("check", ".", "--format", "json", cwd=tree).out)
    } == {"a.yaml"}


def test_params_threshold(tree):
    write(tree / ".perflint.yaml", "params: {PF306: {threshold: 85}}\n")
    assert codes(run("check", "a.yaml", "--format", "json", cwd=tree)) == {"PF401", "PF306"}


def test_exclude_include_and_gitignore_keys(tree):
    write(tree / "notes.txt", "not a filing\n")
    write(tree / ".perflint.yaml", "extend-exclude: ['sub/']\ninclude: ['*.yaml']\n")
    result = run("check", ".", "--format", "json", cwd=tree)
    assert {d["filename"] for d in json.loads(result.out)} == {"a.yaml"}
    write(
        tree / ".perflint.yaml", "exclude: []\ninclude: ['*.yaml']\n"
    )  # hidden files are no longer skipped
    write(tree / ".hidden" / "c.yaml", defective_yaml())
    result = run("check", ".", "--format", "json", cwd=tree)
    assert os.path.join(".hidden", "c.yaml") in {d["filename"] for d in json.loads(result.out)}


def test_run_wide_keys(tree):
    write(tree / ".perflint.yaml", "lang: en\noutput-format: json\nfail-level: error\n")
    result = run("check", "a.yaml", cwd=tree)
    items = json.loads(result.out)
    assert result.returncode == 0  # only warnings, fail-level error
    assert "basis" in items[0]["message"]
    assert run("check", "a.yaml", "--fail-level", "info", cwd=tree).returncode == 1


def test_encoding_key(tree):
    (tree / "gbk.yaml").write_bytes(defective_yaml().encode("gb18030"))
    write(tree / ".perflint.yaml", "encoding: utf-8\n")
    assert codes(run("check", "gbk.yaml", "--format", "json", cwd=tree)) == {"PF001"}
    write(tree / ".perflint.yaml", "encoding: no-such-codec\n")
    assert run("check", "gbk.yaml", cwd=tree).returncode == 2


def test_disable_plugins_unknown_is_a_warning(tree):
    write(tree / ".perflint.yaml", "disable-plugins: [not-installed]\n")
    result = run("check", "a.yaml", cwd=tree)
    assert result.returncode == 1 and "not-installed" in result.err


# -- selection semantics (unit)

RULES = [RuleRef("PF401", "basis-missing"), RuleRef("PF402", "basis-restates"), RuleRef("PF201", "vague-target"),
         RuleRef("PF901", "opt-in", default_on=False)]  # fmt: skip


def test_resolve_specificity_and_layers():
    assert resolve([], RULES) >= {"PF401", "PF402", "PF201"}
    assert "PF901" not in resolve([], RULES)
    assert "PF901" not in resolve(
        [Layer(select=("PF9",))], RULES
    )  # opt-in rules need their full code
    assert "PF901" in resolve([Layer(extend_select=("opt-in",))], RULES)
    only = resolve([Layer(select=("PF4",), ignore=("PF401",))], RULES)
    assert {"PF401", "PF402", "PF201"} & only == {"PF402"}
    assert "PF401" in resolve(
        [Layer(select=("PF401",), ignore=("PF4",))], RULES
    )  # more specific wins
    assert "PF401" not in resolve(
        [Layer(select=("PF401",), ignore=("basis-missing",))], RULES
    )  # tie: ignore
    layered = resolve([Layer(select=("PF4",)), Layer(ignore=("PF402",))], RULES)
    assert {"PF401", "PF402", "PF201"} & layered == {"PF401"}
    reset = resolve([Layer(ignore=("PF4",)), Layer(select=("PF401",))], RULES)
    assert {"PF401", "PF402", "PF201"} & reset == {"PF401"}
    assert {"PF000", "PF001"} <= resolve([Layer(ignore=("ALL",))], RULES)


def test_severity_overrides_most_specific():
    levels = severity_overrides([Layer(severity=(("PF4", "info"), ("PF401", "error")))], RULES)
    assert levels == {"PF401": "error", "PF402": "info"}
    later = severity_overrides(
        [Layer(severity=(("PF401", "error"),)), Layer(severity=(("basis-missing", "info"),))], RULES
    )
    assert later["PF401"] == "info"


def test_policy_per_file(tmp_path):
    policy = make_policy(
        [Layer(per_file_ignores=(("old/*.yaml", ("PF4",), str(tmp_path)),))], RULES
    )
    assert "PF401" not in policy.enabled_for(str(tmp_path / "old" / "x.yaml"))
    assert "PF401" in policy.enabled_for(str(tmp_path / "new" / "x.yaml"))
    assert "PF401" in policy.enabled_for(
        str(tmp_path.parent / "old" / "x.yaml")
    )  # outside the config's tree
