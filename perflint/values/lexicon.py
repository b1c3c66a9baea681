"""The words of indicator values (grammar/lexicon.yaml) plus what plugins add."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from perflint.values.units import load_data


@dataclass(frozen=True, slots=True)
class Cmp:
    means: str
    style: str
    weak: bool = False


@cache
def lexicon() -> dict[str, Any]:
    """lexicon.yaml plus whatever plugins added, with the derived lookup tables."""
    data = load_data("lexicon.yaml")
    cmps = data["comparators"]
    prefix = {
        k: Cmp(v["means"], v["style"], v.get("weak", False)) for k, v in cmps["prefix"].items()
    }
    suffix = {k: Cmp(v["means"], "suffix") for k, v in cmps["suffix"].items()}
    grades = {w for ladder in data["grades"] for w in ladder} | set(extra["grades"])
    vague = sorted(set(data["vague"]) | set(extra["vague"]), key=len, reverse=True)
    words = data.get("vague_words") or {}
    manner, direction = words.get("manner") or [], words.get("direction") or []
    na = data.get("not_applicable") or {}
    truth = dict.fromkeys(data["booleans"]["true_words"], True) | dict.fromkeys(
        data["booleans"]["false_words"], False
    )
    truth |= extra["truth"]

    def alt(words):
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    return {
        "prefix": prefix,
        "suffix": suffix,
        "ladders": [list(ladder) for ladder in data["grades"]]
        + ([list(extra["grades"])] if extra["grades"] else []),
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


# what plugins added (perflint.values.extend_lexicon)
extra: dict[str, Any] = {"vague": [], "grades": [], "truth": {}}


def grade_ladders() -> list[list[str]]:
    """The grade ladders, best first (lexicon.yaml plus any added grades as one extra ladder)."""
    return [list(ladder) for ladder in lexicon()["ladders"]]
