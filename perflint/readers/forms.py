"""The vocabulary of goal tables, read once from `rules/forms/forms.yaml` (data, not code).

Titles, information-row labels, header words, trailer words: what the table interpreter
(`perflint.readers.interpret`) compares cells with. A province adds its form to the data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from perflint.resources import data_file
from perflint.yamlutil import load_yaml_file

# what a label loses before it is compared: spaces, line breaks, colons, `*`/`★` marks
_LABEL_NOISE = re.compile(r"[\s:：*★＊]+")
# a money unit in brackets inside a label: 项目资金(万元), 资金情况（万元）
LABEL_UNIT = re.compile(r"[（(]\s*(万元|元|亿元|千元)\s*[)）]")
_SPACE = re.compile(r"\s+")
_TRAILING_BRACKET = re.compile(r"[（(][^（()）]*[)）]$")


def squash(text: str) -> str:
    """A label as compared: no spaces, line breaks, colons or `*` marks."""
    return _LABEL_NOISE.sub("", text)


@dataclass(frozen=True)
class Column:
    field: str
    words: frozenset[str]
    patterns: tuple[re.Pattern, ...]

    def matches(self, title: str) -> bool:
        return title in self.words or any(p.search(title) for p in self.patterns)


@dataclass(frozen=True)
class Forms:
    titles: tuple[str, ...]
    department_titles: tuple[str, ...]
    labels: dict[str, str]  # squashed spelling → key
    decor: dict[str, re.Pattern]
    columns: tuple[Column, ...]
    not_comparators: frozenset[str]
    level1_of: dict[str, str]
    trailer_starts: tuple[str, ...]
    trailer_contains: tuple[str, ...]

    def label(self, text: str) -> tuple[str, str | None] | None:
        """(key, money unit named in the label or None) when `text` is a known label, else None."""
        key = squash(text)
        if not key or len(key) > 40:
            return None
        unit = LABEL_UNIT.search(key)
        if unit:
            key = LABEL_UNIT.sub("", key)
        found = self.labels.get(key)
        if found is None:
            bare = _TRAILING_BRACKET.sub("", key)
            found = self.labels.get(bare) if bare != key else None
        if found is None:
            return None
        return found, unit.group(1) if unit else None

    def title(self, text: str) -> bool:
        """Whether `text` is a table title: …绩效目标表, …申报表, …自评表 (a bracket may follow)."""
        key = squash(text)
        if len(key) > 120:
            return False
        key = _TRAILING_BRACKET.sub("", key)
        return any(key.endswith(word) for word in self.titles)

    def department_title(self, text: str) -> bool:
        return any(word in text for word in self.department_titles)

    def column(self, text: str) -> str | None:
        """The indicator-table column a header cell names, or None."""
        title = squash(text)
        if not title or len(title) > 40:
            return None
        return next((c.field for c in self.columns if c.matches(title)), None)

    def trailer(self, text: str) -> bool:
        """Whether a row starting with `text` is a trailer (注:…, 审核意见, 合计, 签字 …)."""
        key = _SPACE.sub("", text)
        if not key:
            return False
        for word in self.trailer_starts:
            if key.startswith(word) and (len(key) == len(word) or len(word) >= 3 or not key[len(word)].isalnum() or key[len(word)].isdigit()):
                return True
        return any(word in key for word in self.trailer_contains)


@cache
def load_forms() -> Forms:
    data = load_yaml_file(data_file("rules", "forms", "forms.yaml"))
    labels: dict[str, str] = {}
    for key, spellings in data["labels"].items():
        for spelling in spellings:
            labels.setdefault(LABEL_UNIT.sub("", squash(spelling)), key)
    columns = tuple(
        Column(entry["field"], frozenset(squash(w) for w in entry.get("words", ())), tuple(re.compile(p) for p in entry.get("patterns", ())))
        for entry in data["columns"]
    )
    return Forms(
        titles=tuple(data["titles"]),
        department_titles=tuple(data["department_titles"]),
        labels=labels,
        decor={name: re.compile(pattern) for name, pattern in data["decor"].items()},
        columns=columns,
        not_comparators=frozenset(squash(w) for w in data["not_comparators"]) | {""},
        level1_of=dict(data["level1_of"]),
        trailer_starts=tuple(_SPACE.sub("", w) for w in data["trailers"]["starts"]),
        trailer_contains=tuple(_SPACE.sub("", w) for w in data["trailers"]["contains"]),
    )
