"""Micro-benchmark for perflint.values (not a test): how fast indicator values parse.

Generates 10 000 distinct, realistic 指标值 strings (quantities with every comparator style and
unit class, ranges, deadlines, periods, grades, vague and free text) and reports

- the import time of perflint.values and the one-off build of the grammar + data files;
- cold parsing: each value parsed for the first time (parse cache empty, parser built);
- warm parsing: the same values again (served from the cache);
- a floor measured in the same run: one precompiled `re.fullmatch` per value, so the numbers
  can be read as a ratio that does not depend on the machine.

Run:  python bench/bench_values.py [N]
"""

from __future__ import annotations

import itertools
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def realistic_values(n: int, seed: int = 2025) -> list[str]:
    """`n` distinct value strings in the shapes real filings use."""
    rng = random.Random(seed)
    prefixes = [
        "",
        "≥",
        "≤",
        ">",
        "<",
        "=",
        "＞",
        "＝",
        ">=",
        "<=",
        "大于等于",
        "不低于",
        "不少于",
        "不超过",
        "约",
        "达到",
    ]
    suffixes = ["", "", "", "以上", "以下", "以内", "及以上", "左右"]
    units = [
        "%",
        "％",
        "人次",
        "人、次",
        "件、次",
        "个",
        "户",
        "家",
        "项",
        "场",
        "篇",
        "份",
        "台",
        "套",
        "万元",
        "万",
        "元",
        "亿元",
        "天",
        "个工作日",
        "个月",
        "小时",
        "元/人",
        "元/人·月",
        "次/年",
        "公里",
        "平方米",
        "亩",
        "分",
    ]
    words = [
        "得到保障",
        "有所提高",
        "进一步提升",
        "稳步推进",
        "明显改善",
        "时间进度完成",
        "维护社会稳定",
        "持续改善",
    ]
    subjects = [
        "群众满意度",
        "服务质量",
        "管理水平",
        "工作效率",
        "社会效益",
        "基础设施",
        "信访秩序",
        "营商环境",
    ]
    grades = [
        "好",
        "较好",
        "一般",
        "优",
        "良",
        "优秀",
        "良好",
        "合格",
        "良好及以上",
        "是",
        "否",
        "达标",
        "完成",
    ]

    def one() -> str:
        r = rng.random()
        if r < 0.55:
            num = rng.choice(
                [str(rng.randint(1, 100)), str(rng.randint(1, 5000)), f"{rng.uniform(0, 100):.1f}"]
            )
            return rng.choice(prefixes) + num + rng.choice(units) + rng.choice(suffixes)
        if r < 0.65:
            lo = rng.randint(1, 90)
            sep = rng.choice(["-", "~", "～", "至", "—"])
            u = rng.choice(["%", "个", "万元", "人次"])
            return f"{lo}{rng.choice(['', u])}{sep}{lo + rng.randint(1, 10)}{u}"
        if r < 0.78:
            y, m, d = rng.randint(2020, 2030), rng.randint(1, 12), rng.randint(1, 28)
            return rng.choice(
                [
                    f"{y}年{m}月{d}日前",
                    f"{y}年{m}月底前",
                    f"{m}月底前",
                    f"{m}月{d}日前完成",
                    f"{y}年度",
                    f"年底前完成第{rng.randint(1, 99)}批",
                    f"每月{d}日前",
                    f"按季度报送{rng.randint(1, 9)}次",
                ]
            )
        if r < 0.85:
            return rng.choice(grades) + "。" * rng.randint(0, 1) + " " * rng.randint(0, 2)
        if r < 0.95:
            return f"{rng.choice(subjects)}{rng.choice(words)}{'，' + rng.choice(subjects) if rng.random() < 0.5 else ''}"
        return f"{rng.choice(subjects)}得到{rng.choice(['落实', '巩固', '发展'])}第{rng.randint(1, 10**6)}项"

    out: dict[str, None] = {}
    for _ in itertools.count():
        out[one()] = None
        if len(out) == n:
            return list(out)
    raise AssertionError


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    vals = realistic_values(n)

    t = time.perf_counter()
    from perflint import values
    from perflint.values import grammar

    t_import = time.perf_counter() - t
    t = time.perf_counter()
    grammar.parser()
    t_build = time.perf_counter() - t

    values.parse_value.cache_clear()
    t = time.perf_counter()
    kinds: dict[str, int] = {}
    for v in vals:
        k = values.parse_value(v).kind
        kinds[k] = kinds.get(k, 0) + 1
    t_cold = time.perf_counter() - t

    t = time.perf_counter()
    for v in vals:
        values.parse_value(v)
    t_warm = time.perf_counter() - t

    floor_re = re.compile(r"([≥≤<>=]?)(\d+(?:\.\d+)?)(\S*)")
    t = time.perf_counter()
    for v in vals:
        floor_re.fullmatch(v)
    t_floor = time.perf_counter() - t

    print(f"values: {n} distinct   kinds: {dict(sorted(kinds.items()))}")
    print(f"import perflint.values: {t_import * 1e3:8.1f} ms  (lark and yaml are not imported yet)")
    print(f"build parser + data:    {t_build * 1e3:8.1f} ms  (once per process)")
    print(
        f"cold parse:             {t_cold * 1e3:8.1f} ms  = {n / t_cold:>10,.0f} values/s   {t_cold / t_floor:6.0f}× floor"
    )
    print(
        f"warm parse (cached):    {t_warm * 1e3:8.1f} ms  = {n / t_warm:>10,.0f} values/s   {t_warm / t_floor:6.1f}× floor"
    )
    print(f"floor (one re.fullmatch per value): {t_floor * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
