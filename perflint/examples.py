"""Rule examples are tests: build a filing from each `bad:`/`good:` case and check the rule on it.

A case is written in the goal YAML format and may be
- an indicator row (flat form: 一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值, 指标值确定依据),
  put into a default project;
- a project (any of 项目编码, 项目名称, 预算, 资金用途, 资金支出计划, 绩效目标, 绩效指标), laid over the
  default project;
- a whole filing (any of 部门, 年度, 项目 …), each of its projects laid over the default project.
A bad case may carry `fixed:` — the row (or project) fields expected after applying the fix.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass

import yaml

from perflint import fields, reading, route
from perflint.engine import RuleError, RuleSet, load_ruleset, rule_files
from perflint.engine.fixer import apply_fixes, fix_text
from perflint.engine.repository_checks import check_repository
from perflint.engine.rules import compile_rule, read_rule_file
from perflint.plugins.host import get_host
from perflint.repository import Index, summarize
from perflint.source import SourceText

PROJECT_KEYS, FILING_KEYS, ROW_KEYS = (
    fields.PROJECT_KEYS,
    fields.FILING_ONLY_KEYS,
    fields.ROW_COLUMNS,
)

DEFAULT_ROWS = [
    {
        "一级指标": "产出指标",
        "二级指标": "数量指标",
        "三级指标": "培训人次",
        "绩效指标描述": "全年组织业务培训人次",
        "指标值": "≥200人次",
        "指标值确定依据": "年度工作计划",
    },
    {
        "一级指标": "产出指标",
        "二级指标": "质量指标",
        "三级指标": "培训合格率",
        "绩效指标描述": "参训人员考核合格比例",
        "指标值": "≥95%",
        "指标值确定依据": "历史标准：上年合格率94%",
    },
    {
        "一级指标": "产出指标",
        "二级指标": "时效指标",
        "三级指标": "培训完成时间",
        "绩效指标描述": "全部培训完成的时间",
        "指标值": "2025年11月30日前",
        "指标值确定依据": "年度工作计划",
    },
    {
        "一级指标": "产出指标",
        "二级指标": "成本指标",
        "三级指标": "人均培训成本",
        "绩效指标描述": "每人次培训费用",
        "指标值": "≤500元/人次",
        "指标值确定依据": "中央和国家机关培训费管理办法",
    },
    {
        "一级指标": "效益指标",
        "二级指标": "社会效益指标",
        "三级指标": "业务差错率",
        "绩效指标描述": "培训后业务办理差错率",
        "指标值": "≤2%",
        "指标值确定依据": "历史标准：上年差错率3%",
    },
    {
        "一级指标": "满意度指标",
        "二级指标": "服务对象满意度指标",
        "三级指标": "参训人员满意度",
        "绩效指标描述": "问卷调查参训人员满意比例",
        "指标值": "≥90%",
        "指标值确定依据": "行业标准",
    },
]
DEFAULT_PROJECT = {
    "项目编码": "11010125P000000000001",
    "项目名称": "业务培训经费",
    "预算": {"预算数": "10.00", "财政资金": "10.00", "其他资金": "0"},
    "资金用途": "用于全年业务培训",
    "资金支出计划": {"3月底": "25%", "6月底": "50%", "9月底": "75%", "12月底": "100%"},
    "绩效目标": ["全年完成业务培训200人次，参训人员合格率不低于95%"],
    "绩效指标": DEFAULT_ROWS,
}
DEFAULT_FILING = {
    "部门": {"编码": "100001", "名称": "示例单位"},
    "年度": "2025",
    "金额单位": "万元",
}


def case_document(case: dict) -> dict:
    """The goal-YAML document a case stands for."""
    case = {k: v for k, v in case.items() if k != "fixed"}
    if FILING_KEYS & case.keys():
        document = {**copy.deepcopy(DEFAULT_FILING), **case}
        document["项目"] = [
            {**copy.deepcopy(DEFAULT_PROJECT), **p} for p in case.get("项目", [DEFAULT_PROJECT])
        ]
        return document
    if PROJECT_KEYS & case.keys():
        return {
            **copy.deepcopy(DEFAULT_FILING),
            "项目": [{**copy.deepcopy(DEFAULT_PROJECT), **case}],
        }
    return {
        **copy.deepcopy(DEFAULT_FILING),
        "项目": [{**copy.deepcopy(DEFAULT_PROJECT), "绩效指标": [case]}],
    }


def case_text(case: dict) -> str:
    return yaml.safe_dump(case_document(case), allow_unicode=True, sort_keys=False, width=1000)


@dataclass(frozen=True)
class CaseResult:
    kind: str  # "bad" or "good"
    index: int
    problems: tuple[str, ...]  # empty when the case behaves

    @property
    def ok(self) -> bool:
        return not self.problems


OTHER_DEPARTMENT = {"编码": "200002", "名称": "另一单位"}


def repository_documents(case: dict) -> dict:
    """{name: goal document} of a repository case: 本年 (the filing checked) and 上年 (the same
    department a year earlier, unless the case says otherwise) or 其他部门 (another department)."""
    this = case_document(case["本年"])
    documents = {"本年": this}
    if "上年" in case:
        last = case_document(case["上年"])
        if "年度" not in case["上年"]:
            last["年度"] = str(int(this["年度"]) - 1)
        documents["上年"] = last
    if "其他部门" in case:
        other = case_document(case["其他部门"])
        if "部门" not in case["其他部门"]:
            other["部门"] = dict(OTHER_DEPARTMENT)
        documents["其他部门"] = other
    return documents


def _run_repository_case(
    ruleset: RuleSet, code: str, kind: str, index: int, case: dict
) -> CaseResult:
    filings = {}
    for name, document in repository_documents(case).items():
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        read = reading.read_text(
            f"<{code} {kind}[{index}]>/{name}.yaml", SourceText(text, "utf-8", b"")
        )
        if read.filing is None or any(d.severity == "error" for d in read.diagnostics):
            return CaseResult(kind, index, (f"the case's {name} does not read",))
        filings[name] = read.filing
    repository = Index()
    for filing in filings.values():
        repository.add(filing.path, filing.path, summarize(filing, filing.path))
    this = filings["本年"]
    found = [
        d
        for d in check_repository(this, this.path, repository, ruleset.only([code]))
        if d.code in (code, "PF000")
    ]
    crashes = [d.message.en for d in found if d.code == "PF000"]
    if crashes:
        return CaseResult(kind, index, tuple(crashes))
    if kind == "good":
        return CaseResult(
            kind,
            index,
            tuple(f"raised {code} at {d.span.line}:{d.span.col}: {d.message.zh}" for d in found),
        )
    return CaseResult(kind, index, () if found else (f"did not raise {code}",))


def run_case(ruleset: RuleSet, code: str, kind: str, index: int, case: dict) -> CaseResult:
    """Check one example: a bad case must raise `code` (and its fix must give `fixed`); a good one must not."""
    if ruleset.by_code()[code].scope == "repository":
        return _run_repository_case(ruleset, code, kind, index, case)
    text = case_text(case)
    report = route.lint_file(
        route.Bytes(f"<{code} {kind}[{index}]>", text.encode("utf-8")),
        route.Settings(ruleset.only([code])),
    )
    problems = [  # the reader's errors: the rule raises only its code (PF000 when it crashes)
        f"the case does not read: {d.message.en}"
        for d in report.diagnostics
        if d.severity == "error" and d.code not in (code, "PF000")
    ]
    if report.filing is None or problems:
        return CaseResult(kind, index, tuple(problems) or ("the case does not read",))
    found = [d for d in report.diagnostics if d.code in (code, "PF000")]
    crashes = [d.message.en for d in found if d.code == "PF000"]
    if crashes:
        return CaseResult(kind, index, tuple(crashes))
    if kind == "good":
        return CaseResult(
            kind,
            index,
            tuple(f"raised {code} at {d.span.line}:{d.span.col}: {d.message.zh}" for d in found),
        )
    if not found:
        return CaseResult(kind, index, (f"did not raise {code}",))
    if "fixed" in case:
        problems.extend(_check_fixed(ruleset, code, text, found, case["fixed"]))
    return CaseResult(kind, index, tuple(problems))


def _check_fixed(ruleset, code, text, found, expected: dict) -> list[str]:
    fixes = [d.fix for d in found if d.fix]
    if not fixes:
        return ["`fixed:` is given but the finding has no fix"]
    fixed_text, _ = apply_fixes(text, fixes)
    read = reading.read_text("<fixed>", SourceText(fixed_text, "utf-8", b""))
    if read.filing is None:
        return ["the fixed text does not read"]
    project = read.filing.projects[0]
    actual = _project_fields(project)
    if project.indicators:
        actual.update(_row_fields(project.indicators[0]))
    return [
        f"after fix, {key} is {actual.get(key)!r}, expected {str(value)!r}"
        for key, value in expected.items()
        if actual.get(key) != str(value)
    ]


def _row_fields(indicator) -> dict:
    cells = (
        indicator.level1,
        indicator.level2,
        indicator.name,
        indicator.description,
        indicator.value,
        indicator.basis,
    )
    return {key: cell.text for key, cell in zip(ROW_KEYS, cells)}


def _project_fields(project) -> dict:
    return {
        "项目编码": project.code.text,
        "项目名称": project.name.text,
        "资金用途": project.purpose.text,
    }


def run_examples(ruleset: RuleSet, code: str) -> list[CaseResult]:
    rule = ruleset.by_code()[code]
    return [
        run_case(ruleset, code, kind, index, case)
        for kind in ("bad", "good")
        for index, case in enumerate(rule.examples[kind])
    ]


def fixed_case(ruleset: RuleSet, code: str, case: dict) -> dict | None:
    """A bad example after its safe fixes, in the example's own shape (its row, its project's
    fields or its filing's): what `perflint rule CODE` shows under "Use instead". None when the
    rule fixes nothing in it."""
    text = case_text(case)
    path, settings = f"<{code} fixed>", route.Settings(ruleset.only([code]))

    def findings(fixed: str) -> list:
        return list(route.lint_text(path, SourceText(fixed, "utf-8", b""), settings).diagnostics)

    outcome = fix_text(text, findings)
    if outcome.refused is not None or not outcome.changed(text):
        return None
    return _shaped(yaml.safe_load(outcome.text), {k: v for k, v in case.items() if k != "fixed"})


def _shaped(document: dict, case: dict) -> dict:
    """The part of a fixed goal document that `case` (a row, project or filing) stands for."""
    if FILING_KEYS & case.keys():
        shaped = {key: document.get(key) for key in case}
        if "项目" in case:
            shaped["项目"] = [
                {key: fixed.get(key) for key in given}
                for given, fixed in zip(case["项目"], document["项目"])
            ]
        return shaped
    project = document["项目"][0]
    if PROJECT_KEYS & case.keys():
        return {key: project.get(key) for key in case}
    return project["绩效指标"][0]


@dataclass(frozen=True)
class PackResult:
    """The examples of a rule pack, run: each rule's failing cases, and the files that did not
    load as rules."""

    rules: tuple  # (rule file, code, [CaseResult]) per rule
    problems: tuple[str, ...]

    @property
    def failures(self) -> list:
        return [(path, code, r) for path, code, results in self.rules for r in results if not r.ok]


def run_pack(path: str) -> PackResult:
    """Run the examples of every rule file at `path` (a file, or a directory's *.yaml / *.yml, as
    a plugin's `perflint_rule_paths` names them), compiled with perflint's predicates (and the
    installed plugins') and taxonomy."""
    base = load_ruleset(host=get_host())
    predicates = get_host().merged("perflint_predicates")
    rules, problems = [], []
    for file in rule_files(path):
        try:
            rules.append(compile_rule(read_rule_file(file), str(file), predicates))
        except RuleError as error:
            problems.append(f"rule file {error}")
        except Exception as error:
            problems.append(
                f"rule file {file}: cannot be compiled: {type(error).__name__}: {error}"
            )
    ruleset = dataclasses.replace(base, rules=tuple(rules))
    return PackResult(
        tuple((rule.path, rule.code, run_examples(ruleset, rule.code)) for rule in rules),
        tuple(problems),
    )
