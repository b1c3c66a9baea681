"""Rules across filings (PF701–PF705) on a filings repo of two years and several departments."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from perflint.examples import case_document
from perflint.readers.yaml_reader import read_yaml
from perflint.repository import Index, name_key, project_key, summarize, year_of

PERFLINT = str(Path(sys.executable).with_name("perflint"))
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def perflint(*args, cwd) -> subprocess.CompletedProcess:
    result = subprocess.run([PERFLINT, *args], cwd=cwd, capture_output=True, text=True, timeout=180)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _doc(
    department: tuple[str, str], year: int, name: str, code: str, rows=None, budget="10.00"
) -> dict:
    doc = case_document({"项目名称": name})
    doc["部门"] = {"编码": department[0], "名称": department[1]}
    doc["年度"] = str(year)
    project = doc["项目"][0]
    project["项目编码"] = code
    project["预算"] = {"预算数": budget, "财政资金": budget, "其他资金": "0"}
    if rows is not None:
        project["绩效指标"] = rows
    return doc


def _rows(**values) -> list:
    """The default indicator rows with some values replaced (by 三级 name); `drop` removes rows."""
    rows = copy.deepcopy(case_document({"项目名称": "x"})["项目"][0]["绩效指标"])
    drop = values.pop("drop", ())
    for row in rows:
        if row["三级指标"] in values:
            row["指标值"] = values[row["三级指标"]]
    return [row for row in rows if row["三级指标"] not in drop]


def _write(path: Path, doc: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


EDU, HEALTH, CULTURE = (
    ("101001", "某县教育局"),
    ("102001", "某县卫生健康局"),
    ("103001", "某县文化馆"),
)


@pytest.fixture
def repo(tmp_path):
    """2024 and 2025 filings of three departments, plus filler departments (so -j2 starts workers)."""
    root = tmp_path / "filings"
    root.mkdir()
    (root / ".perflint.yaml").write_text("# the filings repo's root\nlang: zh\n", encoding="utf-8")
    # 教育局: satisfaction weakened, a comparator dropped, an indicator dropped
    _write(
        root / "2024" / "edu.yaml",
        _doc(
            EDU, 2024, "2024年教师培训经费", "10100124P000000000001", _rows(参训人员满意度="≥95%")
        ),
    )
    _write(
        root / "2025" / "edu.yaml",
        _doc(
            EDU,
            2025,
            "2025年教师培训经费",
            "10100125P000000000001",
            _rows(参训人员满意度="≥90%", 培训合格率="95%", drop=("业务差错率",)),
        ),
    )
    # 卫健局: the table copied from last year (only the year changed)
    _write(
        root / "2024" / "health.yaml",
        _doc(
            HEALTH, 2024, "2024年健康宣传经费", "10200124P000000000002", _rows(培训人次="≥300人次")
        ),
    )
    _write(
        root / "2025" / "health.yaml",
        _doc(
            HEALTH, 2025, "2025年健康宣传经费", "10200125P000000000002", _rows(培训人次="≥300人次")
        ),
    )
    # 文化馆: its indicator set is 卫健局's (another department's) in 2025; a count fell with the budget
    _write(
        root / "2024" / "culture.yaml",
        _doc(CULTURE, 2024, "公益演出", "", _rows(培训人次="≥400人次"), budget="20.00"),
    )
    _write(
        root / "2025" / "culture.yaml",
        _doc(CULTURE, 2025, "公益演出", "", _rows(培训人次="≥300人次"), budget="15.00"),
    )
    for n in range(8):  # departments with nothing to compare: each its own indicator set
        rows = _rows(培训人次=f"≥{500 + n}人次")
        _write(
            root / "2025" / f"filler{n}.yaml",
            _doc((f"9{n:05d}", f"单位{n}"), 2025, f"项目{n}", "", rows),
        )
    return root


EXPECTED = {
    ("2025/edu.yaml", "PF701"),  # ≥95% → ≥90%
    ("2025/edu.yaml", "PF702"),  # ≥95% → 95%
    ("2025/edu.yaml", "PF703"),  # 业务差错率 gone
    ("2025/health.yaml", "PF704"),  # last year's table
    ("2025/health.yaml", "PF705"),  # = 文化馆 2025
    ("2025/culture.yaml", "PF705"),  # = 卫健局 2025
}


def _found(result) -> set:
    return {
        (d["filename"].replace(os.sep, "/"), d["code"])
        for d in json.loads(result.stdout)
        if d["code"].startswith("PF7")
    }


def test_two_years_of_several_departments_give_exactly_the_expected_findings(repo):
    cold = perflint("check", "--format", "json", "-j1", ".", cwd=repo)
    assert _found(cold) == EXPECTED
    assert (
        _found(perflint("check", "--format", "json", "-j1", ".", cwd=repo)) == EXPECTED
    )  # warm cache
    parallel = perflint("check", "--format", "json", "-j2", "--no-cache", ".", cwd=repo)
    assert (
        parallel.stdout
        == perflint("check", "--format", "json", "-j1", "--no-cache", ".", cwd=repo).stdout
    )
    assert parallel.stdout == cold.stdout
    # the count that fell with its budget (文化馆 400 → 300, budget 20 → 15) is not a weakened target
    assert ("2025/culture.yaml", "PF701") not in _found(cold)


def test_findings_say_what_they_were_compared_with(repo):
    found = json.loads(
        perflint("check", "--format", "json", "--select", "PF701", "2025/edu.yaml", cwd=repo).stdout
    )
    (weakened,) = found
    assert (
        "≥90%" in weakened["message"]
        and "≥95%" in weakened["message"]
        and "2024/edu.yaml" in weakened["message"]
    )
    (related,) = weakened["related"]
    assert (
        related["filename"].replace(os.sep, "/") == "2024/edu.yaml"
        and related["message"] == "上年指标值“≥95%”"
    )
    lines = (repo / "2024" / "edu.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[related["location"]["row"] - 1].strip() == "指标值: ≥95%"
    text = perflint("check", "--select", "PF701", "2025/edu.yaml", cwd=repo).stdout
    assert "对照：2024/edu.yaml:" in text
    sarif = json.loads(
        perflint("check", "--format", "sarif", "--select", "PF7", ".", cwd=repo).stdout
    )
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert results and all(
        r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results
    )


def test_a_hook_that_names_only_this_years_file_still_compares_it_with_last_year(repo):
    named = perflint("check", "--format", "json", "2025/edu.yaml", cwd=repo)
    assert _found(named) == {f for f in EXPECTED if f[0] == "2025/edu.yaml"}
    inside = perflint(
        "check", "--format", "json", "edu.yaml", cwd=repo / "2025"
    )  # run from a subdirectory
    assert {code for _, code in _found(inside)} == {"PF701", "PF702", "PF703"}


def test_one_year_alone_gives_none(repo):
    shutil.rmtree(repo / "2024")
    found = _found(perflint("check", "--format", "json", ".", cwd=repo))
    assert found == {
        ("2025/health.yaml", "PF705"),
        ("2025/culture.yaml", "PF705"),
    }  # copies within the year
    (repo / "2025" / "culture.yaml").unlink()
    assert _found(perflint("check", "--format", "json", ".", cwd=repo)) == set()


def test_the_cache_follows_the_files_a_file_was_compared_with(repo):
    assert ("2025/edu.yaml", "PF701") in _found(
        perflint("check", "--format", "json", ".", cwd=repo)
    )
    last = repo / "2024" / "edu.yaml"
    doc = yaml.safe_load(last.read_text(encoding="utf-8"))
    for row in doc["项目"][0]["绩效指标"]:
        if row["三级指标"] == "参训人员满意度":
            row["指标值"] = "≥90%"
    _write(last, doc)
    os.utime(last, (1, 1))  # an old mtime does not fool the cache either
    after = _found(perflint("check", "--format", "json", ".", cwd=repo))
    assert ("2025/edu.yaml", "PF701") not in after and ("2025/edu.yaml", "PF702") in after


def test_a_warm_run_reads_no_file_for_the_index_either(repo, monkeypatch):
    """In-process: the second run takes every summary and result from the cache by its stat."""
    import time

    from helpers import count_calls

    import perflint.cache
    import perflint.files
    from perflint import cli

    monkeypatch.setattr(
        perflint.cache, "MARGIN_NS", 0
    )  # the files are not being written: trust their stat
    time.sleep(0.05)
    monkeypatch.chdir(repo)
    assert cli.main(["check", "--format", "json", "-j1", "-o", "../first.json", "."]) == 1
    counted = count_calls(monkeypatch, perflint.files, "read_file")
    assert cli.main(["check", "--format", "json", "-j1", "-o", "../second.json", "."]) == 1
    assert counted == []
    assert (repo / ".." / "first.json").read_bytes() == (repo / ".." / "second.json").read_bytes()


def test_text_exports_take_part_too(repo, tmp_path):
    examples = Path(__file__).resolve().parent.parent / "examples"
    shutil.copy(examples / "huailai-xinfang-2024.txt", repo / "2024" / "huailai.txt")
    text = (examples / "huailai-xinfang-2024.txt").read_text(encoding="utf-8")
    lines = text.replace("13073024P", "13073025P").replace("2024", "2025").split("\n")
    assert lines[170] == "\t≥95%"
    lines[170] = "\t≥85%"  # the second project's first rate target, lowered
    (repo / "2025" / "huailai.txt").write_text("\n".join(lines), encoding="utf-8")
    found = json.loads(
        perflint(
            "check", "--format", "json", "--select", "PF7", "2025/huailai.txt", cwd=repo
        ).stdout
    )
    assert [(d["code"], d["location"]["row"]) for d in found] == [("PF701", 171)]
    assert found[0]["related"][0]["filename"].replace(os.sep, "/") == "2024/huailai.txt"
    assert found[0]["related"][0]["location"]["row"] == 171


# -- matching


def test_project_keys_take_the_year_out():
    assert project_key("13073024P000585100016", "") == project_key("13073025P000585100016", "其他")
    assert (
        project_key("", "2024年信访救助经费")
        == project_key("", "2025年度 信访救助经费")
        == project_key("", "信访救助经费（2025）")
    )
    assert project_key("", "信访救助经费") != project_key("", "信访维稳经费")
    assert name_key("培训 人次：") == "培训人次"


def test_the_year_comes_from_the_filing_else_the_code_or_the_name():
    read = read_yaml(
        "x.yaml",
        yaml.safe_dump(_doc(EDU, 2023, "教师培训", "10100124P000000000001"), allow_unicode=True),
    )
    assert year_of(read.filing, "10100124P000000000001", "教师培训", "x.yaml") == 2023
    no_year = read.filing.__class__(
        **{**{f: getattr(read.filing, f) for f in read.filing.__slots__}, "year": None}
    )
    assert year_of(no_year, "10100124P000000000001", "教师培训", "x.yaml") == 2024
    assert year_of(no_year, "", "2022年教师培训", "x.yaml") == 2022
    assert year_of(no_year, "", "教师培训", "filings/2021/edu.yaml") == 2021


def test_the_index_is_by_key_not_all_pairs():
    index = Index()
    for n in range(2000):
        doc = _doc(
            (f"{n:06d}", f"单位{n}"), 2024 + n % 2, "培训经费", "", _rows(培训人次=f"≥{n}人次")
        )
        filing = read_yaml(f"f{n}.yaml", yaml.safe_dump(doc, allow_unicode=True)).filing
        index.add(f"f{n}.yaml", str(n), summarize(filing, f"f{n}.yaml"))
    assert len(index.by_key) == 2000 and all(len(v) == 1 for v in index.by_set.values())
    assert all(index.last_year(c) is None for cs in index.by_path.values() for c in cs)
