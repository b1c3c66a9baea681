"""What a rule sees while it is checked: the filing, and the project / indicator / cell in scope.

Field paths such as `indicator.basis`, `value.unit_class`, `project.budget_total` or
`indicator.category` are resolved here, so rule files never touch the model's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from perflint.model import Cell, Filing, Indicator, Project
from perflint.taxonomy import Profile, Taxonomy
from perflint.values import Value, parse_value

# Field paths rules may use, by root. A root is available when its object is in scope.
MODEL_FIELDS = {
    "filing": ("department_code", "department_name", "year", "money_unit", "overall_goal"),
    "project": ("code", "name", "budget_total", "budget_fiscal", "budget_other", "purpose", "money_unit"),
    "indicator": ("level1", "level2", "name", "description", "value", "basis"),
}
DERIVED_FIELDS = {
    "indicator": ("group", "category", "category_kind", "keyword_kind", "keyword"),
    "cell": ("text", "field"),
}
VALUE_FIELDS = (
    "text", "kind", "comparator", "comparator_raw", "comparator_style", "comparator_standard",
    "number", "low", "high", "unit", "unit_raw", "unit_class", "unit_nonstandard",
    "grade", "truth", "vague_phrase",
)  # fmt: skip
SCOPE_ROOTS = {
    "filing": ("filing",),
    "project": ("filing", "project"),
    "indicator": ("filing", "project", "indicator", "value"),
    "cell": ("filing", "cell"),
}


@dataclass
class Context:
    filing: Filing
    taxonomy: Taxonomy
    profile: Profile | None = None
    project: Project | None = None
    indicator: Indicator | None = None
    cell: Cell | None = None
    cell_field: str | None = None  # e.g. "indicator.basis" in cell scope
    params: dict = field(default_factory=dict)

    @cached_property
    def value(self) -> Value:
        return parse_value(self.indicator.value.text)

    @cached_property
    def _keyword(self) -> tuple[str, str] | None:
        return self.taxonomy.keyword_kind(self.indicator.name.text)


def field_exists(path: str, scope: str) -> bool:
    """Whether a rule of `scope` may use the field path `path`."""
    root, _, name = path.partition(".")
    if root not in SCOPE_ROOTS.get(scope, ()):
        return False
    if root == "value":
        return name in VALUE_FIELDS or name == ""
    return name in MODEL_FIELDS.get(root, ()) + DERIVED_FIELDS.get(root, ())


def cell_getter(path: str):
    """A function ctx → Cell for a model field path (None when the field holds no Cell)."""
    root, _, name = path.partition(".")
    if root == "cell":
        return lambda ctx: ctx.cell
    if root == "value":
        return lambda ctx: ctx.indicator.value
    if name not in MODEL_FIELDS.get(root, ()):
        return None
    return lambda ctx: getattr(getattr(ctx, root), name)


def getter(path: str):
    """A function ctx → the field's value (text for Cells, None when absent), compiled once."""
    root, _, name = path.partition(".")
    if root == "value":
        if not name:
            return lambda ctx: ctx.value
        return lambda ctx: getattr(ctx.value, name)
    if root == "cell":
        return (lambda ctx: ctx.cell.text) if name == "text" else (lambda ctx: ctx.cell_field)
    if root == "indicator" and name in DERIVED_FIELDS["indicator"]:
        return _DERIVED[name]
    cell = cell_getter(path)

    def text(ctx):
        found = cell(ctx)
        return found.text if found is not None else None

    return text


def _keyword_part(index: int):
    def get(ctx):
        hit = ctx._keyword
        return hit[index] if hit else None

    return get


_DERIVED = {
    "group": lambda ctx: ctx.taxonomy.canonical_level1(ctx.indicator.level1.text),
    "category": lambda ctx: ctx.taxonomy.canonical_level2(ctx.indicator.level2.text),
    "category_kind": lambda ctx: ctx.taxonomy.kind_of(ctx.indicator.level2.text),
    "keyword_kind": _keyword_part(0),
    "keyword": _keyword_part(1),
}
