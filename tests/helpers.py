"""Helpers shared by the tests that run the real `perflint` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SEEDS = sorted(EXAMPLES.glob("*.txt"))


def run(*args, cwd=None, input: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m perflint ARGS` with this checkout importable; `.out`/`.err` hold decoded output.

    A traceback on stderr fails the test: every input gets a finding or a clean message.
    """
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "perflint", *args],
        check=False, cwd=cwd, input=input, capture_output=True, env=full_env, timeout=120,
    )  # fmt: skip
    result.out = result.stdout.decode("utf-8")
    result.err = result.stderr.decode("utf-8")
    assert "Traceback" not in result.err, result.err
    return result
