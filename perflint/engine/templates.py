"""What a rule's findings say and where they point: message templates with their {placeholders},
location targets (`at:`) and fixes, each compiled once into a function of (ctx, extras)."""

from __future__ import annotations

import re
import sys

from perflint.diagnostics import Edit, Fix, Message
from perflint.engine.codegen import Source
from perflint.engine.context import cell_getter, field_exists
from perflint.engine.rule import RuleError
from perflint.model import Cell, Span

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_VALUE_PARTS = {
    "value.unit": "unit_span",
    "value.comparator": "comparator_span",
    "value.number": "number_span",
}


def default_at(scope: str) -> str:
    return {
        "indicator": "indicator.value",
        "project": "project.name",
        "cell": "cell.text",
        "filing": "filing.department_name",
    }[scope]


def check_target(target: str, scope: str, path: str, key: str) -> None:
    ok = (
        target == "match"
        or target in _VALUE_PARTS
        and scope == "indicator"
        or (field_exists(target, scope) and cell_getter(target) is not None)
    )
    if not ok:
        raise RuleError(path, f"{key}: {target!r} is not a location for scope {scope!r}")


def locator(target: str, exact_parts: bool = True):
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
    written. `values` is compiled (perflint.engine.conditions.Source): one call per finding, every
    placeholder read inline; names from the rule file are bound as constants, never written.
    """
    source = Source()
    source.namespace["_text"] = _text
    reads = {}  # placeholder → a Python expression for its value
    for name in (name for template in templates for name in PLACEHOLDER.findall(template)):
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
    parts = PLACEHOLDER.split(template)  # text, name, text, name, …, text
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


def renderer(message: Message, scope: str, params: dict, uses_call: bool, path: str):
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
        # private in 3.11 (checked by hasattr above)
        repl = re._compile_repl(template, match.re)  # type: ignore[attr-defined]
        return re._parser.expand_template(repl, match)


def fix_maker(spec: dict, scope: str, params: dict, uses_call: bool, path: str):
    """ctx, extras → Fix | None. No fix is offered when a target is not laid out directly in the
    source (a YAML block scalar, a quoted scalar with escapes, a multi-line cell): an edit there
    could not be placed exactly; nor, with `requires: NAME`, when the predicate gave no extra NAME."""
    message = renderer(
        Message(spec["message"]["zh"], spec["message"]["en"]), scope, params, uses_call, path
    )
    edits = []
    for index, edit in enumerate(spec["edits"]):
        target = edit.get("replace") or edit["insert_before"]
        check_target(target, scope, path, f"fix.edits[{index}]")
        values, (pattern,) = _resolver(scope, params, uses_call, path, edit["with"])
        edits.append(
            (
                locator(target, exact_parts=False),
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
