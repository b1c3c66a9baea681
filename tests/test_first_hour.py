"""A new user's first hour, tried with the installed `perflint` command (issue 14)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
PERFLINT = str(Path(sys.executable).with_name("perflint"))


def perflint(*args, cwd, umask: int | None = None) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "PERFLINT_CACHE_DIR")
    }

    def set_umask():
        if umask is not None:
            os.umask(umask)

    result = subprocess.run(
        [PERFLINT, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=set_umask,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def work(tmp_path):
    for name in (
        "huailai-xinfang-2024.yaml",
        "huailai-xinfang-2024.txt",
        "lunan-xinfang-2025.yaml",
    ):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- the distribution and its addresses


def test_the_distribution_name_is_not_the_unrelated_perflint_and_recipes_install_this_project():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (
        project["name"] == "perflint-goals"
        and project["scripts"]["perflint"] == "perflint.cli:main"
    )
    recipes = (REPO / "docs" / "integrations.md").read_text(encoding="utf-8")
    installs = re.findall(r"^\s*(?:- run: |- )?pip install (.+)$", recipes, re.MULTILINE)
    assert len(installs) >= 3 and all(
        line.startswith('"perflint-goals @ git+https://') for line in installs
    ), installs


def test_rule_urls_point_at_the_rule_pages_this_repo_ships(work):
    found = json.loads(
        perflint("check", "--format", "json", "huailai-xinfang-2024.yaml", cwd=work).stdout
    )
    headings = {
        f"{m.group(1).lower()}-{m.group(2)}"
        for m in re.finditer(
            r"^## (PF\d+) (\S+)$", (REPO / "docs" / "rules.md").read_text(encoding="utf-8"), re.M
        )
    }
    for finding in found:
        page, _, anchor = finding["url"].partition("#")
        assert page.endswith("/docs/rules.md") and anchor in headings, finding["url"]
    assert "readthedocs" not in (REPO / "perflint" / "__init__.py").read_text(encoding="utf-8")


# -- files perflint writes


def test_written_files_follow_the_umask_and_a_replaced_file_keeps_its_mode(work):
    assert (
        perflint(
            "import", "huailai-xinfang-2024.txt", "-o", "new.yaml", cwd=work, umask=0o022
        ).returncode
        == 0
    )
    assert _mode(work / "new.yaml") == 0o644
    perflint("check", "--format", "json", "-o", "report.json", ".", cwd=work, umask=0o022)
    assert _mode(work / "report.json") == 0o644
    perflint("check", "--format", "json", "-o", "group.json", ".", cwd=work, umask=0o002)
    assert _mode(work / "group.json") == 0o664
    (work / "report.json").chmod(0o640)
    perflint("check", "--format", "json", "-o", "report.json", ".", cwd=work, umask=0o022)
    assert _mode(work / "report.json") == 0o640
    target = work / "huailai-xinfang-2024.yaml"
    target.chmod(0o604)
    before = target.read_bytes()
    perflint("check", "--fix", "huailai-xinfang-2024.yaml", cwd=work, umask=0o077)
    assert target.read_bytes() != before and _mode(target) == 0o604


# -- subcommands


def test_a_mistyped_subcommand_is_a_usage_error_with_a_suggestion(work):
    typo = perflint("chek", ".", cwd=work)
    assert typo.returncode == 2 and "check" in typo.stderr and typo.stdout == ""
    english = perflint("chek", ".", "--lang", "en", cwd=work)
    assert english.returncode == 2 and "did you mean 'check'" in english.stderr
    # an existing path is still a path (`perflint PATHS…` is `perflint check PATHS…`)
    assert perflint("huailai-xinfang-2024.yaml", cwd=work).returncode == 1


def test_clean_removes_perflint_caches_and_nothing_else(work):
    (work / "sub").mkdir()
    shutil.copy(work / "lunan-xinfang-2025.yaml", work / "sub" / "goal.yaml")
    assert perflint("check", ".", cwd=work).returncode == 1
    assert (work / ".perflint_cache" / "CACHEDIR.TAG").is_file()
    foreign = work / "sub" / ".perflint_cache"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    cleaned = perflint("clean", cwd=work)
    assert cleaned.returncode == 0 and "已删除 .perflint_cache" in cleaned.stdout
    assert (
        not (work / ".perflint_cache").exists()
        and (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"
    )
    assert "不是 perflint 的缓存目录" in cleaned.stderr
    assert perflint("clean", "--lang", "en", cwd=work).stdout.count("removed") == 0


# -- what a run says


def test_a_run_that_checks_nothing_says_so_and_why(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "requirements.txt").write_text("lark\n", encoding="utf-8")
    result = perflint("check", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert "检查通过" not in result.stdout and "没有检查任何文件" in result.stdout
    assert (
        "跳过 3 个文件" in result.stderr
        and ".pdf 格式不受支持" in result.stderr
        and "内容显然不是目标表" in result.stderr
    )
    empty = perflint("check", "--lang", "en", ".", cwd=tmp_path / ".." / tmp_path.name)
    assert "No files were checked" in empty.stdout and "All checks passed" not in empty.stdout


def test_every_finding_names_its_department_project_and_indicator(work):
    text = perflint("check", "huailai-xinfang-2024.yaml", cwd=work).stdout
    assert (
        "部门：怀来县信访局 | 项目：怀财字【2024】7号 信访专项（13073024P000585100016） | 指标：产出指标 > 质量指标 > 维稳工作正常开展率"
        in text
    )
    english = perflint("check", "--lang", "en", "huailai-xinfang-2024.yaml", cwd=work).stdout
    assert (
        "department: 怀来县信访局 | project: 怀财字【2024】7号 信访专项 (13073024P000585100016) | indicator: 产出指标 > "
        in english
    )
    found = json.loads(
        perflint("check", "--format", "json", "huailai-xinfang-2024.txt", cwd=work).stdout
    )
    on_indicators = [d for d in found if d["code"].startswith(("PF2", "PF3"))]
    assert on_indicators
    for d in on_indicators:
        context = d["context"]
        assert (
            context["department"] == "怀来县信访局" and context["project"] and context["indicator"]
        ), d
    sarif = json.loads(
        perflint("check", "--format", "sarif", "huailai-xinfang-2024.yaml", cwd=work).stdout
    )
    results = sarif["runs"][0]["results"]
    named = [r for r in results if r["ruleId"] == "PF203"]
    assert named and all(
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("怀来县信访局 › ")
        for r in named
    )
    assert all(r["properties"]["context"]["indicator"] for r in named)


def test_severity_labels_and_an_empty_basis_read_in_the_message_language(tmp_path):
    (tmp_path / "goal.yaml").write_text(
        "部门: {名称: 测试局}\n项目:\n  - 项目编码: 13020225P00000410005D\n    项目名称: 测试项目\n    绩效指标:\n"
        "      产出指标:\n        数量指标:\n          - 三级指标: 培训人次\n            指标值: ≥100人次\n            指标值确定依据: ''\n",
        encoding="utf-8",
    )
    zh = perflint("check", "--select", "PF401", "goal.yaml", cwd=tmp_path).stdout
    assert "PF401 [警告] 指标“培训人次”的指标值确定依据未填写，" in zh and "“”" not in zh
    en = perflint("check", "--select", "PF401", "--lang", "en", "goal.yaml", cwd=tmp_path).stdout
    assert "PF401 [warning] indicator '培训人次' gives (empty) as its basis" in en


def test_statistics_marks_a_rule_fixable_only_for_a_fix_that_would_be_applied(work):
    plain = perflint("check", "--statistics", "huailai-xinfang-2024.yaml", cwd=work).stdout
    unsafe = perflint(
        "check", "--statistics", "--unsafe-fixes", "huailai-xinfang-2024.yaml", cwd=work
    ).stdout
    assert re.search(r"PF203\t\[ \] missing-comparator", plain), plain  # its only fix is unsafe
    assert re.search(r"PF203\t\[\*\] missing-comparator", unsafe), unsafe
    assert re.search(r"PF204\t\[\*\] nonstandard-unit", plain), plain


def test_a_fix_to_a_project_name_is_unsafe(work):
    found = []
    for name in ("huailai-xinfang-2024.yaml", "lunan-xinfang-2025.yaml"):
        lines = (work / name).read_text(encoding="utf-8").splitlines()
        for d in json.loads(
            perflint("check", "--format", "json", "--select", "PF403", name, cwd=work).stdout
        ):
            found.append(
                (
                    lines[d["location"]["row"] - 1].lstrip().startswith("项目名称"),
                    d["fix"]["applicability"],
                )
            )
    assert (
        (True, "unsafe") in found
        and (False, "safe") in found
        and set(found) == {(True, "unsafe"), (False, "safe")}
    )
    perflint("check", "--fix", "huailai-xinfang-2024.yaml", cwd=work)
    assert "项目名称: 怀财字【2024】7号 信访专项" in (work / "huailai-xinfang-2024.yaml").read_text(
        encoding="utf-8"
    )


def test_rule_pages_say_what_their_sources_are_and_how_sure_they_are(work):
    page = perflint("rule", "PF401", cwd=work).stdout
    assert "[R]" not in page and "[V]" not in page and "guidelines §" not in page
    assert "财预〔2015〕88号" in page and "未核实" in page and "docs/sources.md §1.5" in page
    english = perflint("rule", "PF401", "--lang", "en", cwd=work).stdout
    assert "not yet verified against the official text" in english
    sources = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    assert "§1.5" in sources and "财预〔2015〕88号" in sources


def test_a_pyproject_toml_that_is_not_utf8_is_an_error_not_ignored(work):
    (work / "pyproject.toml").write_bytes(
        '[project]\nname = "信访"\n\n[tool.perflint]\nignore = ["PF401"]\n'.encode("gbk")
    )
    result = perflint("check", ".", cwd=work)
    assert result.returncode == 2 and "pyproject.toml:1:1: 配置文件应为 UTF-8 编码" in result.stderr
