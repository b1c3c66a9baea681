"""Indicator values (指标值) as small typed, immutable `Value`s.

Rules never look at a value's text: they call `parse_value` and read the result. A value is one
of these kinds:

- ``empty``     blank (spaces of any width only).
- ``quantity``  an optional comparator, a number and an optional unit: ``≥95%``, ``30万``,
                ``≥10人、次``, ``95%以上``, ``控制在1000万元以内``, ``百分之九十``, ``≤3个工作日``
                (a duration is a quantity of class "time"), ``100`` (no unit).
- ``range``     two numbers: ``80%-90%``, ``80~90%``, ``1-3个``.
- ``deadline``  a point in time: ``2025年12月31日前``, ``12月底前``, ``年底前``, ``年度内``,
                ``当年完成``, ``上半年``. Words may follow (``年底前拨付到位``), so
                ``年度前必须拨付完成`` is a deadline too.
- ``period``    a recurring schedule: ``按季度``, ``每月``, ``每季度一次``, ``定期``.
- ``graded``    a grade word, optionally with a comparator: ``较好``, ``优``, ``良好及以上``.
- ``boolean``   a yes/no word: ``是``, ``达标``, ``未完成``.
- ``vague``     no digit, none of the above, and contains a phrase of the vague lexicon or a
                manner or direction word (``稳步提升``, ``全面加强``, ``成效明显``): it states a
                direction, not a target: ``得到保障``, ``时间进度完成``, ``通过规范信访秩序，维护社会稳定``.
- ``not_applicable``  the value says the indicator does not apply: ``/``, ``不适用``,
                ``本项目不适用此指标`` (such a row should be left out of the table).
- ``free``      anything else (``化解积案，减存量``, ``≥**%``, ``100%完成``).

The structured kinds (quantity, range, deadline, period) come from the Lark grammar
``grammar/value.lark``; the qualitative ones from ``grammar/lexicon.yaml``; units and their
classes from ``grammar/units.yaml``. Nothing is imported or built until the first call.

Choices worth knowing:

- Deadlines and periods carry no comparator unless one is written (``≤2025年12月31日``); a
  bare month such as ``3月`` or ``≤3月`` is read as a date, ``3个月`` as a duration.
- A weak framing word yields to a suffix: ``控制在1000万元以内`` has comparator_raw ``以内``.
  When a strong prefix and a suffix disagree (``≥95%以下``) the prefix wins; rules may flag it.
- After an Arabic number, an unknown word of up to four Han characters is a unit of class
  "other" (``3所学校`` → 所学校); after a Chinese numeral only known units count, so prose such
  as ``十分满意`` stays free. Trailing words after a quantity (``≥95%（含）``, ``100%完成``) or a
  label before it (``满意度≥90%``) make the value free.
- ``九成`` is 90 % (number 90, unit_raw 成); ``百分之九十`` likewise with unit_raw 百分之. Both,
  ``30万`` (→ 万元) and ``人、次`` (→ 人次) are non-standard unit spellings.

All spans are ``[start, end)`` code-point offsets into the original text: the text is folded
character for character (full-width digits, ％ ＞ ～ … → ASCII; every kind of space → " ")
before parsing, so positions never shift.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache, lru_cache
from itertools import islice
from typing import Any

__all__ = [
    "UnitInfo",
    "Value",
    "convert",
    "extend_lexicon",
    "grade_ladders",
    "parse_value",
    "reset_lexicon",
    "unit_info",
]

Span = tuple[int, int]
COMPARATORS = ("≥", "≤", ">", "<", "=", "≈")


# ---------------------------------------------------------------------------------------------
# The result


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


# ---------------------------------------------------------------------------------------------
# Data (loaded on first use, cached)


def _load(name: str) -> Any:
    import yaml

    from perflint.resources import data_file

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(data_file("grammar", name), encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


@cache
def _units() -> dict[str, UnitInfo]:
    """Every spelling → UnitInfo, plus 万-prefixed counts (万人次 = 10000 人次)."""
    data = _load("units.yaml")
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


@dataclass(frozen=True, slots=True)
class _Cmp:
    means: str
    style: str
    weak: bool = False


@cache
def _lexicon() -> dict[str, Any]:
    """lexicon.yaml plus whatever plugins added, with the derived lookup tables."""
    data = _load("lexicon.yaml")
    cmps = data["comparators"]
    prefix = {
        k: _Cmp(v["means"], v["style"], v.get("weak", False)) for k, v in cmps["prefix"].items()
    }
    suffix = {k: _Cmp(v["means"], "suffix") for k, v in cmps["suffix"].items()}
    grades = {w for ladder in data["grades"] for w in ladder} | set(_extra["grades"])
    vague = sorted(set(data["vague"]) | set(_extra["vague"]), key=len, reverse=True)
    words = data.get("vague_words") or {}
    manner, direction = words.get("manner") or [], words.get("direction") or []
    na = data.get("not_applicable") or {}
    truth = dict.fromkeys(data["booleans"]["true_words"], True) | dict.fromkeys(
        data["booleans"]["false_words"], False
    )
    truth |= _extra["truth"]

    def alt(words):
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    return {
        "prefix": prefix,
        "suffix": suffix,
        "ladders": [list(ladder) for ladder in data["grades"]]
        + ([list(_extra["grades"])] if _extra["grades"] else []),
        "truth": truth,
        "vague": vague,
        "vague_re": re.compile(alt(vague)) if vague else None,
        # a manner word with what it qualifies (稳步提升, 全面加强, 有效运行), or a bare direction verb
        "vague_word_re": re.compile(
            rf"(?:{alt(manner)})+(?:{alt(direction)}|[\u3400-\u9fff]{{1,2}})?|(?:{alt(direction)})"
            if manner and direction
            else r"(?!)"
        ),
        "na_whole": frozenset(na.get("whole") or ()),
        "na_re": re.compile(alt(na["contains"])) if na.get("contains") else None,
        "grade_re": re.compile(
            rf"(?P<pre>{alt(prefix)})? *(?P<grade>{alt(grades)}) *(?P<suf>{alt(suffix)})?[。.;；,，!！]*"
        ),
    }


_extra: dict[str, Any] = {"vague": [], "grades": [], "truth": {}}


def extend_lexicon(
    vague: Iterable[str] = (),
    grades: Iterable[str] = (),
    true_words: Iterable[str] = (),
    false_words: Iterable[str] = (),
) -> None:
    """Add vague phrases, a grade ladder (best first) and yes/no words (for plugins' rule packs).

    Clears the lexicon and the parse cache so later `parse_value` calls see the additions.
    The grammar does not depend on these words and is not rebuilt.
    """
    _extra["vague"].extend(w for w in vague if w)
    _extra["grades"].extend(w for w in grades if w)
    _extra["truth"].update(
        {w: True for w in true_words if w} | {w: False for w in false_words if w}
    )
    _forget_parses()


def reset_lexicon() -> None:
    """Drop everything added by `extend_lexicon` (for tests)."""
    _extra.update(vague=[], grades=[], truth={})
    _forget_parses()


def _forget_parses() -> None:
    """After the lexicon changed: parse every value afresh (the stored values have another fingerprint)."""
    global _stored
    _lexicon.cache_clear()
    parse_value.cache_clear()
    if _stored is not None:
        _stored.save()
        _stored = None


def grade_ladders() -> list[list[str]]:
    """The grade ladders, best first (lexicon.yaml plus any added grades as one extra ladder)."""
    return [list(ladder) for ladder in _lexicon()["ladders"]]


# ---------------------------------------------------------------------------------------------
# The parser


@cache
def _parser() -> Any:
    """The LALR parser: value.lark plus the PREFIX / SUFFIX / UNIT / PCT_WORD terminals."""
    from perflint.resources import data_file

    lex, units = _lexicon(), _units()

    def alt(words: Iterable[str]) -> str:
        # longest first; equal lengths in a fixed order so the grammar text (the cache key) is stable
        return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))

    suffixes = alt(lex["suffix"])
    unit_words = alt(u.raw for u in units.values() if not u.prefix)
    # A unit ends where no Han character or Latin letter follows, or where a suffix
    # comparator or a range separator does (3天内, 80%至90%); so 个 does not match in 个项目.
    unit_re = rf"(?:{unit_words})(?:(?![\u3400-\u9fffA-Za-z])|(?={suffixes}|至|到))"
    generated = {
        "PREFIX.5": alt(lex["prefix"]),
        "SUFFIX.5": suffixes,
        "UNIT.4": unit_re,
        "PCT_WORD.6": alt(u.raw for u in units.values() if u.prefix),
    }
    text = data_file("grammar", "value.lark").read_text(encoding="utf-8")
    text += "\n" + "\n".join(
        f"{name}: /{rx.replace('/', chr(92) + '/')}/" for name, rx in generated.items()
    )
    return _build_parser(text)


# Where the built parser is kept between runs (set by the command line next to its result cache;
# None: build it in memory, about 20 ms). Stored as JSON, never pickle: a cache directory is not
# trusted to run code.
_parser_cache_dir = None


def use_parser_cache(directory) -> None:
    """Keep the LALR tables of the value grammar, and the values that needed them (`_Stored`),
    in `directory` (None: do not)."""
    global _parser_cache_dir, _stored
    from pathlib import Path

    _parser_cache_dir = Path(directory) if directory is not None else None
    if _stored is not None and _stored.directory != _parser_cache_dir:
        _stored.save()
        _stored = None


def _build_parser(text: str) -> Any:
    from lark import Lark

    directory = _parser_cache_dir
    if directory is None:
        return Lark(text, parser="lalr", lexer="contextual")
    import hashlib
    import json

    import lark

    path = (
        directory
        / f"value-grammar-{hashlib.sha256((lark.__version__ + text).encode()).hexdigest()[:32]}.json"
    )
    from perflint.cache import read_sealed, write_sealed

    try:
        payload = read_sealed(
            path, b"grammar\x00" + path.name.encode()
        )  # tables this user's perflint wrote
        if payload is not None:
            data, memo = json.loads(payload, object_hook=_untag)
            return Lark._load_from_dict(data, memo)
    except Exception:
        pass
    parser = Lark(text, parser="lalr", lexer="contextual")
    try:
        from lark.grammar import Rule
        from lark.lexer import TerminalDef

        data = json.dumps(_tag(parser.memo_serialize([TerminalDef, Rule])), ensure_ascii=False)
        directory.mkdir(parents=True, exist_ok=True)
        write_sealed(path, b"grammar\x00" + path.name.encode(), data.encode("utf-8"))
    except Exception:
        pass
    return parser


def _tag(value: Any) -> Any:
    """Lark's serialised tables as JSON: dicts (keys of any type) and tuples tagged, lists as lists."""
    kind = type(value)
    if kind is dict:
        return {"d": [[_tag(k), _tag(v)] for k, v in value.items()]}
    if kind is tuple:
        return {"t": [_tag(v) for v in value]}
    if kind is list:
        return [_tag(v) for v in value]
    if value is None or kind in (str, int, float, bool):
        return value
    raise TypeError(f"cannot store {kind.__name__}")


def _untag(tagged: dict) -> Any:
    if "d" in tagged:
        return dict(tagged["d"])
    return tuple(tagged["t"])


# Fold to ASCII one character for one character, so offsets survive: full-width forms
# (U+FF01..FF5E, e.g. １ ％ ＞ ～ ，), every space (U+3000, NBSP, tabs, zero-width) → " ".
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
_FOLD = (
    {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    | {ord(c): " " for c in _SPACES}
    | {0x301C: "~", 0x223C: "~"}
)
# Cheap pre-check: only strings with one of these can match the grammar.
_MAYBE_STRUCTURED = re.compile(r"[0-9零〇一二两三四五六七八九十百千半年月季每按定]")
_DIGIT = re.compile(r"[0-9]")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_POWERS = {"十": 10, "百": 100, "千": 1000}


def _cn_number(s: str) -> Decimal:
    """三 → 3, 十二 → 12, 一百零五 → 105, 一千二百 → 1200, 二〇二五 → 2025, 半 → 0.5."""
    if s == "半":
        return Decimal("0.5")
    if all(c in _CN_DIGITS for c in s):
        return Decimal("".join(str(_CN_DIGITS[c]) for c in s))
    total = digit = 0
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            total += (digit or 1) * _CN_POWERS[c]
            digit = 0
    return Decimal(total + digit)


# Numbers beyond 10^±MAX_EXPONENT are not indicator values or amounts (and Decimal arithmetic
# on a million-digit number overflows): such text is free text, not a quantity.
MAX_EXPONENT = 1000


def _number(tok: Any) -> Decimal:
    number = Decimal(tok.replace(",", "")) if tok.type == "NUMBER" else _cn_number(str(tok))
    if abs(number.adjusted()) > MAX_EXPONENT:
        raise _Reject
    return number


class _Reject(Exception):
    """The grammar matched, but the meaning is implausible (month 13, a bare 年度): not structured."""


@dataclass(slots=True)
class _Amount:
    number: Decimal
    span: Span
    unit: str | None = None
    unit_raw: str | None = None
    unit_span: Span | None = None
    unit_class: str | None = None
    scale: int = 1


def _unit(tree: Any, text: str) -> tuple[str, str, Span, str, int]:
    """(canonical, raw, span, class, scale) of a unit subtree: a unit or a rate such as 元/人·月."""
    toks = tree.children
    span = (toks[0].start_pos, toks[-1].end_pos)
    units = _units()
    if len(toks) == 1:
        u = units.get(str(toks[0]))
        if u is None:
            return str(toks[0]), text[span[0] : span[1]], span, "other", 1
        return u.canonical, text[span[0] : span[1]], span, u.unit_class, u.scale
    canonical = "".join(
        ("·" if t in _DOT_PER else str(t))
        if t.type == "PER"
        else (units[t].canonical if t in units else str(t))
        for t in toks
    )
    return canonical, text[span[0] : span[1]], span, "rate", 1


_DOT_PER = frozenset("・*×、")  # written for the middle dot of a rate (元/人*月 → 元/人·月)


def _amount(tree: Any, text: str) -> _Amount:
    first = tree.children[0]
    if first.type == "PCT_WORD":  # 百分之九十
        u, num = _units()[str(first)], tree.children[1]
        return _Amount(
            _number(num),
            (num.start_pos, num.end_pos),
            u.canonical,
            text[first.start_pos : first.end_pos],
            (first.start_pos, first.end_pos),
            u.unit_class,
        )
    a = _Amount(_number(first), (first.start_pos, first.end_pos))
    if len(tree.children) > 1:
        a.unit, a.unit_raw, a.unit_span, a.unit_class, a.scale = _unit(tree.children[1], text)
        a.number *= a.scale
    return a


def _at(tok: Any) -> tuple[str, Span] | None:
    """A lark token as (folded text, span); None stays None."""
    return None if tok is None else (str(tok), (tok.start_pos, tok.end_pos))


def _comparator(
    prefix: tuple[str, Span] | None, suffix: tuple[str, Span] | None, text: str
) -> dict[str, Any]:
    """Comparator fields from a prefix (≥, 不低于 …) and a suffix (以上 …); a weak prefix yields to a suffix."""
    lex = _lexicon()
    pre = lex["prefix"][prefix[0]] if prefix is not None else None
    if pre is not None and not (pre.weak and suffix is not None):
        (_, span), c, swap = prefix, pre, pre.style in ("ascii", "word")
    elif suffix is not None:
        (_, span), c, swap = suffix, lex["suffix"][suffix[0]], False
    else:
        return {}
    return {
        "comparator": c.means,
        "comparator_raw": text[span[0] : span[1]],
        "comparator_span": span,
        "comparator_style": c.style,
        "comparator_standard": c.means if swap else None,
    }


def _split(children: list[Any]) -> tuple[Any, list[Any], Any]:
    """(PREFIX token or None, the middle, SUFFIX token or None)."""
    pre = children[0] if getattr(children[0], "type", None) == "PREFIX" else None
    suf = children[-1] if getattr(children[-1], "type", None) == "SUFFIX" else None
    return pre, children[1 if pre is not None else 0 : len(children) - (suf is not None)], suf


def _check_date(tok: Any) -> None:
    for n, limit in (
        (re.search(r"([0-9]+)月", tok), 12),
        (re.search(r"([0-9]+)日$", tok), 31),
        (re.fullmatch(r"[0-9]{4}[-/.]([0-9]+)[-/.][0-9]+日?", tok), 12),
    ):
        if n is not None and not 1 <= int(n.group(1)) <= limit:
            raise _Reject


def _unit_fields(a: _Amount) -> dict[str, Any]:
    """The unit part of a quantity or range Value, from the amount that carries the unit."""
    return {
        "unit": a.unit,
        "unit_raw": a.unit_raw,
        "unit_span": a.unit_span,
        "unit_class": a.unit_class,
        "unit_nonstandard": a.unit_raw is not None and a.unit_raw != a.unit,
    }


def _structured(text: str, folded: str) -> Value | None:
    """A quantity / range / deadline / period Value if the whole text matches the grammar."""
    from lark.exceptions import LarkError

    try:
        tree = _parser().parse(folded)
    except LarkError:
        return None
    pre, middle, suf = _split(tree.children)
    cmp = _comparator(_at(pre), _at(suf), text)
    if tree.data == "quantity":
        first, rest = middle[0].children[0], middle[0].children[1:]
        if (
            first.type == "CN_NUMBER"
            and rest
            and text[first.start_pos : rest[0].children[-1].end_pos] in _units()
        ):
            raise _Reject  # 千米, 千克, 千元: a unit with nothing before it, not 1000 米
        a = _amount(middle[0], text)
        return Value(
            text, "quantity", **cmp, number=a.number, number_span=a.span, **_unit_fields(a)
        )
    if tree.data == "range":
        lo, hi = _amount(middle[0], text), _amount(middle[2], text)
        u = hi if hi.unit is not None else lo
        if lo.unit is None:
            lo.number *= u.scale
        elif u.unit is not None and lo.unit != u.unit:
            lo.number = convert(lo.number, lo.unit, u.unit)
            if lo.number is None:
                raise _Reject
        return Value(text, "range", **cmp, low=lo.number, high=hi.number, **_unit_fields(u))
    # deadline / period
    anchor = middle[0]
    if anchor.type == "DATE":
        _check_date(anchor)
    if anchor == "年度" and not any(t.type == "DL_SUFFIX" for t in middle):
        raise _Reject  # 年度任务… is prose, 年度内 / 年度前 are deadlines
    if tree.data == "deadline" and any(t.type == "ACTION" and _DIGIT.search(t) for t in middle):
        raise _Reject  # 至少全年开展3次培训: a count in prose, not a deadline
    return Value(text, str(tree.data), **cmp)


def _qualitative(text: str, folded: str) -> Value:
    """A graded / boolean / vague / free Value from the lexicon."""
    lex = _lexicon()
    body = folded.strip()
    start = len(folded) - len(folded.lstrip())
    m = lex["grade_re"].fullmatch(body)
    if m:
        pre, suf = (
            (m[g], (m.start(g) + start, m.end(g) + start)) if m[g] else None for g in ("pre", "suf")
        )
        return Value(text, "graded", **_comparator(pre, suf, text), grade=m["grade"])
    if body.rstrip("。.!！") in lex["truth"]:
        return Value(text, "boolean", truth=lex["truth"][body.rstrip("。.!！")])
    if body.rstrip("。.") in lex["na_whole"] or (
        lex["na_re"] is not None and lex["na_re"].search(body)
    ):
        return Value(text, "not_applicable")
    if not _DIGIT.search(body):
        v = lex["vague_re"].search(folded) if lex["vague_re"] is not None else None
        if v is None:
            v = lex["vague_word_re"].search(folded)
        if v:
            return Value(text, "vague", vague_phrase=v.group(), vague_span=v.span())
    return Value(text, "free")


def _parse(text: str) -> Value:
    """`parse_value` without the cache and without the safety net (the tests call this)."""
    folded = text.translate(_FOLD)
    body = folded.strip()
    if not body:
        return Value(text, "empty")
    if _MAYBE_STRUCTURED.search(body):
        for attempt in (folded, _blank_decoration(folded)):
            try:
                v = _structured(text, attempt) if attempt is not None else None
            except _Reject:
                v = None
            if v is not None:
                return v
    return _qualitative(text, folded)


# Decoration around a structured value that real tables write: a label before a comparator
# (满意度≥90%), end punctuation (≥95%。) and a short bracketed remark (≥95%（含）).
_LABEL = re.compile(r"^\s*[\u3400-\u9fff]{1,12}(?=\s*(?:[≥≤<>=≧≦]|[<>]=))")
_END_PUNCTUATION = frozenset("。；;，,.！!")


def _trailer_start(folded: str) -> int:
    r"""Where the decoration at the end starts: the leftmost match of
    ``(?:\s*\([^()]{0,8}\))?[\s。；;，,.！!]*$``, found from the end in linear time (a regex
    search for it is quadratic in a long run of spaces or punctuation)."""
    end = len(folded)
    while end and (folded[end - 1].isspace() or folded[end - 1] in _END_PUNCTUATION):
        end -= 1
    if end and folded[end - 1] == ")":
        opening = folded.rfind("(", max(0, end - 10), end - 1)
        if opening != -1 and ")" not in folded[opening + 1 : end - 1]:
            while opening and folded[opening - 1].isspace():
                opening -= 1
            return opening
    return end


def _blank_decoration(folded: str) -> str | None:
    """`folded` with decoration replaced by spaces (same length, so offsets stay true), or None."""
    label, trailer = _LABEL.search(folded), _trailer_start(folded)
    start = label.end() if label else 0
    end = trailer if trailer > start else len(folded)
    if start == 0 and end == len(folded):
        return None
    return " " * start + folded[start:end] + " " * (len(folded) - end)


@lru_cache(maxsize=65536)
def parse_value(text: str) -> Value:
    """Parse one indicator value. Cached per distinct string (and between runs, see `_Stored`); never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    stored = _stored_values()
    if stored is not None:
        value = stored.get(text)
        if value is not None:
            return value
    try:
        value = _parse(text)
    except Exception:
        return Value(text, "free")
    if stored is not None and _MAYBE_STRUCTURED.search(text.translate(_FOLD)):
        stored.put(text, value)  # only values the grammar was tried on: the others cost no Lark
    return value


# ---------------------------------------------------------------------------------------------
# Values kept between runs

_stored = None  # the _Stored of the parser cache directory, once used


def _stored_values():
    global _stored
    if _stored is None and _parser_cache_dir is not None:
        _stored = _Stored(_parser_cache_dir)
    return _stored


class _Stored:
    """Parsed values kept in the cache directory between runs, so that a run on one file (a
    pre-commit hook, an editor) finds the common values there and seldom loads the grammar:
    importing Lark, loading its tables and compiling its lexer costs about 60 ms.

    One JSON file, named by a fingerprint of everything a Value depends on: perflint's code and
    the library versions (`perflint.cache.code_fingerprint`), the grammar data files and the
    words plugins added (`extend_lexicon`). At most LIMIT values are kept, those used last
    first. Written atomically at exit, only by a process that parsed something new; never
    raises for a cache problem (an unreadable or corrupt file is an empty store).
    """

    LIMIT = 4096

    def __init__(self, directory):
        self.directory = directory
        self.path = None
        self.entries: dict[str, list] = {}
        self.used: dict[str, list] = {}  # this run's, in order of use (kept first on save)
        self.dirty = False
        try:
            from perflint.cache import read_sealed

            self.path = directory / f"values-{self._fingerprint()}.json"
            payload = read_sealed(
                self.path, b"values\x00" + self.path.name.encode()
            )  # only what this user's perflint wrote
            data = json.loads(payload) if payload is not None else None
            if isinstance(data, dict):
                self.entries = data
        except Exception:
            pass

    @staticmethod
    def _fingerprint() -> str:
        import hashlib

        from perflint.cache import code_fingerprint
        from perflint.resources import data_dir

        digest = hashlib.sha256(code_fingerprint().encode())
        for path in sorted(data_dir("grammar").glob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        digest.update(
            repr(
                sorted(
                    (k, sorted(v.items()) if isinstance(v, dict) else v) for k, v in _extra.items()
                )
            ).encode()
        )
        return digest.hexdigest()[:32]

    def get(self, text: str) -> Value | None:
        data = self.entries.get(text)
        if type(data) is not list or len(data) != len(_STORED_FIELDS):
            return None
        try:
            value = Value(text, *(_restore(name, item) for name, item in zip(_STORED_FIELDS, data)))
        except Exception:
            return None
        self.used[text] = data
        return value

    def put(self, text: str, value: Value) -> None:
        data = [getattr(value, name) for name in _STORED_FIELDS]
        data = [
            str(item)
            if isinstance(item, Decimal)
            else list(item)
            if isinstance(item, tuple)
            else item
            for item in data
        ]
        self.entries[text] = self.used[text] = data
        if not self.dirty:
            self.dirty = True
            import atexit

            atexit.register(self.save)

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        self.dirty = False
        kept = dict(islice(self.used.items(), self.LIMIT))
        for text, data in self.entries.items():
            if len(kept) >= self.LIMIT:
                break
            kept.setdefault(text, data)
        try:
            from perflint.cache import write_sealed

            self.directory.mkdir(parents=True, exist_ok=True)
            write_sealed(
                self.path,
                b"values\x00" + self.path.name.encode(),
                json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            )
        except Exception:
            pass


_STORED_FIELDS = Value.__slots__[1:]  # every field after `text`, in order


def _restore(name: str, item: Any) -> Any:
    """A stored field back to its type; ValueError when it is not of that type (a damaged entry)."""
    if name in ("number", "low", "high"):
        number = None if item is None else Decimal(item) if type(item) is str else None
        if item is not None and (number is None or not number.is_finite()):
            raise ValueError(name)
        return number
    if name.endswith("_span"):
        if item is None:
            return None
        if type(item) is not list or len(item) != 2 or not all(type(i) is int for i in item):
            raise ValueError(name)
        return tuple(item)
    if name in ("unit_nonstandard", "truth"):
        if type(item) is not bool and not (item is None and name == "truth"):
            raise ValueError(name)
        return item
    if item is not None and type(item) is not str or (name == "kind" and item not in _KINDS):
        raise ValueError(name)
    return item


_KINDS = frozenset(
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
