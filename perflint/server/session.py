"""The language server's route from a document to findings: the command line's own.

A `Session` holds a `perflint.session.Session` built from `perflint check` arguments (the same
argument parser: configs, rule sets and policies per directory) and hands each document to the route (`perflint.route.lint_file`) as the bytes
a file at its path would hold — what `perflint check --stdin-filename PATH -` does. So
configuration discovery, select / ignore, per-file ignores, suppressions, profile and params
are the CLI's, not a copy of them.

The configuration files that govern a directory are stamped (path, mtime, size) on every lint;
when a stamp changes — a `.perflint.yaml` or `pyproject.toml` edited, added or removed — the
session is rebuilt (keeping the compiled rule sets, which are keyed by content), so a change is
picked up without a restart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from perflint import reading, route
from perflint import session as shared
from perflint.cli.args import parse_args, selection_layer
from perflint.cli.fix import Fixer
from perflint.cli.importer import check_encoding
from perflint.cli.output import say
from perflint.config import CONFIG_NAMES, ConfigError
from perflint.diagnostics import Diagnostic
from perflint.engine.ruledocs import all_rules
from perflint.errors import BilingualError
from perflint.source import DecodeError, decode


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
        self.argv = ("check", *args)
        self.args = parse_args(list(self.argv))  # SystemExit(2) for bad arguments, as the CLI
        self.lang_option = lang or self.args.lang
        self.current = None  # the perflint.session.Session in use, rebuilt on a config change
        self.stamps: dict[str, tuple] = {}
        self.rulesets: dict = {}  # kept across rebuilds: keyed by profile, params and plugins
        self.generation = 0  # bumped whenever the session is rebuilt (configuration changed)

    # -- the session, rebuilt when a configuration file changes

    def _fresh_run(self):
        """A session of the arguments' options, sharing the compiled rule sets."""
        args = self.args
        if args.encoding:
            check_encoding(args.encoding)
        options = shared.Options(args.config, args.isolated, args.profile, selection_layer(args), args.encoding)  # fmt: skip
        run = shared.Session(options, warn=self._warn, rulesets=self.rulesets)
        if not args.no_cache:
            try:
                run.open_cache(run.config_for(run.cwd), args.cache_dir)  # stored values: less Lark
            except Exception:
                pass
        self.generation += 1
        return run

    def _warn(self, zh: str, en: str) -> None:
        say(self.lang(), zh, en, "warning")

    def invalidate(self) -> None:
        """Forget every configuration (a watched file changed): the next lint re-discovers."""
        self.current = None
        self.stamps.clear()

    def _run_for(self, directory: str):
        stamp = config_stamp(directory)
        if self.current is None or self.stamps.get(directory, stamp) != stamp:
            self.current = self._fresh_run()
            self.stamps.clear()
        self.stamps[directory] = stamp
        return self.current

    def lang(self, path: str | None = None) -> str:
        """The message language: the client's option, else the governing config's `lang`, else zh."""
        if self.lang_option:
            return self.lang_option
        if path is not None and self.current is not None:
            try:
                return self.current.config_for(os.path.dirname(os.path.abspath(path))).get(
                    "lang", "zh"
                )
            except Exception:
                pass
        return "zh"

    # -- linting

    def _config(self, run, path: str):
        return run.config_for(os.path.dirname(os.path.abspath(path)))

    def _encode(self, run, path: str, text: str) -> bytes:
        """The document's text as the bytes a file would hold (in the configured encoding)."""
        codec = run.encoding_of(self._config(run, path)) or "utf-8"
        try:
            return text.encode(codec)
        except (LookupError, UnicodeEncodeError):
            return text.encode("utf-8", errors="surrogatepass")

    def _guarded(self, path: str, text: str, work) -> Linted:
        """Run `work(run)` → diagnostics; configuration and usage errors become a Problem."""
        directory = os.path.dirname(os.path.abspath(path))
        try:
            run = self._run_for(directory)
            found = work(run)
        except ConfigError as error:
            self.stamps.pop(directory, None)  # try the file again next time
            self.current = None
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
        except BilingualError as error:
            self.current = None
            return Linted(path, text, (), Problem(error.zh, error.en))
        return Linted(path, text, tuple(sorted(found, key=Diagnostic.sort_key)), None, self.rules())

    def lint_text(self, path: str, text: str) -> Linted:
        """The findings for `text` standing for the file at `path` (unsaved editor text)."""

        def work(run):
            settings = run.settings_of_path(path)
            return route.lint_file(route.Bytes(path, self._encode(run, path, text)), settings).diagnostics  # fmt: skip

        return self._guarded(path, text, work)

    def lint_path(self, path: str) -> Linted:
        """The findings for the file at `path` as it is on disk (a Word or Excel file, which an
        editor does not send as text); a missing or unreadable file gives its PF001."""

        def work(run):
            settings = run.settings_of_path(path)
            if not os.path.exists(path):
                return (reading.missing_finding(path),)
            return route.lint_file(path, settings).diagnostics

        return self._guarded(path, "", work)

    def fix_all(self, path: str, text: str) -> str | None:
        """The text `perflint check --fix --stdin-filename PATH -` would print for `text` (safe
        fixes only; the CLI's fixer, passes and refusal), or None on a configuration error."""
        try:
            run = self._run_for(os.path.dirname(os.path.abspath(path)))
            settings = run.settings_of_path(path)
            data = self._encode(run, path, text)
        except (ConfigError, BilingualError):
            return None
        fixer = Fixer(self.lang(path))  # safe fixes only, as `--fix` alone
        fixer.fix(route.Bytes(path, data), settings, stdin=True)
        if fixer.stdin_fixed is None:
            return text
        try:  # the CLI writes the fixed input in its own encoding: the editor gets text back
            return decode(fixer.stdin_fixed, settings.encoding).text
        except DecodeError:
            return None

    def rules(self) -> dict:
        """code → rule (rule files of every rule set in use, and the built-in findings)."""
        found = {}
        for ruleset in list(self.rulesets.values()):
            for rule in all_rules(ruleset):
                found.setdefault(rule.code, rule)
        return found

    def profile_names(self, path: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(一级, 二级) category names of the profile governing `path` (every profile's for `auto`)."""
        try:
            run = self._run_for(os.path.dirname(os.path.abspath(path)))
            config = self._config(run, path)
            ruleset = run.ruleset_for(config)
        except Exception:
            return (), ()
        taxonomy = ruleset.taxonomy
        chosen = run.profile_of(config)
        profiles = (
            [taxonomy.profiles[chosen]]
            if chosen in taxonomy.profiles
            else list(taxonomy.profiles.values())
        )
        level1 = tuple(dict.fromkeys(n for p in profiles for n in p.level1_names))
        level2 = tuple(dict.fromkeys(n for p in profiles for n in p.level2_names))
        return level1, level2
