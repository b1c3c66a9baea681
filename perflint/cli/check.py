"""`perflint check`: configs → files → rule sets → findings → output → exit code.

`CheckRun.run` asks the `Session` (perflint/session.py) what governs each file, the `Walker`
(perflint/discovery.py) which files to check, the runner (perflint/runner.py: processes and the
result cache) for each file's findings through the route (perflint/route.py), and writes them
as they come (cli/report.py). --fix / --diff go file by file through cli/fix.py.
"""

from __future__ import annotations

import gc
import os
import sys

from perflint import __version__, reading, route, runner
from perflint.cache import settings_key
from perflint.cli import pages, report
from perflint.cli.args import flatten, selection_layer
from perflint.cli.fix import Fixer
from perflint.cli.importer import check_encoding
from perflint.cli.output import colour, say, write, write_bytes, write_file
from perflint.config import ConfigError
from perflint.diagnostics import Diagnostic
from perflint.discovery import Walker
from perflint.engine.ruledocs import all_rules
from perflint.errors import BilingualError
from perflint.files import MAX_BYTES
from perflint.formats import FormatOptions, Sources
from perflint.plugins.host import get_host
from perflint.repository_scan import build_index
from perflint.session import Options, Session


def run_check(args) -> int:
    # A run allocates millions of objects and keeps few cycles: collect rarely.
    thresholds = gc.get_threshold()
    gc.set_threshold(20_000, 20, 100)
    try:
        return CheckRun(args).run()
    finally:
        gc.set_threshold(*thresholds)


class CheckRun:
    """One `perflint check`."""

    def __init__(self, args):
        self.args = args
        self.lang = args.lang or "zh"
        self.cwd = os.getcwd()
        if args.encoding:
            check_encoding(args.encoding)
        options = Options(
            config=args.config,
            isolated=args.isolated,
            profile=args.profile,
            layer=selection_layer(args),
            encoding=args.encoding,
        )
        self.session = Session(options, self.cwd, self.warn)
        fixing = args.fix or args.diff
        self.fixer = Fixer(self.lang, bool(args.diff), bool(args.unsafe_fixes)) if fixing else None
        self.top = self.walker = None  # the top config and the Walker of this run (set by run())
        self.cache = None  # perflint.cache.Cache, opened by run() unless --no-cache
        self.repository = None  # the Index of rules across filings, when one is on

    def warn(self, zh: str, en: str) -> None:
        say(self.lang, zh, en, "warning")

    # -- the run

    def run(self) -> int:
        args = self.args
        paths = list(args.paths) or (["-"] if args.stdin_filename else ["."])
        try:
            top = self.session.config_for(self.cwd)
            self.lang = args.lang or top.get("lang", "zh")
            if self.fixer is not None:
                self.fixer.lang = self.lang
            self.open_cache(top)
            walker = Walker(
                self.session.config_for, flatten(args.exclude) or (), args.force_exclude, args.force
            )
            self.top, self.walker = top, walker
            items = walker.items(paths, args.stdin_filename)
            if not items:
                report.nothing_checked(self.lang, walker.skipped)
            if self.fixer is None:
                return self.check(top, items)
            results = [self.lint(item) for item in items]
        except ConfigError as error:
            label, sep = ("error", ": ") if self.lang == "en" else ("错误", "：")
            write(sys.stderr, f"perflint: {label}{sep}{error.render(self.lang)}\n")
            return 2
        return self.report(top, items, results)

    def lint(self, item) -> route.FileReport:
        """One item's report through the route (fixed with --fix / --diff): files named on the
        command line that are missing, standard input, and every file when fixing."""
        settings = self.session.settings_for(item.config, self.repository)  # config errors first
        if item.kind == "missing":
            return route.FileReport(item.path, (reading.missing_finding(item.path),))
        source = item.path
        if item.kind == "stdin":  # more than the limit is refused as too large; /dev/zero ends
            source = route.Bytes(item.path, sys.stdin.buffer.read(MAX_BYTES + 1))
        if self.fixer is not None:
            return self.fixer.fix(source, settings, item.kind == "stdin")
        return route.lint_file(source, settings)

    # -- many files: processes and the result cache (perflint/runner.py, perflint/cache.py)

    def open_cache(self, top) -> None:
        """The result cache (perflint/session.py), unless --no-cache."""
        if not self.args.no_cache:
            self.cache = self.session.open_cache(top, self.args.cache_dir)

    def plan(self, items):
        """(settings table, jobs, rule sets) for the runner. Every item's configuration is
        resolved here, so that a configuration error stops the run before any output."""
        table, index, rulesets, jobs = [], {}, {}, []
        for item in items:
            if id(item.config) not in index:
                policy, ruleset = self.session.policy_for(item.config)
                index[id(item.config)] = len(table)
                rulesets[len(table)] = ruleset
                table.append(self.settings_for(item.config, policy, ruleset))
            if item.kind == "file":
                jobs.append(runner.Job(item.path, index[id(item.config)]))
        return table, jobs, rulesets

    def settings_for(self, config, policy, ruleset) -> runner.Settings:
        """The runner's (picklable) settings of a config."""
        params = config.get("params") or {}
        encoding = self.session.encoding_of(config)
        key = settings_key(ruleset, policy, encoding) if self.cache is not None else ""
        return runner.Settings(
            profile=ruleset.profile,
            params=tuple(
                sorted((code, tuple(sorted(table.items()))) for code, table in params.items())
            ),
            disabled=frozenset(config.get("disable-plugins", ())),
            policy=policy,
            encoding=encoding,
            key=key,
        )

    def repository_index(self, items, rulesets):
        """The index rules across filings compare with (perflint/repository.py): every goal file
        under the project root (the top config's directory, else the git repository's, else the
        working directory), whichever files this run names; None when no such rule is on."""
        if not any(r.scope == "repository" for ruleset in rulesets.values() for r in ruleset.rules):
            return None
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
        (processes, cache; `renderer`: see runner.run), standard input and missing files through
        the route here. An outcome's rows are its findings in the cache's encoding, sorted; its
        lines ({number: text}, files from the runner) or `text` (the others) are what the
        formatters print."""
        table, jobs, rulesets = plan or self.plan(items)
        workers = self.args.jobs or runner.cpu_count()
        progress = self.show_progress(len(jobs), streaming)
        self.repository = self.repository_index(items, rulesets)
        done = runner.run(
            jobs, table, workers, self.cache, rulesets, progress, renderer, self.repository
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

    def lint_all(self, items):
        """Every item's report, in order (for formatters that take the whole list and --fix /
        --diff), and a `Sources` of their texts."""
        results, sources = [], Sources()
        for outcome, text in self.outcomes(items, streaming=False):
            outcome = runner.decoded(outcome)
            results.append(route.FileReport(outcome.path, outcome.diagnostics))
            if outcome.lines is not None:
                sources.set_lines(outcome.path, outcome.lines)
            elif text is not None:
                sources.set_text(outcome.path, text)
        return results, sources

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

    # -- output

    def formatter(self, name: str, config):
        formatters = get_host(frozenset(config.get("disable-plugins", ()))).merged(
            "perflint_formatters"
        )
        if name not in formatters:
            raise BilingualError(
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
            raise BilingualError(
                f"输出格式 {name} 生成的是文件，不能写到标准输出；请用 --output-file 指定文件，如 -o 报告.{name}",
                f"the {name} format makes a file, not text for standard output; name it with --output-file, e.g. -o report.{name}",
            )
        return formatters[name]

    def options(self, top, items, sources) -> FormatOptions:
        rules = {}
        for ruleset in self.session.rulesets.values():
            rules.update({r.code: r for r in all_rules(ruleset)})
        return FormatOptions(
            lang=self.lang,
            color=colour(self.args),
            sources=sources,
            rules=rules,
            files_checked=len(items),
            root=self.cwd,
            quiet=self.args.quiet,
            version=__version__,
            fixed=self.fixer.fixed if self.fixer is not None else 0,
            unsafe_fixes=bool(self.args.unsafe_fixes),
            filing_of=pages.filing_of,
            rule_page=pages.rule_page,
        )

    def fail_rank(self, top) -> int | None:
        """The lowest severity rank that fails the run; None with --exit-zero."""
        if self.args.exit_zero:
            return None
        return report.RANK[self.args.fail_level or top.get("fail-level", "info")]

    def check(self, top, items) -> int:
        """Lint and report, streaming (cli/report.py); formatters that take the whole list
        (plugins without `stream`) get it at the end (see `report`)."""
        return report.check(self, top, items)

    def report(self, top, items, results, sources=None) -> int:
        """Format the whole list of results (--fix, --diff, formatters that do not stream)."""
        args = self.args
        name = args.format or top.get("output-format", "text")
        formatter = self.formatter(name, top)
        diagnostics = sorted((d for r in results for d in r.diagnostics), key=Diagnostic.sort_key)
        if sources is None:
            sources = {r.path: r.source.text for r in results if r.source is not None}
        options = self.options(top, items, sources)
        if args.diff:
            return self.report_diff()
        if args.statistics:
            output = report.statistics(name)(diagnostics, options)
        else:
            output = formatter(diagnostics, options)
        stdin_fixed = self.fixer.stdin_fixed if self.fixer is not None else None
        if args.output_file:
            write_file(args.output_file, output)
        elif stdin_fixed is not None:  # `--fix -`: the fixed text on stdout, the report on stderr
            write_bytes(sys.stdout, stdin_fixed)
            write(sys.stderr, output)
        else:
            write(sys.stdout, output)
        if self.fixer is not None and self.fixer.failures:
            return 2
        fail = self.fail_rank(top)
        failed = fail is not None and any(
            report.RANK.get(d.severity, 2) >= fail for d in diagnostics
        )
        return 1 if failed else 0

    def report_diff(self) -> int:
        """--diff: the changes --fix would make, as a unified diff; exit 1 when there are any."""
        output = "".join(self.fixer.diffs)
        if self.args.output_file:
            write_file(self.args.output_file, output)
        else:
            write(sys.stdout, output)
        self.fixer.summary(self.args.quiet)
        return 0 if self.args.exit_zero or not self.fixer.diffs else 1
