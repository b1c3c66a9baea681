"""The command line's arguments: the parser of every command, and the checks argparse cannot
make (a mistyped subcommand, --severity's CODE=LEVEL, selectors that are not rule codes)."""

from __future__ import annotations

import argparse
import difflib
import os
import sys

from perflint import __version__
from perflint.errors import BilingualError
from perflint.selection import Layer, is_selector

COMMANDS = ("check", "rules", "rule", "import", "clean", "server")
LEVELS = ("error", "warning", "info")


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 (a positive number of processes): {text!r}")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="perflint",
        description="预算绩效目标表检查工具 — a linter for Chinese budget performance goal filings",
        epilog="`perflint PATHS…` is short for `perflint check PATHS…`. Docs: docs/configuration.md, docs/integrations.md",
    )
    parser.add_argument("-V", "--version", action="version", version=f"perflint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="检查文件和目录 (lint files and directories)")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="文件或目录；- 表示标准输入 (files or directories; - reads stdin)",
    )
    rules = check.add_argument_group("rule selection")
    rules.add_argument(
        "--select",
        action="append",
        type=_codes,
        metavar="CODES",
        help="只启用这些规则：代码、前缀或名称，逗号分隔，如 PF4,basis-missing (replaces the config's select)",
    )
    rules.add_argument(
        "--extend-select",
        action="append",
        type=_codes,
        metavar="CODES",
        help="另外启用这些规则 (enable these too)",
    )
    rules.add_argument(
        "--ignore",
        action="append",
        type=_codes,
        metavar="CODES",
        help="关闭这些规则 (disable these rules)",
    )
    rules.add_argument(
        "--severity",
        action="append",
        metavar="CODE=LEVEL",
        help="改变规则的级别，如 PF306=error (override a rule's severity; error, warning or info)",
    )
    rules.add_argument(
        "--profile",
        metavar="PROFILE",
        help="指标体系：auto、legacy、mof-2021 (category profile; default auto)",
    )
    config = check.add_argument_group("configuration")
    config.add_argument(
        "--config",
        metavar="FILE",
        help="使用此配置文件，不再查找 (use this config file for every file)",
    )
    config.add_argument(
        "--isolated", action="store_true", help="忽略所有配置文件 (ignore all configuration files)"
    )
    files = check.add_argument_group("files")
    files.add_argument(
        "--exclude",
        action="append",
        type=_codes,
        metavar="PATTERNS",
        help="排除匹配的路径（gitignore 写法）(exclude paths, gitignore-style patterns)",
    )
    files.add_argument(
        "--force-exclude",
        action="store_true",
        help="命令行直接给出的文件也按排除规则处理 (apply excludes to paths named on the command line too; for pre-commit)",
    )
    files.add_argument(
        "--force",
        action="store_true",
        help="命令行给出的文件即使显然不是目标表也检查 (check named files even when they are plainly another format)",
    )
    files.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="标准输入所代表的文件名 (the file name standard input stands for)",
    )
    files.add_argument(
        "--encoding",
        metavar="CODEC",
        help="源文件编码，如 gb18030 (source encoding; default: BOM, UTF-8, then GB18030)",
    )
    speed = check.add_argument_group("speed")
    speed.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="并行进程数，默认为 CPU 核数；1 为单进程 (processes to lint with; default: the number of cores)",
    )
    speed.add_argument(
        "--no-cache",
        action="store_true",
        help="不读也不写结果缓存 (neither read nor write the result cache)",
    )
    speed.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="结果缓存目录，默认 .perflint_cache (where results are cached; default .perflint_cache in the project root)",
    )
    out = check.add_argument_group("output")
    out.add_argument(
        "--format",
        "--output-format",
        dest="format",
        metavar="FORMAT",
        help="输出格式：text、json、sarif、github、html、xlsx（html、xlsx 见 docs/reports.md）(output format; default text)",
    )
    out.add_argument(
        "-o",
        "--output-file",
        metavar="FILE",
        help="写入文件而不是标准输出 (write the output to FILE)",
    )
    out.add_argument(
        "--statistics", action="store_true", help="按规则统计问题数 (count findings per rule)"
    )
    out.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="只输出问题，不输出汇总 (findings only, no summary)",
    )
    out.add_argument("--lang", choices=("zh", "en"), help="信息语言 (message language; default zh)")
    colour = out.add_mutually_exclusive_group()
    colour.add_argument(
        "--color",
        dest="color",
        action="store_true",
        default=None,
        help="总是使用颜色 (always colour)",
    )
    colour.add_argument(
        "--no-color", dest="color", action="store_false", help="不使用颜色 (never colour)"
    )
    fixes = check.add_argument_group("fixes")
    fixes.add_argument(
        "--fix", action="store_true", help="应用安全的修复并写回文件 (apply safe fixes in place)"
    )
    fixes.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="与 --fix/--diff 同用时也应用不安全的修复 (include unsafe fixes)",
    )
    fixes.add_argument(
        "--diff",
        action="store_true",
        help="只显示修复会做的改动，不写文件 (show the changes --fix would make)",
    )
    exit_group = check.add_argument_group("exit status")
    exit_group.add_argument(
        "--exit-zero",
        action="store_true",
        help="有问题也以 0 退出 (exit 0 even when there are findings)",
    )
    exit_group.add_argument(
        "--fail-level",
        choices=LEVELS,
        help="达到此级别的问题才导致退出码 1；默认 info，即任何问题 (lowest severity that fails the run; default info)",
    )

    rules_cmd = sub.add_parser("rules", help="列出所有规则 (list every rule)")
    rules_cmd.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    rules_cmd.add_argument("--lang", choices=("zh", "en"), default="zh")
    rules_cmd.add_argument(
        "--test",
        metavar="PATH",
        help="运行规则包（PATH 下的规则文件）的示例 (run the examples of the rule files under PATH)",
    )

    rule_cmd = sub.add_parser("rule", help="显示一条规则的说明 (show one rule's documentation)")
    rule_cmd.add_argument("rule", metavar="CODE", help="规则代码或名称，如 PF401 或 basis-missing")
    rule_cmd.add_argument("--lang", choices=("zh", "en"), default="zh")

    import_cmd = sub.add_parser(
        "import", help="把文本导出转换为目标 YAML (convert a text export to goal YAML)"
    )
    import_cmd.add_argument("file", metavar="FILE", help="文本导出文件 (.txt)")
    import_cmd.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="写入此文件（默认标准输出）(write here; default stdout)",
    )
    import_cmd.add_argument("--encoding", metavar="CODEC")
    import_cmd.add_argument(
        "--schema",
        metavar="REF",
        help="写在 yaml-language-server 行中的 schema 地址或相对路径 (schema reference for the editor line)",
    )
    import_cmd.add_argument("--lang", choices=("zh", "en"), default="zh")

    clean_cmd = sub.add_parser(
        "clean", help="删除结果缓存 (remove the result caches here and below)"
    )
    clean_cmd.add_argument(
        "--cache-dir", metavar="DIR", help="也删除此缓存目录 (remove this cache directory too)"
    )
    clean_cmd.add_argument("--lang", choices=("zh", "en"), default="zh")
    sub.add_parser(
        "server",
        help="语言服务器：编辑器中即时显示问题 (a language server over stdio for editors; docs/integrations.md)",
    )
    return parser


def _subcommand_or_path(word: str) -> None:
    """Refuse a first word that is neither a subcommand nor an existing path but looks like a
    mistyped subcommand (`perflint chek .`): a usage error, not a lint of the directory."""
    if word.startswith("-") or word == "-" or os.path.lexists(word):
        return
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    if close:
        raise BilingualError(
            f"未知的子命令“{word}”，是否要用 {close[0]}？（perflint --help 列出子命令）",
            f"unknown subcommand {word!r}; did you mean {close[0]!r}? (perflint --help lists them)",
        )


def parse_args(argv: list[str]):
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "-V", "--version"):
        _subcommand_or_path(argv[0])
        argv = ["check", *argv]
    parser = build_parser()
    if not argv:
        parser.print_help(sys.stderr)
        raise SystemExit(2)
    return parser.parse_args(argv)


def _parse_severity(values) -> tuple[tuple[str, str], ...]:
    out = []
    for value in values or ():
        for part in _codes(value):
            selector, _, level = part.partition("=")
            selector, level = selector.strip(), level.strip()
            if not is_selector(selector) or level not in LEVELS:
                raise BilingualError(
                    f"--severity 的写法是 代码=级别（级别为 error、warning 或 info），而不是 {part!r}",
                    f"--severity takes CODE=LEVEL (LEVEL: error, warning or info), not {part!r}",
                )
            out.append((selector, level))
    return tuple(out)


def flatten(groups) -> tuple[str, ...] | None:
    if groups is None:
        return None
    return tuple(code for group in groups for code in group)


def selection_layer(args) -> Layer:
    """The command line's selection (--select, --extend-select, --ignore, --severity), each
    selector checked to be a rule code, prefix or name."""
    for option in ("select", "extend_select", "ignore"):
        for code in flatten(getattr(args, option)) or ():
            if not is_selector(code):
                flag = "--" + option.replace("_", "-")
                raise BilingualError(
                    f"{flag}：“{code}”不是规则代码、代码前缀或规则名",
                    f"{flag}: {code!r} is not a rule code, prefix or name",
                )
    return Layer(
        select=flatten(args.select),
        extend_select=flatten(args.extend_select) or (),
        ignore=flatten(args.ignore) or (),
        severity=_parse_severity(args.severity),
    )


def lang_hint(argv: list[str]) -> str:
    """The --lang of an argument list not parsed yet (for the message of a usage error)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return "zh"
