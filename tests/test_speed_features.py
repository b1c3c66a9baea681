"""Processes (-j), the result cache (.perflint_cache/) and lazy imports. No timing assertions:
how fast is measured in bench/, never here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, count_calls, perflint_command, run, write_corpus

from perflint import cli
from perflint.cli.args import parse_args
from perflint.cli.check import CheckRun


@pytest.fixture(autouse=True)
def own_cache(monkeypatch):
    """Each test's cache is its own (.perflint_cache in its directory), whatever the environment says."""
    monkeypatch.delenv("PERFLINT_CACHE_DIR", raising=False)


@pytest.fixture
def files(tmp_path):
    """A generated corpus: 15 filings as goal YAML and as text export (30 files) in tmp/goals."""
    write_corpus(tmp_path / "goals", 15, seed=11)
    return tmp_path


def check(cwd: Path, *args, out: str = "out.json") -> str:
    """`perflint check goals --format json -o OUT ARGS` in-process; the output's text."""
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        code = cli.main(["check", "goals", "--format", "json", "-o", out, *args])
    finally:
        os.chdir(previous)
    assert code in (0, 1)
    return (cwd / out).read_text(encoding="utf-8")


@pytest.fixture
def counted(monkeypatch):
    """How many texts were linted (lint_text calls) since the test began."""
    import perflint.route

    return count_calls(monkeypatch, perflint.route, "lint_text")


# -- processes


def test_jobs_do_not_change_the_output(files):
    one = run("check", "goals", "--format", "json", "-j", "1", "--no-cache", cwd=files)
    two = run("check", "goals", "--format", "json", "-j", "2", "--no-cache", cwd=files)
    three = run("check", "goals", "--format", "json", "-j", "3", cwd=files)
    assert one.returncode == two.returncode == three.returncode == 1
    assert one.stdout == two.stdout == three.stdout  # byte for byte, sorted by path
    found = json.loads(one.out)
    assert len({d["filename"] for d in found}) > 20
    assert [d["filename"] for d in found] == sorted(d["filename"] for d in found)


def test_jobs_do_not_change_the_text_report(files):
    one = run("check", "goals", "-j", "1", "--no-cache", cwd=files)
    two = run("check", "goals", "-j", "2", "--no-cache", cwd=files)
    assert one.stdout == two.stdout
    assert "^" in one.out  # source lines shown under the findings, from either path


def test_jobs_must_be_positive(files):
    assert run("check", "goals", "-j", "0", cwd=files).returncode == 2
    assert run("check", "goals", "--jobs", "many", cwd=files).returncode == 2


# -- the cache


def test_cache_hit_gives_the_same_output_without_linting(files, counted):
    first = check(files, "-j", "1")
    assert len(counted) == 30
    assert (
        (files / ".perflint_cache" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (files / ".perflint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    counted.clear()
    second = check(files, "-j", "1", out="again.json")
    assert counted == []  # every file came from the cache
    assert second == first


def test_cache_keeps_both_languages_and_all_formats(files):
    check(files, "-j", "1")  # fills the cache, in Chinese and JSON
    for args in (["--lang", "en"], ["--format", "text"], ["--format", "sarif"], ["--statistics"]):
        cached = run("check", "goals", "-j", "1", *args, cwd=files)
        fresh = run("check", "goals", "-j", "1", "--no-cache", *args, cwd=files)
        assert cached.stdout == fresh.stdout, args


def test_cache_notices_changed_bytes(files, counted):
    first = json.loads(check(files, "-j", "1"))
    target = files / "goals" / "filing-00003.yaml"
    target.write_text(
        target.read_text(encoding="utf-8") + "备注: 新增\n", encoding="utf-8"
    )  # PF002 unknown field
    counted.clear()
    second = json.loads(check(files, "-j", "1"))
    assert counted == [os.path.join("goals", "filing-00003.yaml")]
    assert second != first
    assert second == json.loads(check(files, "-j", "1", "--no-cache"))


def test_cache_notices_a_config_change(files, counted):
    first = json.loads(check(files, "-j", "1"))
    (files / ".perflint.yaml").write_text(
        "ignore: [PF401]\nseverity: {PF201: error}\n", encoding="utf-8"
    )
    counted.clear()
    second = json.loads(check(files, "-j", "1"))
    assert len(counted) == 30
    assert any(d["code"] == "PF401" for d in first) and not any(
        d["code"] == "PF401" for d in second
    )
    (files / ".perflint.yaml").write_text("params: {PF306: {threshold: 95}}\n", encoding="utf-8")
    counted.clear()
    check(files, "-j", "1")
    assert len(counted) == 30
    counted.clear()
    check(files, "-j", "1", "--select", "PF2")  # the command line counts too
    assert len(counted) == 30


def test_cache_notices_a_rule_file_change(files, counted, monkeypatch, tmp_path):
    import perflint.plugins.lib
    from perflint.resources import data_dir

    rules = tmp_path / "rules"
    shutil.copytree(data_dir("rules"), rules)
    monkeypatch.setattr(
        perflint.plugins.lib, "data_dir", lambda name: rules if name == "rules" else data_dir(name)
    )
    first = json.loads(check(files, "-j", "1"))
    assert any(d["code"] == "PF401" for d in first)
    rule = rules / "PF401-basis-missing.yaml"
    text = rule.read_text(encoding="utf-8")
    rule.write_text(
        text.replace('  zh: "指标“{indicator.name}”', '  zh: "【已改】指标“{indicator.name}”', 1),
        encoding="utf-8",
    )
    assert rule.read_text(encoding="utf-8") != text
    counted.clear()
    second = json.loads(check(files, "-j", "1"))
    assert len(counted) == 30
    assert all(d["message"].startswith("【已改】") for d in second if d["code"] == "PF401")


def test_corrupt_cache_entries_are_misses(files, counted):
    first = check(files, "-j", "1")
    entries = [
        p for p in (files / ".perflint_cache").rglob("*") if p.is_file() and len(p.parent.name) == 2
    ]
    assert entries
    for i, entry in enumerate(entries):
        entry.write_bytes(
            [b"\x00garbage", b"{}", b"[1, 2]", b'{"diagnostics": [[1]], "lines": 3}', b""][i % 5]
        )
    (files / ".perflint_cache" / "0.1.0" / "rules.json").write_text("{not json", encoding="utf-8")
    counted.clear()
    assert check(files, "-j", "1") == first
    assert len(counted) == 30
    counted.clear()
    assert check(files, "-j", "1") == first  # rewritten
    assert counted == []


def test_corrupt_cache_entries_with_workers(files):
    """With workers (the parent looks results up, workers lint the misses), a corrupt entry is
    a miss too."""
    expected = check(files, "-j", "1", "--no-cache")
    assert check(files, "-j", "2") == expected  # fills the cache
    assert check(files, "-j", "2") == expected  # from it
    entries = [
        p for p in (files / ".perflint_cache").rglob("*") if p.is_file() and len(p.parent.name) == 2
    ]
    shapes = [
        b'{"diagnostics": [[1]], "lines": [], "encoding": "utf-8", "bom": ""}',  # looks whole, is not
        b'{"diagnostics": [], "lines": [[1]], "encoding": "utf-8", "bom": ""}',
        b'{"diagnostics": [], "lines": [], "encoding": "utf-8", "bom": "zz"}',
        b"\xff\xfe",
    ]
    for i, entry in enumerate(entries):
        entry.write_bytes(shapes[i % len(shapes)])
    assert check(files, "-j", "2") == expected


def test_unwritable_cache_directory(files, monkeypatch):
    expected = check(files, "-j", "1", "--no-cache")
    blocker = files / "not-a-directory"
    blocker.write_text("a file where the cache directory would be", encoding="utf-8")
    assert check(files, "-j", "1", "--cache-dir", str(blocker)) == expected
    assert (
        run(
            "check", "goals", "-j", "2", "--cache-dir", str(blocker), "--format", "json", cwd=files
        ).out
        == expected
    )

    import perflint.cache

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(perflint.cache, "write_atomic", refuse)
    assert check(files, "-j", "1", "--cache-dir", str(files / "ro")) == expected


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_read_only_cache_directory(files):
    expected = check(files, "-j", "1")  # fills the cache
    cache = files / ".perflint_cache"
    for directory in [cache, *(p for p in cache.rglob("*") if p.is_dir())]:
        directory.chmod(0o555)
    try:
        (files / "goals" / "filing-00001.yaml").write_text(
            "部门: {名称: 某局}\n项目: []\n", encoding="utf-8"
        )
        result = run("check", "goals", "-j", "2", "--format", "json", cwd=files)
        assert result.returncode in (0, 1) and result.out != expected
    finally:
        for directory in [cache, *(p for p in cache.rglob("*") if p.is_dir())]:
            directory.chmod(0o755)


def test_no_cache_writes_nothing(files, counted):
    expected = check(files, "-j", "1", "--no-cache")
    assert not (files / ".perflint_cache").exists()
    counted.clear()
    assert check(files, "-j", "1", "--no-cache") == expected
    assert len(counted) == 30


def test_cache_dir_option_and_config_key(files):
    check(files, "-j", "1", "--cache-dir", "elsewhere")
    assert (files / "elsewhere" / "CACHEDIR.TAG").is_file()
    (files / ".perflint.yaml").write_text("cache-dir: build/lint-cache\n", encoding="utf-8")
    check(files, "-j", "1")
    assert (files / "build" / "lint-cache" / "CACHEDIR.TAG").is_file()
    assert not (files / ".perflint_cache").exists()
    (files / ".perflint.yaml").write_text("cache-dir: 3\n", encoding="utf-8")
    assert run("check", "goals", cwd=files).returncode == 2


def test_two_runs_share_a_cache(files):
    args = [*perflint_command(), "check", "goals", "--format", "json", "-j", "2"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.Popen(args, cwd=files, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in runs]
    assert all(err == b"" for _, err in outputs), outputs
    assert outputs[0][0] == outputs[1][0] == outputs[2][0]
    assert (
        run("check", "goals", "--format", "json", "--no-cache", cwd=files).stdout == outputs[0][0]
    )


# -- the progress bar


def test_progress_bar_only_on_a_terminal(monkeypatch):
    args = parse_args(["check", "x"])
    run_ = CheckRun(args)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert run_.show_progress(500)
    assert not run_.show_progress(10)
    monkeypatch.setenv("CI", "true")
    assert not run_.show_progress(500)
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert not run_.show_progress(500)
    quiet = CheckRun(parse_args(["check", "x", "-q"]))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert not quiet.show_progress(500)


# -- lazy imports

HEAVY = (
    "lark",
    "yaml",
    "jsonschema",
    "ruamel",
    "pluggy",
    "pathspec",
    "tqdm",
    "multiprocessing",
    "concurrent.futures",
    "lxml",
    "xlrd",
    "zipfile",
)


def modules_after(code: str, cwd: Path) -> list[str]:
    probe = (
        "import sys\n" + code + "\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}
    )  # fmt: skip
    return eval(result.stderr.strip().splitlines()[-1])


def test_version_imports_nothing_heavy(tmp_path):
    assert modules_after("from perflint.cli import main\nmain(['--version'])", tmp_path) == []


def test_one_yaml_file_imports_only_what_it_needs(files):
    def one(name: str) -> str:
        return f"from perflint.cli import main\nmain(['check', 'goals/{name}', '-o', 'x.txt'])"

    assert "jsonschema" in modules_after(
        one("filing-00001.yaml"), files
    )  # the first run checks the rule files
    loaded = modules_after(one("filing-00002.yaml"), files)  # a file not in the cache yet
    assert "jsonschema" not in loaded  # rule files checked before are not checked again
    assert "ruamel" not in loaded and "tqdm" not in loaded
    assert "multiprocessing" not in loaded  # one file: no processes
    assert {"lark", "yaml"} <= set(loaded)
    assert "lark" not in modules_after(
        one("filing-00002.yaml"), files
    )  # from the cache: no value parsing
