"""Walking a directory checks goal files and skips files that are plainly something else."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from helpers import perflint_command

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_walk_skips_other_yaml_and_text_but_keeps_anything_that_may_be_a_goal_file(tmp_path):
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  web:\n    image: nginx\n", encoding="utf-8"
    )
    (tmp_path / "requirements.txt").write_text("lark>=1\npyyaml\n", encoding="utf-8")
    (tmp_path / "CHANGES.txt").write_text("1.0: first release\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")  # may be a goal file: checked, PF001
    (tmp_path / "gbk.txt").write_bytes(
        (EXAMPLES / "huailai-xinfang-2024.txt").read_text(encoding="utf-8").encode("gb18030")
    )
    shutil.copy(EXAMPLES / "lunan-xinfang-2025.yaml", tmp_path / "goal.yaml")
    run = subprocess.run(
        [*perflint_command(), "check", "--isolated", "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    files = {finding["filename"] for finding in json.loads(run.stdout)}
    assert files == {"empty.yaml", "gbk.txt", "goal.yaml"}


def _perflint(*args, cwd):
    return subprocess.run(
        [*perflint_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_a_named_file_that_is_plainly_another_format_is_skipped_as_in_a_walk(tmp_path):
    # what a pre-commit hook names: mkdocs.yml, requirements.txt, notes.txt beside the goal files
    (tmp_path / "requirements.txt").write_text("lark>=1\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: 文档\nnav:\n  - index.md\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("remember the meeting\n", encoding="utf-8")
    shutil.copy(EXAMPLES / "lunan-xinfang-2025.yaml", tmp_path / "goal.yaml")
    names = ("requirements.txt", "mkdocs.yml", "notes.txt")
    skipped = _perflint("check", "--isolated", "--format", "json", *names, cwd=tmp_path)
    assert skipped.returncode == 0 and json.loads(skipped.stdout) == [], skipped.stderr
    assert "没有检查任何文件" in skipped.stderr and "跳过 3 个文件" in skipped.stderr
    mixed = _perflint("check", "--isolated", "--format", "json", *names, "goal.yaml", cwd=tmp_path)
    assert {d["filename"] for d in json.loads(mixed.stdout)} == {"goal.yaml"}
    # --force checks it anyway, and so does an `include` of the config's own that names it
    forced = _perflint(
        "check", "--isolated", "--format", "json", "--force", "requirements.txt", cwd=tmp_path
    )
    assert forced.returncode == 1 and json.loads(forced.stdout)[0]["code"] == "PF001"
    (tmp_path / ".perflint.yaml").write_text("include: ['*.txt']\n", encoding="utf-8")
    included = _perflint("check", "--format", "json", "notes.txt", "mkdocs.yml", cwd=tmp_path)
    assert {d["filename"] for d in json.loads(included.stdout)} == {"notes.txt"}
