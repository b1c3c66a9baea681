"""Helpers shared by the tests that run the real `perflint` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from perflint.files import MAX_BYTES
from perflint.plugins.hookspecs import hookimpl
from perflint.plugins.host import Host
from perflint.route import Bytes, Settings, lint_file

REPO = Path(__file__).resolve().parent.parent


def count_calls(monkeypatch, module, name: str) -> list:
    """The first arguments `module.name` is called with from now on (it still runs)."""
    calls = []
    real = getattr(module, name)

    def counting(first, *args, **kwargs):
        calls.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def write_corpus(directory: Path, files: int, seed: int) -> None:
    """`files` generated filings as goal YAML and as text export, by the benchmark's generator."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    corpus.write_corpus(directory, files, seed=seed, form="both")


EXAMPLES = REPO / "examples"
SEEDS = sorted(EXAMPLES.glob("*.txt"))


def perflint_command() -> list[str]:
    """The installed `perflint` console script of this interpreter's environment (what users
    and CI run; `python -m perflint` in an untrusted directory would import modules found
    there first)."""
    folder = Path(sys.executable).parent
    for name in ("perflint", "perflint.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    raise RuntimeError(
        f"the perflint command is not installed next to {sys.executable}: pip install -e ."
    )


def run(
    *args, cwd=None, input: bytes | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """The installed `perflint ARGS` with this checkout importable; `.out`/`.err` hold decoded output.

    A traceback on stderr fails the test: every input gets a finding or a clean message.
    """
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    result = subprocess.run(
        [*perflint_command(), *args],
        check=False, cwd=cwd, input=input, capture_output=True, env=full_env, timeout=120,
    )  # fmt: skip
    result.out = result.stdout.decode("utf-8")
    result.err = result.stderr.decode("utf-8")
    assert "Traceback" not in result.err, result.err
    return result


# A minimal valid rule for tests that load rule files of their own.
GOOD_RULE = """\
code: XX001
name: demo-rule
severity: warning
scope: indicator
summary: {zh: 演示, en: demo}
message: {zh: "指标“{indicator.name}”", en: "indicator {indicator.name}"}
rationale: {zh: 演示, en: demo, source: test}
when: {field: indicator.basis, equals: 无}
examples:
  bad: [{一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 甲, 绩效指标描述: 甲, 指标值: ≥1个, 指标值确定依据: 无}]
  good: [{一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 甲, 绩效指标描述: 甲, 指标值: ≥1个, 指标值确定依据: 计划}]
"""


class RulePack:
    """A plugin object shipping one directory of rules and, optionally, predicates."""

    def __init__(self, directory: Path, predicates=None):
        self.directory, self.predicates = directory, predicates or {}

    @hookimpl
    def perflint_rule_paths(self):
        return [self.directory]

    @hookimpl
    def perflint_predicates(self):
        return self.predicates


def rule_pack_host(directory: Path, files: dict[str, str], predicates=None, *plugins) -> Host:
    """A plugin host with the built-ins, `files` written into `directory` as a rule pack, and `plugins`."""
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    host = Host(use_entry_points=False)
    host.manager.register(RulePack(directory, predicates), name="pack")
    for index, plugin in enumerate(plugins):
        host.manager.register(plugin, name=f"plugin{index}")
    return host


def entry_payload(entry: Path) -> bytes:
    """A cache entry's bytes without its seal (perflint.trust): header, body, rendering."""
    return entry.read_bytes().split(b"\n", 1)[1]


def write_entry(entry: Path, payload: bytes) -> None:
    """Write a cache entry sealed with this test session's key (see conftest), as perflint
    would: to damage what is inside an entry the seal does not refuse."""
    from perflint.trust import seal

    entry.write_bytes(seal(b"entry\x00" + (entry.parent.name + entry.name).encode(), payload))


def lint_bytes(path: str, data: bytes, ruleset, encoding=None, readers=None, max_bytes=MAX_BYTES):
    """The route's report of `data` shown as `path` under a bare rule set (no selection policy)."""
    return lint_file(Bytes(path, data), Settings(ruleset, None, encoding, max_bytes, readers))
