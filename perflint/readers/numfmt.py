"""A workbook cell's value as the text a person sees in Excel: its number format applied.

Covers what goal tables use: General, fixed decimals (`0.00`), thousands (`#,##0.00`), percent
(`0%`, `0.0%`), literal text around the number (`0.00"万元"`, `#,##0元`), sections
(`pos;neg;zero;text`), colours and locale tags (ignored), scientific notation, and dates and
times (`yyyy-mm-dd`, `yyyy"年"m"月"d"日"`, `h:mm`). What it does not know (fractions, `[DBNum1]`
Chinese numerals) falls back to General, so the text is the number, never a serial or an error.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

_BRACKET = re.compile(r"\[[^\]]*\]")
_NUMBER = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?(?:[eE][+-][0#]+)?|\.[0#?]+")


def _general(value: float) -> str:
    if isinstance(value, int) or (
        isinstance(value, float) and value.is_integer() and abs(value) < 1e15
    ):
        return str(int(value))
    text = f"{value:.15g}"
    return text.replace("e+", "E+").replace("e-", "E-")


def _literal(section: str) -> str:
    """A format section with quoting, escapes, padding and brackets resolved to plain text."""
    out, i = [], 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append(section[i + 1 : end])
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            out.append(section[i + 1])
            i += 2
        elif ch in "_*" and i + 1 < len(section):
            out.append(" " if ch == "_" else "")
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def _sections(number_format: str) -> tuple[str, ...]:
    parts, current, quoted = [], [], False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return tuple(_BRACKET.sub("", part) for part in parts)


def _number(value: float, pattern: str, percents: int) -> str:
    """`value` (>= 0) under a number pattern such as `#,##0.00`, rounded half away from zero on
    its shortest decimal form, as Excel rounds (2.675 → 2.68)."""
    exact = Decimal(repr(float(value))) * (100**percents)
    if "e" in pattern.lower():
        value = float(exact)
        mantissa = pattern.lower().split("e")[0]
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return f"{value:.{decimals}E}"
    integer, _, fraction = pattern.partition(".")
    decimals = len(fraction)
    optional = len(fraction) - len(fraction.rstrip("#?"))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}" if "," in integer else f"{rounded:.{decimals}f}"
    if optional and "." in text:
        text = text[: len(text) - optional] + text[len(text) - optional :].rstrip("0")
        text = text.rstrip(".")
    if not integer.strip("#?,") and text.startswith("0") and "." in text and integer:
        text = text[1:]  # `#.00` shows .50
    return text


def format_number(value, number_format: str | None) -> str:
    """The displayed text of an int or float under `number_format`."""
    fmt = (number_format or "General").strip()
    if fmt in ("", "General", "@"):
        return _general(value)
    sections = _sections(fmt)
    negative = value < 0
    if len(sections) >= 3 and value == 0:
        section, sign = sections[2], ""
    elif negative and len(sections) >= 2:
        section, sign = sections[1], ""
    else:
        section, sign = sections[0], "-" if negative else ""
    if section.strip().lower() == "general":
        return sign + _general(abs(value))
    if "/" in section or section.strip() == "@":
        return _general(value)
    match = _NUMBER.search(_strip_quoted(section))
    if match is None:
        return _literal(section) or _general(value)
    before = _literal(section[: match.start()])
    after = _literal(section[match.end() :])
    digits = _number(abs(value), match.group(), _strip_quoted(section).count("%"))
    return f"{sign}{before}{digits}{after}"


def _strip_quoted(section: str) -> str:
    """The section with quoted text blanked (same length), so patterns are not found inside it."""
    return re.sub(r'"[^"]*"|\\.', lambda m: " " * len(m.group()), section)


_DATE_TOKENS = re.compile(
    r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|AM/PM|am/pm|\"[^\"]*\"|\\.|.", re.IGNORECASE
)


def format_date(value, number_format: str | None) -> str:
    """A date, time or datetime as its format shows it; ISO form when the format is unknown."""
    fmt = _BRACKET.sub("", _sections(number_format or "")[0] if number_format else "")
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    tokens = _DATE_TOKENS.findall(fmt)
    if not any(t.lower()[0] in "ydhs" for t in tokens if t and t[0] not in '"\\'):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    out = []
    for position, token in enumerate(tokens):
        low = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif low == "yyyy":
            out.append(f"{value.year:04d}")
        elif low == "yy":
            out.append(f"{value.year % 100:02d}")
        elif low in ("m", "mm"):
            previous = [
                t.lower() for t in tokens[:position] if t.strip() and t[0] not in '"\\-/:年月日 '
            ]
            nxt = [
                t.lower()
                for t in tokens[position + 1 :]
                if t.strip() and t[0] not in '"\\-/:年月日 '
            ]
            minute = (previous and previous[-1].startswith("h")) or (nxt and nxt[0].startswith("s"))
            number = getattr(value, "minute", 0) if minute else getattr(value, "month", 1)
            out.append(f"{number:02d}" if low == "mm" else str(number))
        elif low in ("mmm", "mmmm"):
            out.append(value.strftime("%b" if low == "mmm" else "%B"))
        elif low in ("d", "dd"):
            out.append(f"{value.day:02d}" if low == "dd" else str(value.day))
        elif low in ("ddd", "dddd"):
            out.append(value.strftime("%a" if low == "ddd" else "%A"))
        elif low in ("h", "hh"):
            hour = getattr(value, "hour", 0)
            out.append(f"{hour:02d}" if low == "hh" else str(hour))
        elif low in ("s", "ss"):
            second = getattr(value, "second", 0)
            out.append(f"{second:02d}" if low == "ss" else str(second))
        elif low == "am/pm":
            out.append("AM" if getattr(value, "hour", 0) < 12 else "PM")
        else:
            out.append(token)
    return "".join(out)


def display(value, number_format: str | None) -> str:
    """A cell value (str, number, bool, date, time) as displayed text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value, number_format)
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return format_date(value, number_format)
    return str(value)
