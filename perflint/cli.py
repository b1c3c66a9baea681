"""perflint's command line: parse arguments and dispatch to a command.

    perflint check [PATHS…]      lint files and directories (also: perflint PATHS…)
    perflint rules               list every rule (--format text|json|markdown)
    perflint rule PF401          one rule's documentation
    perflint import FILE.txt     convert a text export to goal YAML
    perflint server              a language server (LSP over stdio) for editors
    perflint --version

Exit codes: 0 no finding at or above the fail level, 1 findings, 2 usage error, unreadable
configuration or internal error. Nothing heavy is imported at module level (so `--version` and
`--help` stay fast): each command imports what it needs.
"""

from __future__ import annotations

import os
import sys

from perflint import __version__
from perflint.files import open_replacement, write_atomic

COMMANDS = ("check", "rules", "rule", "import", "clean", "server")
LEVELS = ("error", "warning", "info")
RANK = {"info": 0, "warning": 1, "error": 2}
PIECE_ROWS = 2000  # findings of one file formatted at a time (memory: see check_written)


class UsageError(Exception):
    """A wrong argument or configuration: one message, exit 2."""

    def __init__(self, zh: str, en: str | None = None):
        super().__init__(en or zh)
        self.zh, self.en = zh, en or zh

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


# ---------------------------------------------------------------------------------------------
# output helpers


def _write(stream, text: str) -> None:
    """Write text; pipes and files get UTF-8 whatever the locale says."""
    if not text:
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        stream.flush()
        return
    try:
        encoding = stream.encoding if stream.isatty() else "utf-8"
    except (AttributeError, ValueError):
        encoding = "utf-8"
    stream.flush()
    buffer.write(text.encode(encoding or "utf-8", errors="replace"))
    buffer.flush()


def _write_bytes(stream, data: bytes) -> None:
    """Write bytes as they are (the fixed text of `--fix -`, in the input's encoding)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8", errors="replace"))
        stream.flush()
        return
    stream.flush()
    buffer.write(data)
    buffer.flush()


def _say(lang: str, zh: str, en: str, kind: str = "error") -> None:
    label = {"error": ("错误", "error"), "warning": ("警告", "warning")}[kind]
    sep = "：" if lang != "en" else ": "
    text = f"perflint: {label[1] if lang == 'en' else label[0]}{sep}{en if lang == 'en' else zh}\n"
    _write(sys.stderr, text)


def _write_file(path: str, text: str | bytes) -> None:
    """Write `text` as UTF-8 (bytes as they are), atomically (a temporary file renamed over the target)."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogateescape")
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        write_atomic(path, data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}") from None


def _within(path: str, root: str) -> bool:
    """Whether `path` (followed through symbolic links) is `root` or inside it."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real != base and os.path.commonpath([real, base]) == base


def printable(text: str) -> str:
    from perflint.escaping import printable as escape

    return escape(text)


# ---------------------------------------------------------------------------------------------
# argument parsing


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _jobs(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数 (a positive number of processes): {text!r}")
    return value


def build_parser():
    import argparse

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
    import difflib

    if word.startswith("-") or word == "-" or os.path.lexists(word):
        return
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.6)
    if close:
        raise UsageError(
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


# ---------------------------------------------------------------------------------------------
# entry point


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):
        _write(sys.stdout, f"perflint {__version__}\n")
        return 0
    lang = _lang_hint(argv)
    try:
        args = parse_args(argv)
        if args.command == "rules":
            return run_rules(args)
        if args.command == "rule":
            return run_rule(args)
        if args.command == "import":
            return run_import(args)
        if args.command == "clean":
            return run_clean(args)
        if args.command == "server":
            from perflint.server import main as serve

            return serve()
        return run_check(args)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 2
    except UsageError as error:
        _say(lang, error.zh, error.en)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 1
    except Exception as error:
        if os.environ.get("PERFLINT_DEBUG"):
            import traceback

            traceback.print_exc()
        detail = f"{type(error).__name__}: {error}"
        _say(
            lang,
            f"内部错误：{detail}（请报告此问题；设置 PERFLINT_DEBUG=1 可查看详情）",
            f"internal error: {detail} (please report it; PERFLINT_DEBUG=1 shows the traceback)",
        )
        return 2


def _lang_hint(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return "zh"


def _nothing_checked(lang: str, skipped) -> None:
    """Say that a run found no file to check, and what it skipped and why (never a "pass")."""
    total = sum(skipped.values())
    zh = "没有检查任何文件"
    en = "no files were checked"
    if total:
        reasons = sorted(skipped.items(), key=lambda item: -item[1])
        zh += f"，跳过 {total} 个文件：" + "；".join(f"{r[0]}（{n} 个）" for r, n in reasons)
        en += f"; skipped {total}: " + "; ".join(f"{r[1]} ({n})" for r, n in reasons)
    else:
        zh += "，没有找到目标文件（.yaml、.yml、.txt）"
        en += "; no goal files found (.yaml, .yml, .txt)"
    _say(lang, zh, en, "warning")


# ---------------------------------------------------------------------------------------------
# perflint clean


def run_clean(args) -> int:
    """Remove the perflint caches in and below the working directory (and --cache-dir, the
    configured cache-dir, $PERFLINT_CACHE_DIR); never a directory perflint did not make."""
    import shutil

    from perflint import clean
    from perflint.config import ConfigError, Finder, load_config

    en = args.lang == "en"
    named = [args.cache_dir] if args.cache_dir else []
    if os.environ.get("PERFLINT_CACHE_DIR"):
        named.append(os.environ["PERFLINT_CACHE_DIR"])
    top = Finder().config_path(os.getcwd())
    if top is not None:
        try:
            config = load_config(top)
        except ConfigError as error:
            _say(args.lang, error.render("zh"), error.render("en"))
            return 2
        root = os.path.dirname(top)
        named.append(os.path.join(root, config.get("cache-dir") or ".perflint_cache"))
    found, foreign = clean.caches_under(os.getcwd(), tuple(named))
    failed = False
    for directory in found:
        shown = os.path.relpath(directory)
        try:
            shutil.rmtree(directory)
        except OSError as error:
            failed = True
            reason = error.strerror or str(error)
            _say(args.lang, f"无法删除 {shown}：{reason}", f"cannot remove {shown}: {reason}")
            continue
        _write(sys.stdout, f"removed {shown}\n" if en else f"已删除 {shown}\n")
    for directory in foreign:
        shown = os.path.relpath(directory)
        _say(
            args.lang,
            f"{shown} 不是 perflint 的缓存目录（没有 perflint 的 CACHEDIR.TAG），未删除",
            f"{shown} is not a perflint cache (no CACHEDIR.TAG of perflint's); left alone",
            "warning",
        )
    if not found and not foreign:
        _write(sys.stdout, "no cache to remove\n" if en else "没有可删除的缓存\n")
    return 2 if failed else 0


# ---------------------------------------------------------------------------------------------
# perflint rules / rule


def _ruleset_and_rules():
    from perflint.engine import load_ruleset
    from perflint.engine.ruledocs import all_rules
    from perflint.plugins.host import get_host

    ruleset = load_ruleset(host=get_host())
    return ruleset, all_rules(ruleset)


def _report_problems(problems, lang: str, seen: set | None = None) -> None:
    for problem in problems:
        if seen is not None:
            if problem in seen:
                continue
            seen.add(problem)
        _say(lang, f"已跳过：{problem}", f"skipped: {problem}", "warning")


def run_rules(args) -> int:
    from perflint.engine import ruledocs

    ruleset, rules = _ruleset_and_rules()
    _report_problems(ruleset.problems, args.lang)
    render = {
        "text": ruledocs.list_text,
        "json": ruledocs.list_json,
        "markdown": ruledocs.markdown,
    }[args.format]
    _write(sys.stdout, render(rules, args.lang))
    return 0


def run_rule(args) -> int:
    from perflint.engine import ruledocs

    _, rules = _ruleset_and_rules()
    rule = ruledocs.find_rule(rules, args.rule)
    if rule is None:
        close = ruledocs.suggestions(rules, args.rule)
        hint_zh = f"；是否指 {'、'.join(close)}？" if close else "；用 perflint rules 查看所有规则"
        hint_en = (
            f"; did you mean {', '.join(close)}?" if close else "; `perflint rules` lists them all"
        )
        raise UsageError(f"没有规则 {args.rule}{hint_zh}", f"no rule {args.rule}{hint_en}")
    _write(sys.stdout, ruledocs.rule_doc(rule, args.lang))
    return 0


# ---------------------------------------------------------------------------------------------
# perflint import


def run_import(args) -> int:
    from perflint.formats import FormatOptions
    from perflint.formats.text import format_text
    from perflint.lint import read_source
    from perflint.readers.yaml_writer import dump_filing
    from perflint.source import DecodeError, decode

    lang = args.lang
    from perflint.lint import read_file

    try:
        data = read_file(args.file)  # a pipe, a device or a file above the limit is refused unread
    except OSError as error:
        raise UsageError(
            f"无法读取 {args.file}：{getattr(error, 'zh', None) or error.strerror or error}",
            f"cannot read {args.file}: {error.strerror or error}",
        ) from None
    if args.encoding:
        _check_encoding(args.encoding)
    options = FormatOptions(lang=lang, quiet=True)
    from perflint.lint import is_document, read_document

    source = None
    if is_document(args.file, data):  # a Word / Excel filing: its cells are the source
        read = read_document(args.file, data)
    else:
        try:
            source = decode(data, args.encoding)
        except DecodeError as error:
            from perflint.lint import decode_finding

            _write(sys.stderr, format_text([decode_finding(args.file, error)], options))
            return 1
        read = read_source(args.file, source)
    findings = sorted(read.diagnostics, key=lambda d: d.sort_key())
    if read.filing is not None:
        text = (
            dump_filing(read.filing, schema=args.schema)
            if args.schema
            else dump_filing(read.filing)
        )
        if args.output:
            _write_file(args.output, text)
        else:
            _write(sys.stdout, text)
    if findings:
        options = FormatOptions(
            lang=lang, quiet=True, sources={args.file: source.text} if source is not None else {}
        )
        _write(sys.stderr, format_text(findings, options))
    return 1 if read.filing is None or any(d.code == "PF001" for d in findings) else 0


def _check_encoding(name: str) -> None:
    from perflint.source import text_codec

    try:
        text_codec(name)  # rot13, base64, unicode_escape…: not a text encoding
    except ValueError as error:
        raise UsageError(*error.args) from None


def _missing_reason(path: str) -> tuple[str, str]:
    """Why a named path cannot be read: gone, a dangling symlink, a loop of symlinks…"""
    try:
        os.stat(path)
    except OSError as error:
        import errno

        if error.errno == errno.ELOOP:
            return (
                "符号链接循环（Too many levels of symbolic links）",
                f"{error.strerror} (a loop of symbolic links)",
            )
        if error.errno != errno.ENOENT:
            return f"无法访问：{error.strerror}", f"cannot access it: {error.strerror}"
    if os.path.islink(path):
        return "符号链接指向的文件不存在", "a dangling symbolic link: its target does not exist"
    return "文件不存在", "no such file or directory"


# ---------------------------------------------------------------------------------------------
# perflint check


def run_check(args) -> int:
    # A run allocates millions of objects and keeps the findings to the end, with few cycles:
    # collect rarely, and not through the findings (frozen once linted; see lint_all).
    import gc

    thresholds = gc.get_threshold()
    gc.set_threshold(20_000, 20, 100)
    try:
        return CheckRun(args).run()
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _parse_severity(values) -> tuple[tuple[str, str], ...]:
    from perflint.engine.selection import is_selector

    out = []
    for value in values or ():
        for part in _codes(value):
            selector, _, level = part.partition("=")
            selector, level = selector.strip(), level.strip()
            if not is_selector(selector) or level not in LEVELS:
                raise UsageError(
                    f"--severity 的写法是 代码=级别（级别为 error、warning 或 info），而不是 {part!r}",
                    f"--severity takes CODE=LEVEL (LEVEL: error, warning or info), not {part!r}",
                )
            out.append((selector, level))
    return tuple(out)


def _flatten(groups) -> tuple[str, ...] | None:
    if groups is None:
        return None
    return tuple(code for group in groups for code in group)


class CheckRun:
    """One `perflint check`: configs → files → rule sets → findings → output → exit code."""

    def __init__(self, args):
        from perflint.config import Finder
        from perflint.engine.selection import Layer, is_selector

        self.args = args
        self.lang = args.lang or "zh"
        self.cwd = os.getcwd()
        self.configs: dict[str, object] = {}
        self.rulesets: dict[tuple, object] = {}
        self.policies: dict[int, tuple] = {}
        self.problems_seen: set[str] = set()
        self.fixed = 0  # fixes applied (or, with --diff, that would be)
        self.diffs: list[str] = []
        self.stdin_fixed: bytes | None = None  # `--fix -`: the fixed input, in its encoding
        self.fix_failures = 0  # files whose fix could not be written (exit 2)
        self.finder = Finder()
        self.top = self.walker = None  # the top config and the Walker of this run (set by run())
        self.cache = None  # perflint.cache.Cache, opened by run() unless --no-cache
        self.memo = None  # its memo of schema-checked rule files
        for option in ("select", "extend_select", "ignore"):
            for code in _flatten(getattr(args, option)) or ():
                if not is_selector(code):
                    flag = "--" + option.replace("_", "-")
                    raise UsageError(
                        f"{flag}：“{code}”不是规则代码、代码前缀或规则名",
                        f"{flag}: {code!r} is not a rule code, prefix or name",
                    )
        self.cli_layer = Layer(
            select=_flatten(args.select),
            extend_select=_flatten(args.extend_select) or (),
            ignore=_flatten(args.ignore) or (),
            severity=_parse_severity(args.severity),
        )
        if args.encoding:
            _check_encoding(args.encoding)

    # -- configuration

    def config_for(self, directory: str):
        from perflint.config import default_config, load_config

        args = self.args
        if args.isolated:
            key = "<isolated>"
            if key not in self.configs:
                self.configs[key] = default_config(self.cwd)
            return self.configs[key]
        if args.config:
            key = os.path.abspath(args.config)
        else:
            key = self.finder.config_path(directory) or "<default>"
        if key not in self.configs:
            self.configs[key] = default_config(self.cwd) if key == "<default>" else load_config(key)
        return self.configs[key]

    # -- rules

    def ruleset_for(self, config):
        """The compiled rule set for a config (profile, params, disabled plugins), checked against the rules."""
        from perflint.engine import load_ruleset
        from perflint.plugins.host import get_host

        profile = self.args.profile or config.get("profile", "auto")
        params = config.get("params") or {}
        disabled = frozenset(config.get("disable-plugins", ()))
        key = (profile, config.ruleset_key()[1], tuple(sorted(disabled)))
        if key in self.rulesets:
            return self.rulesets[key]
        host = get_host(disabled)
        base_key = (profile, (), key[2])
        base = self.rulesets.get(base_key) or load_ruleset(profile, host=host, memo=self.memo)
        self.rulesets[base_key] = base
        self._check_profile(profile, base, config)
        self._check_plugins(disabled, config)
        if params:
            self._check_params(params, base, config)
            ruleset = load_ruleset(profile, params, host=host, memo=self.memo)
        else:
            ruleset = base
        _report_problems(ruleset.problems, self.lang, self.problems_seen)
        self.rulesets[key] = ruleset
        return ruleset

    def _check_profile(self, profile: str, ruleset, config) -> None:
        known = ("auto", *ruleset.taxonomy.profiles)
        if profile in known:
            return
        zh = f"未知的指标体系 {profile!r}；可用：{'、'.join(known)}"
        en = f"unknown profile {profile!r}; known: {', '.join(known)}"
        if self.args.profile:
            raise UsageError(f"--profile：{zh}", f"--profile: {en}")
        raise config.error(("profile",), zh, en)

    def _check_plugins(self, disabled, config) -> None:
        if not disabled:
            return
        from importlib.metadata import entry_points

        names = {entry.name for entry in entry_points(group="perflint")}
        for name in sorted(disabled - names):
            where = f"{config.path}:{config.line_of('disable-plugins')}"
            _say(
                self.lang,
                f"{where}：没有安装名为 {name!r} 的插件",
                f"{where}: no plugin named {name!r} is installed",
                "warning",
            )

    def _check_params(self, params: dict, ruleset, config) -> None:
        rules = ruleset.by_code()
        for code, table in params.items():
            rule = rules.get(code)
            if rule is None:
                raise config.error(
                    ("params", code), f"params：没有规则 {code}", f"params: there is no rule {code}"
                )
            declared = (rule.raw.get("params") or {}) if rule.raw else {}
            for name, value in table.items():
                if name not in declared:
                    known = "、".join(declared) or "无"
                    raise config.error(
                        ("params", code, name),
                        f"params：规则 {code} 没有参数 {name!r}（可用：{known}）",
                        f"params: rule {code} has no parameter {name!r} (known: {', '.join(declared) or 'none'})",
                    )
                default = declared[name].get("default")
                if not _same_type(default, value):
                    raise config.error(
                        ("params", code, name),
                        f"params：{code}.{name} 应为{_type_name(default, 'zh')}，实际为 {value!r}",
                        f"params: {code}.{name} must be {_type_name(default, 'en')}, found {value!r}",
                    )

    def policy_for(self, config):
        """(Policy, rule set restricted to the enabled rules) for a config."""
        from perflint.engine.selection import RuleRef, make_policy, unknown_selectors
        from perflint.engine.suppress import BUILTIN_RULES

        cached = self.policies.get(id(config))
        if cached is not None:
            return cached
        ruleset = self.ruleset_for(config)
        refs = [RuleRef(r.code, r.name, r.enabled) for r in ruleset.rules]
        refs += [
            RuleRef(r.code, r.name, True)
            for r in BUILTIN_RULES
            if r.code not in {x.code for x in refs}
        ]
        layer = config.layer()
        for selector in unknown_selectors(tuple(layer.selectors()), refs):
            raise config.error(
                _selector_keys(config, selector),
                f"没有与“{selector}”相符的规则",
                f"no rule matches {selector!r}",
            )
        for selector in unknown_selectors(tuple(self.cli_layer.selectors()), refs):
            raise UsageError(
                f"没有与“{selector}”相符的规则（用 perflint rules 查看）",
                f"no rule matches {selector!r} (see `perflint rules`)",
            )
        policy = make_policy((layer, self.cli_layer), refs)
        result = (policy, ruleset.only(policy.enabled))
        self.policies[id(config)] = result
        return result

    # -- the run

    def run(self) -> int:
        from perflint.config import ConfigError
        from perflint.discovery import Walker

        args = self.args
        paths = list(args.paths)
        if not paths:
            paths = ["-"] if args.stdin_filename else ["."]
        try:
            top = self.config_for(self.cwd)
            self.lang = args.lang or top.get("lang", "zh")
            self.open_cache(top)
            walker = Walker(
                self.config_for, _flatten(args.exclude) or (), args.force_exclude, args.force
            )
            self.top, self.walker = top, walker
            items = walker.items(paths, args.stdin_filename)
            if not items:
                _nothing_checked(self.lang, walker.skipped)
            if args.fix or args.diff:
                results = [self.lint(item) for item in items]
            else:
                return self.check(top, items)
        except ConfigError as error:
            _write(
                sys.stderr,
                f"perflint: {'error' if self.lang == 'en' else '错误'}{': ' if self.lang == 'en' else '：'}{error.render(self.lang)}\n",
            )
            return 2
        return self.report(top, items, results)

    # -- many files: processes and the result cache (perflint/runner.py, perflint/cache.py)

    def open_cache(self, top) -> None:
        """The result cache: --cache-dir, else the config's cache-dir, else $PERFLINT_CACHE_DIR,
        else .perflint_cache in the project root (the top config's directory, or the working one)."""
        if self.args.no_cache:
            return
        from perflint.cache import DEFAULT_DIR, Cache

        inside = None  # a directory the repository names: must stay in its root (perflint.cache)
        if self.args.cache_dir:
            directory = os.path.abspath(self.args.cache_dir)
        elif top.get("cache-dir"):
            directory, inside = os.path.join(top.root, top.get("cache-dir")), top.root
        elif os.environ.get("PERFLINT_CACHE_DIR"):
            directory = os.path.abspath(os.environ["PERFLINT_CACHE_DIR"])
        else:
            directory, inside = os.path.join(top.root, DEFAULT_DIR), top.root
        if inside is not None and not _within(directory, inside):
            self._cache_refused(directory, "outside")
            return
        from perflint.trust import key_dir

        keys = key_dir()
        if keys is not None and (
            _within(keys, top.root) or os.path.realpath(keys) == os.path.realpath(top.root)
        ):
            self._cache_refused(
                keys, "key"
            )  # a key the repository could have committed seals nothing
            return
        cache = Cache.open(directory)
        if not cache.usable:
            if cache.refused:
                self._cache_refused(directory, cache.refused)
            return
        self.cache = cache
        self.memo = cache.memo("rules.json")
        from perflint.values import use_parser_cache

        use_parser_cache(cache.directory)

    def _cache_refused(self, directory: str, why: str) -> None:
        shown = printable(directory)
        reasons = {
            "outside": (
                "经符号链接指向项目根目录之外",
                "leads out of the project root through a symbolic link",
            ),
            "foreign": (
                "已存在且不是 perflint 的缓存目录（没有 perflint 的 CACHEDIR.TAG）",
                "exists and is not a perflint cache (no perflint CACHEDIR.TAG)",
            ),
            "link": ("其中的版本目录是符号链接", "its version directory is a symbolic link"),
            "key": (
                "（缓存密钥所在目录）位于被检查的项目之内",
                "(where the cache key is kept) is inside the project checked",
            ),
        }
        zh, en = reasons[why]
        _say(
            self.lang,
            f"缓存目录 {shown} {zh}，本次不使用缓存",
            f"cache directory {shown} {en}; running without the cache",
            "warning",
        )

    def plan(self, items):
        """(settings table, jobs, rule sets) for the runner. Every item's configuration is
        resolved here, so that a configuration error stops the run before any output."""
        from perflint import runner

        table, index, rulesets, jobs = [], {}, {}, []
        for item in items:
            if id(item.config) not in index:
                policy, ruleset = self.policy_for(item.config)
                index[id(item.config)] = len(table)
                rulesets[len(table)] = ruleset
                table.append(self.settings_for(item.config, policy, ruleset))
            if item.kind == "file":
                jobs.append(runner.Job(item.path, index[id(item.config)]))
        return table, jobs, rulesets

    def repository_index(self, items, rulesets):
        """The index rules across filings compare with (perflint/repository.py): every goal file
        under the project root (the top config's directory, else the git repository's, else the
        working directory), whichever files this run names; None when no such rule is on."""
        if not any(r.scope == "repository" for ruleset in rulesets.values() for r in ruleset.rules):
            return None
        from perflint.repository import build_index

        paths = {os.path.abspath(item.path): item.path for item in items if item.kind == "file"}
        if self.walker is not None and self.top is not None:
            root = (
                self.top.root
                if self.top.path is not None
                else self.walker.gitignores.repo_root(self.cwd) or self.cwd
            )
            for shown, absolute, _, kind in self.walker._walk(root):
                if kind == "file":
                    paths.setdefault(absolute, shown)
        match = (
            self.top.get("same-project", "code-or-name") if self.top is not None else "code-or-name"
        )
        return build_index(paths.values(), self.cache, match)

    def outcomes(self, items, streaming: bool = True, plan=None, renderer=None):
        """(outcome, text) of every item, in order, as each is done: files from the runner
        (processes, cache; `renderer`: see runner.run), standard input, missing and special files
        linted here. An outcome's rows are its findings in the cache's encoding, sorted; its
        lines ({number: text}, files from the runner) or `text` (the others) are what the
        formatters print."""
        from perflint import runner

        table, jobs, rulesets = plan or self.plan(items)
        workers = self.args.jobs or runner.cpu_count()
        progress = self.show_progress(len(jobs), streaming)
        repository = self.repository_index(items, rulesets)
        done = runner.run(
            jobs, table, workers, self.cache, rulesets, progress, renderer, repository
        )
        try:
            for item in items:
                if item.kind == "file":
                    yield next(done), None
                else:
                    result = self.lint(item)
                    text = result.source.text if result.source is not None else None
                    yield runner.make_outcome(result.path, result.diagnostics, None), text
            next(done, None)  # let the runner finish (and stop its workers) normally
        finally:
            done.close()  # stops the workers when the report stops early

    def lint_all(self, items) -> list:
        """Every item's FileResult, in order (for formatters that take the whole list and --fix /
        --diff), and a `Sources` of their texts."""
        from perflint import runner
        from perflint.formats import Sources
        from perflint.lint import FileResult

        if self.args.fix or self.args.diff:
            return [self.lint(item) for item in items], None
        results, sources = [], Sources()
        for outcome, text in self.outcomes(items, streaming=False):
            outcome = runner.decoded(outcome)
            results.append(FileResult(outcome.path, outcome.diagnostics))
            if outcome.lines is not None:
                sources.set_lines(outcome.path, outcome.lines)
            elif text is not None:
                sources.set_text(outcome.path, text)
        return results, sources

    def settings_for(self, config, policy, ruleset):
        from perflint.runner import Settings

        params = config.get("params") or {}
        encoding = self.args.encoding or config.get("encoding")
        key = ""
        if self.cache is not None:
            from perflint.cache import settings_key

            key = settings_key(ruleset, policy, encoding)
        return Settings(
            profile=ruleset.profile,
            params=tuple(
                sorted((code, tuple(sorted(table.items()))) for code, table in params.items())
            ),
            disabled=frozenset(config.get("disable-plugins", ())),
            policy=policy,
            encoding=encoding,
            key=key,
        )

    def show_progress(self, files: int, streaming: bool = False) -> bool:
        """A progress bar on stderr: only for many files, on a terminal, outside CI, without
        --quiet; not when the findings stream to that terminal as they are found (they would tear
        the bar up, and show the progress themselves)."""
        if (
            self.args.quiet
            or files <= 50
            or os.environ.get("CI")
            or os.environ.get("TERM") == "dumb"
        ):
            return False
        try:
            if not sys.stderr.isatty():
                return False
            return not (streaming and not self.args.output_file and sys.stdout.isatty())
        except (AttributeError, ValueError):
            return False

    def lint(self, item):
        from perflint.lint import FileResult
        from perflint.model import Span
        from perflint.readers import parse_error

        self.policy_for(item.config)  # a configuration error comes before the file is read
        path = item.path
        data = None
        if item.kind == "missing":
            finding = parse_error(Span(path, 1, 1, 1, 1), *_missing_reason(path))
        elif item.kind == "stdin":
            from perflint.lint import MAX_BYTES

            data = sys.stdin.buffer.read(
                MAX_BYTES + 1
            )  # more is refused as too large; /dev/zero ends
        else:
            from perflint.lint import read_file, unreadable_finding

            try:
                data = read_file(
                    path
                )  # a pipe, a device or a file above the limit is refused unread
            except OSError as error:
                finding = unreadable_finding(path, error)
        if data is None:
            return FileResult(path, (finding,))
        return self.lint_data(item, data)

    def lint_data(self, item, data: bytes):
        """One item's bytes → its FileResult under its configuration (selection, per-file
        ignores, suppressions, profile; fixed with --fix / --diff). Standard input and the
        language server (perflint/server) come here with the bytes they hold."""
        from perflint.lint import FileResult, is_document
        from perflint.source import DecodeError, SourceText, decode

        policy, ruleset = self.policy_for(item.config)
        path = item.path
        if is_document(path, data):
            return self.lint_document(item, data, policy, ruleset)
        try:
            source = decode(data, self.args.encoding or item.config.get("encoding"))
        except DecodeError as error:
            from perflint.lint import decode_finding

            return FileResult(path, (decode_finding(path, error),))
        enabled = policy.enabled_for(os.path.abspath(path))

        def findings(text: str) -> list:
            return self.findings(
                path, SourceText(text, source.encoding, source.bom), ruleset, policy, enabled
            )

        if not (self.args.fix or self.args.diff):
            return FileResult(path, tuple(findings(source.text)), source)
        return self.fix(item, source, findings)

    def lint_document(self, item, data: bytes, policy, ruleset):
        """A Word / Excel file: its findings, or with --fix / --diff its cells fixed (perflint/office_fix.py)."""
        from perflint.lint import FileResult, read_file
        from perflint.runner import document_findings

        path = item.path
        enabled = policy.enabled_for(os.path.abspath(path))

        def findings(content: bytes) -> list:
            return document_findings(path, content, ruleset, policy, enabled)

        if item.kind == "stdin" and (self.args.fix or self.args.diff):
            _say(self.lang, f"{path}：标准输入中的 Word / Excel 文件不能修复，请在文件上运行 --fix",
                 f"{path}: a Word / Excel file on standard input is not fixed; run --fix on the file", "warning")  # fmt: skip
        if not (self.args.fix or self.args.diff) or item.kind == "stdin":
            return FileResult(path, tuple(findings(data)))
        from perflint.office_fix import cell_diff, fix_document

        outcome = fix_document(path, data, findings, unsafe=self.args.unsafe_fixes)
        for d, zh, en in outcome.refused:
            c = d.span.cell
            where = (
                (c.label_en or c.label if self.lang == "en" else c.label) if c is not None else ""
            )
            _say(
                self.lang,
                f"{path}:{where}：{d.code} 的修复未应用：{zh}",
                f"{path}:{where}: the fix of {d.code} was not applied: {en}",
                "warning",
            )
        if outcome.broken is not None:
            _say(self.lang, f"{path}：修复后的文件无法读取，未修改（{outcome.broken.message.zh}）",
                 f"{path}: the fixed file would not read, left unchanged ({outcome.broken.message.en})", "warning")  # fmt: skip
        if self.args.diff:
            if outcome.changes:
                self.diffs.append(cell_diff(path, outcome.changes, self.lang))
                self.fixed += outcome.fixed
            return FileResult(path, tuple(findings(data)))
        if outcome.data != data:
            try:
                unchanged = (
                    read_file(path) == data
                )  # read again: a file changed meanwhile is not replaced
            except OSError:
                unchanged = False
            if not unchanged:
                _say(
                    self.lang,
                    f"{path}：文件在检查期间被修改，未写入修复",
                    f"{path}: the file changed while it was checked; fixes not written",
                    "warning",
                )
                return FileResult(path, tuple(findings(data)))
            if self.write_fix(path, outcome.data):  # a link's target; never over a read-only file
                self.fixed += outcome.fixed
        return FileResult(path, tuple(outcome.remaining))

    def findings(self, path, source, ruleset, policy, enabled) -> list:
        """One text's findings: read, check, select, suppress (the runner's, so both paths agree)."""
        from perflint.runner import findings

        return findings(path, source, ruleset, policy, enabled)

    def fix(self, item, source, findings):
        """--fix / --diff: apply the fixes (safe ones, or all with --unsafe-fixes) and report what remains."""
        from perflint.engine.fixer import fix_text
        from perflint.lint import FileResult
        from perflint.source import SourceText

        path = item.path
        outcome = fix_text(source.text, findings, unsafe=self.args.unsafe_fixes)
        if outcome.refused is not None:
            shown, zh, en = (
                printable(path),
                printable(outcome.refused.message.zh),
                printable(outcome.refused.message.en),
            )
            _say(
                self.lang,
                f"{shown}：修复后的文件无法读取，未修改（{zh}）",
                f"{shown}: the fixed file would not read, left unchanged ({en})",
                "warning",
            )
        changed = outcome.changed(source.text)
        if self.args.diff:
            if changed:
                import difflib

                lines = difflib.unified_diff(
                    source.text.splitlines(keepends=True), outcome.text.splitlines(keepends=True), f"a/{path}", f"b/{path}",
                )  # fmt: skip
                self.diffs.append("".join(
                    line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines
                ))  # fmt: skip
                self.fixed += outcome.fixed
            return FileResult(path, tuple(findings(source.text)), source)
        if changed:
            if item.kind == "stdin":
                self.stdin_fixed = source.encode(
                    outcome.text
                )  # in the input's encoding, its BOM kept
            elif not self.write_fix(path, source.encode(outcome.text)):
                return FileResult(path, tuple(findings(source.text)), source)
            self.fixed += outcome.fixed
        elif item.kind == "stdin":
            self.stdin_fixed = source.encode(source.text)
        return FileResult(
            path, tuple(outcome.remaining), SourceText(outcome.text, source.encoding, source.bom)
        )

    def write_fix(self, path: str, data: bytes) -> bool:
        """Write a fixed file (through a symbolic link to its target; never over a read-only
        file); False, with a warning, when it cannot be written: the run goes on and ends with
        exit 2."""
        from perflint.engine.fixer import NotWritable, fix_target, write_atomic

        shown = printable(path)
        try:
            write_atomic(fix_target(path), data)
            return True
        except NotWritable:
            _say(
                self.lang,
                f"{shown}：文件只读，未修复",
                f"{shown}: read-only file, not fixed",
                "warning",
            )
        except OSError as error:
            reason = printable(error.strerror or str(error))
            _say(
                self.lang,
                f"{shown}：修复无法写入（{reason}），文件未改动",
                f"{shown}: the fix could not be written ({reason}); file left unchanged",
                "warning",
            )
        self.fix_failures += 1
        return False

    def formatter(self, name: str, config):
        from perflint.plugins.host import get_host

        formatters = get_host(frozenset(config.get("disable-plugins", ()))).merged(
            "perflint_formatters"
        )
        if name not in formatters:
            raise UsageError(
                f"未知的输出格式 {name!r}；可用：{'、'.join(sorted(formatters))}",
                f"unknown output format {name!r}; known: {', '.join(sorted(formatters))}",
            )
        writer = getattr(formatters[name], "writer", None)
        if (
            writer is not None
            and writer().needs_output_file
            and not self.args.output_file
            and not self.args.statistics
        ):
            raise UsageError(
                f"输出格式 {name} 生成的是文件，不能写到标准输出；请用 --output-file 指定文件，如 -o 报告.{name}",
                f"the {name} format makes a file, not text for standard output; name it with --output-file, e.g. -o report.{name}",
            )
        return formatters[name]

    def options(self, top, items, sources):
        from perflint.engine.ruledocs import all_rules
        from perflint.formats import FormatOptions

        rules = {}
        for ruleset in self.rulesets.values():
            rules.update({r.code: r for r in all_rules(ruleset)})
        return FormatOptions(
            lang=self.lang,
            color=self.colour(),
            sources=sources,
            rules=rules,
            files_checked=len(items),
            root=self.cwd,
            quiet=self.args.quiet,
            version=__version__,
            fixed=self.fixed,
            unsafe_fixes=bool(self.args.unsafe_fixes),
        )

    def fail_rank(self, top) -> int | None:
        """The lowest severity rank that fails the run; None with --exit-zero."""
        if self.args.exit_zero:
            return None
        return RANK[self.args.fail_level or top.get("fail-level", "info")]

    def check(self, top, items) -> int:
        """Lint and report, streaming: each file's findings are formatted and written as soon
        as the file (and every one before it) is done, then forgotten. Formatters that take
        the whole list (SARIF, plugins without `stream`) get it at the end (see report)."""
        from perflint.formats import Sources

        args = self.args
        name = args.format or top.get("output-format", "text")
        formatter = self.formatter(name, top)
        writer = None
        if args.statistics:
            if name == "json":
                from perflint.formats.json_format import stream_statistics_json_rows as write
            else:
                from perflint.formats.text import stream_statistics_rows as write
        else:
            write = getattr(formatter, "stream_rows", None)
            stream = getattr(formatter, "stream", None)
            if write is None and callable(stream):
                write = _diagnostic_stream(stream)
            writer = getattr(formatter, "writer", None)  # a built-in FileWriter
        if write is None:
            results, sources = self.lint_all(items)
            return self.report(top, items, results, sources)
        plan = self.plan(items)  # configuration errors come before the output is opened
        sources = Sources()
        options = self.options(top, items, sources)
        fail = self.fail_rank(top)
        if writer is not None:
            return self.check_written(items, plan, writer()(options), sources, fail)
        failed = False

        def batches():
            nonlocal failed
            for path, rows, _ in _batches(self.outcomes(items, plan=plan), sources):
                if not failed and fail is not None:
                    failed = any(RANK.get(row[2], 2) >= fail for row in rows)
                yield path, rows

        feed = batches()
        with _Output(args.output_file) as output:
            for text in write(feed, options):
                output.write(text)
            for _ in feed:  # a formatter that stopped reading early: the exit status needs them all
                pass
        return 1 if failed else 0

    def check_written(self, items, plan, writer, sources, fail) -> int:
        """check() with a built-in format (a FileWriter): a file's text comes from its cache entry
        when it was linted by a run in the same format (which kept it there), else from the
        writer — in the worker that lints the file, or here."""

        def render(path, rows, lines, *filing):
            sources.clear()
            if lines is not None:
                sources.set_lines(path, lines)
            text, note = writer.file(path, rows, *filing)
            return text, note, max((RANK.get(row[2], 2) for row in rows), default=-1)

        # a writer that shows the table as filed renders where the Filing is (the worker), cache or not
        renderer = (
            (writer.key, render, True)
            if writer.needs_filing
            else (writer.key, render)
            if self.cache is not None
            else None
        )
        failed = False
        with _Output(self.args.output_file) as output:
            for path, rows, single in _batches(
                self.outcomes(items, plan=plan, renderer=renderer), sources, True
            ):
                if rows is None:  # rendered already
                    text, note, worst = single.rendered
                    if type(text) is bytes:  # from the cache
                        output.write_bytes(writer.take_bytes(text, note))
                    else:
                        output.write(writer.take(text, note))
                else:
                    worst = max((RANK.get(row[2], 2) for row in rows), default=-1)
                    for start in range(0, len(rows), PIECE_ROWS):  # a row-heavy file: in pieces
                        text, note = writer.file(
                            path,
                            rows[start : start + PIECE_ROWS] if len(rows) > PIECE_ROWS else rows,
                        )
                        output.write(writer.take(text, note))
                        del text
                    if not rows:
                        output.write(writer.take(*writer.file(path, rows)))
                failed = failed or (fail is not None and worst >= fail)
            tail = writer.end()
            for piece in (tail,) if isinstance(tail, (str, bytes)) else tail:
                if type(piece) is bytes:
                    output.write_bytes(piece)
                else:
                    output.write(piece)
        return 1 if failed else 0

    def report(self, top, items, results, sources=None) -> int:
        """Format the whole list of results (--fix, --diff, formatters that do not stream)."""
        from perflint.diagnostics import Diagnostic

        args = self.args
        name = args.format or top.get("output-format", "text")
        formatter = self.formatter(name, top)
        diagnostics = sorted((d for r in results for d in r.diagnostics), key=Diagnostic.sort_key)
        if sources is None:
            sources = {r.path: r.source.text for r in results if r.source is not None}
        options = self.options(top, items, sources)
        if args.diff:
            return self.report_diff(options)
        if args.statistics:
            if name == "json":
                from perflint.formats.json_format import format_statistics_json as stats
            else:
                from perflint.formats.text import format_statistics as stats
            output = stats(diagnostics, options)
        else:
            output = formatter(diagnostics, options)
        if args.output_file:
            _write_file(args.output_file, output)
        elif (
            self.stdin_fixed is not None
        ):  # `--fix -`: the fixed text on stdout, the report on stderr
            _write_bytes(sys.stdout, self.stdin_fixed)
            _write(sys.stderr, output)
        else:
            _write(sys.stdout, output)
        fail = self.fail_rank(top)
        if self.fix_failures:
            return 2
        return (
            1
            if fail is not None and any(RANK.get(d.severity, 2) >= fail for d in diagnostics)
            else 0
        )

    def report_diff(self, options) -> int:
        """--diff: the changes --fix would make, as a unified diff; exit 1 when there are any."""
        output = "".join(self.diffs)
        if self.args.output_file:
            _write_file(self.args.output_file, output)
        else:
            _write(sys.stdout, output)
        if not self.args.quiet:
            n = self.fixed
            _write(
                sys.stderr,
                f"Would fix {n} problem{'s' if n != 1 else ''}.\n"
                if self.lang == "en"
                else f"将修复 {n} 个问题。\n",
            )
        return 0 if self.args.exit_zero or not self.diffs else 1

    def colour(self) -> bool:
        if self.args.color is not None:
            return self.args.color
        if self.args.output_file or os.environ.get("NO_COLOR"):
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        try:
            return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
        except (AttributeError, ValueError):
            return False


def _batches(outcomes, sources, rendered: bool = False):
    """(path, rows, single) batches for a formatter from `outcomes` ((Outcome, text) in path
    order): consecutive outcomes of one path form one batch, sorted as the report sorts;
    `sources` is set to the batch's lines before it is handed over. `single` is the outcome when
    the batch is all of one outcome's findings and nothing else, else None. With `rendered`, a
    single outcome that comes rendered (Outcome.rendered) is handed over as it is, rows None.

    A finding whose span names another file than the one linted (only a plugin could make one)
    waits in a heap for its file's turn; if that file was reported already it comes next."""
    import heapq
    from itertools import count

    from perflint.runner import decoded

    pending: list = []  # (path, line, col, code, end_line, end_col, n, row) of such findings
    serial = count()

    def take(path, group):
        rows, foreign = [], False
        for outcome, _ in group:
            for row in outcome.rows:
                if row[5][0] is None or row[5][0] == path:
                    rows.append(row)
                else:
                    foreign = True
        if foreign:
            for outcome, _ in group:
                for row in outcome.rows:
                    p = row[5][0]
                    if p is not None and p != path:
                        s = row[5]
                        heapq.heappush(
                            pending, (p, s[1], s[2], row[0], s[3], s[4], next(serial), row)
                        )
        return rows, foreign

    def overdue(before):
        """Batches of pending findings of paths before `before` (None: all)."""
        while pending and (before is None or pending[0][0] < before):
            path = pending[0][0]
            rows = []
            while pending and pending[0][0] == path:
                rows.append(heapq.heappop(pending)[-1])
            sources.clear()
            yield path, rows, None

    def batch(path, group):
        if (
            rendered
            and len(group) == 1
            and group[0][0].rendered is not None
            and not (pending and pending[0][0] <= path)
        ):
            yield group[0][0].path, None, group[0][0]
            return
        group = [(decoded(outcome), text) for outcome, text in group]
        rows, foreign = take(path, group)
        yield from overdue(path)
        merged = False
        while pending and pending[0][0] == path:
            rows.append(heapq.heappop(pending)[-1])
            merged = True
        if len(group) > 1 or merged:
            rows.sort(key=lambda r: (r[5][1], r[5][2], r[0], r[5][3], r[5][4]))
        sources.clear()
        for outcome, text in group:
            if outcome.lines is not None:
                sources.set_lines(path, outcome.lines)
            elif text is not None:
                sources.set_text(path, text)
        yield path, rows, (group[0][0] if len(group) == 1 and not foreign and not merged else None)

    group: list = []
    for outcome in outcomes:
        if group and outcome[0].path != group[0][0].path:
            yield from batch(group[0][0].path, group)
            group = []
        group.append(outcome)
    if group:
        yield from batch(group[0][0].path, group)
    yield from overdue(None)


def _diagnostic_stream(stream):
    """A formatter's `stream` (batches of diagnostics) fed (path, rows) batches."""

    def write(batches, options):
        return stream((_Decoded(rows, path) for path, rows in batches), options)

    return write


from collections.abc import Sequence as _Sequence  # noqa: E402 - (cheap: imported by os already)


class _Decoded(_Sequence):
    """One batch of findings in the cache's encoding as a sequence of Diagnostics, each decoded
    when it is reached (a file with 100 000 findings is not a second list of 100 000 objects)."""

    __slots__ = ("rows", "path")

    def __init__(self, rows: list, path):
        self.rows, self.path = rows, path

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        from perflint.cache import decode_diagnostics

        if isinstance(index, slice):
            return decode_diagnostics(self.rows[index], self.path)
        return decode_diagnostics([self.rows[index]], self.path)[0]

    def __iter__(self):
        from perflint.cache import decode_diagnostics

        rows, path = self.rows, self.path
        for start in range(0, len(rows), 1000):
            yield from decode_diagnostics(rows[start : start + 1000], path)


class _Output:
    """Where a streamed report goes: standard output, a piece at a time, or `--output-file`,
    written to a temporary file beside it that replaces it only when the report is complete
    (an error or Ctrl-C leaves the old file, never half a report). Pipes and files get UTF-8,
    a terminal its own encoding."""

    LIMIT = 1 << 16  # bytes held before writing

    def __init__(self, path: str | None):
        self.path, self.temporary, self.parts, self.size = path, None, [], 0
        self.stream = None
        self.utf8 = None  # whether UTF-8 bytes go out as they are (worked out when first needed)
        if path is None:
            self.stream = sys.stdout
            self.buffer = getattr(self.stream, "buffer", None)
            try:
                encoding = self.stream.encoding if self.stream.isatty() else "utf-8"
            except (AttributeError, ValueError):
                encoding = "utf-8"
            self.encoding = encoding or "utf-8"
            return
        directory = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(directory, exist_ok=True)
            fd, self.temporary = open_replacement(path)
        except OSError as error:
            reason = error.strerror or str(error)
            raise UsageError(
                f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}"
            ) from None
        self.buffer = os.fdopen(fd, "wb")
        self.encoding = "utf-8"

    def __enter__(self):
        return self

    def write(self, text: str) -> None:
        if text:
            self._hold(
                text.encode(self.encoding, errors="replace") if self.buffer is not None else text
            )

    def write_bytes(self, data: bytes) -> None:
        """Write UTF-8 bytes (a rendering from the cache)."""
        if not data:
            return
        if self.utf8 is None:
            import codecs

            self.utf8 = self.buffer is not None and codecs.lookup(self.encoding).name == "utf-8"
        if self.utf8:
            self._hold(data)
        else:
            self.write(data.decode("utf-8"))

    def _hold(self, piece) -> None:
        self.parts.append(piece)
        self.size += len(piece)
        if self.size >= self.LIMIT:
            self.flush()

    def flush(self) -> None:
        parts, self.parts, self.size = self.parts, [], 0
        if self.buffer is None:  # a stream without a binary buffer
            self.stream.write("".join(parts))
            self.stream.flush()
            return
        if self.stream is not None:
            self.stream.flush()
        self.buffer.write(b"".join(parts))
        if self.stream is not None:
            self.buffer.flush()

    def __exit__(self, kind, error, trace) -> None:
        if self.temporary is None:
            if kind is None:
                self.flush()
            return
        try:
            if kind is None:
                self.flush()
                self.buffer.close()
                os.replace(self.temporary, self.path)
                self.temporary = None
        finally:
            if self.temporary is not None:
                self.buffer.close()
                try:
                    os.unlink(self.temporary)
                except OSError:
                    pass


def _selector_keys(config, selector: str) -> tuple:
    """The config key path where `selector` is written, for the error's line."""
    for key in ("select", "extend-select", "ignore"):
        if selector in (config.get(key) or ()):
            return (key,)
    for key, _ in config.get("severity") or ():
        if key == selector:
            return ("severity", key)
    for pattern, codes in config.get("per-file-ignores") or ():
        if selector in codes:
            return ("per-file-ignores", pattern)
    return ()


def _same_type(default, value) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str)
    return True


def _type_name(default, lang: str) -> str:
    if isinstance(default, bool):
        return "true 或 false" if lang == "zh" else "true or false"
    if isinstance(default, (int, float)):
        return "数字" if lang == "zh" else "a number"
    if isinstance(default, str):
        return "文本" if lang == "zh" else "a string"
    return type(default).__name__
