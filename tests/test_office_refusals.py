"""Fixes perflint offers in a Word / Excel file but does not write, through the real command.

A legacy .xls is read (xlrd) but never written: `--fix` reports each fix as not applied, at its
cell, saying to save the workbook as .xlsx; `--diff` shows no change and says why; the exit
codes are those of findings left unfixed. The same holds for the edits perflint declines in a
.docx (across differently formatted runs) and a .xlsx (a number cell). A macro-enabled .xlsm is
fixed: only the sheet's part is rewritten, its VBA project is copied byte for byte.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from office_files import write_docx, write_xlsx

HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"]
TIMEOUT = 120


def perflint(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "perflint", "check", "--no-cache", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=TIMEOUT,
    )


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in `directory`: its bytes and mtime (a fix written, or a temporary file left
    behind, shows here)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in directory.iterdir()}


def legacy_workbook(path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("绩效目标表")
    rows = [
        ["项目名称", "维修经费"],
        HEADER,
        ["产出指标", "质量指标", "验收合格率", "95%", "依据怀财字【2024】7号"],
        ["满意度指标", "服务对象满意度", "读者满意度", "≥88%", "满意度调查"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_xls_fixes_are_offered_not_applied(tmp_path):
    import json

    legacy_workbook(tmp_path / "legacy.xls")
    path = "legacy.xls"
    before = snapshot(tmp_path)
    check = perflint("--format", "json", path, cwd=tmp_path)

    offered = {d["code"]: d["fix"] for d in json.loads(check.stdout) if d["fix"]}
    assert offered["PF403"]["applicability"] == "safe" and offered["PF203"], "fixes are offered"

    fix = perflint("--fix", path, cwd=tmp_path)
    assert fix.returncode == 1, "findings remain, as in a file whose fixes are refused"
    assert (
        "legacy.xls:绩效目标表!E3：PF403 的修复未应用：perflint 不写入 .xls 文件" in fix.stderr
    ), fix.stderr
    assert "另存为 .xlsx 后对 .xlsx 文件运行 --fix" in fix.stderr
    assert "PF203" not in fix.stderr, "an unsafe fix is not mentioned without --unsafe-fixes"
    assert "PF403" in fix.stdout and "已修复" not in fix.stdout

    unsafe = perflint("--fix", "--unsafe-fixes", "--lang", "en", path, cwd=tmp_path)
    assert unsafe.returncode == 1
    refused = [line for line in unsafe.stderr.splitlines() if "was not applied" in line]
    assert [line.split(": the fix")[0] for line in refused] == [
        "perflint: warning: legacy.xls:绩效目标表!D3",
        "perflint: warning: legacy.xls:绩效目标表!E3",
    ]
    assert all("save it as .xlsx and run --fix on the .xlsx file" in line for line in refused)

    diff = perflint("--diff", "--unsafe-fixes", path, cwd=tmp_path)
    assert diff.returncode == 0 and diff.stdout == "", "no change to show"
    assert "将修复 0 个问题" in diff.stderr and "不写入 .xls 文件" in diff.stderr
    assert snapshot(tmp_path) == before, "nothing written to the .xls, nothing left beside it"


def test_refused_cell_edits_are_located_and_change_nothing(tmp_path):
    import docx

    path = write_docx(
        [
            (
                "table",
                [["项目名称", "甲项目"], HEADER, ["产出指标", "质量指标", "合格率", "≥95%", "x"]],
            )
        ],
        tmp_path / "runs.docx",
    )
    document = docx.Document(path)
    basis = document.tables[0].cell(2, 4).paragraphs[0]  # 【2024】 split over two formatted runs
    basis.runs[0].text = "依据怀财字【20"
    basis.runs[0].bold = True
    basis.add_run("24】7号")
    document.save(path)
    book = write_xlsx(
        [
            (
                "table",
                [
                    ["项目名称", "乙项目"],
                    HEADER,
                    ["产出指标", "质量指标", "合格率", {"value": 0.95, "format": "0%"}, "标准"],
                ],
            )
        ],
        tmp_path / "number.xlsx",
    )
    before = snapshot(tmp_path)
    expected = {
        path: f"{path.name}:表1 第3行第5列：PF403 的修复未应用：修改跨越了格式不同的文字",
        book: f"{book.name}:绩效目标表!D3：PF203 的修复未应用：单元格是数值",
    }
    for file, message in expected.items():
        for args in (("--fix", "--unsafe-fixes"), ("--diff", "--unsafe-fixes")):
            run = perflint(*args, file.name, cwd=tmp_path)
            assert "Traceback" not in run.stderr
            assert message in run.stderr, (args, run.stderr)
            assert run.returncode == (1 if "--fix" in args else 0), run.stderr
            if "--diff" in args:
                assert run.stdout == ""
    assert snapshot(tmp_path) == before


def _with_macros(xlsx: Path, xlsm: Path, vba: bytes) -> None:
    """The workbook as Excel saves it macro-enabled: a vbaProject.bin part, its relationship and
    content type, the workbook's content type for .xlsm."""
    source = zipfile.ZipFile(xlsx)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            target.writestr(info.filename, data)
        target.writestr("xl/vbaProject.bin", vba)
    xlsm.write_bytes(out.getvalue())


def test_xlsm_fix_keeps_the_macros_byte_for_byte(tmp_path):
    xlsx = write_xlsx(
        [
            (
                "table",
                [
                    ["项目名称", "维修经费"],
                    HEADER,
                    ["成本指标", "经济成本指标", "维修成本", "≤30万", "预算定额"],
                ],
            )
        ],
        tmp_path / "plain.xlsx",
    )
    vba = bytes(range(256)) * 64  # the VBA project: opaque to perflint, never opened
    path = tmp_path / "macros.xlsm"
    _with_macros(xlsx, path, vba)
    with zipfile.ZipFile(path) as z:
        before = {name: z.read(name) for name in z.namelist()}
    run = perflint("--fix", path)
    assert "Traceback" not in run.stderr and "未应用" not in run.stderr, run.stderr
    with zipfile.ZipFile(path) as z:
        after = {name: z.read(name) for name in z.namelist()}
    assert list(after) == list(before)
    assert {name for name in after if after[name] != before[name]} == {"xl/worksheets/sheet1.xml"}
    assert after["xl/vbaProject.bin"] == vba
    assert "≤30万元" in after["xl/worksheets/sheet1.xml"].decode()
