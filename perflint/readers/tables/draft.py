"""A table being read: what the interpreter has found of it so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from perflint.model import Cell, InfoRow, Span
from perflint.readers.grid import GridCell, GridRow
from perflint.readers.tables.header import Header

PROJECT_FIELDS = (
    "code",
    "name",
    "budget_total",
    "budget_fiscal",
    "budget_other",
    "purpose",
    "spending_plan",
    "goals",
)


@dataclass
class Draft:
    """A table being read: the fields found so far, by what the form has."""

    span: Span
    kind: str = "project"
    year: Cell | None = None
    fields: dict[str, Cell] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)  # PROJECT_FIELDS the form has
    department_code: Cell | None = None
    department_name: Cell | None = None
    money_unit: Cell | None = None
    plan_labels: list[Cell] = field(default_factory=list)
    plan_values: list[Cell] | None = None
    goals: list[Cell] = field(default_factory=list)
    info: list[InfoRow] = field(default_factory=list)
    trailers: list[InfoRow] = field(default_factory=list)
    header: Header | None = None
    columns: dict[str, int] | None = None  # field → grid column of the header
    width: int = 0  # the header's columns
    rows: list[tuple[dict[int, Cell], Span, list[GridCell]]] = field(default_factory=list)
    carry: dict[int, tuple[Cell, int]] = field(
        default_factory=dict
    )  # column → (merged cell, rows left)
    trailing: bool = False
    flat: bool = False  # the grid has no merged cells (a text export)
    # rows with nothing written in them inside an indicator table: an unfilled template row when
    # more indicators follow (read as one then), a spacer when the table ends after them
    blank: list[GridRow] = field(default_factory=list)
    previous: str = ""  # the key of the last information row (for the seeds' unlabelled rows)
    substance: bool = False  # something beyond a title was read

    def has(self, name: str) -> None:
        self.seen.add(name)
        self.substance = True

    def set_header(self, header: Header) -> None:
        self.header = header
        self.columns, self.width = header.columns, header.width
        self.substance = True
        self.carry.clear()
