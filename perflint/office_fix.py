"""`--fix` / `--diff` in Word and Excel files: edit the text of the cells findings point at, and
nothing else.

Only the one XML part that holds the cells is rewritten (word/document.xml, or the sheet's
part); every other part of the zip is copied as it is, in its order. In a .docx an edit is
applied inside the `<w:t>` that holds its characters, so the run keeps its formatting; an edit
that would cross runs (differently formatted text, a tab, a line break) is not applied, and
the fix is reported as refused with the reason. In a .xlsx the cell keeps its style (`s`): a
text cell gets its new text as an inline string; a number, a formula, rich text or a cell whose
text is not what was read is not edited. Charts, images, pivot tables and macros are in parts
that are never touched. Legacy .xls files are not rewritten.

Each pass lints the current bytes and applies the fixes that do not overlap; the result is read
again and refused when it reads worse (more PF001) than the original.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from perflint.diagnostics import Diagnostic, Fix
from perflint.engine.fixer import MAX_PASSES, line_starts, wanted

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_S = "{" + _MAIN + "}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class DocumentFixOutcome:
    data: bytes  # the fixed file (the original when nothing was fixed or it was refused)
    fixed: int = 0
    remaining: list[Diagnostic] = field(default_factory=list)
    refused: list[tuple[Diagnostic, str, str]] = field(
        default_factory=list
    )  # (finding, zh, en): fix offered, not applied
    changes: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # (label, label_en, before, after) per cell
    broken: Diagnostic | None = None  # set when the fixed file no longer reads


class _Refusal(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _offsets(text: str, fix: Fix) -> list[tuple[int, int, str]] | None:
    starts = line_starts(text)
    out = []
    for edit in fix.edits:
        s = edit.span
        if not (0 < s.line <= len(starts) and 0 < s.end_line <= len(starts)):
            return None
        start, end = starts[s.line - 1] + s.col - 1, starts[s.end_line - 1] + s.end_col - 1
        if not 0 <= start <= end <= len(text):
            return None
        out.append((start, end, edit.content))
    return sorted(out)


def _cell_key(span) -> tuple:
    c = span.cell
    return (c.sheet, c.index, c.row, c.column)


def fix_document(
    path: str, data: bytes, lint: Callable[[bytes], list[Diagnostic]], unsafe: bool = False
) -> DocumentFixOutcome:
    """Fix a .docx / .xlsx file's bytes with `lint` (bytes → findings, selected and filtered).
    One fix per cell and pass (a cell's positions move when it is edited)."""
    findings = lint(data)
    editor = _editor_for(path, data)
    outcome = DocumentFixOutcome(data, 0, findings)
    if editor is None:
        zh, en = _not_written(Path(path).suffix.lower())
        outcome.refused = [(d, zh, en) for d in findings if wanted(d, unsafe)]
        return outcome
    errors_before = sum(d.code == "PF001" for d in findings)
    current = data
    originals: dict[tuple, tuple] = {}  # cell → (its CellRef, its text before any fix)
    refused: dict[tuple, tuple] = {}
    for _ in range(MAX_PASSES):
        fixable = [d for d in findings if wanted(d, unsafe)]
        if not fixable:
            break
        try:
            edit = editor(current)
        except Exception as error:
            for d in fixable:
                refused.setdefault(
                    (d.code, d.span),
                    (
                        d,
                        f"无法打开文件以修改：{error}",
                        f"cannot open the file to edit it: {error}",
                    ),
                )
            break
        edited: set[tuple] = set()
        for d in sorted(fixable, key=Diagnostic.sort_key):
            edits = d.fix.edits
            keys = {_cell_key(e.span) for e in edits if e.span.cell is not None}
            if len(keys) != 1 or any(e.span.cell is None for e in edits):
                refused.setdefault(
                    (d.code, d.span),
                    (
                        d,
                        "修复涉及多个单元格，未自动修复",
                        "the fix spans several cells; not applied",
                    ),
                )
                continue
            key = keys.pop()
            if key in edited:
                continue  # the next pass, on the cell as this one leaves it
            ref = edits[0].span.cell
            offsets = _offsets(ref.text, d.fix)
            if offsets is None:
                continue
            try:
                before = edit.text(ref)
                if before != ref.text:
                    raise _Refusal(
                        "单元格的文字与读取时不同，未修改",
                        "the cell's text is not what was read; not changed",
                    )
                edit.apply(ref, offsets)
            except _Refusal as why:
                refused.setdefault((d.code, d.span), (d, why.zh, why.en))
                continue
            originals.setdefault(key, (ref, before))
            edited.add(key)
        if not edited:
            break
        candidate = edit.save()
        new_findings = lint(candidate)
        if sum(d.code == "PF001" for d in new_findings) > errors_before:
            broken = next(d for d in new_findings if d.code == "PF001")
            return DocumentFixOutcome(data, 0, lint(data), [], [], broken)
        current, findings, outcome.fixed = candidate, new_findings, outcome.fixed + len(edited)
    outcome.data, outcome.remaining = current, findings
    left = {(d.code, d.span) for d in findings if wanted(d, unsafe)}
    outcome.refused = [r for k, r in refused.items() if k in left]
    if originals:
        final = editor(current)
        for ref, before in originals.values():
            try:
                after = final.text(ref)
            except _Refusal:
                continue
            if after != before:
                outcome.changes.append((ref.label, ref.label_en or ref.label, before, after))
    return outcome


def _editor_for(path: str, data: bytes):
    """The editor of a file's cells by its suffix (an unknown one by its parts), or None for a
    file perflint reads but does not write (.xls through xlrd, which only reads; .doc / .wps /
    .et, read from a converted copy)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".docx", ".docm"):
        return _DocxEditor
    if suffix in (".xlsx", ".xlsm"):
        return _XlsxEditor
    from perflint.readers.office import LEGACY_SUFFIXES, OfficeError, Package, kind_of

    if suffix == ".xls" or suffix in LEGACY_SUFFIXES or kind_of(data) != "zip":
        return None
    try:
        package = Package(data)
    except OfficeError:
        return None
    if package.has("word/document.xml"):
        return _DocxEditor
    return _XlsxEditor if package.has("xl/workbook.xml") else None


def _not_written(suffix: str) -> tuple[str, str]:
    """Why a fix in a file with no editor is not applied, and what to do instead."""
    if not suffix:
        return (
            "此文件不能就地修复，请另存为 .docx / .xlsx 后再修复",
            "this file is not fixed in place; save it as .docx / .xlsx first",
        )
    target = "xlsx" if suffix in (".xls", ".et") else "docx"
    return (
        f"perflint 不写入 {suffix} 文件（旧版格式，只读取），文件未修改；"
        f"请另存为 .{target} 后对 .{target} 文件运行 --fix",
        f"perflint does not write {suffix} files (a legacy format it only reads); the file is "
        f"unchanged: save it as .{target} and run --fix on the .{target} file",
    )


# ---------------------------------------------------------------------------------------------
# packages


def rezip(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The zip `data` with the parts in `replaced` swapped; every other part copied byte for
    byte (as stored, not inflated again), in its order, with its metadata."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in replaced:
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type, copy.external_attr, copy.create_system = (
                    info.compress_type,
                    info.external_attr,
                    info.create_system,
                )
                target.writestr(copy, replaced[info.filename])
            else:
                with source.open(info) as handle:
                    target.writestr(info, handle.read())
    return out.getvalue()


def _serialize(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class _DocxEditor:
    """Cells of word/document.xml, found again by (block, row, column), edited run by run."""

    def __init__(self, data: bytes):
        from perflint.readers.docx_grid import DOCUMENT, walk
        from perflint.readers.office import Package

        self.data = data
        self.root = Package(data).xml(DOCUMENT)
        self.cells = {}
        for kind, _, content, _ in walk(self.root):
            for row in content if kind == "table" else [content]:
                for cell in row:
                    self.cells[(cell.ref.index, cell.ref.row, cell.ref.column)] = cell

    def _cell(self, ref):
        cell = self.cells.get((ref.index, ref.row, ref.column))
        if cell is None:
            raise _Refusal("找不到该单元格", "the cell is not there")
        return cell

    def text(self, ref) -> str:
        return self._cell(ref).text

    def apply(self, ref, offsets) -> None:
        """Each edit inside one `<w:t>` (an insertion at a run's end joins that run)."""
        cell = self._cell(ref)
        plan = []
        for start, end, content in offsets:
            piece = next(
                ((at, t) for at, t in cell.pieces if at <= start and end <= at + len(t.text or "")),
                None,
            )
            if piece is None:
                raise _Refusal(
                    "修改跨越了格式不同的文字（多个 run）、制表符或换行，未自动修复；请在 Word 中手工修改",
                    "the edit crosses differently formatted runs, a tab or a line break; not applied, edit it in Word",
                )
            plan.append((piece, start - piece[0], end - piece[0], content))
        for (_, t), start, end, content in sorted(
            plan, key=lambda p: (p[0][0], p[1]), reverse=True
        ):
            text = t.text or ""
            t.text = text[:start] + content + text[end:]
            if t.text != t.text.strip():
                t.set(_XML_SPACE, "preserve")

    def save(self) -> bytes:
        from perflint.readers.docx_grid import DOCUMENT

        return rezip(self.data, {DOCUMENT: _serialize(self.root)})


class _XlsxEditor:
    """Text cells of a workbook's sheet parts, found by sheet name and address."""

    def __init__(self, data: bytes):
        from perflint.readers.office import Package

        self.data = data
        self.package = Package(data)
        workbook = self.package.xml("xl/workbook.xml")
        rels = self.package.xml("xl/_rels/workbook.xml.rels")
        targets = {r.get("Id"): r.get("Target") for r in rels}
        rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        self.parts = {}
        for sheet in workbook.iter(_S + "sheet"):
            target = targets.get(sheet.get(rel_id), "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            self.parts[sheet.get("name")] = part
        self.roots: dict[str, object] = {}
        self.shared = None

    def _shared(self) -> list:
        if self.shared is None:
            self.shared = []
            if self.package.has("xl/sharedStrings.xml"):
                for si in self.package.xml("xl/sharedStrings.xml").iter(_S + "si"):
                    rich = si.find(_S + "r") is not None
                    self.shared.append(
                        (
                            "".join(
                                t.text or ""
                                for t in si.iter(_S + "t")
                                if t.getparent().tag != _S + "rPh"
                            ),
                            rich,
                        )
                    )
        return self.shared

    def _cell(self, ref):
        from perflint.readers.xlsx_grid import column_letter

        part = self.parts.get(ref.sheet)
        if part is None:
            raise _Refusal("找不到该工作表", "the sheet is not there")
        if part not in self.roots:
            self.roots[part] = self.package.xml(part)
        address = f"{column_letter(ref.column)}{ref.row}"
        for c in self.roots[part].iter(_S + "c"):
            if c.get("r") == address:
                return part, c
        raise _Refusal("找不到该单元格", "the cell is not there")

    def text(self, ref) -> str:
        _, c = self._cell(ref)
        kind = c.get("t")
        if c.find(_S + "f") is not None:
            raise _Refusal("单元格是公式，未修改", "the cell holds a formula; not changed")
        if kind == "s":
            try:
                text, rich = self._shared()[int(c.findtext(_S + "v"))]
            except (TypeError, ValueError, IndexError):
                raise _Refusal(
                    "单元格的共享字符串无法读取", "the cell's shared string cannot be read"
                ) from None
            if rich:
                raise _Refusal(
                    "单元格是带格式的富文本，未修改；请在 Excel 中手工修改",
                    "the cell is rich text; not changed, edit it in Excel",
                )
            return text
        if kind == "inlineStr":
            inline = c.find(_S + "is")
            if inline is not None and inline.find(_S + "r") is not None:
                raise _Refusal(
                    "单元格是带格式的富文本，未修改；请在 Excel 中手工修改",
                    "the cell is rich text; not changed, edit it in Excel",
                )
            return "".join(
                t.text or "" for t in (inline.iter(_S + "t") if inline is not None else ())
            )
        raise _Refusal(
            "单元格是数值、日期或布尔值，修改会改变它的类型，未修改",
            "the cell holds a number, date or boolean; changing it to text would change its type, not changed",
        )

    def apply(self, ref, offsets) -> None:
        from lxml import etree

        before = self.text(ref)
        pieces, cursor = [], 0
        for start, end, content in offsets:
            pieces += [before[cursor:start], content]
            cursor = end
        new = "".join(pieces) + before[cursor:]
        _, c = self._cell(ref)
        for child in list(c):
            if child.tag in (_S + "v", _S + "is"):
                c.remove(child)
        c.set("t", "inlineStr")
        inline = etree.SubElement(c, _S + "is")
        t = etree.SubElement(inline, _S + "t")
        t.text = new
        if new != new.strip() or "\n" in new:
            t.set(_XML_SPACE, "preserve")

    def save(self) -> bytes:
        return rezip(self.data, {part: _serialize(root) for part, root in self.roots.items()})


def cell_diff(path: str, changes, lang: str = "zh") -> str:
    """--diff of a document: per changed cell, its address and its text before and after."""
    out = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    for label, label_en, before, after in changes:
        out.append(f"@@ {label_en if lang == 'en' else label} @@\n")
        out.extend(f"-{line}\n" for line in before.split("\n"))
        out.extend(f"+{line}\n" for line in after.split("\n"))
    return "".join(out)
