"""Units of indicator values (grammar/units.yaml): spellings, classes and conversions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any

from perflint.resources import data_file


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """One spelling of a unit from units.yaml."""

    raw: str
    canonical: str
    unit_class: str
    base: str  # the unit `factor` counts in; a unit without a factor is its own base
    factor: Fraction  # how many `base` one of this unit is
    scale: int = 1  # multiply the written number by this to express it in `canonical`
    prefix: bool = False  # written before the number (百分之)

    @property
    def nonstandard(self) -> bool:
        return self.raw != self.canonical


def load_data(name: str) -> Any:
    """A data file of grammar/ (units.yaml, lexicon.yaml) as read by YAML."""
    import yaml  # heavy: only when a value is parsed

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(data_file("grammar", name), encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


@cache
def _units() -> dict[str, UnitInfo]:
    """Every spelling → UnitInfo, plus 万-prefixed counts (万人次 = 10000 人次)."""
    data = load_data("units.yaml")
    bases = data.pop("bases")
    table: dict[str, UnitInfo] = {}
    for cls, entries in data.items():
        for raw, e in entries.items():
            canonical = e.get("canonical", raw)
            factor = e.get("factor")
            table[raw] = UnitInfo(
                raw=raw,
                canonical=canonical,
                unit_class=cls,
                base=e.get("base", bases.get(cls)) if factor is not None else canonical,
                factor=Fraction(str(factor)) if factor is not None else Fraction(1),
                scale=e.get("scale", 1),
                prefix=e.get("prefix", False),
            )
    for raw, u in list(table.items()):
        if u.unit_class == "count" and "\u4e00" <= raw[0] <= "\u9fff":
            table.setdefault(
                "万" + raw,
                UnitInfo("万" + raw, "万" + u.canonical, "count", u.base, u.factor * 10000),
            )
    return table


def unit_info(unit: str) -> UnitInfo | None:
    """What units.yaml says about one spelling (raw or canonical), or None if unknown."""
    return _units().get(unit)


_PER = re.compile(r"([/·・])")


@lru_cache(maxsize=1024)
def _measure(unit: str) -> tuple[tuple[str, ...], Fraction]:
    """(dimension, factor) of a unit or rate: 万元 → (("元",), 10000); 元/人·月 → (("元","/人","/天"), 1/30)."""
    parts = [unit] if unit in _units() else _PER.split(unit)  # 人/次 is a spelling of 人次
    dims: list[str] = []
    factor = Fraction(1)
    for i in range(0, len(parts), 2):
        u = unit_info(parts[i])
        base, f = (u.base, u.factor) if u else (parts[i], Fraction(1))
        dims.append(base if i == 0 else "/" + base)
        factor = factor * f if i == 0 else factor / f
    return tuple(dims), factor


def convert(number: Decimal | None, unit: str | None, to: str) -> Decimal | None:
    """`number` `unit` expressed in `to`, exactly where factors are exact; None if incompatible.

    Money converts between 元/千元/万元/亿元; time between 天/日/周/月/年/小时 (月 = 30 天 and
    年 = 365 天 are approximations); 公里/米, 吨/公斤, 万人/人 likewise; rates by both parts.
    """
    if number is None or unit is None:
        return None
    if unit == to:
        return number
    (d1, f1), (d2, f2) = _measure(unit), _measure(to)
    if d1 != d2:
        return None
    f = f1 / f2
    out = number * f.numerator
    return out if f.denominator == 1 else out / f.denominator
