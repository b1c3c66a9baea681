"""Rule files: load, validate against the rule schema, and compile into `Rule`s.

A rule file is data (see `perflint/schema/rule.schema.json` and docs/rules.md). Everything a
rule needs at run time is compiled here once: its condition, its message templates, where its
findings point and its fix. A malformed rule file becomes a `RuleError` naming the file and the
exact problem; it never raises out of `load_rules`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from perflint.conditions import ConditionError, Source, parse_condition
from perflint.context import cell_getter, field_exists
from perflint.diagnostics import Edit, Fix, Message
from perflint.model import Cell, Span
from perflint.yamlutil import load_yaml_text

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FILE_NAME = re.compile(r"^(?P<code>[A-Z]{2,}[0-9]{3,4})-(?P<name>[a-z0-9-]+)\.ya?ml$")
_VALUE_PARTS = {
    "value.unit": "unit_span",
    "value.comparator": "comparator_span",
    "value.number": "number_span",
}


class RuleError(ValueError):
    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    scope: str
    summary: Message
    message_templates: Message
    rationale: dict
    params: dict  # name → effective value
    examples: dict
    path: str
    enabled: bool
    raw: dict = field(repr=False, compare=False)
    condition: Callable = field(repr=False, compare=False, default=None)
    locate: Callable = field(repr=False, compare=False, default=None)
    make_fix: Callable | None = field(repr=False, compare=False, default=None)
    fix_applicability: str | None = None
    render: Callable = field(repr=False, compare=False, default=None)
    test: object = field(
        repr=False, compare=False, default=None
    )  # the condition's tree (perflint.conditions)

    def url(self) -> str:
        from perflint import rule_url

        return rule_url(self.code, self.name)


@cache
def _schema_validator():
    import jsonschema

    schema = json.loads(_schema_bytes().decode("utf-8"))
    return jsonschema.Draft202012Validator(schema)


_SCHEMA_PATH = Path(__file__).parent / "schema" / "rule.schema.json"


@cache
def _schema_bytes() -> bytes:
    return _SCHEMA_PATH.read_bytes()


def read_rule_file(path: Path, memo=None) -> dict:
    """Parse and schema-check a rule file; RuleError on any problem.

    `memo` (a `perflint.cache.RuleMemo`) remembers files that passed, by a hash of their text
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
    if memo is not None:
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
    import yaml

    from perflint.yamlutil import SafeLoader

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
    condition = Source().function(test)
    uses_call = _uses_call(raw["when"])
    _check_match_groups(raw, path)
    _check_examples(raw["examples"], path)
    at = raw.get("at") or _default_at(scope)
    _check_target(at, scope, path, "at")
    message = Message(raw["message"]["zh"], raw["message"]["en"])
    render = _renderer(message, scope, params, uses_call, path)
    make_fix = None
    if "fix" in raw:
        make_fix = _fix_maker(raw["fix"], scope, params, uses_call, path)
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
        locate=_locator(at),
        make_fix=make_fix,
        fix_applicability=raw["fix"]["applicability"] if "fix" in raw else None,
        render=render,
        test=test,
    )


def _compile_repository_rule(raw: dict, path: str, predicates: dict, params: dict) -> Rule:
    """A rule across filings: `when:` is one `call:` of a predicate that yields a finding's
    extras per finding (perflint/repository_checks.py); its examples hold two filings."""
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
        render=_renderer(message, "repository", params, True, path),
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
        for name in _PLACEHOLDER.findall(template):
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


def _default_at(scope: str) -> str:
    return {
        "indicator": "indicator.value",
        "project": "project.name",
        "cell": "cell.text",
        "filing": "filing.department_name",
    }[scope]


def _check_target(target: str, scope: str, path: str, key: str) -> None:
    ok = (
        target == "match"
        or target in _VALUE_PARTS
        and scope == "indicator"
        or (field_exists(target, scope) and cell_getter(target) is not None)
    )
    if not ok:
        raise RuleError(path, f"{key}: {target!r} is not a location for scope {scope!r}")


def _locator(target: str, exact_parts: bool = True):
    """ctx, extras → Span | None for a location target (with `exact_parts` false, None for a part
    of a value that cannot be located exactly: a fix is placed only there)."""
    if target == "match":
        return lambda ctx, extras: _match_span(extras, 0)
    if target in _VALUE_PARTS:
        attribute = _VALUE_PARTS[target]

        def part(ctx, extras):
            offsets = getattr(ctx.value, attribute)
            if offsets is None:
                return None
            cell = ctx.indicator.value
            # a value the reader joined from split columns (计算符号 / 目标值 / 计量单位) has no exact
            # sub-span: point at its cell, not at the row (a fix still needs the exact sub-span)
            return cell.sub_span(*offsets) or (cell.span if exact_parts else None)

        return part
    cell = cell_getter(target)
    return lambda ctx, extras: _cell_span(cell(ctx))


def _cell_span(cell: Cell | None) -> Span | None:
    return cell.span if cell is not None else None


def _match_span(extras: dict, group: int | str) -> Span | None:
    found = extras.get("match")
    if not found or found[0] is None:
        return None
    cell, match = found
    return cell.sub_span(match.start(group), match.end(group)) or cell.span


def _resolver(scope: str, params: dict, uses_call: bool, path: str, *templates: str):
    """Check every placeholder of `templates` now (in order; the first unknown one is the error).

    Returns `values` (ctx, extras → the text of each distinct placeholder, read in order) and,
    per template, a str.format pattern over those values: `pattern.format(*values(ctx, extras))`
    is the template with each {placeholder} replaced, and its other text, braces included, as
    written. `values` is compiled (perflint.conditions.Source): one call per finding, every
    placeholder read inline; names from the rule file are bound as constants, never written.
    """
    source = Source()
    source.namespace["_text"] = _text
    reads = {}  # placeholder → a Python expression for its value
    for name in (name for template in templates for name in _PLACEHOLDER.findall(template)):
        if name in reads:
            continue
        if name.startswith("param."):
            if name[6:] not in params:
                raise RuleError(
                    path, f"undefined placeholder {{{name}}}: no parameter {name[6:]!r}"
                )
            reads[name] = f"{source.constant(params)}[{source.constant(name[6:])}]"
        elif name.startswith("extra."):
            if not uses_call:
                raise RuleError(
                    path,
                    f"undefined placeholder {{{name}}}: only a call: predicate provides extras",
                )
            reads[name] = f"extras.get({source.constant(name[6:])}, '')"
        elif name == "match" or name.startswith("match."):
            group = name[6:] or 0
            group = int(group) if str(group).isdigit() else group
            reads[name] = (
                f"(extras['match'][1].group({source.constant(group)}) or '' if 'match' in extras else '')"
            )
        elif field_exists(name, scope):
            reads[name] = source.field(name)
        else:
            raise RuleError(path, f"undefined placeholder {{{name}}} for scope {scope!r}")
    position = {name: index for index, name in enumerate(reads)}
    patterns = tuple(_format_pattern(template, position) for template in templates)
    function = source.name("values")
    lines = [f"def {function}(ctx, extras):"]
    for index, read in enumerate(reads.values()):
        lines += [
            f"    _t{index} = {read}",
            f"    if _t{index}.__class__ is not str:",
            f"        _t{index} = _text(_t{index})",
        ]
    lines.append(f"    return [{', '.join(f'_t{index}' for index in range(len(reads)))}]")
    return source.define(lines, function), patterns


def _format_pattern(template: str, position: dict) -> str:
    """`template` as a str.format pattern: {name} → {its position}, other braces doubled."""
    parts = _PLACEHOLDER.split(template)  # text, name, text, name, …, text
    return "".join(
        f"{{{position[part]}}}" if index % 2 else part.replace("{", "{{").replace("}", "}}")
        for index, part in enumerate(parts)
    )


def _unfilled_zh(text: str) -> str:
    """A quoted placeholder that came out empty says so in words: 依据为“” → 依据未填写."""
    if "“”" not in text:
        return text
    return text.replace("为“”", "未填写").replace("“”", "（未填写）")


def _unfilled_en(text: str) -> str:
    return text.replace("''", "(empty)") if "''" in text else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _renderer(message: Message, scope: str, params: dict, uses_call: bool, path: str):
    """ctx, extras → the Message with its placeholders filled in (each placeholder read once)."""
    values, (zh, en) = _resolver(scope, params, uses_call, path, message.zh, message.en)

    def render(ctx, extras) -> Message:
        texts = values(ctx, extras)
        return Message(_unfilled_zh(zh.format(*texts)), _unfilled_en(en.format(*texts)))

    return render


def _exact_cell(target: str):
    """ctx, extras → the Cell a fix target lies in, when that Cell is laid out directly (else None)."""
    if target == "match":
        get = lambda ctx, extras: extras["match"][0]  # noqa: E731
    elif target in _VALUE_PARTS:
        get = lambda ctx, extras: ctx.indicator.value  # noqa: E731
    else:
        cell = cell_getter(target)
        get = lambda ctx, extras: cell(ctx)  # noqa: E731

    def exact(ctx, extras):
        found = get(ctx, extras)
        return found if found is not None and found.direct else None

    return exact


def _expand(match: re.Match, template: str) -> str:
    """match.expand(template). Python 3.11 parses the template on every call (3.12 keeps it): there,
    the parse is kept by re's own cache of replacement templates, the one re.sub uses."""
    return match.expand(template)


if (
    sys.version_info[:2] == (3, 11)
    and hasattr(re, "_compile_repl")
    and hasattr(re._parser, "expand_template")
):

    def _expand(match: re.Match, template: str) -> str:
        return re._parser.expand_template(re._compile_repl(template, match.re), match)


def _fix_maker(spec: dict, scope: str, params: dict, uses_call: bool, path: str):
    """ctx, extras → Fix | None. No fix is offered when a target is not laid out directly in the
    source (a YAML block scalar, a quoted scalar with escapes, a multi-line cell): an edit there
    could not be placed exactly; nor, with `requires: NAME`, when the predicate gave no extra NAME."""
    message = _renderer(
        Message(spec["message"]["zh"], spec["message"]["en"]), scope, params, uses_call, path
    )
    edits = []
    for index, edit in enumerate(spec["edits"]):
        target = edit.get("replace") or edit["insert_before"]
        _check_target(target, scope, path, f"fix.edits[{index}]")
        values, (pattern,) = _resolver(scope, params, uses_call, path, edit["with"])
        edits.append(
            (
                _locator(target, exact_parts=False),
                _exact_cell(target),
                "insert_before" in edit,
                target == "match",
                pattern,
                values,
            )
        )

    required = spec.get("requires")

    unsafe_in = frozenset(spec.get("unsafe_in", ()))

    def make(ctx, extras) -> Fix | None:
        if required is not None and not extras.get(required):
            return None  # the predicate found no fix that is sure to be right
        made = []
        for locate, exact, insert, regex, pattern, values in edits:
            span = locate(ctx, extras)
            if span is None or exact(ctx, extras) is None:
                return None
            texts = values(ctx, extras)
            if regex:  # a backslash in the file's text is text, not a group reference for expand()
                text = _expand(
                    extras["match"][1],
                    pattern.format(*(text.replace("\\", "\\\\") for text in texts)),
                )
            else:
                text = pattern.format(*texts)
            made.append(Edit(span.point() if insert else span, text))
        applicability = "unsafe" if ctx.cell_field in unsafe_in else spec["applicability"]
        return Fix(applicability, message(ctx, extras), tuple(made))

    return make
