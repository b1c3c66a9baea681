"""The command line, run for real in a subprocess (the installed `perflint` command)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SEEDS, run

from perflint.examples import case_text

REPO = Path(__file__).resolve().parent.parent


def clean_yaml() -> str:
    return case_text({"项目名称": "业务培训经费"})


def defective_yaml() -> str:
    """A goal file with PF401 (basis 无) on line 27 and PF306 (satisfaction ≥60%)."""
    text = clean_yaml().replace("指标值确定依据: 年度工作计划", "指标值确定依据: 无", 1)
    return text.replace("指标值: ≥90%", "指标值: ≥60%")


@pytest.fixture
def seeds(tmp_path):
    if not SEEDS:
        pytest.skip("no seed text exports found")
    for seed in SEEDS:
        shutil.copy(seed, tmp_path / seed.name)
    return tmp_path


@pytest.fixture
def goal(tmp_path):
    path = tmp_path / "goal.yaml"
    path.write_text(defective_yaml(), encoding="utf-8")
    return path


def findings(result) -> list[dict]:
    return json.loads(result.out)


# -- basics


def test_version_is_fast_and_light():
    result = run("--version")
    assert result.returncode == 0
    assert result.out.startswith("perflint ")
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, perflint.cli; print(sorted(m for m in ('lark', 'jsonschema', 'ruamel', 'pluggy', 'yaml', 'pathspec') if m in sys.modules))"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True,
    )  # fmt: skip
    assert probe.stdout.strip() == "[]"


def test_help_and_no_arguments():
    assert run("--help").returncode == 0
    assert "check" in run("--help").out
    assert run().returncode == 2
    assert run("check", "--no-such-option").returncode == 2


def test_seeds_report_findings(seeds):
    result = run("check", ".", cwd=seeds)
    assert result.returncode == 1
    lines = [
        line for line in result.out.splitlines() if ": PF" in line and not line.startswith(" ")
    ]
    assert lines, result.out
    for line in lines:
        assert re.match(r"^[^:]+\.txt:\d+:\d+: PF\d{3} \[(错误|警告|提示)\] \S", line), line
    assert "共发现" in result.out.splitlines()[-1]


def test_bare_paths_mean_check(seeds):
    assert run(".", cwd=seeds).out == run("check", ".", cwd=seeds).out


def test_clean_file_passes(tmp_path):
    (tmp_path / "ok.yaml").write_text(clean_yaml(), encoding="utf-8")
    result = run("check", "ok.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.out
    assert "检查通过" in result.out
    assert "All checks passed" in run("check", "ok.yaml", "--lang", "en", cwd=tmp_path).out


def test_output_order_is_stable(seeds):
    result = run("check", ".", "--format", "json", cwd=seeds)
    items = findings(result)
    keys = [
        (d["filename"], d["location"]["row"], d["location"]["column"], d["code"]) for d in items
    ]
    assert keys == sorted(keys)
    assert (
        result.out
        == run(
            "check", *sorted(p.name for p in seeds.iterdir())[::-1], "--format", "json", cwd=seeds
        ).out
    )


# -- exit codes


def test_exit_zero_and_fail_level(goal):
    cwd = goal.parent
    assert run("check", goal.name, cwd=cwd).returncode == 1
    assert run("check", goal.name, "--exit-zero", cwd=cwd).returncode == 0
    assert (
        run("check", goal.name, "--fail-level", "error", cwd=cwd).returncode == 0
    )  # only warnings
    assert run("check", goal.name, "--fail-level", "warning", cwd=cwd).returncode == 1
    raised = run("check", goal.name, "--fail-level", "error", "--severity", "PF306=error", cwd=cwd)
    assert raised.returncode == 1
    assert "PF306 [错误]" in raised.out  # severity labels are in the message language


def test_usage_errors_exit_2(goal):
    cwd = goal.parent
    for args in (
        ["--severity", "PF306"],
        ["--severity", "PF306=fatal"],
        ["--format", "nope"],
        ["--select", "PF999"],
        ["--select", "not a code"],
        ["--profile", "nope"],
        ["--encoding", "no-such-codec"],
        ["--fail-level", "fatal"],
    ):
        result = run("check", goal.name, *args, cwd=cwd)
        assert result.returncode == 2, (args, result.out, result.err)
        assert result.err.strip(), args


def test_internal_error_is_one_line(monkeypatch, capsys):
    from perflint import cli
    from perflint.cli import check

    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setattr(check, "run_check", broken)
    assert cli.main(["check", "x.yaml"]) == 2
    err = capsys.readouterr().err
    assert "boom" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


# -- selection


def codes(result) -> set[str]:
    return {d["code"] for d in findings(result)}


def test_select_ignore_by_code_prefix_and_name(seeds):
    everything = codes(run("check", ".", "--format", "json", cwd=seeds))
    assert "PF204" in everything and len(everything) > 2
    assert codes(run("check", ".", "--format", "json", "--select", "PF204", cwd=seeds)) == {"PF204"}
    assert codes(
        run("check", ".", "--format", "json", "--select", "nonstandard-unit", cwd=seeds)
    ) == {"PF204"}
    prefix = codes(run("check", ".", "--format", "json", "--select", "PF2", cwd=seeds))
    assert prefix and all(c.startswith("PF2") for c in prefix)
    ignored = codes(run("check", ".", "--format", "json", "--ignore", "PF2", cwd=seeds))
    assert not any(c.startswith("PF2") for c in ignored) and ignored
    # the more specific selector wins; a tie goes to ignore
    mixed = codes(
        run("check", ".", "--format", "json", "--select", "PF2", "--ignore", "PF204", cwd=seeds)
    )
    assert "PF204" not in mixed and mixed
    back = codes(
        run(
            "check",
            ".",
            "--format",
            "json",
            "--ignore",
            "PF2",
            "--extend-select",
            "PF204",
            cwd=seeds,
        )
    )
    assert "PF204" in back and not any(c.startswith("PF2") and c != "PF204" for c in back)
    listed = codes(run("check", ".", "--format", "json", "--select", "PF204,PF201", cwd=seeds))
    assert listed == {"PF204", "PF201"} & everything


def test_statistics(seeds):
    result = run("check", ".", "--statistics", cwd=seeds)
    assert result.returncode == 1
    rows = [line.split("\t") for line in result.out.splitlines()]
    assert rows and all(len(row) == 3 and row[0].strip().isdigit() for row in rows)
    assert any(row[1] == "PF204" and row[2].startswith("[*]") for row in rows)
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    stats = json.loads(run("check", ".", "--statistics", "--format", "json", cwd=seeds).out)
    total = len(findings(run("check", ".", "--format", "json", cwd=seeds)))
    assert sum(s["count"] for s in stats) == total


def test_quiet_and_lang(goal):
    quiet = run("check", goal.name, "-q", cwd=goal.parent)
    assert "共发现" not in quiet.out and "PF401" in quiet.out
    english = run("check", goal.name, "--lang", "en", "--format", "json", cwd=goal.parent)
    message = next(d["message"] for d in findings(english) if d["code"] == "PF401")
    assert "basis" in message.lower()
    chinese = run("check", goal.name, "--format", "json", cwd=goal.parent)
    assert next(d["message"] for d in findings(chinese) if d["code"] == "PF401") != message


def test_stdin_with_filename(goal):
    data = goal.read_bytes()
    result = run(
        "check",
        "-",
        "--stdin-filename",
        "sub/piped.yaml",
        "--format",
        "json",
        input=data,
        cwd=goal.parent,
    )
    assert result.returncode == 1
    assert {d["filename"] for d in findings(result)} == {"sub/piped.yaml"}
    assert "PF401" in codes(result)
    # --stdin-filename alone reads standard input too
    again = run(
        "check", "--stdin-filename", "piped.yaml", "--format", "json", input=data, cwd=goal.parent
    )
    assert codes(again) == codes(result)


def test_stdin_text_export_picked_by_suffix(seeds):
    data = SEEDS[0].read_bytes()
    result = run(
        "check", "-", "--stdin-filename", "seed.txt", "--format", "json", input=data, cwd=seeds
    )
    assert codes(result) == codes(run("check", SEEDS[0].name, "--format", "json", cwd=seeds))


def test_output_file(goal):
    result = run(
        "check", goal.name, "--format", "json", "--output-file", "out/report.json", cwd=goal.parent
    )
    assert result.returncode == 1 and result.out == ""
    assert json.loads((goal.parent / "out" / "report.json").read_text(encoding="utf-8"))


def test_colour(goal):
    assert "\x1b[" not in run("check", goal.name, cwd=goal.parent).out  # not a terminal
    assert "\x1b[" in run("check", goal.name, "--color", cwd=goal.parent).out
    assert (
        "\x1b["
        not in run("check", goal.name, "--no-color", cwd=goal.parent, env={"FORCE_COLOR": "1"}).out
    )
    assert (
        "\x1b["
        not in run(
            "check", goal.name, cwd=goal.parent, env={"NO_COLOR": "1", "FORCE_COLOR": "1"}
        ).out
    )


# -- files


def test_directory_walk_suffixes_and_excludes(tmp_path):
    (tmp_path / "a.yaml").write_text(defective_yaml(), encoding="utf-8")
    (tmp_path / "b.yml").write_text(defective_yaml(), encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not a filing\n", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text("nonsense: [\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yaml").write_text(defective_yaml(), encoding="utf-8")
    (tmp_path / "skip").mkdir()
    (tmp_path / "skip" / "d.yaml").write_text(defective_yaml(), encoding="utf-8")
    result = run("check", ".", "--format", "json", "--exclude", "skip/", cwd=tmp_path)
    assert {d["filename"] for d in findings(result)} == {
        "a.yaml",
        "b.yml",
        os.path.join("sub", "c.yaml"),
    }
    # a file named on the command line is checked even when excluded, unless --force-exclude
    assert findings(
        run("check", "skip/d.yaml", "--exclude", "skip/", "--format", "json", cwd=tmp_path)
    )
    forced = run("check", "skip/d.yaml", "--exclude", "skip/", "--force-exclude", cwd=tmp_path)
    assert forced.returncode == 0 and "没有检查任何文件" in forced.out and "exclude" in forced.err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitignore_is_respected(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n*.tmp.yaml\n", encoding="utf-8")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "x.yaml").write_text(defective_yaml(), encoding="utf-8")
    (tmp_path / "y.tmp.yaml").write_text(defective_yaml(), encoding="utf-8")
    (tmp_path / "kept.yaml").write_text(defective_yaml(), encoding="utf-8")
    result = run("check", ".", "--format", "json", cwd=tmp_path)
    assert {d["filename"] for d in findings(result)} == {"kept.yaml"}


def test_missing_and_broken_files_get_findings(tmp_path):
    (tmp_path / "binary.yaml").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "empty.yaml").write_bytes(b"")
    (tmp_path / "bad.yaml").write_text("项目: [\n", encoding="utf-8")
    result = run(
        "check",
        "binary.yaml",
        "empty.yaml",
        "bad.yaml",
        "missing.yaml",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    by_file = {d["filename"]: d["code"] for d in findings(result)}
    assert by_file == {
        "binary.yaml": "PF001",
        "empty.yaml": "PF001",
        "bad.yaml": "PF001",
        "missing.yaml": "PF001",
    }


def test_gb18030_and_encoding_option(tmp_path):
    (tmp_path / "gbk.yaml").write_bytes(defective_yaml().encode("gb18030"))
    result = run("check", "gbk.yaml", "--format", "json", cwd=tmp_path)
    assert "PF401" in codes(result)
    forced = run("check", "gbk.yaml", "--format", "json", "--encoding", "utf-8", cwd=tmp_path)
    assert codes(forced) == {"PF001"}


# -- rules and rule


def rule_files() -> list[str]:
    return sorted(p.name.split("-", 1)[0] for p in (REPO / "rules").glob("PF*.yaml"))


def test_rules_lists_every_rule():
    result = run("rules")
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.out.splitlines()]
    for code in ("PF000", "PF001", "PF002", "PF009"):
        assert code in listed
    data = json.loads(run("rules", "--format", "json").out)
    assert [d["code"] for d in data] == listed
    assert {"code", "name", "severity", "summary", "fix", "url"} <= set(data[0])
    broken = set(rule_files()) - set(listed)  # rule files that do not load are reported on stderr
    for code in broken:
        assert code in result.err


def test_rule_doc_sections():
    codes_ = rule_files()
    if not codes_:
        pytest.skip("no rule files yet")
    data = {d["code"]: d for d in json.loads(run("rules", "--format", "json").out)}
    code = "PF401" if "PF401" in data else next(c for c in codes_ if c in data)
    result = run("rule", code)
    assert result.returncode == 0
    out = result.out
    assert out.startswith(f"# {code} {data[code]['name']}")
    for heading in ("## 作用", "## 为什么有问题", "## 示例", "## 应改为", "## 修复安全性"):
        assert heading in out, heading
    assert "```yaml" in out and "依据" in out
    english = run("rule", data[code]["name"], "--lang", "en").out
    for heading in (
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Fix safety",
    ):
        assert heading in english, heading
    missing = run("rule", "PF99")
    assert missing.returncode == 2 and "PF99" in missing.err


def test_rule_doc_for_meta_rule():
    out = run("rule", "PF009").out
    assert "unused-suppression" in out and "# perflint: disable" in out and "安全" in out


def test_docs_rules_md_is_up_to_date():
    generated = run("rules", "--format", "markdown").out
    docs = REPO / "docs" / "rules.md"
    assert docs.exists(), (
        "docs/rules.md is missing: run `perflint rules --format markdown > docs/rules.md`"
    )
    assert docs.read_text(encoding="utf-8") == generated, (
        "docs/rules.md is stale: run `perflint rules --format markdown > docs/rules.md`"
    )


# -- import


def test_import_text_export(seeds, tmp_path):
    from perflint.readers.yaml_reader import read_yaml

    seed = seeds / SEEDS[0].name
    result = run("import", str(seed), cwd=seeds)
    assert result.out.startswith("# yaml-language-server")
    read = read_yaml("imported.yaml", result.out)
    assert read.filing is not None and read.filing.projects
    assert not [d for d in read.diagnostics if d.code == "PF001"]
    out = tmp_path / "out" / "imported.yaml"
    written = run("import", str(seed), "-o", str(out), cwd=seeds)
    assert written.out == "" and out.read_text(encoding="utf-8") == result.out
    assert written.returncode == result.returncode
    # the imported YAML lints with the same rule findings (positions differ)
    from_text = {d["code"] for d in findings(run("check", str(seed), "--format", "json"))} - {
        "PF001"
    }
    from_yaml = {d["code"] for d in findings(run("check", str(out), "--format", "json"))} - {
        "PF001"
    }
    assert from_text == from_yaml


def test_import_reports_unreadable_input(tmp_path):
    (tmp_path / "notes.txt").write_text("just some notes\nno table here\n", encoding="utf-8")
    result = run("import", "notes.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert "PF001" in result.err
    assert run("import", "missing.txt", cwd=tmp_path).returncode == 2


# -- fixes


def test_fix_diff_and_unsafe_fixes_match_the_hand_checked_files(tmp_path):
    fixed_dir = REPO / "tests" / "data" / "fixed"
    examples = REPO / "examples"
    stems = [
        p.name[: -len(".safe.txt")]
        for p in sorted(fixed_dir.glob("*.safe.txt"))
        if (examples / p.name.replace(".safe", "")).exists()
    ]
    if not stems:
        pytest.skip("no hand-checked fixed examples")
    for stem in stems:
        original = (examples / f"{stem}.txt").read_bytes()
        target = tmp_path / f"{stem}.txt"
        target.write_bytes(original)
        diff = run("check", target.name, "--diff", cwd=tmp_path)
        assert diff.returncode == 1 and diff.out.startswith(f"--- a/{stem}.txt\n+++ b/{stem}.txt\n")
        assert target.read_bytes() == original  # --diff writes nothing
        fixed = run("check", target.name, "--fix", "--format", "json", cwd=tmp_path)
        assert target.read_text(encoding="utf-8") == (fixed_dir / f"{stem}.safe.txt").read_text(
            encoding="utf-8"
        )
        assert not [d for d in findings(fixed) if d["fix"] and d["fix"]["applicability"] == "safe"]
        again = run("check", target.name, "--diff", cwd=tmp_path)
        assert again.returncode == 0 and again.out == ""
        unsafe = fixed_dir / f"{stem}.unsafe.txt"
        if unsafe.exists():
            target.write_bytes(original)
            run("check", target.name, "--fix", "--unsafe-fixes", cwd=tmp_path)
            assert target.read_text(encoding="utf-8") == unsafe.read_text(encoding="utf-8")


def test_fix_removes_unused_suppressions_and_reports_the_rest(goal):
    text = goal.read_text(encoding="utf-8").replace(
        "指标值: ≥200人次", "指标值: ≥200人次  # perflint: disable=PF203 -- 旧"
    )
    goal.write_text(text, encoding="utf-8")
    assert "PF009" in codes(run("check", goal.name, "--format", "json", cwd=goal.parent))
    result = run("check", goal.name, "--fix", cwd=goal.parent)
    assert result.returncode == 1  # PF401 and PF306 remain
    assert "已修复 1 个问题" in result.out
    assert goal.read_text(encoding="utf-8") == defective_yaml()


def test_fix_on_stdin_prints_the_fixed_text(goal):
    text = defective_yaml().replace(
        "指标值: ≥200人次", "指标值: ≥200人次  # perflint: disable=PF203"
    )
    result = run(
        "check", "--fix", "--stdin-filename", "x.yaml", input=text.encode("utf-8"), cwd=goal.parent
    )
    assert result.out == defective_yaml()
    assert "PF401" in result.err


# -- rule-pack authors: perflint rules --test, perflint rule CODE


def _pack_rule(code: str, good: list) -> str:
    """PF204 (a rule with a safe fix) as rule `code` of a pack, with these good examples."""
    import yaml

    rule = yaml.safe_load((REPO / "rules" / "PF204-nonstandard-unit.yaml").read_text("utf-8"))
    rule.update(code=code, name=f"unit-{code.lower()}")
    rule["examples"]["good"] = good
    return yaml.safe_dump(rule, allow_unicode=True, sort_keys=False)


OTHER_GOOD = {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "培训人次",
              "绩效指标描述": "全年培训人次", "指标值": "≥200人次", "指标值确定依据": "年度工作计划"}  # fmt: skip


def test_rules_test_runs_a_packs_examples_and_names_the_failing_one(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PF952-unit-pf952.yaml").write_text(_pack_rule("PF952", [OTHER_GOOD]), encoding="utf-8")
    passing = run("rules", "--test", str(pack), "--lang", "en")
    assert passing.returncode == 0, passing.out + passing.err
    assert "1 rules" in passing.out and "pass" in passing.out
    bad = yaml_row_with_value("≥10人、次")
    (pack / "PF953-unit-pf953.yaml").write_text(_pack_rule("PF953", [OTHER_GOOD, bad]), "utf-8")
    failing = run("rules", "--test", str(pack), "--lang", "en")
    assert failing.returncode == 1
    assert f"{pack / 'PF953-unit-pf953.yaml'}: PF953 good[1]: raised PF953" in failing.out
    assert "PF952" not in failing.out.split("\n2 rules")[0]  # the passing rule is not listed
    assert run("rules", "--test", str(tmp_path / "none")).returncode == 2


def yaml_row_with_value(value: str) -> dict:
    return {**OTHER_GOOD, "三级指标": "救助困难信访群众", "指标值": value}


def test_rule_shows_the_fixed_bad_example_under_use_instead(tmp_path):
    site = tmp_path / "site"
    (site / "pfpack-0.1.dist-info").mkdir(parents=True)
    (site / "pfpack-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pfpack\nVersion: 0.1\n"
    )
    (site / "pfpack-0.1.dist-info" / "entry_points.txt").write_text("[perflint]\npfpack = pfpack\n")
    (site / "pfpack_rules").mkdir()
    (site / "pfpack_rules" / "PF952-unit-pf952.yaml").write_text(
        _pack_rule("PF952", [OTHER_GOOD]), encoding="utf-8"
    )
    (site / "pfpack.py").write_text(
        "from pathlib import Path\nfrom perflint.plugins.hookspecs import hookimpl\n\n"
        "@hookimpl\ndef perflint_rule_paths():\n    return [Path(__file__).parent / 'pfpack_rules']\n",
        encoding="utf-8",
    )
    env = {"PYTHONPATH": os.pathsep.join([str(REPO), str(site)])}
    result = run("rule", "PF952", "--lang", "en", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.err
    example, instead = result.out.split("## Use instead")[0], result.out.split("## Use instead")[1]
    assert "≥10人、次" in example.split("## Example")[1]
    instead = instead.split("## ")[0]
    assert "救助困难信访群众" in instead and "≥10人次" in instead  # the bad example, fixed
    assert "培训人次" not in instead  # not the first good example


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_an_output_file_that_is_a_pipe_is_written_not_replaced(seeds, tmp_path):
    """`-o /dev/null` or `-o PIPE`: the report goes into it; a file renamed over it would
    replace the device (as root, /dev/null itself) or the pipe."""
    import stat
    import threading

    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received = []

    def read() -> None:
        with open(fifo, "rb") as pipe:  # blocks until perflint opens the pipe for writing
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = run("check", ".", "--format", "json", "-o", str(fifo), cwd=seeds)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe
    assert result.returncode == 1 and received and json.loads(received[0])
