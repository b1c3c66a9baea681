"""The parsed indicator value: a small typed, immutable `Value` (see perflint.values)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perflint.values.units import convert

Span = tuple[int, int]
COMPARATORS = ("≥", "≤", ">", "<", "=", "≈")
KINDS = frozenset(
    (
        "empty",
        "quantity",
        "range",
        "deadline",
        "period",
        "graded",
        "boolean",
        "vague",
        "not_applicable",
        "free",
    )
)


@dataclass(frozen=True, slots=True)
class Value:
    """One parsed indicator value. Fields that do not apply to the kind are None."""

    text: str
    kind: str  # empty | quantity | range | deadline | period | graded | boolean | vague | not_applicable | free
    comparator: str | None = None  # ≥ ≤ > < = ≈
    comparator_raw: str | None = None  # as written: ">=", "大于等于", "以上", "＞" …
    comparator_span: Span | None = None
    comparator_style: str | None = None  # symbol | ascii | word | suffix
    comparator_standard: str | None = (
        None  # glyph to put in place of comparator_raw, if a plain swap
    )
    number: Decimal | None = None  # quantity only, in `unit`
    number_span: Span | None = None
    low: Decimal | None = None  # range only, both in `unit`
    high: Decimal | None = None
    unit: str | None = None  # canonical: "人次", "万元", "%", "元/人·月"
    unit_raw: str | None = None  # as written: "人、次", "万", "％"
    unit_span: Span | None = None
    unit_class: str | None = None  # count | money | percent | time | rate | other
    unit_nonstandard: bool = False  # unit_raw is a non-standard spelling of unit
    grade: str | None = None
    truth: bool | None = None
    vague_phrase: str | None = None
    vague_span: Span | None = None

    def number_in(self, unit: str) -> Decimal | None:
        """The quantity's number expressed in `unit` (e.g. "元"), or None if not convertible."""
        return convert(self.number, self.unit, unit)

    def low_in(self, unit: str) -> Decimal | None:
        """The range's lower bound expressed in `unit`, or None."""
        return convert(self.low, self.unit, unit)

    def high_in(self, unit: str) -> Decimal | None:
        """The range's upper bound expressed in `unit`, or None."""
        return convert(self.high, self.unit, unit)

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("quantity", "range")

    @property
    def is_qualitative(self) -> bool:
        return self.kind in ("graded", "boolean", "vague", "free")

    @property
    def is_percent(self) -> bool:
        return self.unit_class == "percent"

    @property
    def is_money(self) -> bool:
        return self.unit_class == "money"

    @property
    def is_count(self) -> bool:
        return self.unit_class == "count"

    @property
    def is_time(self) -> bool:
        return self.unit_class == "time"

    @property
    def is_rate(self) -> bool:
        return self.unit_class == "rate"
