"""What a rule sees while it is checked: the filing, and the project / indicator / cell in scope.

Field paths such as `indicator.basis`, `value.unit_class`, `project.budget_total` or
`indicator.category` are resolved here, so rule files never touch the model's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from perflint import fields
from perflint.diagnostics import Where
from perflint.model import Cell, Filing, Indicator, Project
from perflint.taxonomy import Profile, Taxonomy
from perflint.values import Value, parse_value

# Field paths rules may use, by root. A root is available when its object is in scope.
MODEL_FIELDS = {owner: fields.rule_fields(owner) for owner in ("filing", "project", "indicator")}
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
    "repository": ("filing", "project"),
}


class _lazy:
    """A value computed on first read and then kept in the instance's __dict__.

    Like functools.cached_property, but without its lock (3.11 takes one on every first read):
    a non-data descriptor, so after the first read the instance attribute answers directly.
    """

    def __init__(self, compute):
        self.compute, self.name, self.__doc__ = compute, compute.__name__, compute.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


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

    # The indicator's parsed value and derived fields, each worked out once per context: many
    # rules read them (value.kind, indicator.category_kind) and the lookups are pure.

    @_lazy
    def where(self) -> Where:
        """What a finding in this context is about: 部门, 项目 and indicator, as written."""
        f, p, i = self.filing, self.project, self.indicator
        department = _text(f.department_name) or _text(f.department_code)
        if p is None:
            return Where(department)
        if i is None:
            return Where(department, _text(p.name), _text(p.code))
        return Where(
            department,
            _text(p.name),
            _text(p.code),
            _text(i.level1),
            _text(i.level2),
            _text(i.name),
        )

    def _row(self) -> Indicator:
        """The indicator in scope: the attributes below are read only in indicator scope."""
        return cast(Indicator, self.indicator)

    @_lazy
    def value(self) -> Value:
        return parse_value(self._row().value.text)

    @_lazy
    def _keyword(self) -> tuple[str, str] | None:
        return self.taxonomy.keyword_kind(self._row().name.text)

    @_lazy
    def group(self) -> str | None:
        """indicator.group: the canonical 一级 name."""
        return self.taxonomy.canonical_level1(self._row().level1.text)

    @_lazy
    def category(self) -> str | None:
        """indicator.category: the canonical 二级 name."""
        return self.taxonomy.canonical_level2(self._row().level2.text)

    @_lazy
    def category_kind(self) -> str | None:
        """indicator.category_kind: quantity, quality, … of the 二级 category."""
        return self.taxonomy.kind_of(self._row().level2.text)

    @_lazy
    def keyword_kind(self) -> str | None:
        """indicator.keyword_kind: the kind the 三级 name's keyword hints at."""
        hit = self._keyword
        return hit[0] if hit else None

    @_lazy
    def keyword(self) -> str | None:
        """indicator.keyword: the category keyword in the 三级 name."""
        hit = self._keyword
        return hit[1] if hit else None


def _text(cell: Cell | None) -> str:
    """A cell's text with white space folded, for `where`; "" for a missing cell (never raises)."""
    text = getattr(cell, "text", None)
    return " ".join(text.split()) if isinstance(text, str) else ""


def indicator_context(
    filing: Filing,
    taxonomy: Taxonomy,
    profile: Profile | None,
    project: Project,
    indicator: Indicator,
) -> Context:
    """A Context for one indicator, with its value and derived fields worked out at once.

    Nearly every indicator rule reads `value` and the category fields: working them out here
    costs less than the first read of each lazy attribute. They are the same values (the lazy
    attributes above say how each is worked out). Should one raise, it and those after it are
    left lazy, so the rule that reads it meets the error (a PF000 finding) as it would anyway.
    """
    ctx = Context(filing, taxonomy, profile, project, indicator)
    known = ctx.__dict__
    try:
        known["value"] = parse_value(indicator.value.text)
        known["group"] = taxonomy.canonical_level1(indicator.level1.text)
        known["category"] = taxonomy.canonical_level2(indicator.level2.text)
        known["category_kind"] = taxonomy.kind_of(indicator.level2.text)
        hit = known["_keyword"] = taxonomy.keyword_kind(indicator.name.text)
        known["keyword_kind"], known["keyword"] = hit if hit else (None, None)
    except Exception:
        pass
    return ctx


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


# ---------------------------------------------------------------------------------------------
# Field paths as Python source, for the conditions compiled to code (perflint.engine.conditions).
# The text returned is built only from the names in the tables above, never from the path a
# rule file gave: the path only selects an entry.


def _known(name: str, names) -> str:
    """`name` as the entry of `names` (our own identifier), or ValueError."""
    for known in names:
        if known == name and known.isidentifier():
            return known
    raise ValueError(f"not a field name: {name!r}")


def cell_source(path: str) -> str | None:
    """A Python expression over `ctx` for the Cell holding a field path (None: no Cell), cf. cell_getter."""
    root, _, name = path.partition(".")
    if root == "cell":
        return "ctx.cell"
    if root == "value":
        return "ctx.indicator.value"
    if name not in MODEL_FIELDS.get(root, ()):
        return None
    return f"ctx.{_known(root, MODEL_FIELDS)}.{_known(name, MODEL_FIELDS[root])}"


def field_source(path: str, temp: str) -> str:
    """A Python expression over `ctx` for a field's value (text for Cells, None when absent).

    `temp` names a local the expression may assign (a Cell that may be None).
    """
    root, _, name = path.partition(".")
    if root == "value":
        return f"ctx.value.{_known(name, VALUE_FIELDS)}" if name else "ctx.value"
    if root == "cell":
        return "ctx.cell.text" if name == "text" else "ctx.cell_field"
    if root == "indicator" and name in DERIVED_FIELDS["indicator"]:
        return f"ctx.{_known(name, DERIVED_FIELDS['indicator'])}"
    cell = cell_source(path)
    if cell is None or not temp.isidentifier():
        raise ValueError(f"not a field path: {path!r}")
    return f"({temp}.text if ({temp} := {cell}) is not None else None)"
