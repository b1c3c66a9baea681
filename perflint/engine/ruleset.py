"""The rule set: every rule from every plugin, compiled, with what its findings depend on."""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from perflint.engine.rule import Rule, RuleError, RuleMemo
from perflint.engine.rules import compile_rule, read_rule_file
from perflint.readers.forms import plugin_forms
from perflint.resources import data_dir
from perflint.taxonomy import Taxonomy, load_taxonomy
from perflint.values import extend_lexicon


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    taxonomy: Taxonomy
    profile: str = "auto"
    problems: tuple[str, ...] = ()  # broken rule files and plugins, reported once per run
    # a hash of everything the rules' findings depend on besides perflint's code: rule files,
    # taxonomy and grammar data, plugin modules and their lexicon additions (for the result cache)
    fingerprint: str = ""
    _plans: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def by_code(self) -> dict[str, Rule]:
        return {rule.code: rule for rule in self.rules}

    def only(self, codes) -> RuleSet:
        wanted = set(codes)
        return replace(self, rules=tuple(r for r in self.rules if r.code in wanted))


def rule_files(paths, problems: list | None = None, plugin: str = "") -> list[Path]:
    """The rule files in `paths` (files or directories); what is not a path becomes a problem."""
    files = []
    if isinstance(paths, (str, Path)):
        paths = [paths]
    try:
        paths = list(paths)
    except TypeError:
        paths = [paths]
    for entry in paths:
        try:
            path = Path(entry)
            if path.is_dir():
                files.extend(sorted(p for p in path.glob("*.y*ml") if p.is_file()))
            elif path.is_file():
                files.append(path)
        except (TypeError, OSError) as error:
            if problems is not None:
                problems.append(f"plugin {plugin!r}: perflint_rule_paths gave {entry!r}: {error}")
    return files


class PluginHost(Protocol):
    """What the rule set reads from the plugins (a `perflint.plugins.host.Host`)."""

    manager: Any
    problems: list

    def merged(self, hook_name: str) -> dict: ...

    def collect(self, hook_name: str) -> list[tuple[str, Any]]: ...


def load_ruleset(
    profile: str = "auto",
    params: dict | None = None,
    *,
    host: PluginHost,
    memo: RuleMemo | None = None,
) -> RuleSet:
    """Every rule from every plugin of `host`, compiled with `params` ({code: {param: value}}).

    `memo` lets rule files that passed the schema check before skip it; the rule set and every
    message are the same with or without it.
    """
    problems: list[str] = []
    predicates = host.merged("perflint_predicates")
    lexicon = host.collect("perflint_lexicon")
    fingerprint = _Fingerprint()
    fingerprint.plugins(host, predicates, lexicon)
    if lexicon:
        for plugin, extra in lexicon:
            try:
                extend_lexicon(**extra)
            except Exception as error:
                problems.append(
                    f"plugin {plugin!r}: perflint_lexicon: {type(error).__name__}: {error}"
                )
    dirs: list[Path] = []
    for plugin, paths in host.collect("perflint_taxonomy_paths"):
        try:
            dirs.extend(Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths))
        except TypeError as error:
            problems.append(f"plugin {plugin!r}: perflint_taxonomy_paths: {error}")
    taxonomy_dirs: tuple[Path, ...] = tuple(dirs)
    try:
        taxonomy = load_taxonomy(taxonomy_dirs)
    except Exception as error:
        problems.append(
            f"taxonomy profiles in {[str(d) for d in taxonomy_dirs]}: {type(error).__name__}: {error}"
        )
        taxonomy_dirs = ()
        taxonomy = load_taxonomy(taxonomy_dirs)
    fingerprint.data(taxonomy_dirs)
    forms_files, forms_problems = plugin_forms(host)  # a province's forms: read by the readers
    problems.extend(forms_problems)
    for path in forms_files:
        fingerprint.file(path)
    if profile not in ("auto", *taxonomy.profiles):
        problems.append(
            f"unknown profile {profile!r} (known: auto, {', '.join(taxonomy.profiles)}); using auto"
        )
        profile = "auto"
    rules: dict[str, Rule] = {}
    params = params or {}
    for plugin, paths in host.collect("perflint_rule_paths"):
        for path in rule_files(paths, problems, plugin):
            fingerprint.file(path)
            try:
                raw = read_rule_file(path, memo)
                rule = compile_rule(raw, str(path), predicates, params.get(raw["code"]))
            except RuleError as error:
                problems.append(f"rule file {error}")
                continue
            except Exception as error:
                problems.append(
                    f"rule file {path}: cannot be compiled: {type(error).__name__}: {error}; skipped"
                )
                continue
            if rule.code in rules:
                problems.append(
                    f"rule file {path}: code {rule.code} is already defined by {rules[rule.code].path}; skipped"
                )
                continue
            rules[rule.code] = rule
    problems.extend(str(p) for p in host.problems)
    fingerprint.add(
        profile, sorted((code, sorted(table.items())) for code, table in params.items()), problems
    )
    if memo is not None:
        memo.save()
    return RuleSet(
        tuple(sorted(rules.values(), key=lambda r: r.code)),
        taxonomy,
        profile,
        tuple(problems),
        fingerprint.hexdigest(),
    )


class _Fingerprint:
    """sha256 over the inputs of a rule set (see RuleSet.fingerprint); cheap: a few small files."""

    def __init__(self):
        self.hash = hashlib.sha256()

    def add(self, *parts) -> None:
        self.hash.update(repr(parts).encode("utf-8", "replace") + b"\0")

    def file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            data = repr(error).encode()
        self.add(str(path), len(data))
        self.hash.update(data)

    def module(self, name: str) -> None:
        module = sys.modules.get(name)
        origin = getattr(module, "__file__", None)
        try:
            st = os.stat(origin) if origin else None
        except OSError:
            st = None
        self.add(
            name, getattr(module, "__version__", None), origin, st and (st.st_size, st.st_mtime_ns)
        )

    def plugins(self, host, predicates: dict, lexicon) -> None:
        """Plugin names and their modules' files (a plugin's version shows in them), predicates, lexicon."""
        for name, plugin in host.manager.list_name_plugin():
            self.add("plugin", name)
            self.module(
                getattr(plugin, "__name__", None) or getattr(type(plugin), "__module__", "") or ""
            )
        modules = sorted({getattr(f, "__module__", None) or "" for f in predicates.values()})
        self.add("predicates", sorted(predicates))
        for module in modules:
            self.module(module)
        self.add("lexicon", lexicon)

    def data(self, taxonomy_dirs) -> None:
        for directory in (
            data_dir("rules") / "taxonomy",
            data_dir("rules") / "forms",
            *taxonomy_dirs,
            data_dir("grammar"),
        ):
            for path in sorted(Path(directory).glob("*")):
                if path.is_file():
                    self.file(path)

    def hexdigest(self) -> str:
        return self.hash.hexdigest()
