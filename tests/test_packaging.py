"""The wheel carries rules/ and grammar/: installed outside the checkout, perflint finds them all.

A real plugin package (a province's rule pack) installed beside it adds a rule that fires, and
a plugin that fails at import is reported once while the run goes on.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


def build_wheel(project: Path, out: Path) -> Path:
    pytest.importorskip("build")
    pytest.importorskip("hatchling")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(project),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtualenv with the perflint wheel and the two plugin wheels installed (no checkout on the path)."""
    base = tmp_path_factory.mktemp("pkg")
    wheels = [build_wheel(ROOT, base / "dist")]
    for name in ("plugin-pack", "broken-plugin"):
        copy = base / name
        shutil.copytree(DATA / name, copy)
        wheels.append(build_wheel(copy, base / f"dist-{name}"))
    env = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    # dependencies come from the running environment (a plain path line: its .pth files, and so an
    # editable perflint, are not processed)
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_perflint_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            *map(str, wheels),
        ],
        check=True,
        capture_output=True,
    )
    work = base / "work"
    shutil.copytree(ROOT / "examples", work / "examples")
    return env, work


def run(env: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [env / "bin" / "perflint", *args], cwd=work, capture_output=True, text=True, timeout=120
    )


def test_wheel_install_outside_the_checkout_finds_rules_and_grammar(installed):
    env, work = installed
    where = subprocess.check_output(
        [
            env / "bin" / "python",
            "-c",
            "import perflint.resources as r; print(r.data_dir('rules'))",
        ],
        cwd=work,
        text=True,
    )
    assert str(env) in where and "_data" in where
    listed = run(env, work, "rules", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert '"PF401"' in listed.stdout and '"HB101"' in listed.stdout
    checked = run(env, work, "check", "examples")
    assert checked.returncode == 1, checked.stderr
    assert "PF401" in checked.stdout and "PF204" in checked.stdout


def test_broken_plugin_is_reported_once_and_the_run_goes_on(installed):
    env, work = installed
    checked = run(env, work, "check", "examples")
    assert checked.stderr.count("perflint_broken needs a module") == 1
    assert "Traceback" not in checked.stderr


def test_province_rule_pack_adds_a_rule_that_fires(installed):
    env, work = installed
    goal = work / "short.yaml"
    goal.write_text(
        "部门: {编码: '100001', 名称: 示例单位}\n年度: 2025\n项目:\n  - 项目名称: 示例项目\n    绩效目标: [做好工作]\n",
        encoding="utf-8",
    )
    checked = run(env, work, "check", "--select", "HB101", str(goal))
    assert checked.returncode == 1, checked.stderr
    assert "HB101" in checked.stdout and "绩效目标过于简略" in checked.stdout


def test_province_forms_file_reads_its_table(installed):
    """The pack's forms file (`perflint_forms`): its title, labels and header words are read."""
    env, work = installed
    table = work / "province.txt"
    table.write_text(
        "某县2025年项目绩效目标备案表\n\t备案项目名称\n\t乡村道路养护\n\n"
        "\t一级指标\n\t二级指标\n\t考评内容\n\t计划目标值\n\t指标值来源\n\n"
        "\t产出指标\n\t数量指标\n\t养护里程\n\t≥120公里\n\t年度养护计划\n",
        encoding="utf-8",
    )
    imported = run(env, work, "import", str(table))
    assert imported.returncode == 0, imported.stderr
    assert "乡村道路养护" in imported.stdout and "养护里程" in imported.stdout
    checked = run(env, work, "check", "--format", "json", "--exit-zero", str(table))
    assert checked.returncode == 0 and '"PF001"' not in checked.stdout, checked.stdout
