"""Parsing one indicator value (指标值) into a `Value`; see perflint.values for the kinds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from perflint.values import stored
from perflint.values.grammar import parser
from perflint.values.lexicon import extra, lexicon
from perflint.values.model import Span, Value
from perflint.values.units import _units as unit_table
from perflint.values.units import convert

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
    units = unit_table()
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
        u, num = unit_table()[str(first)], tree.children[1]
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
    lex = lexicon()
    pre = lex["prefix"][prefix[0]] if prefix is not None else None
    if prefix is not None and pre is not None and not (pre.weak and suffix is not None):
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
        tree = parser().parse(folded)
    except LarkError:
        return None
    pre, middle, suf = _split(tree.children)
    cmp = _comparator(_at(pre), _at(suf), text)
    if tree.data == "quantity":
        first, rest = middle[0].children[0], middle[0].children[1:]
        if (
            first.type == "CN_NUMBER"
            and rest
            and text[first.start_pos : rest[0].children[-1].end_pos] in unit_table()
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
            number = convert(lo.number, lo.unit, u.unit)
            if number is None:
                raise _Reject
            lo.number = number
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
    lex = lexicon()
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
    store = stored.stored_values()
    if store is not None:
        value = store.get(text)
        if value is not None:
            return value
    try:
        value = _parse(text)
    except Exception:
        return Value(text, "free")
    if store is not None and _MAYBE_STRUCTURED.search(text.translate(_FOLD)):
        store.put(text, value)  # only values the grammar was tried on: the others cost no Lark
    return value


# ---------------------------------------------------------------------------------------------
# What plugins add


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
    extra["vague"].extend(w for w in vague if w)
    extra["grades"].extend(w for w in grades if w)
    extra["truth"].update({w: True for w in true_words if w} | {w: False for w in false_words if w})
    _forget_parses()


def reset_lexicon() -> None:
    """Drop everything added by `extend_lexicon` (for tests)."""
    extra.update(vague=[], grades=[], truth={})
    _forget_parses()


def _forget_parses() -> None:
    """After the lexicon changed: parse every value afresh (the stored values have another fingerprint)."""
    lexicon.cache_clear()
    parse_value.cache_clear()
    stored.forget()


def use_parser_cache(directory) -> None:
    """Keep the LALR tables of the value grammar, and the values that needed them, in
    `directory` (None: do not)."""
    stored.use_directory(directory)
