"""`perflint rules` (every rule; `--test PATH` runs a rule pack's examples) and `perflint rule
CODE` (one rule's documentation)."""

from __future__ import annotations

import os
import sys

from perflint import examples
from perflint.cli.output import say, write
from perflint.engine import load_ruleset, ruledocs
from perflint.errors import BilingualError
from perflint.plugins.host import get_host


def _report_problems(problems, lang: str) -> None:
    for problem in problems:
        say(lang, f"已跳过：{problem}", f"skipped: {problem}", "warning")


def run_rules(args) -> int:
    if args.test:
        return test_pack(args.test, args.lang)
    ruleset = load_ruleset(host=get_host())
    _report_problems(ruleset.problems, args.lang)
    render = {
        "text": ruledocs.list_text,
        "json": ruledocs.list_json,
        "markdown": ruledocs.markdown,
    }[args.format]
    write(sys.stdout, render(ruledocs.all_rules(ruleset), args.lang))
    return 0


def run_rule(args) -> int:
    ruleset = load_ruleset(host=get_host())
    rule = ruledocs.find_rule(ruledocs.all_rules(ruleset), args.rule)
    if rule is None:
        close = ruledocs.suggestions(ruledocs.all_rules(ruleset), args.rule)
        hint_zh = f"；是否指 {'、'.join(close)}？" if close else "；用 perflint rules 查看所有规则"
        hint_en = (
            f"; did you mean {', '.join(close)}?" if close else "; `perflint rules` lists them all"
        )
        raise BilingualError(f"没有规则 {args.rule}{hint_zh}", f"no rule {args.rule}{hint_en}")
    instead = None
    if getattr(rule, "examples", None) and rule.examples.get("bad"):  # a rule file's rule
        instead = examples.fixed_case(ruleset, rule.code, rule.examples["bad"][0])
    write(sys.stdout, ruledocs.rule_doc(rule, args.lang, instead=instead))
    return 0


def test_pack(path: str, lang: str) -> int:
    """`perflint rules --test PATH`: each failing example with its file and index; exit 1 when
    one fails or a file does not load as a rule, 2 when PATH holds no rule file."""
    if not os.path.exists(path):
        raise BilingualError(f"没有 {path}", f"no such file or directory: {path}")
    pack = examples.run_pack(path)
    if not pack.rules and not pack.problems:
        raise BilingualError(f"{path} 中没有规则文件", f"no rule files in {path}")
    for problem in pack.problems:
        say(lang, problem, problem)
    failures = pack.failures
    for file, code, result in failures:
        for problem in result.problems:
            write(sys.stdout, f"{file}: {code} {result.kind}[{result.index}]: {problem}\n")
    cases = sum(len(results) for _, _, results in pack.rules)
    passed = cases - len(failures)
    write(
        sys.stdout,
        f"{len(pack.rules)} rules, {passed} of {cases} examples pass\n"
        if lang == "en"
        else f"{len(pack.rules)} 条规则，{cases} 个示例中 {passed} 个通过\n",
    )
    return 1 if failures or pack.problems else 0
