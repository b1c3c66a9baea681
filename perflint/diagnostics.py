"""What a check reports: diagnostics, their bilingual messages and their fixes."""

from __future__ import annotations

from dataclasses import dataclass

from perflint.model import Span


@dataclass(frozen=True, slots=True)
class Message:
    """A message in Chinese (the default) and English."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text in `span` with `content` (an insertion when the span is empty)."""

    span: Span
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A correction: edits plus whether applying them can change the filing's meaning."""

    applicability: str  # "safe" or "unsafe"
    message: Message
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Where:
    """What a finding is about, in a reviewer's terms: 部门, 项目 and indicator ("" when unknown)."""

    department: str = ""  # 部门 (name, or code when there is no name)
    project: str = ""  # 项目名称
    project_code: str = ""  # 项目编码
    level1: str = ""  # 一级指标, as written
    level2: str = ""  # 二级指标
    indicator: str = ""  # 三级指标

    def fields(self) -> tuple[str, str, str, str, str, str]:
        """(department, project, project_code, level1, level2, indicator): a row's `where`."""
        return (
            self.department,
            self.project,
            self.project_code,
            self.level1,
            self.level2,
            self.indicator,
        )


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding refers to (last year's value, the copied project), with a note."""

    span: Span
    message: Message


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: str
    message: Message
    span: Span
    fix: Fix | None = None
    where: Where | None = None  # the 部门 / 项目 / indicator the finding belongs to
    related: tuple[Related, ...] = ()  # other places it refers to (rules across filings)

    def sort_key(self) -> tuple:
        s = self.span
        c = s.cell
        if c is None:
            return (s.path, 0, 0, 0, s.line, s.col, self.code, s.end_line, s.end_col)
        return (s.path, c.index, c.row, c.column, s.line, s.col, self.code, s.end_line, s.end_col)
