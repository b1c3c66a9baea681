"""The other filings of a repository: what rules across filings compare a project with.

A filings repo holds every department's tables for several years. For each goal file under the
project root the index keeps a small summary of each project (`Counterpart`: department, year,
project key, budget and its indicators with their value cells), never the whole Filing. Two
look-ups serve the rules (docs/repository.md):

- **the same project last year** — same department (its code, else its name) and the same
  project key: the 项目编码 once its year digits are taken out (13073024P… → 130730P…), else the
  项目名称 once its year is taken out; the latest earlier year wins;
- **the same indicator set in another department** — the same 三级 names with the same values,
  in the same order, in a project of another department.

The index costs one read per file (summaries are kept in the cache by the file's digest), and
look-ups are by key, so a repository of N filings costs O(N), not O(N²).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field

from perflint.model import Filing, Span

_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_CODE_YEAR = re.compile(
    r"^(\d{6})(\d\d)([A-Za-z].*)$"
)  # 130730 24 P000585100016: region, year, rest
_NAME_YEAR = re.compile(r"(?<!\d)20\d\d\s*(?:年度|年)?|[（(]\s*20\d\d\s*[)）]")
_SPACE = re.compile(r"[\s　:：、，,.。·\-—_()（）\[\]【】〔〕]+")
SUMMARY_FORMAT = 1  # bump when the summary layout changes


@dataclass(frozen=True, slots=True)
class Target:
    """One indicator of a summarised project: its texts and where its value stands."""

    level1: str
    level2: str
    name: str
    value: str
    basis: str
    value_span: tuple  # (line, col, end_line, end_col) in the project's file

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True, slots=True)
class Counterpart:
    """A project of some filing, as the index keeps it."""

    path: str
    department: str  # as written (name, else code)
    department_key: str
    year: int | None
    name: str
    code: str
    key: str  # the project key: 项目编码 without its year, else 项目名称 without its year
    budget: str  # 预算数 as written ("" when none)
    span: tuple  # (line, col, end_line, end_col) of the project
    targets: tuple[Target, ...] = field(default=())

    def location(self) -> Span:
        line, col, end_line, end_col = self.span
        return Span(self.path, line, col, end_line, end_col)

    def value_location(self, target: Target) -> Span:
        line, col, end_line, end_col = target.value_span
        return Span(self.path, line, col, end_line, end_col)


def name_key(text: str) -> str:
    """A name compared across filings: white space and punctuation folded."""
    return _SPACE.sub("", text or "")


MATCHES = ("code-or-name", "code", "name")  # the config's `same-project`


def project_key(code: str, name: str, match: str = "code-or-name") -> str:
    """The key "the same project" is matched by: the 项目编码 without its year digits (else the
    项目名称 without its year, unless `match` is "code"), or only the name (`match` "name")."""
    code = (code or "").strip()
    if match == "name":
        code = ""
    elif match == "code" and not code:
        return ""
    if code:
        found = _CODE_YEAR.match(code)
        return "code:" + (found.group(1) + found.group(3) if found else _YEAR.sub("", code))
    return "name:" + name_key(_NAME_YEAR.sub("", name or ""))


def year_of(filing: Filing, code: str, name: str, path: str) -> int | None:
    """The year of a project: the filing's 年度, else the year in its code, name or file name."""
    for text in ((filing.year.text if filing.year is not None else ""),):
        found = _YEAR.search(text or "")
        if found:
            return int(found.group(1))
    found = _CODE_YEAR.match((code or "").strip())
    if found:
        return 2000 + int(found.group(2))
    for text in (name, path):  # the file name or its folder (filings/2024/…)
        found = _YEAR.search(text or "")
        if found:
            return int(found.group(1))
    return None


def _text(cell) -> str:
    text = getattr(cell, "text", None)
    return text if isinstance(text, str) else ""


def _where(span: Span) -> tuple:
    return (span.line, span.col, span.end_line, span.end_col)


def summarize(filing: Filing, path: str, match: str = "code-or-name") -> tuple[Counterpart, ...]:
    """The counterparts of a filing's projects (department-level tables included)."""
    department = _text(filing.department_name).strip() or _text(filing.department_code).strip()
    department_key = name_key(_text(filing.department_code)) or name_key(department)
    out = []
    for project in filing.projects:
        code, name = _text(project.code).strip(), _text(project.name).strip()
        targets = tuple(
            Target(
                _text(i.level1).strip(),
                _text(i.level2).strip(),
                _text(i.name).strip(),
                _text(i.value).strip(),
                _text(i.basis).strip(),
                _where(i.value.span),
            )  # fmt: skip
            for i in project.indicators
        )
        out.append(
            Counterpart(
                path,
                department,
                department_key,
                year_of(filing, code, name, path),
                name,
                code,
                project_key(code, name, match),
                _text(project.budget_total).strip(),
                _where(project.span),
                targets,
            )  # fmt: skip
        )
    return tuple(out)


def encode(counterparts) -> list:
    return [
        [c.department, c.department_key, c.year, c.name, c.code, c.key, c.budget, list(c.span),
         [[t.level1, t.level2, t.name, t.value, t.basis, list(t.value_span)] for t in c.targets]]
        for c in counterparts
    ]  # fmt: skip


def decode(path: str, data: list) -> tuple[Counterpart, ...]:
    out = []
    for department, department_key, year, name, code, key, budget, span, targets in data:
        out.append(
            Counterpart(
                path,
                department,
                department_key,
                year,
                name,
                code,
                key,
                budget,
                tuple(span),
                tuple(Target(a, b, c, d, e, tuple(s)) for a, b, c, d, e, s in targets),
            )  # fmt: skip
        )
    return tuple(out)


def indicator_set(counterpart: Counterpart) -> tuple:
    """What "the same indicator set" compares: the 三级 names and values, in order."""
    return tuple((t.key, t.value) for t in counterpart.targets)


class Index:
    """Every summarised project of a repository, by project key and by indicator set."""

    def __init__(self, min_copied: int = 4, match: str = "code-or-name"):
        self.by_key: dict[tuple, list[Counterpart]] = {}
        self.by_set: dict[tuple, list[Counterpart]] = {}
        self.digests: dict[str, str] = {}  # path → digest of its bytes
        self.by_path: dict[str, tuple[Counterpart, ...]] = {}
        self.min_copied = min_copied
        self.match = match  # how "the same project" is matched (see project_key)

    def add(self, path: str, digest: str, counterparts) -> None:
        self.digests[os.path.abspath(path)] = digest
        self.by_path[os.path.abspath(path)] = tuple(counterparts)
        for c in counterparts:
            self.by_key.setdefault((c.department_key, c.key), []).append(c)
            targets = indicator_set(c)
            if len(targets) >= self.min_copied:
                self.by_set.setdefault(targets, []).append(c)

    def last_year(self, project: Counterpart) -> Counterpart | None:
        """The same project in the latest earlier year (same department and project key)."""
        if project.year is None or not project.department_key or not project.key:
            return None
        earlier = [
            c for c in self.by_key.get((project.department_key, project.key), ())
            if c.year is not None and c.year < project.year and not _same_file(c.path, project.path)
        ]  # fmt: skip
        return max(earlier, key=lambda c: (c.year, c.path)) if earlier else None

    def copies_elsewhere(self, project: Counterpart) -> list[Counterpart]:
        """Projects of other departments with the same indicator set, of the same year or
        earlier (a table is not blamed for being copied later), the same year first."""

        def earlier(c: Counterpart) -> bool:
            return c.year is None or project.year is None or c.year <= project.year

        found = (
            c for c in self.by_set.get(indicator_set(project), ())
            if c.department_key != project.department_key and earlier(c)
        )  # fmt: skip
        return sorted(found, key=lambda c: (c.year != project.year, c.path, c.span))

    def related_for(self, path: str) -> str:
        """related_digest() of the file at `path` as indexed ("" for a file outside the index)."""
        counterparts = self.by_path.get(os.path.abspath(path))
        return self.related_digest(counterparts) if counterparts else ""

    def related_digest(self, counterparts) -> str:
        """What a file's cross-filing findings depend on: the files it is compared with, by content."""
        parts = set()
        for project in counterparts:
            last = self.last_year(project)
            if last is not None:
                parts.add(
                    (os.path.abspath(last.path), self.digests.get(os.path.abspath(last.path), ""))
                )
            for other in self.copies_elsewhere(project)[:1]:
                parts.add(
                    (os.path.abspath(other.path), self.digests.get(os.path.abspath(other.path), ""))
                )
        text = "\x00".join(f"{p}\x01{d}" for p, d in sorted(parts))
        return (
            hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32] if parts else ""
        )


def _same_file(a: str, b: str) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)
