"""Word and Excel filings: pick the grid reader by suffix (or by content), interpret the grid.

Whatever cannot be read — a damaged or encrypted file, a zip bomb, a DTD, a .docx renamed
.xlsx, a legacy .doc / .wps / .et — is one PF001 at the top of the file with the reason and,
where it helps, what to do. A legacy file is converted with LibreOffice (`soffice`) when it is
on PATH, in a temporary directory, and the result is read; the original is never touched.
"""

from __future__ import annotations

from pathlib import Path

from perflint.diagnostics import Diagnostic, Message
from perflint.model import Span
from perflint.readers import ReadResult, parse_error
from perflint.readers.forms import Forms
from perflint.readers.grid import collector_paused
from perflint.readers.interpret import interpret
from perflint.readers.office import (
    DOCX_SUFFIXES,
    LEGACY_SUFFIXES,
    XLSX_SUFFIXES,
    OfficeError,
    Package,
    kind_of,
)

CONVERT_TIMEOUT = 120  # seconds LibreOffice may take to convert one legacy file


def read_grid(path: str, data: bytes):
    """The Grid of a Word / Excel file (OfficeError when it cannot be read)."""
    from perflint.readers.docx_grid import read_docx_grid
    from perflint.readers.xlsx_grid import read_xls_grid, read_xlsx_grid

    suffix = Path(path).suffix.lower()
    if suffix in DOCX_SUFFIXES:
        return read_docx_grid(path, data)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx_grid(path, data)
    if suffix == ".xls":
        return read_xls_grid(path, data)
    if suffix in LEGACY_SUFFIXES:
        return _converted(path, data, suffix)
    kind = kind_of(data)
    if kind == "zip":
        package = Package(data)
        if package.has("word/document.xml"):
            return read_docx_grid(path, data)
        if package.has("xl/workbook.xml"):
            return read_xlsx_grid(path, data)
        raise OfficeError(
            "zip 文件不是 Word 文档或 Excel 工作簿",
            "a zip file that is neither a Word document nor an Excel workbook",
        )
    if kind == "ole":
        try:
            return read_xls_grid(path, data)
        except OfficeError:
            raise _legacy(suffix) from None
    raise OfficeError(
        "文件不是 Word 文档或 Excel 工作簿", "not a Word document or an Excel workbook"
    )


def _legacy(suffix: str) -> OfficeError:
    target = "xlsx" if suffix in (".et", ".xls") else "docx"
    return OfficeError(
        f"不能直接读取 {suffix or '旧版 Office'} 文件：请在 Word / WPS 中“另存为 .{target}”，"
        f"或运行 soffice --headless --convert-to {target} 文件名，再检查转换后的文件",
        f"cannot read a {suffix or 'legacy Office'} file directly: save it as .{target} in Word / WPS "
        f"('Save as'), or run soffice --headless --convert-to {target} FILE, then check the result",
    )


def _converted(path: str, data: bytes, suffix: str):
    """The grid of a legacy file converted by LibreOffice, when `soffice` is on PATH."""
    import shutil

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise _legacy(suffix)
    import subprocess
    import tempfile

    target = "xlsx" if suffix == ".et" else "docx"
    with tempfile.TemporaryDirectory(prefix="perflint-convert-") as directory:
        source = Path(directory) / ("filing" + suffix)
        source.write_bytes(data)
        try:
            subprocess.run(
                [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{directory}/profile",
                 "--convert-to", target, "--outdir", directory, str(source)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=CONVERT_TIMEOUT, check=False,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            raise _legacy(suffix) from None
        result = Path(directory) / f"filing.{target}"
        if not result.is_file():
            raise _legacy(suffix)
        converted = result.read_bytes()
    from perflint.readers.docx_grid import read_docx_grid
    from perflint.readers.xlsx_grid import read_xlsx_grid

    return (read_docx_grid if target == "docx" else read_xlsx_grid)(path, converted)


def read_document(path: str, data: bytes, forms: Forms | None = None) -> ReadResult:
    """The Filing of a Word / Excel file, or a PF001 saying why there is none; `forms` as for
    `interpret`."""
    top = Span(path, 1, 1, 1, 1)
    with collector_paused():  # a third of the reading time otherwise (bench/bench_office.py)
        return _read(path, data, top, forms)


def _read(path: str, data: bytes, top: Span, forms: Forms | None) -> ReadResult:
    try:
        grid = read_grid(path, data)
    except OfficeError as error:
        return ReadResult(None, (parse_error(top, error.zh, error.en),))
    except RecursionError:
        return ReadResult(
            None,
            (parse_error(top, "文件嵌套过深，无法读取", "the file is nested too deeply to read"),),
        )
    notes = tuple(
        Diagnostic("PF003", "skipped-content", "info", Message(zh, en), top)
        for zh, en in grid.notes
    )
    if not grid.rows:
        return ReadResult(
            None,
            (parse_error(top, "文件中没有文字或表格", "the file holds no text or table"), *notes),
        )
    read = interpret(grid, forms)
    return ReadResult(read.filing, (*read.diagnostics, *notes)) if notes else read
