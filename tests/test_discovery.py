"""Walking a directory checks goal files and skips files that are plainly something else."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import perflint_command

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_walk_skips_other_yaml_and_text_but_keeps_anything_that_may_be_a_goal_file(tmp_path):
    (tmp_path / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    (tmp_path / "requirements.txt").write_text("lark>=1\npyyaml\n", encoding="utf-8")
    (tmp_path / "CHANGES.txt").write_text("1.0: first release\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")  # may be a goal file: checked, PF001
    (tmp_path / "gbk.txt").write_bytes((EXAMPLES / "huailai-xinfang-2024.txt").read_text(encoding="utf-8").encode("gb18030"))
    shutil.copy(EXAMPLES / "lunan-xinfang-2025.yaml", tmp_path / "goal.yaml")
    run = subprocess.run(
        [*perflint_command(), "check", "--isolated", "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    files = {finding["filename"] for finding in json.loads(run.stdout)}
    assert files == {"empty.yaml", "gbk.txt", "goal.yaml"}


def test_a_file_named_explicitly_is_always_checked(tmp_path):
    (tmp_path / "requirements.txt").write_text("lark>=1\n", encoding="utf-8")
    run = subprocess.run(
        [*perflint_command(), "check", "--isolated", "--format", "json", "requirements.txt"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1 and json.loads(run.stdout)[0]["code"] == "PF001"
