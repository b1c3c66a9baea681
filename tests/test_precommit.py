"""The pre-commit hook, run by the real `pre-commit` tool in a throw-away filings repository.

The hook repository is a snapshot of this checkout's working tree (tracked and untracked files,
less what .gitignore ignores), committed into a temporary git repository, so the test checks the
code as it is now rather than whatever HEAD holds. pre-commit then builds the hook's virtualenv
from it (`pip install .`, which needs the package index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from perflint.examples import case_text

REPO = Path(__file__).resolve().parent.parent
NETWORK_TROUBLE = (
    "Could not find a version that satisfies",
    "No matching distribution found",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeoutError",
)


def git(*args, cwd, check=True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }  # fmt: skip
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=check, timeout=600
    )


def pre_commit_available() -> str | None:
    try:
        probe = subprocess.run(
            [sys.executable, "-m", "pre_commit", "--version"],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"pre-commit cannot run: {error}"
    if probe.returncode != 0:
        return "pre-commit is not installed (pip install pre-commit, or pip install -e '.[test]')"
    return None


def snapshot(destination: Path) -> str:
    """Copy the checkout's working tree into a new git repository; return its commit."""
    listed = git("ls-files", "-co", "--exclude-standard", "-z", cwd=REPO, check=False)
    if listed.returncode == 0 and listed.stdout:
        names = [n for n in listed.stdout.split("\0") if n]
    else:  # not a git checkout (an sdist): copy everything but caches
        names = [
            str(p.relative_to(REPO)) for p in REPO.rglob("*")
            if p.is_file() and not any(part.startswith((".git", "__pycache__", ".pytest_cache")) for part in p.relative_to(REPO).parts)
        ]  # fmt: skip
    for name in names:
        source = REPO / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=destination)
    git("add", "-A", cwd=destination)
    git("commit", "-q", "-m", "snapshot", cwd=destination)
    return git("rev-parse", "HEAD", cwd=destination).stdout.strip()


def test_hook_definition():
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "perflint")
    assert hook["entry"].startswith("perflint check")
    assert hook["language"] == "python"
    assert hook["require_serial"] is True  # one perflint process, its own -j workers
    import re

    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("goal.yaml", "a/b.yml", "seed.txt", "filings/局.docx", "b.xlsx", "c.xls"):
        assert files.search(name) and not exclude.search(name)
    for name in (
        ".pre-commit-config.yaml",
        ".github/workflows/ci.yml",
        "a/.perflint.yaml",
        "a/~$局.docx",
    ):
        assert exclude.search(name)
    assert not files.search("README.md")


def test_pre_commit_hook_blocks_then_passes(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    reason = pre_commit_available()
    if reason:
        pytest.skip(reason)
    hook_repo = tmp_path / "perflint-src"
    hook_repo.mkdir()
    rev = snapshot(hook_repo)

    filings = tmp_path / "filings"
    filings.mkdir()
    git("init", "-q", cwd=filings)
    (filings / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: perflint\n",
        encoding="utf-8",
    )
    good = case_text({"项目名称": "业务培训经费"})
    bad = good.replace("指标值确定依据: 年度工作计划", "指标值确定依据: 无", 1)
    (filings / "goal.yaml").write_text(bad, encoding="utf-8")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("NO_COLOR", None)
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        check=False,
        cwd=filings,
        capture_output=True,
        text=True,
        env=env,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git("add", "goal.yaml", ".pre-commit-config.yaml", cwd=filings)

    def commit() -> subprocess.CompletedProcess:
        result = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-m", "goal"],
            check=False, cwd=filings, capture_output=True, text=True, env=env, timeout=900,
        )  # fmt: skip
        output = result.stdout + result.stderr
        if result.returncode != 0 and any(trouble in output for trouble in NETWORK_TROUBLE):
            pytest.skip(
                "pre-commit could not build the hook environment (no package index?):\n"
                + output[-2000:]
            )
        return result

    blocked = commit()
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "perflint" in output and "Failed" in output
    assert "goal.yaml:" in output and "PF401" in output

    (filings / "goal.yaml").write_text(good, encoding="utf-8")
    git("add", "goal.yaml", cwd=filings)
    passed = commit()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout + passed.stderr
    assert git("log", "--oneline", cwd=filings).stdout.strip()


FILING_HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"]
FILING_ROWS = [
    ["项目名称", "业务培训经费"],
    ["预算数（万元）", "10.00"],
    ["绩效目标", "全年完成业务培训200人次，参训人员合格率不低于95%"],
    FILING_HEADER,
    ["产出指标", "数量指标", "培训人次", "≥200人次", "年度工作计划"],
    ["产出指标", "质量指标", "培训合格率", "≥95%", "历史标准：上年合格率94%"],
    ["产出指标", "时效指标", "培训完成时间", "2025年11月30日前", "年度工作计划"],
    ["产出指标", "成本指标", "培训成本", "≤3万", "培训费管理办法怀财字【2024】7号"],
    ["效益指标", "社会效益指标", "业务差错率", "≤2%", "历史标准：上年差错率3%"],
    ["满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "行业标准"],
]  # two fixable defects in the 成本指标 row: 万 for 万元 (PF204), 【2024】 for 〔2024〕 (PF403)


def test_pre_commit_on_word_and_excel_filings(tmp_path):
    """`pre-commit run --all-files` with the shipped hook on a .docx and a .xlsx filing (built
    with python-docx / openpyxl): it fails with their findings at their cells, leaves Office's
    `~$` lock files alone, and passes once `perflint check --fix` has fixed the cells."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    reason = pre_commit_available()
    if reason:
        pytest.skip(reason)
    sys.path.insert(0, str(Path(__file__).parent))
    from office_files import write_docx, write_xlsx

    hook_repo = tmp_path / "perflint-src"
    hook_repo.mkdir()
    rev = snapshot(hook_repo)
    filings = tmp_path / "filings"
    (filings / "2025").mkdir(parents=True)
    git("init", "-q", cwd=filings)
    (filings / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: perflint\n",
        encoding="utf-8",
    )
    blocks = [("p", "项目支出绩效目标表"), ("p", "（2025年度）"), ("table", FILING_ROWS)]
    docx = write_docx(blocks, filings / "2025" / "培训.docx")
    xlsx = write_xlsx(blocks, filings / "2025" / "培训.xlsx")
    for lock in ("~$培训.docx", "~$培训.xlsx"):  # what Word / Excel leave beside an open file
        (filings / "2025" / lock).write_bytes(b"\x06tester" + b"\x00" * 155)
    git("add", "-A", cwd=filings)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PRE_COMMIT_COLOR": "never",
    }

    def run_all() -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files"],
            check=False, cwd=filings, capture_output=True, text=True, env=env, timeout=900,
        )  # fmt: skip
        output = result.stdout + result.stderr
        if result.returncode != 0 and any(trouble in output for trouble in NETWORK_TROUBLE):
            pytest.skip(
                "pre-commit could not build the hook environment (no package index?):\n"
                + output[-2000:]
            )
        return result

    failed = run_all()
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "perflint" in output and "Failed" in output
    for where in ("2025/培训.docx:表1 第8行第4列: PF204", "2025/培训.xlsx:绩效目标表!E10: PF403"):
        assert where in output, output
    assert "~$" not in output, "Office lock files are not linted"

    fix = subprocess.run(
        [sys.executable, "-m", "perflint", "check", "--no-cache", "--fix", docx, xlsx],
        check=False, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert fix.returncode == 0, fix.stdout + fix.stderr
    git("add", "-A", cwd=filings)
    passed = run_all()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
