"""The language server's route from a document to findings: the command line's own.

A `Session` holds a `perflint check` run (`perflint.cli.CheckRun`, built from the same argument
parser) and hands each document to `CheckRun.lint_data` as standard input named by its path —
what `perflint check --stdin-filename PATH -` does. So configuration discovery, select / ignore,
per-file ignores, suppressions, profile and params are the CLI's, not a copy of them.

The configuration files that govern a directory are stamped (path, mtime, size) on every lint;
when a stamp changes — a `.perflint.yaml` or `pyproject.toml` edited, added or removed — the run
is rebuilt (keeping the compiled rule sets, which are keyed by content), so a change is picked up
without a restart.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field

from perflint.diagnostics import Diagnostic


@dataclass(frozen=True)
class Problem:
    """A configuration or usage error met while linting: shown on the document, located in
    the configuration file when it has one."""

    zh: str
    en: str
    path: str | None = None  # the configuration file
    line: int = 1
    col: int = 1

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Linted:
    """One document's findings (sorted as the CLI sorts them), or the problem that stopped it."""

    path: str
    text: str
    diagnostics: tuple[Diagnostic, ...] = ()
    problem: Problem | None = None
    rules: dict = field(default_factory=dict, compare=False)  # code → Rule / MetaRule (docs, urls)


def config_stamp(directory: str) -> tuple:
    """(path, mtime_ns, size) of every configuration file from `directory` up to the root:
    any edit, addition or removal of one changes it."""
    from perflint.config import CONFIG_NAMES

    stamp = []
    current = os.path.abspath(directory)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(current, name)
            try:
                info = os.stat(candidate)
            except OSError:
                continue
            stamp.append((candidate, info.st_mtime_ns, info.st_size))
        parent = os.path.dirname(current)
        if parent == current:
            return tuple(stamp)
        current = parent


class Session:
    """Lints documents as `perflint check ARGS --stdin-filename PATH -` would."""

    def __init__(self, args: tuple[str, ...] = (), lang: str | None = None):
        """`args`: extra `perflint check` options. The cache directory (`--cache-dir`, the
        configuration's `cache-dir`, $PERFLINT_CACHE_DIR or .perflint_cache) keeps the parsed
        values, so values seen before need no Lark; `--no-cache` turns it off."""
        from perflint.cli import parse_args

        self.argv = ("check", *args)
        self.args = parse_args(list(self.argv))  # SystemExit(2) for bad arguments, as the CLI
        self.lang_option = lang or self.args.lang
        self.run = None
        self.stamps: dict[str, tuple] = {}
        self.rulesets: dict = {}  # kept across rebuilds: keyed by profile, params and plugins
        self.generation = 0  # bumped whenever the run is rebuilt (configuration changed)

    # -- the run, rebuilt when a configuration file changes

    def _fresh_run(self):
        from perflint.cli import CheckRun

        run = CheckRun(self.args)
        run.rulesets = self.rulesets
        try:
            top = run.config_for(run.cwd)
            run.open_cache(top)  # the stored values: no Lark import for values seen before
        except Exception:
            pass
        self.generation += 1
        return run

    def invalidate(self) -> None:
        """Forget every configuration (a watched file changed): the next lint re-discovers."""
        self.run = None
        self.stamps.clear()

    def _run_for(self, directory: str):
        stamp = config_stamp(directory)
        if self.run is None or self.stamps.get(directory, stamp) != stamp:
            self.run = self._fresh_run()
            self.stamps.clear()
        self.stamps[directory] = stamp
        return self.run

    def lang(self, path: str | None = None) -> str:
        """The message language: the client's option, else the governing config's `lang`, else zh."""
        if self.lang_option:
            return self.lang_option
        if path is not None and self.run is not None:
            try:
                return self.run.config_for(os.path.dirname(os.path.abspath(path))).get("lang", "zh")
            except Exception:
                pass
        return "zh"

    # -- linting

    def _item(self, run, path: str, kind: str = "stdin"):
        from perflint.discovery import Item

        return Item(path, run.config_for(os.path.dirname(os.path.abspath(path))), kind)

    def _encode(self, run, item, text: str) -> bytes:
        """The document's text as the bytes a file would hold (in the configured encoding)."""
        codec = run.args.encoding or item.config.get("encoding") or "utf-8"
        try:
            return text.encode(codec)
        except (LookupError, UnicodeEncodeError):
            return text.encode("utf-8", errors="surrogatepass")

    def _guarded(self, path: str, text: str, work) -> Linted:
        """Run `work(run)` → diagnostics; configuration and usage errors become a Problem."""
        from perflint.cli import UsageError
        from perflint.config import ConfigError

        directory = os.path.dirname(os.path.abspath(path))
        try:
            run = self._run_for(directory)
            found = work(run)
        except ConfigError as error:
            self.stamps.pop(directory, None)  # try the file again next time
            self.run = None
            return Linted(
                path,
                text,
                (),
                Problem(
                    f"配置错误：{error.message.zh}",
                    f"configuration error: {error.message.en}",
                    error.path,
                    error.line,
                    error.col,
                ),
            )
        except UsageError as error:
            self.run = None
            return Linted(path, text, (), Problem(error.zh, error.en))
        return Linted(path, text, tuple(sorted(found, key=Diagnostic.sort_key)), None, self.rules())

    def lint_text(self, path: str, text: str) -> Linted:
        """The findings for `text` standing for the file at `path` (unsaved editor text)."""

        def work(run):
            item = self._item(run, path)
            return run.lint_data(item, self._encode(run, item, text)).diagnostics

        return self._guarded(path, text, work)

    def lint_path(self, path: str) -> Linted:
        """The findings for the file at `path` as it is on disk (a Word or Excel file, which an
        editor does not send as text); a missing or unreadable file gives its PF001."""

        def work(run):
            kind = "file" if os.path.exists(path) else "missing"
            return run.lint(self._item(run, path, kind)).diagnostics

        return self._guarded(path, "", work)

    def fix_all(self, path: str, text: str) -> str | None:
        """The text `perflint check --fix --stdin-filename PATH -` would print for `text` (safe
        fixes only; the CLI's fixer, passes and refusal), or None on a configuration error."""
        from perflint.cli import UsageError
        from perflint.config import ConfigError

        try:
            run = self._run_for(os.path.dirname(os.path.abspath(path)))
            fixer = copy.copy(run)  # shares the configs, rule sets and policies
            fixer.args = copy.copy(run.args)
            fixer.args.fix, fixer.args.diff, fixer.args.unsafe_fixes = True, False, False
            fixer.stdin_fixed, fixer.fixed, fixer.diffs = None, 0, []
            item = self._item(fixer, path)
            fixer.lint_data(item, self._encode(fixer, item, text))
        except (ConfigError, UsageError):
            return None
        if fixer.stdin_fixed is None:
            return text
        from perflint.source import DecodeError, decode

        try:  # the CLI writes the fixed input in its own encoding: the editor gets text back
            return decode(fixer.stdin_fixed, run.args.encoding or item.config.get("encoding")).text
        except DecodeError:
            return None

    def rules(self) -> dict:
        """code → rule (rule files of every rule set in use, and the built-in findings)."""
        from perflint.engine.ruledocs import all_rules

        found = {}
        for ruleset in list(self.rulesets.values()):
            for rule in all_rules(ruleset):
                found.setdefault(rule.code, rule)
        return found

    def profile_names(self, path: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(一级, 二级) category names of the profile governing `path` (every profile's for `auto`)."""
        try:
            run = self._run_for(os.path.dirname(os.path.abspath(path)))
            config = self._item(run, path).config
            ruleset = run.ruleset_for(config)
        except Exception:
            return (), ()
        taxonomy = ruleset.taxonomy
        chosen = run.args.profile or config.get("profile", "auto")
        profiles = (
            [taxonomy.profiles[chosen]]
            if chosen in taxonomy.profiles
            else list(taxonomy.profiles.values())
        )
        level1 = tuple(dict.fromkeys(n for p in profiles for n in p.level1_names))
        level2 = tuple(dict.fromkeys(n for p in profiles for n in p.level2_names))
        return level1, level2
