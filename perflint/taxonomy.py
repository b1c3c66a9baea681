"""Indicator categories as data: names, loose spellings, profiles and keyword hints.

`rules/taxonomy/categories.yaml` names every 一级/二级 category once; each profile file
(`legacy.yaml`, `mof-2021.yaml`, or one a plugin adds) says which 二级 sits under which 一级
and which categories a project must have. Rules ask this module, never compare strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

from perflint.resources import data_dir
from perflint.yamlutil import load_yaml_file

_WEIGHT = re.compile(r"[（(【\[][^（(【\[）)】\]]*[)）】\]]")  # no opening bracket inside: linear
_SPACE = re.compile(r"\s+")
# a score written beside a category: 成本指标(0-20)分 (the bracket goes first), 产出指标50分, 指标：
_SCORE = re.compile(r"(?:\d+(?:\.\d+)?(?:[-~～—]\d+(?:\.\d+)?)?)?分$|[:：]$")


# The lookups below are asked for every indicator and cell, with the same few names over and over:
# each keeps its answers by name in a memo, up to MEMO_SIZE of them (then starts again), and only
# for names up to MEMO_LONGEST characters: a hostile file with a million distinct or huge names
# must not grow a memo without bound.
MEMO_SIZE = 4096
MEMO_LONGEST = 200


def _remember(memo: dict, name: str, answer):
    """Keep `answer` for `name` in `memo` (when the name is short enough) and return it."""
    if not isinstance(name, str) or len(name) <= MEMO_LONGEST:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[name] = answer
    return answer


@dataclass(frozen=True)
class Profile:
    name: str
    title: dict
    structure: dict[str, tuple[str, ...]]  # 一级 → allowed 二级
    required: tuple[str, ...]  # 一级 or 二级 names every project needs
    _parents: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def parents(self, level2: str) -> tuple[str, ...]:
        try:
            return self._parents[level2]
        except KeyError:
            found = tuple(l1 for l1, children in self.structure.items() if level2 in children)
            return _remember(self._parents, level2, found)

    @cached_property
    def level1_names(self) -> tuple[str, ...]:
        """Every 一级 of the profile, in its order."""
        return tuple(self.structure)

    @cached_property
    def level2_names(self) -> tuple[str, ...]:
        """Every 二级 of the profile, in its order, each once."""
        return tuple(dict.fromkeys(l2 for l2s in self.structure.values() for l2 in l2s))


@dataclass(frozen=True)
class Taxonomy:
    level1: dict[str, str]  # any spelling → canonical 一级
    level2: dict[str, str]  # any spelling → canonical 二级
    kinds: dict[str, str]  # canonical 二级 → kind (quantity, quality, …)
    expects: dict[str, dict]  # kind → {kinds: [...], unit_classes: [...]}
    keywords: tuple[tuple[str, str], ...]  # (word, kind), longest first
    profiles: dict[str, Profile]
    keyword_compatible: dict[
        str, tuple[str, ...]
    ]  # category kind → keyword kinds that may stand under it
    _level1: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _level2: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _kinds: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _keywords: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def canonical_level1(self, name: str) -> str | None:
        try:
            return self._level1[name]
        except KeyError:
            return _remember(self._level1, name, _lookup(self.level1, name))

    def canonical_level2(self, name: str) -> str | None:
        try:
            return self._level2[name]
        except KeyError:
            return _remember(self._level2, name, _lookup(self.level2, name))

    def kind_of(self, level2: str) -> str | None:
        try:
            return self._kinds[level2]
        except KeyError:
            canonical = self.canonical_level2(level2)
            return _remember(self._kinds, level2, self.kinds.get(canonical) if canonical else None)

    def keyword_kind(self, name: str) -> tuple[str, str] | None:
        """The (kind, word) a 三级 name hints at, by the longest keyword it contains."""
        try:
            return self._keywords[name]
        except KeyError:
            found = next(((kind, word) for word, kind in self.keywords if word in name), None)
            return _remember(self._keywords, name, found)


def _lookup(table: dict[str, str], name: str) -> str | None:
    """The canonical name for a spelling; a name written without its 指标 suffix finds it too."""
    key = normalise(name)
    found = table.get(key)
    if found is None and key and not key.endswith("指标"):
        found = table.get(key + "指标")
    return found


@lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """A category as written → a lookup key: no weights “(10分)” / “(0-20)分”, no notes
    “(必填硬性指标)”, no spaces or line breaks (“社会效益\n指标”)."""
    key = _SPACE.sub("", _WEIGHT.sub("", name))
    if key.endswith(("分", ":", "：")):
        key = _SCORE.sub("", key)
    return key


@cache
def load_taxonomy(extra_dirs: tuple[Path, ...] = ()) -> Taxonomy:
    """The built-in categories and profiles plus profile files from plugins (`extra_dirs`)."""
    base = data_dir("rules") / "taxonomy"
    data = load_yaml_file(base / "categories.yaml")
    level1: dict[str, str] = {}
    level2: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for name, entry in data["level1"].items():
        for spelling in [name, *(entry or {}).get("aliases", [])]:
            level1[normalise(spelling)] = name
    for name, entry in data["level2"].items():
        kinds[name] = entry["kind"]
        for spelling in [name, *entry.get("aliases", [])]:
            level2.setdefault(normalise(spelling), name)
    keywords = sorted(
        ((word, kind) for kind, words in data["keywords"].items() for word in words),
        key=lambda pair: -len(pair[0]),
    )
    profiles = {}
    for directory in (base, *extra_dirs):
        for path in sorted(Path(directory).glob("*.yaml")):
            if path.name == "categories.yaml":
                continue
            raw = load_yaml_file(path)
            profiles[raw["name"]] = Profile(
                name=raw["name"],
                title=raw.get("title", {}),
                structure={l1: tuple(l2s) for l1, l2s in raw["structure"].items()},
                required=tuple(raw.get("required", ())),
            )
    compatible = {
        kind: tuple(others) for kind, others in (data.get("keyword_compatible") or {}).items()
    }
    return Taxonomy(level1, level2, kinds, data["expects"], tuple(keywords), profiles, compatible)


def profile_for(project, taxonomy: Taxonomy, chosen: str = "auto") -> Profile:
    """The profile a project is checked against: the chosen one, or for `auto` the one its layout fits.

    `auto` picks mof-2021 when 成本指标 is written as a 一级 (or a 101号 cost 二级 appears), else legacy.
    """
    if chosen != "auto":
        return taxonomy.profiles[chosen]
    for indicator in project.indicators:
        level1 = taxonomy.canonical_level1(indicator.level1.text)
        level2 = taxonomy.canonical_level2(indicator.level2.text)
        if level1 == "成本指标" or level2 in ("经济成本指标", "社会成本指标", "生态环境成本指标"):
            return taxonomy.profiles["mof-2021"]
    return taxonomy.profiles["legacy"]
