"""A workbook value as Excel displays it under its number format (perflint/readers/numfmt.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from perflint.readers.numfmt import display

CASES = [
    (0.95, "0%", "95%"),
    (0.955, "0.0%", "95.5%"),
    (1, "0%", "100%"),
    (1030700, "#,##0.00", "1,030,700.00"),
    (1030700, "#,##0", "1,030,700"),
    (30, "0.00", "30.00"),
    (2.675, "0.00", "2.68"),  # half away from zero on the shortest decimal, as Excel rounds
    (95, "General", "95"),
    (0.1 + 0.2, "General", "0.3"),
    (30.0, "General", "30"),
    (1.875, '0.000"万元"', "1.875万元"),
    (24, '0"场"', "24场"),
    (88, '"≥"0"%"', "≥88%"),
    (-5, "#,##0;[Red]-#,##0", "-5"),
    (-5, "#,##0", "-5"),
    (0, '0;-0;"-"', "-"),
    (12345.678, "0.00E+00", "1.23E+04"),
    (1.5, "0.##", "1.5"),
    (7, "[$-804]0", "7"),
    (3, "@", "3"),
    (None, "0%", ""),
    (True, "General", "TRUE"),
    ("≥95%", "0%", "≥95%"),
    (dt.datetime(2021, 12, 31), 'yyyy"年"m"月"d"日"', "2021年12月31日"),
    (dt.datetime(2021, 12, 31), "yyyy-mm-dd", "2021-12-31"),
    (dt.datetime(2021, 12, 31, 13, 5), "yyyy/m/d h:mm", "2021/12/31 13:05"),
    (dt.datetime(2021, 3, 5), "mm-dd-yy", "03-05-21"),
    (dt.datetime(2021, 12, 31), "General", "2021-12-31 00:00:00"),
    (dt.date(2025, 10, 31), "General", "2025-10-31"),
    (dt.time(9, 30), "h:mm", "9:30"),
]


@pytest.mark.parametrize(("value", "number_format", "shown"), CASES)
def test_display(value, number_format, shown):
    assert display(value, number_format) == shown
