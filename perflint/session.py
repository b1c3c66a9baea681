"""What governs a file, per directory: configuration discovery → rule set → policy → settings
(and where the result cache of the project is).

A `Session` is shared by the command line (one per `perflint check`), the language server (one
per workspace, rebuilt when a configuration file changes) and the API. Each step is cached: a
directory's config file by the `Finder`, a config's compiled rule set by (profile, params,
disabled plugins), its `Policy` (select, ignore, severity, per-file ignores) by the config. A
problem in a config file is a `ConfigError` (located in that file); one in the session's own
options (`profile`, the command line's selectors) a `BilingualError`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from perflint import route
from perflint.cache import DEFAULT_DIR, Cache
from perflint.config import Config, Finder, default_config, load_config
from perflint.engine import load_ruleset
from perflint.engine.suppress import BUILTIN_RULES
from perflint.errors import BilingualError
from perflint.escaping import printable
from perflint.plugins.host import get_host
from perflint.selection import Layer, RuleRef, make_policy, unknown_selectors
from perflint.trust import key_dir
from perflint.values import use_parser_cache


@dataclass(frozen=True)
class Options:
    """The session's options: what the command line (or an editor's settings) says over the
    configuration files."""

    config: str | None = None  # one config file for every directory (--config)
    isolated: bool = False  # no config file at all (--isolated)
    profile: str | None = None  # --profile
    layer: Layer = Layer()  # --select / --extend-select / --ignore / --severity
    encoding: str | None = None  # --encoding


def _ignore(zh: str, en: str) -> None:
    """The default for a session's warnings: none shown."""


class Session:
    """Configs, rule sets and policies per directory, each built once."""

    def __init__(
        self,
        options: Options = Options(),
        cwd: str | None = None,
        warn: Callable[[str, str], None] = _ignore,
        rulesets: dict | None = None,
    ):
        """`warn(zh, en)` is told of what does not stop a run (a skipped rule file, a disabled
        plugin that is not installed); `rulesets` may be kept across sessions (keyed by content)."""
        self.options, self.cwd, self.warn = options, cwd or os.getcwd(), warn
        self.finder = Finder()
        self.configs: dict[str, Config] = {}
        self.rulesets: dict[tuple, object] = {} if rulesets is None else rulesets
        self.policies: dict[int, tuple] = {}
        self.problems_seen: set[str] = set()
        self.memo = None  # the result cache's memo of schema-checked rule files (perflint.cache)

    # -- configuration

    def config_for(self, directory: str) -> Config:
        """The config governing the files of `directory` (ConfigError when it does not read)."""
        options = self.options
        if options.isolated:
            key = "<isolated>"
        elif options.config:
            key = os.path.abspath(options.config)
        else:
            key = self.finder.config_path(directory) or "<default>"
        if key not in self.configs:
            plain = key in ("<isolated>", "<default>")
            self.configs[key] = default_config(self.cwd) if plain else load_config(key)
        return self.configs[key]

    def profile_of(self, config: Config) -> str:
        return self.options.profile or config.get("profile", "auto")

    def encoding_of(self, config: Config) -> str | None:
        return self.options.encoding or config.get("encoding")

    # -- rules

    def ruleset_for(self, config: Config):
        """The compiled rule set for a config (profile, params, disabled plugins), checked
        against the rules it names."""
        profile = self.profile_of(config)
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
            _check_params(params, base, config)
            ruleset = load_ruleset(profile, params, host=host, memo=self.memo)
        else:
            ruleset = base
        for problem in ruleset.problems:
            if problem not in self.problems_seen:
                self.problems_seen.add(problem)
                self.warn(f"已跳过：{problem}", f"skipped: {problem}")
        self.rulesets[key] = ruleset
        return ruleset

    def _check_profile(self, profile: str, ruleset, config: Config) -> None:
        known = ("auto", *ruleset.taxonomy.profiles)
        if profile in known:
            return
        zh = f"未知的指标体系 {profile!r}；可用：{'、'.join(known)}"
        en = f"unknown profile {profile!r}; known: {', '.join(known)}"
        if self.options.profile:
            raise BilingualError(f"--profile：{zh}", f"--profile: {en}")
        raise config.error(("profile",), zh, en)

    def _check_plugins(self, disabled, config: Config) -> None:
        if not disabled:
            return
        from importlib.metadata import entry_points

        names = {entry.name for entry in entry_points(group="perflint")}
        for name in sorted(disabled - names):
            where = f"{config.path}:{config.line_of('disable-plugins')}"
            self.warn(
                f"{where}：没有安装名为 {name!r} 的插件",
                f"{where}: no plugin named {name!r} is installed",
            )

    def policy_for(self, config: Config) -> tuple:
        """(Policy, rule set restricted to the enabled rules) for a config."""
        cached = self.policies.get(id(config))
        if cached is not None:
            return cached
        ruleset = self.ruleset_for(config)
        refs = [RuleRef(r.code, r.name, r.enabled) for r in ruleset.rules]
        codes = {x.code for x in refs}
        refs += [RuleRef(r.code, r.name, True) for r in BUILTIN_RULES if r.code not in codes]
        layer = config.layer()
        for selector in unknown_selectors(tuple(layer.selectors()), refs):
            raise config.error(
                _selector_keys(config, selector),
                f"没有与“{selector}”相符的规则",
                f"no rule matches {selector!r}",
            )
        for selector in unknown_selectors(tuple(self.options.layer.selectors()), refs):
            raise BilingualError(
                f"没有与“{selector}”相符的规则（用 perflint rules 查看）",
                f"no rule matches {selector!r} (see `perflint rules`)",
            )
        policy = make_policy((layer, self.options.layer), refs)
        result = (policy, ruleset.only(policy.enabled))
        self.policies[id(config)] = result
        return result

    # -- the result cache

    def open_cache(self, top: Config, directory: str | None = None):
        """The result cache (a perflint.cache.Cache, or None with a warning when it is refused):
        `directory` (--cache-dir), else the top config's cache-dir, else $PERFLINT_CACHE_DIR,
        else .perflint_cache in the project root (the top config's directory, or the working
        one). It also keeps the schema-checked rule files and the parsed values."""
        inside = None  # a directory the repository names: must stay in its root (perflint.cache)
        if directory:
            directory = os.path.abspath(directory)
        elif top.get("cache-dir"):
            directory, inside = os.path.join(top.root, top.get("cache-dir")), top.root
        elif os.environ.get("PERFLINT_CACHE_DIR"):
            directory = os.path.abspath(os.environ["PERFLINT_CACHE_DIR"])
        else:
            directory, inside = os.path.join(top.root, DEFAULT_DIR), top.root
        if inside is not None and not _within(directory, inside):
            return self._cache_refused(directory, "outside")
        keys = key_dir()
        if keys is not None and (
            _within(keys, top.root) or os.path.realpath(keys) == os.path.realpath(top.root)
        ):
            return self._cache_refused(
                keys, "key"
            )  # a key the repository could commit seals nothing
        cache = Cache.open(directory)
        if not cache.usable:
            return self._cache_refused(directory, cache.refused) if cache.refused else None
        self.memo = cache.memo("rules.json")
        use_parser_cache(cache.directory)
        return cache

    def _cache_refused(self, directory: str, why: str) -> None:
        zh, en = _REFUSALS[why]
        shown = printable(directory)
        self.warn(
            f"缓存目录 {shown} {zh}，本次不使用缓存",
            f"cache directory {shown} {en}; running without the cache",
        )

    # -- what the route needs

    def settings_for(self, config: Config, repository=None) -> route.Settings:
        """How the route lints a file governed by `config`."""
        policy, ruleset = self.policy_for(config)
        return route.Settings(ruleset, policy, self.encoding_of(config), repository=repository)

    def settings_of_path(self, path: str, repository=None) -> route.Settings:
        """How the route lints the file at `path` (its directory's config)."""
        return self.settings_for(
            self.config_for(os.path.dirname(os.path.abspath(path))), repository
        )


_REFUSALS = {  # why a cache directory is not used: (zh, en)
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


def _within(path: str, root: str) -> bool:
    """Whether `path` (followed through symbolic links) is `root` or inside it."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real != base and os.path.commonpath([real, base]) == base


def _check_params(params: dict, ruleset, config: Config) -> None:
    """Every `params` entry names a rule, one of its parameters, and a value of its type."""
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


def _selector_keys(config: Config, selector: str) -> tuple:
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
