"""The vocabulary of goal tables, read once from `rules/forms/forms.yaml` (data, not code).

Titles, information-row labels, header words, trailer words: what the table interpreter
(`perflint.readers.interpret`) compares cells with. A province adds its form without code: a
plugin's `perflint_forms` hook names its own forms files, whose words join the package's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

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
    decor: dict[str, tuple[re.Pattern, ...]]
    columns: tuple[Column, ...]
    not_comparators: frozenset[str]
    level1_of: dict[str, str]
    trailer_starts: tuple[str, ...]
    trailer_contains: tuple[str, ...]
    divided: dict[
        str, frozenset[str]
    ]  # a header cell's field → the fields its sub-columns may name
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

    def decor_match(self, name: str, text: str) -> re.Match | None:
        """The match of the first `decor` pattern `name` (year, money_unit …) that `text` fits."""
        for pattern in self.decor[name]:
            match = pattern.match(text)
            if match:
                return match
        return None

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


class FormsError(ValueError):
    """A forms file that cannot be used (its message says which entry and why)."""


_LAYERED = ("titles", "department_titles", "labels", "decor", "columns", "not_comparators")
_KEYS = frozenset((*_LAYERED, "level1_of", "trailers", "divided"))


@cache
def _builtin_data() -> dict:
    return load_yaml_file(data_file("rules", "forms", "forms.yaml"))


def builtin_forms() -> Forms:
    """The package's own vocabulary, `rules/forms/forms.yaml`, without any plugin's."""
    return forms_of_files(())[0]


def host_forms(host) -> Forms:
    """The package's vocabulary with that of the plugins `host` has loaded."""
    return forms_of_files(plugin_forms(host)[0])[0]


def plugin_forms(host) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """The forms files the plugins of `host` (a plugin host: `collect(hook)`) ship
    (`perflint_forms`), and a problem for each one that cannot be read or used (the run goes on
    without it)."""
    files: list[Path] = []
    bad: list[str] = []
    for plugin, paths in host.collect("perflint_forms"):
        try:
            entries = [paths] if isinstance(paths, (str, Path)) else list(paths)
            for entry in map(Path, entries):
                files.extend(sorted(entry.glob("*.y*ml")) if entry.is_dir() else [entry])
        except (TypeError, OSError) as error:
            bad.append(f"plugin {plugin!r}: perflint_forms gave {paths!r}: {error}")
    found = tuple(files)
    return found, (*bad, *forms_of_files(found)[1])


@cache
def forms_of_files(files: tuple[Path, ...]) -> tuple[Forms, tuple[str, ...]]:
    """The package's vocabulary layered with `files` (a province's forms), and a problem for each
    file that cannot be used (left out)."""
    layers, problems = [_builtin_data()], []
    for path in files:
        try:
            data = load_yaml_file(path)
            forms_from(*layers, data)
        except Exception as error:  # a province's file must not stop the run
            problems.append(f"forms file {path}: {type(error).__name__}: {error}; not used")
            continue
        layers.append(data)
    return forms_from(*layers), tuple(problems)


def forms_from(data: dict, *more: dict) -> Forms:
    """A vocabulary from the data of a forms.yaml file, with further files' added to it (a
    province's form): their titles, labels, header words, category spellings and trailer words
    join the first file's; a spelling a later file gives another meaning has the later one."""
    layers = (data, *more)
    for layer in more:
        unknown = set(layer) - _KEYS
        if unknown:
            raise FormsError(f"unknown entries {sorted(unknown)} (known: {sorted(_KEYS)})")
    labels: dict[str, str] = {}
    for layer in layers:
        own: dict[str, str] = {}
        for key, spellings in _mapping(layer, "labels").items():
            for spelling in _words(spellings, f"labels.{key}"):
                own.setdefault(LABEL_UNIT.sub("", squash(spelling)), key)
        labels.update(own)
    columns: dict[str, tuple[set[str], list[re.Pattern]]] = {}
    for layer in layers:
        for entry in layer.get("columns") or ():
            name = entry["field"]
            if name not in columns and layer is not data:
                raise FormsError(f"columns: unknown field {name!r} (known: {sorted(columns)})")
            words, patterns = columns.setdefault(name, (set(), []))
            words.update(squash(w) for w in _words(entry.get("words", ()), f"columns.{name}"))
            patterns.extend(map(re.compile, _words(entry.get("patterns", ()), f"columns.{name}")))
    decor: dict[str, list[re.Pattern]] = {}
    for layer in layers:
        for name, pattern in _mapping(layer, "decor").items():
            if name not in decor and layer is not data:
                raise FormsError(f"decor: unknown entry {name!r} (known: {sorted(decor)})")
            decor.setdefault(name, []).extend(map(re.compile, _words(pattern, f"decor.{name}")))
    divided: dict[str, set[str]] = {}
    level1_of: dict[str, str] = {}
    for layer in layers:
        for name, fields in _mapping(layer, "divided").items():
            divided.setdefault(name, set()).update(_words(fields, f"divided.{name}"))
        level1_of.update(_mapping(layer, "level1_of"))
    trailers = [_mapping(layer, "trailers") for layer in layers]
    return Forms(
        titles=_joined(layers, "titles"),
        department_titles=_joined(layers, "department_titles"),
        labels=labels,
        decor={name: tuple(patterns) for name, patterns in decor.items()},
        columns=tuple(Column(n, frozenset(w), tuple(p)) for n, (w, p) in columns.items()),
        not_comparators=frozenset(squash(w) for w in _joined(layers, "not_comparators")) | {""},
        level1_of=level1_of,
        trailer_starts=tuple(_SPACE.sub("", w) for t in trailers for w in t.get("starts", ())),
        trailer_contains=tuple(_SPACE.sub("", w) for t in trailers for w in t.get("contains", ())),
        divided={name: frozenset(fields) for name, fields in divided.items()},
    )


def _mapping(layer: dict, key: str) -> dict:
    found = layer.get(key) or {}
    if not isinstance(found, dict):
        raise FormsError(f"{key}: a mapping is expected, not {type(found).__name__}")
    return found


def _words(found, where: str) -> list[str]:
    """A list of strings (one string alone is a list of one)."""
    words = [found] if isinstance(found, str) else found
    if not isinstance(words, (list, tuple)) or not all(isinstance(w, str) for w in words):
        raise FormsError(f"{where}: a list of strings is expected")
    return list(words)


def _joined(layers: tuple[dict, ...], key: str) -> tuple[str, ...]:
    return tuple(w for layer in layers for w in _words(layer.get(key) or [], key))
