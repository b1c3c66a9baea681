"""Rule files: load, validate against the rule schema, and compile into `Rule`s.

A rule file is data (see `perflint/schema/rule.schema.json` and docs/rules.md). Everything a
rule needs at run time is compiled here once: its condition, its message templates, where its
findings point and its fix. A malformed rule file becomes a `RuleError` naming the file and the
exact problem; it never raises out of `load_rules`.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import yaml

from perflint.diagnostics import Message
from perflint.engine.codegen import Source, rename
from perflint.engine.conditions import ConditionError, parse_condition
from perflint.engine.rule import Rule, RuleError, RuleMemo
from perflint.engine.templates import (
    PLACEHOLDER,
    check_target,
    default_at,
    fix_maker,
    locator,
    renderer,
)
from perflint.yamlutil import SafeLoader, load_yaml_text

_FILE_NAME = re.compile(r"^(?P<code>[A-Z]{2,}[0-9]{3,4})-(?P<name>[a-z0-9-]+)\.ya?ml$")


@cache
def _schema_validator():
    import jsonschema

    schema = json.loads(_schema_bytes().decode("utf-8"))
    return jsonschema.Draft202012Validator(schema)


_SCHEMA_PATH = Path(__file__).parents[1] / "schema" / "rule.schema.json"


@cache
def _schema_bytes() -> bytes:
    return _SCHEMA_PATH.read_bytes()


def read_rule_file(path: Path, memo: RuleMemo | None = None) -> dict:
    """Parse and schema-check a rule file; RuleError on any problem.

    `memo` (e.g. a `perflint.cache.RuleMemo`) remembers files that passed, by a hash of their text
    and of the schema, so a later run skips their YAML parse and the schema check.
    """
    key = None
    if memo is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except Exception:
            memo = None
        else:
            key = memo.key(_schema_bytes(), path.name, text)
            found = memo.get(key)
            if found is not None:
                return found
    raw = _read_rule_file(path)
    if memo is not None and key is not None:
        memo.put(key, raw)
    return raw


def _read_rule_file(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
        _refuse_aliases(text)
        raw = load_yaml_text(text)
    except Exception as error:
        raise RuleError(str(path), f"cannot read rule file: {error}") from None
    if not isinstance(raw, dict):
        raise RuleError(str(path), "a rule file must be a YAML mapping")
    if isinstance(raw.get("examples"), dict):
        # examples are goal-file text: keep every scalar as written (95% · 1000.00 · yes), unresolved
        raw["examples"] = load_yaml_text(text, strings=True)["examples"]
    errors = sorted(_schema_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.absolute_path) or "(top level)"
        raise RuleError(str(path), f"{where}: {first.message}")
    match = _FILE_NAME.match(path.name)
    if not match or match["code"] != raw["code"] or match["name"] != raw["name"]:
        raise RuleError(str(path), f"file name must be {raw['code']}-{raw['name']}.yaml")
    return raw


def _refuse_aliases(text: str) -> None:
    """A rule file is written out in full: an alias (&a … *a) could expand to billions of nodes
    when the rule's examples or parameters are rendered, cached or validated."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ValueError(
                f"anchors and aliases (&, *) are not allowed in rule files (line {event.start_mark.line + 1})"
            )


def compile_rule(raw: dict, path: str, predicates: dict, overrides: dict | None = None) -> Rule:
    """Compile a schema-valid rule mapping; `overrides` holds config values for its params."""
    scope = raw["scope"]
    params = {name: spec["default"] for name, spec in (raw.get("params") or {}).items()}
    for name, value in (overrides or {}).items():
        if name not in params:
            raise RuleError(
                path, f"unknown parameter {name!r} (known: {', '.join(params) or 'none'})"
            )
        params[name] = value
    if scope == "repository":
        return _compile_repository_rule(raw, path, predicates, params)
    try:
        test = parse_condition(raw["when"], scope, predicates, params)
    except ConditionError as error:
        raise RuleError(path, str(error)) from None
    code = raw["code"]  # schema-checked: letters and digits
    condition = rename(Source(code).function(test), f"_when__{code}")
    uses_call = _uses_call(raw["when"])
    _check_match_groups(raw, path)
    _check_examples(raw["examples"], path)
    at = raw.get("at") or default_at(scope)
    check_target(at, scope, path, "at")
    message = Message(raw["message"]["zh"], raw["message"]["en"])
    render = renderer(message, scope, params, uses_call, path)
    make_fix = None
    if "fix" in raw:
        make_fix = fix_maker(raw["fix"], scope, params, uses_call, path)
    return Rule(
        code=raw["code"],
        name=raw["name"],
        severity=raw["severity"],
        scope=scope,
        summary=Message(raw["summary"]["zh"], raw["summary"]["en"]),
        message_templates=message,
        rationale=raw["rationale"],
        params=params,
        examples=raw["examples"],
        path=path,
        enabled=raw.get("enabled", True),
        raw=raw,
        condition=condition,
        locate=locator(at),
        make_fix=make_fix,
        fix_applicability=raw["fix"]["applicability"] if "fix" in raw else None,
        render=render,
        test=test,
    )


def _compile_repository_rule(raw: dict, path: str, predicates: dict, params: dict) -> Rule:
    """A rule across filings: `when:` is one `call:` of a predicate that yields a finding's
    extras per finding (perflint/engine/repository_checks.py); its examples hold two filings."""
    when = raw["when"]
    name = when.get("call") if isinstance(when, dict) and set(when) <= {"call", "args"} else None
    if not isinstance(name, str):
        raise RuleError(path, "when: a repository rule is one `call:` of a repository predicate")
    predicate = predicates.get(name)
    if predicate is None:
        raise RuleError(path, f"when: unknown predicate {name!r}")
    for kind in ("bad", "good"):
        for index, case in enumerate(raw["examples"].get(kind) or ()):
            if (
                not isinstance(case, dict)
                or "本年" not in case
                or not ({"上年", "其他部门"} & case.keys())
            ):
                raise RuleError(
                    path,
                    f"examples.{kind}[{index}]: a repository case holds 本年 and 上年 or 其他部门",
                )
    if "fix" in raw:
        raise RuleError(path, "fix: a repository rule offers no fix")
    message = Message(raw["message"]["zh"], raw["message"]["en"])
    return Rule(
        code=raw["code"], name=raw["name"], severity=raw["severity"], scope="repository",
        summary=Message(raw["summary"]["zh"], raw["summary"]["en"]), message_templates=message,
        rationale=raw["rationale"], params=params, examples=raw["examples"], path=path,
        enabled=raw.get("enabled", True), raw=raw, condition=predicate,
        render=renderer(message, "repository", params, True, path),
    )  # fmt: skip


def _check_examples(examples: dict, path: str) -> None:
    """What the schema leaves open: `fixed:` (only in a bad case) maps fields to their fixed text."""
    for kind in ("bad", "good"):
        for index, case in enumerate(examples.get(kind) or ()):
            if "fixed" not in case:
                continue
            fixed = case["fixed"]
            if kind == "good" or not isinstance(fixed, dict) or not fixed:
                raise RuleError(
                    path,
                    f"examples.{kind}[{index}].fixed: a bad case's fields after the fix, as a mapping",
                )


def _patterns(spec) -> list:
    """The compiled `matches:` regexes of a condition (already validated by compile_condition)."""
    if isinstance(spec, dict):
        found = [re.compile(spec["matches"])] if isinstance(spec.get("matches"), str) else []
        return found + [p for v in spec.values() for p in _patterns(v)]
    return [p for v in spec for p in _patterns(v)] if isinstance(spec, list) else []


def _check_match_groups(raw: dict, path: str) -> None:
    """Every {match.N} placeholder and every \\N in a fix for `match` names a group of every regex."""
    patterns = _patterns(raw["when"])
    if not patterns:
        return
    templates = [raw["message"]["zh"], raw["message"]["en"]]
    if "fix" in raw:
        templates += [raw["fix"]["message"]["zh"], raw["fix"]["message"]["en"]]
        templates += [edit["with"] for edit in raw["fix"]["edits"]]
    for template in templates:
        for name in PLACEHOLDER.findall(template):
            if not name.startswith("match.") or not name[6:]:
                continue
            group = int(name[6:]) if name[6:].isdigit() else name[6:]
            for pattern in patterns:
                if group not in pattern.groupindex and not (
                    isinstance(group, int) and group <= pattern.groups
                ):
                    raise RuleError(
                        path,
                        f"placeholder {{{name}}}: the regex {pattern.pattern!r} has no group {group}",
                    )
    for index, edit in enumerate(raw.get("fix", {}).get("edits", ())):
        if "match" not in (edit.get("replace"), edit.get("insert_before")):
            continue
        for pattern in patterns:
            try:
                pattern.sub(edit["with"], "")  # compiles the template: \1, \g<name>
            except (re.error, IndexError) as error:
                raise RuleError(
                    path, f"fix.edits[{index}].with: {error} (regex {pattern.pattern!r})"
                ) from None


def _uses_call(spec) -> bool:
    if isinstance(spec, dict):
        return "call" in spec or any(_uses_call(v) for v in spec.values())
    return isinstance(spec, list) and any(_uses_call(v) for v in spec)
