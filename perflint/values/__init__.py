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

from perflint.values.lexicon import grade_ladders
from perflint.values.model import COMPARATORS, Value
from perflint.values.parse import (
    MAX_EXPONENT,
    extend_lexicon,
    parse_value,
    reset_lexicon,
    use_parser_cache,
)
from perflint.values.units import UnitInfo, convert, unit_info

__all__ = [
    "COMPARATORS",
    "MAX_EXPONENT",
    "UnitInfo",
    "Value",
    "convert",
    "extend_lexicon",
    "grade_ladders",
    "parse_value",
    "reset_lexicon",
    "unit_info",
    "use_parser_cache",
]
