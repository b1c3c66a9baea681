"""The vocabulary of goal tables, read once from `rules/forms/forms.yaml` (data, not code).

Titles, information-row labels, header words, trailer words: what the table interpreter
(`perflint.readers.interpret`) compares cells with. A province adds its form to the data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
    _titles: dict = field(
        default_factory=dict, init=False, compare=False, repr=False
    )  # text → title()
    _labels: dict = field(
        default_factory=dict, init=False, compare=False, repr=False
    )  # text → label()
    _column_of: dict = field(
        default_factory=dict, init=False, compare=False, repr=False
    )  # text → column()
    _starts: dict = field(
        default_factory=dict, init=False, compare=False, repr=False
    )  # first cells of rows seen → starts()
    _exact: dict = field(
        default_factory=dict, init=False, compare=False, repr=False
    )  # header word → column (first wins)
    _order: dict = field(
        default_factory=dict, init=False, compare=False, repr=False
    )  # column → its place
    _patterns: tuple = field(
        default=(), init=False, compare=False, repr=False
    )  # (place, column, regex), in order

    def __post_init__(self):
        for index, column in enumerate(self.columns):
            self._order.setdefault(column.field, index)
            for word in column.words:
                self._exact.setdefault(word, column.field)
        patterns = tuple((i, c.field, p) for i, c in enumerate(self.columns) for p in c.patterns)
        object.__setattr__(self, "_patterns", patterns)

    def label(self, text: str) -> tuple[str, str | None] | None:
        """(key, money unit named in the label or None) when `text` is a known label, else None."""
        try:
            return self._labels[text]
        except KeyError:
            pass
        found = self._label(text) if len(text) <= 60 else None
        return _keep(self._labels, text, found)

    def _label(self, text: str) -> tuple[str, str | None] | None:
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
        try:
            return self._titles[text]
        except KeyError:
            pass
        return _keep(self._titles, text, self._title(text))

    def _title(self, text: str) -> bool:
        key = squash(text)
        if len(key) > 120:
            return False
        key = _TRAILING_BRACKET.sub("", key)
        return any(key.endswith(word) for word in self.titles)

    def department_title(self, text: str) -> bool:
        return any(word in text for word in self.department_titles)

    def column(self, text: str) -> str | None:
        """The indicator-table column a header cell names, or None (asked for the first cells of
        every row, as a new header row may start a new table: answers are kept by text)."""
        try:
            return self._column_of[text]
        except KeyError:
            pass
        return _keep(self._column_of, text, self._column(text) if len(text) <= 60 else None)

    def _column(self, text: str) -> str | None:
        title = squash(text)
        if not title or len(title) > 40:
            return None
        found = self._exact.get(title)
        order = self._order.get(found, len(self.columns))
        for index, name, pattern in self._patterns:
            if index >= order:
                break
            if pattern.search(title):
                return name
        return found

    def starts(self, text: str) -> str | None:
        """What a row whose first cell is `text` starts after an indicator table: "table" (a label
        or a title: a new table), "trailer", or None (an indicator row). Answers are kept by text:
        asked for every indicator row, mostly with the same few category names."""
        try:
            return self._starts[text]
        except KeyError:
            pass
        found = (
            "table"
            if self.label(text) or self.title(text)
            else "trailer"
            if self.trailer(text)
            else None
        )
        return _keep(self._starts, text, found)

    def trailer(self, text: str) -> bool:
        """Whether a row starting with `text` is a trailer (注:…, 审核意见, 合计, 签字 …)."""
        key = _SPACE.sub("", text)
        if not key:
            return False
        for word in self.trailer_starts:
            if key.startswith(word) and (
                len(key) == len(word)
                or len(word) >= 3
                or not key[len(word)].isalnum()
                or key[len(word)].isdigit()
            ):
                return True
        return any(word in key for word in self.trailer_contains)


MEMO_SIZE = 8192  # answers kept per question; a file of a million distinct cells must not grow it
MEMO_LONGEST = 40  # only for texts this short (labels, header words, category names)


def _keep(memo: dict, text: str, answer):
    if len(text) <= MEMO_LONGEST:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[text] = answer
    return answer


@cache
def load_forms() -> Forms:
    """The built-in vocabulary, `rules/forms/forms.yaml`."""
    return forms_from(load_yaml_file(data_file("rules", "forms", "forms.yaml")))


def forms_from(data: dict) -> Forms:
    """A vocabulary from the data of a forms.yaml file."""
    labels: dict[str, str] = {}
    for key, spellings in data["labels"].items():
        for spelling in spellings:
            labels.setdefault(LABEL_UNIT.sub("", squash(spelling)), key)
    columns = tuple(
        Column(
            entry["field"],
            frozenset(squash(w) for w in entry.get("words", ())),
            tuple(re.compile(p) for p in entry.get("patterns", ())),
        )
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
