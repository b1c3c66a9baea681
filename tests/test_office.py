"""Word and Excel filings through the real `perflint` command: reading, positions, fixes, bad input.

The seeds are rebuilt as .docx and .xlsx (tests/office_files.py) and must read as their text
export does: the same goal YAML from `perflint import`, the same findings with cell positions
instead of lines, the same cell texts after `--fix`. Other files are built here with
python-docx / openpyxl: merged cells, split value columns, several projects, number formats.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from office_files import export_blocks, write_docx, write_xlsx

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO.parent / "shared" / "seeds").glob("*.txt")) or sorted(
    (REPO / "examples").glob("*.txt")
)
TIMEOUT = 120


def perflint(*args, cwd=None, timeout=TIMEOUT):
    return subprocess.run(
        [sys.executable, "-m", "perflint", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


def findings(path: Path, *extra) -> list[dict]:
    run = perflint("check", "--no-cache", "--format", "json", *extra, path)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout)


def seed_files(tmp_path: Path, seed: Path) -> dict[str, Path]:
    blocks = export_blocks(seed.read_text(encoding="utf-8"))
    text = tmp_path / seed.name
    text.write_bytes(seed.read_bytes())
    return {
        "txt": text,
        "docx": write_docx(blocks, tmp_path / (seed.stem + ".docx")),
        "xlsx": write_xlsx(blocks, tmp_path / (seed.stem + ".xlsx")),
    }


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


# ---------------------------------------------------------------------------------------------
# the seeds as Word and Excel files


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_documents_read_as_their_text_export(tmp_path, seed):
    files = seed_files(tmp_path, seed)
    expected = perflint("import", files["txt"], "-o", tmp_path / "txt.yaml")
    assert expected.returncode == 0, expected.stderr
    want = sorted((d["code"], d["message"]) for d in findings(files["txt"]))
    assert want, "the seed has findings"
    for kind in ("docx", "xlsx"):
        run = perflint("import", files[kind], "-o", tmp_path / f"{kind}.yaml")
        assert run.returncode == 0, run.stderr
        assert (tmp_path / f"{kind}.yaml").read_text(encoding="utf-8") == (
            tmp_path / "txt.yaml"
        ).read_text(encoding="utf-8")
        found = findings(files[kind])
        assert sorted((d["code"], d["message"]) for d in found) == want
        assert all("cell" in d for d in found), "every finding names its cell"
        if kind == "xlsx":
            assert all(
                d["cell"]["sheet"] == "绩效目标表" and "!" in d["cell"]["address"] for d in found
            )
        else:
            assert all(d["cell"]["sheet"] is None for d in found)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_documents_fix_to_the_text_exports_cell_texts(tmp_path, seed):
    files = seed_files(tmp_path, seed)
    before = {kind: parts(files[kind]) for kind in ("docx", "xlsx")}
    for path in files.values():
        run = perflint("check", "--no-cache", "--fix", "--unsafe-fixes", path)
        assert run.returncode in (0, 1), run.stderr
        assert "Traceback" not in run.stderr
    assert perflint("import", files["txt"], "-o", tmp_path / "txt.yaml").returncode == 0
    for kind in ("docx", "xlsx"):
        assert perflint("import", files[kind], "-o", tmp_path / f"{kind}.yaml").returncode == 0
        assert (tmp_path / f"{kind}.yaml").read_text(encoding="utf-8") == (
            tmp_path / "txt.yaml"
        ).read_text(encoding="utf-8")
        after = parts(files[kind])
        assert list(after) == list(before[kind]), "the same parts in the same order"
        changed = {name for name in after if after[name] != before[kind][name]}
        assert changed, "the fixes were written"
        allowed = (
            {"word/document.xml"}
            if kind == "docx"
            else {n for n in after if n.startswith("xl/worksheets/")}
        )
        assert changed <= allowed, f"only the part holding the cells changes: {changed}"
        fixed_once = files[kind].read_bytes()
        again = perflint("check", "--no-cache", "--fix", "--unsafe-fixes", files[kind])
        assert again.returncode in (0, 1)
        assert files[kind].read_bytes() == fixed_once, "a second --fix is a no-op"


def test_docx_fix_keeps_every_other_element_and_attribute(tmp_path):
    from lxml import etree

    files = seed_files(tmp_path, SEEDS[-1])
    path = files["docx"]
    original = parts(path)["word/document.xml"]
    assert perflint("check", "--no-cache", "--fix", path).returncode in (0, 1)
    fixed = parts(path)["word/document.xml"]
    a, b = etree.fromstring(original), etree.fromstring(fixed)
    space = "{http://www.w3.org/XML/1998/namespace}space"

    def shape(root):
        return [(e.tag, {k: v for k, v in e.attrib.items() if k != space}) for e in root.iter()]

    assert shape(a) == shape(b)
    texts = [(x.text, y.text) for x, y in zip(a.iter(), b.iter()) if x.text != y.text]
    assert texts and all("【" in old and "〔" in new or "万元" in new for old, new in texts)


def test_diff_shows_cell_changes_and_writes_nothing(tmp_path):
    files = seed_files(tmp_path, SEEDS[-1])
    for kind in ("docx", "xlsx"):
        before = files[kind].read_bytes()
        stat = files[kind].stat()
        # a fix to a 项目名称 is unsafe (issue 14): --unsafe-fixes shows it
        run = perflint("check", "--no-cache", "--diff", "--unsafe-fixes", files[kind])
        assert run.returncode == 1, run.stderr
        assert (
            files[kind].read_bytes() == before
            and files[kind].stat().st_mtime_ns == stat.st_mtime_ns
        )
        assert run.stdout.startswith(f"--- a/{files[kind]}\n+++ b/{files[kind]}\n")
        assert "\n-怀财字【2024】7号 信访专项\n+怀财字〔2024〕7号 信访专项\n" in run.stdout
        assert ("@@ 表1 第2行第4列 @@" if kind == "docx" else "@@ 绩效目标表!") in run.stdout


def test_fix_keeps_the_file_mode(tmp_path):
    files = seed_files(tmp_path, SEEDS[-1])
    os.chmod(files["xlsx"], 0o640)
    assert perflint("check", "--no-cache", "--fix", files["xlsx"]).returncode in (0, 1)
    assert files["xlsx"].stat().st_mode & 0o777 == 0o640


# ---------------------------------------------------------------------------------------------
# positions


def test_text_output_names_the_cell_and_shows_its_text(tmp_path):
    files = seed_files(tmp_path, SEEDS[-1])
    run = perflint("check", "--no-cache", files["xlsx"])
    lines = run.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if ": PF203 [警告]" in line)
    assert lines[at].startswith(f"{files['xlsx']}:绩效目标表!E")
    assert lines[at + 1].startswith("  部门：")  # the finding's context line (issue 14)
    assert lines[at + 3] == "1 | 95%" and lines[at + 4] == "  | ^^^"
    en = perflint("check", "--no-cache", "--lang", "en", files["docx"])
    assert f"{files['docx']}:table 1 row 2 col 4: PF403 [warning]" in en.stdout


def test_positions_survive_the_cache(tmp_path):
    files = seed_files(tmp_path, SEEDS[-1])
    cache = tmp_path / "cache"
    runs = [
        perflint("check", "--cache-dir", cache, "--format", fmt, files["docx"], files["xlsx"])
        for fmt in ("json", "json", "text", "text")
    ]
    assert runs[0].stdout == runs[1].stdout and runs[2].stdout == runs[3].stdout
    assert json.loads(runs[1].stdout) == findings(files["docx"]) + findings(files["xlsx"])


def test_json_and_sarif_outputs_are_valid(tmp_path):
    import jsonschema

    files = seed_files(tmp_path, SEEDS[-1])
    schema = json.loads(
        (REPO / "perflint" / "schema" / "json-output.schema.json").read_text(encoding="utf-8")
    )
    found = findings(files["docx"]) + findings(files["xlsx"])
    jsonschema.validate(found, schema)
    sarif = perflint(
        "check", "--no-cache", "--format", "sarif", files["docx"], files["xlsx"], cwd=tmp_path
    )
    log = json.loads(sarif.stdout)
    jsonschema.validate(
        log,
        json.loads(
            (REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
        ),
    )
    results = log["runs"][0]["results"]
    assert len(results) == len(found)
    names = {r["locations"][0]["logicalLocations"][0]["name"] for r in results}
    assert {d["cell"]["address"] for d in found} == names


# ---------------------------------------------------------------------------------------------
# files built here: merges, split value columns, several projects, number formats

HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"]
INFO = [["项目名称", "公益演出经费"], ["预算数", "45"]]


def test_docx_merged_categories_and_split_value_columns(tmp_path):
    rows = [
        ["项目名称", {"text": "公益演出经费", "cols": 6}],
        ["一级指标", "二级指标", "三级指标", "计算符号", "指标值", "计量单位", "指标值确定依据"],
        [{"text": "产出指标", "rows": 2}, "数量指标", "演出场次", "≥", "24", "场", "年度工作计划"],
        [None, "质量指标", "演出合格率", "", "95%", "", "行业标准"],
        ["满意度指标", "服务对象满意度", "观众满意度", "≥", "90", "%", "满意度调查"],
    ]
    path = write_docx([("p", "项目绩效目标表"), ("table", rows)], tmp_path / "merged.docx")
    found = findings(path)
    pf203 = [d for d in found if d["code"] == "PF203"]
    assert [d["cell"]["address"] for d in pf203] == ["表1 第4行第5列"]
    assert pf203[0]["location"] == {"row": 1, "column": 1} and pf203[0]["end_location"] == {
        "row": 1,
        "column": 4,
    }
    run = perflint("import", path)
    assert run.returncode == 0, run.stderr
    import yaml

    indicators = yaml.safe_load(run.stdout)["项目"][0]["绩效指标"]
    assert list(indicators["产出指标"]) == ["数量指标", "质量指标"], (
        "the merged 一级 cell covers both rows"
    )
    assert indicators["产出指标"]["数量指标"][0]["指标值"] == "≥24场", (
        "计算符号 / 指标值 / 计量单位 joined"
    )


def test_docx_several_projects_and_a_split_run_fix_is_refused(tmp_path):
    import docx

    blocks = []
    for name in ("甲项目", "乙项目"):
        blocks += [
            ("p", f"{name}绩效目标表"),
            (
                "table",
                [["项目名称", name], HEADER, ["产出指标", "质量指标", "合格率", "95%", "行业标准"]],
            ),
        ]
    path = write_docx(blocks, tmp_path / "two.docx")
    document = docx.Document(path)
    cell = document.tables[1].cell(
        2, 3
    )  # 95%: "9" bold, "5%" plain — the fix inserts before "9", inside one run
    paragraph = cell.paragraphs[0]
    paragraph.runs[0].text = "9"
    paragraph.runs[0].bold = True
    paragraph.add_run("5%")
    name = document.tables[0].cell(
        0, 1
    )  # 依据 cell with a 【2024】 split over two runs: the fix would cross them
    name.paragraphs[0].runs[0].text = "依据怀财字【20"
    name.paragraphs[0].runs[0].bold = True
    name.paragraphs[0].add_run("24】7号")
    document.save(path)
    found = findings(path)
    assert sorted(d["cell"]["address"] for d in found if d["code"] == "PF203") == [
        "表1 第3行第4列",
        "表2 第3行第4列",
    ]
    run = perflint("check", "--no-cache", "--fix", "--unsafe-fixes", path)
    assert "Traceback" not in run.stderr
    assert "PF403" in run.stderr and ("未应用" in run.stderr), run.stderr
    after = docx.Document(path)
    runs = after.tables[1].cell(2, 3).paragraphs[0].runs
    assert [(r.text, bool(r.bold)) for r in runs] == [("≥9", True), ("5%", False)], (
        "the edit stays in its run"
    )
    assert [r.text for r in after.tables[0].cell(0, 1).paragraphs[0].runs] == [
        "依据怀财字【20",
        "24】7号",
    ]


def test_xlsx_number_formats_are_read_as_displayed(tmp_path):
    import datetime as dt

    rows = [
        ["项目名称", "维修经费"],
        ["预算数", {"value": 1030700, "format": "#,##0.00"}],
        HEADER,
        ["产出指标", "质量指标", "验收合格率", {"value": 0.95, "format": "0%"}, "行业标准"],
        [
            "产出指标",
            "时效指标",
            "完成时间",
            {"value": dt.datetime(2025, 10, 31), "format": 'yyyy"年"m"月"d"日"'},
            "维修计划",
        ],
        [
            "满意度指标",
            "服务对象满意度",
            "读者满意度",
            {"value": 88, "format": '"≥"0"%"'},
            "满意度调查",
        ],
    ]
    path = write_xlsx([("table", rows)], tmp_path / "formats.xlsx", title="Sheet 1")
    run = perflint("import", path)
    assert run.returncode == 0, run.stderr
    assert "预算数: 1,030,700.00" in run.stdout
    assert (
        "指标值: 95%" in run.stdout
        and "指标值: 2025年10月31日" in run.stdout
        and "指标值: ≥88%" in run.stdout
    )
    found = findings(path)
    pf203 = [d for d in found if d["code"] == "PF203"]
    assert [d["cell"]["address"] for d in pf203] == ["'Sheet 1'!D4"]
    fix = perflint("check", "--no-cache", "--fix", "--unsafe-fixes", path)
    assert "数值" in fix.stderr, "a number cell is not turned into text"
    assert perflint("import", path).stdout == run.stdout


def test_xlsx_fix_keeps_the_cell_style_and_other_sheets(tmp_path):
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "项目一"
    for r, row in enumerate(
        [
            ["项目名称", "甲"],
            HEADER,
            ["产出指标", "数量指标", "维修项目数", "≥3项", "维修计划"],
            ["成本指标", "经济成本指标", "维修成本", "≤30万", "预算定额"],
        ],
        1,
    ):
        for c, value in enumerate(row, 1):
            sheet.cell(r, c, value)
    sheet["D4"].font = Font(bold=True, color="FF0000")
    other = book.create_sheet("项目二")
    for r, row in enumerate(
        [["项目名称", "乙"], HEADER, ["产出指标", "质量指标", "合格率", "≥95%", "行业标准"]], 1
    ):
        for c, value in enumerate(row, 1):
            other.cell(r, c, value)
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()  # a chart: its parts are never rewritten by a fix
    chart.add_data(Reference(other, min_col=2, min_row=1, max_row=1))
    other.add_chart(chart, "H2")
    hidden = book.create_sheet("草稿")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "项目名称"
    path = tmp_path / "sheets.xlsx"
    book.save(path)
    found = findings(path)
    skipped = [d for d in found if d["code"] == "PF003"]
    assert [d["message"] for d in skipped] == ["隐藏的工作表“草稿”未检查"] and skipped[0][
        "severity"
    ] == "info"
    found = [d for d in found if d["code"] != "PF003"]
    assert {d["cell"]["sheet"] for d in found} <= {"项目一", "项目二"}
    assert any(d["code"] == "PF204" and d["cell"]["address"] == "项目一!D4" for d in found)
    before = parts(path)
    assert perflint("check", "--no-cache", "--fix", path).returncode in (0, 1)
    after = parts(path)
    assert any(n.startswith("xl/charts/") for n in after)
    assert list(after) == list(before) and {n for n in after if after[n] != before[n]} == {
        "xl/worksheets/sheet1.xml"
    }
    fixed = load_workbook(path)["项目一"]["D4"]
    assert fixed.value == "≤30万元" and fixed.font.b and fixed.font.color.rgb == "00FF0000"


# ---------------------------------------------------------------------------------------------
# discovery and legacy formats


def test_directory_walk_finds_word_and_excel_filings(tmp_path):
    import docx

    (tmp_path / "filings").mkdir()
    files = seed_files(tmp_path / "filings", SEEDS[-1])
    letter = docx.Document()
    letter.add_paragraph("关于召开年度工作会议的通知")
    letter.save(tmp_path / "filings" / "letter.docx")
    (tmp_path / "filings" / "~$lock.docx").write_bytes(b"\x00" * 162)
    (tmp_path / "filings" / "old.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    )
    run = perflint("check", "--no-cache", "--format", "json", "filings", cwd=tmp_path)
    names = {Path(d["filename"]).name for d in json.loads(run.stdout)}
    assert names == {files["txt"].name, files["docx"].name, files["xlsx"].name, "old.doc"}
    old = [d for d in json.loads(run.stdout) if d["filename"].endswith("old.doc")]
    assert (
        len(old) == 1
        and old[0]["code"] == "PF001"
        and "另存为 .docx" in old[0]["message"]
        and "soffice --headless --convert-to docx" in old[0]["message"]
    )
    summary = perflint("check", "--no-cache", "--statistics", "filings", cwd=tmp_path)
    assert summary.returncode == 1


# ---------------------------------------------------------------------------------------------
# bad input


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _document(body: str, prolog: str = "") -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'.encode()


BAD = {
    "corrupt.docx": lambda tmp: (tmp / "seed.docx").read_bytes()[:3000],
    "not-a-zip.xlsx": lambda tmp: "项目名称\t甲\n".encode(),
    "bomb.docx": lambda tmp: _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<" + b" " * (70 << 20) + b">"}
    ),
    "encrypted.xlsx": lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000,
    "renamed.xlsx": lambda tmp: (tmp / "seed.docx").read_bytes(),
    "entities.docx": lambda tmp: _zip(
        {
            "word/document.xml": _document(
                "<w:p><w:r><w:t>&lol3;</w:t></w:r></w:p>",
                '<!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
            )
        }
    ),
    "external.xlsx": lambda tmp: _zip(
        {
            "xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workbook>&e;</workbook>'
        }
    ),
    "broken-xml.docx": lambda tmp: _zip({"word/document.xml": b"<w:document><w:body>"}),
    "empty.docx": lambda tmp: b"",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_documents_get_a_located_pf001(tmp_path, name):
    write_docx(export_blocks(SEEDS[-1].read_text(encoding="utf-8")), tmp_path / "seed.docx")
    path = tmp_path / name
    path.write_bytes(BAD[name](tmp_path))
    before = path.read_bytes()
    for args in (("--format", "json"), ("--fix", "--unsafe-fixes", "--format", "json")):
        run = perflint("check", "--no-cache", *args, path, timeout=60)
        assert "Traceback" not in run.stderr, run.stderr
        assert run.returncode == 1, run.stderr
        found = json.loads(run.stdout)
        assert [d["code"] for d in found] == ["PF001"], found
        assert found[0]["location"] == {"row": 1, "column": 1}
        assert path.read_bytes() == before
    assert perflint("import", path).returncode == 1


def test_bad_document_messages_say_what_is_wrong(tmp_path):
    write_docx(export_blocks(SEEDS[-1].read_text(encoding="utf-8")), tmp_path / "seed.docx")
    expected = {
        "bomb.docx": "zip 炸弹",
        "encrypted.xlsx": "加密",
        "renamed.xlsx": "Word 文档",
        "entities.docx": "DTD",
        "external.xlsx": "DTD",
        "corrupt.docx": "zip",
    }
    for name, words in expected.items():
        path = tmp_path / name
        path.write_bytes(BAD[name](tmp_path))
        message = findings(path)[0]["message"]
        assert words in message, (name, message)


def test_hidden_rows_are_not_read_and_are_named(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r, row in enumerate(
        [
            ["项目名称", "甲"],
            HEADER,
            ["产出指标", "数量指标", "场次", "24场", "计划"],
            ["产出指标", "质量指标", "合格率", "95%", "标准"],
        ],
        1,
    ):
        for c, value in enumerate(row, 1):
            sheet.cell(r, c, value)
    sheet.row_dimensions[4].hidden = True
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    found = findings(path)
    assert not any(d.get("cell", {}).get("row") == 4 for d in found), "a hidden row is not checked"
    assert any(d["code"] == "PF003" and "隐藏行（第 4 行）" in d["message"] for d in found)
    en = findings(path, "--lang", "en")
    assert any(
        d["code"] == "PF003" and "hidden rows of sheet 'Sheet' (4)" in d["message"] for d in en
    )


def test_legacy_xls_reads_like_xlsx(tmp_path):
    import datetime as dt

    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("绩效目标表")
    percent, date = (
        xlwt.easyxf(num_format_str="0%"),
        xlwt.easyxf(num_format_str='yyyy"年"m"月"d"日"'),
    )
    rows = [
        ["项目名称", "维修经费"],
        HEADER,
        ["产出指标", "质量指标", "验收合格率", 0.95, "行业标准"],
        ["产出指标", "时效指标", "完成时间", dt.datetime(2025, 10, 31), "维修计划"],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            style = (
                percent
                if value == 0.95
                else date
                if isinstance(value, dt.datetime)
                else xlwt.Style.default_style
            )
            sheet.write(r, c, value, style)
    sheet.write_merge(4, 5, 0, 0, "满意度指标")
    for r, row in (
        (4, ["服务对象满意度", "读者满意度", "≥88%", "满意度调查"]),
        (5, ["服务对象满意度", "观众满意度", "≥90%", "满意度调查"]),
    ):
        for c, value in enumerate(row, 1):
            sheet.write(r, c, value)
    path = tmp_path / "legacy.xls"
    book.save(str(path))
    run = perflint("import", path)
    assert run.returncode == 0, run.stderr
    assert (
        "指标值: 95%" in run.stdout
        and "指标值: 2025年10月31日" in run.stdout
        and "观众满意度" in run.stdout
    )
    found = findings(path)
    assert [d["cell"]["address"] for d in found if d["code"] == "PF203"] == ["绩效目标表!D3"]
    before = path.read_bytes()
    fix = perflint("check", "--no-cache", "--fix", "--unsafe-fixes", path)
    assert ".xls" in fix.stderr and path.read_bytes() == before, (
        "a legacy workbook is not rewritten"
    )


def test_legacy_doc_is_converted_when_soffice_is_on_path(tmp_path):
    """A stand-in `soffice` (what LibreOffice's converter does: FILE.doc → OUTDIR/FILE.docx)."""
    converted = write_docx(
        export_blocks(SEEDS[-1].read_text(encoding="utf-8")), tmp_path / "converted.docx"
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys\n"
        "args = sys.argv[1:]\n"
        "out = args[args.index('--outdir') + 1]\n"
        "name = args[-1].rsplit('/', 1)[-1].rsplit('.', 1)[0]\n"
        f"shutil.copy({str(converted)!r}, out + '/' + name + '.docx')\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run([sys.executable, "-m", "perflint", "check", "--no-cache", "--format", "json", str(legacy)],
                         capture_output=True, text=True, env=env, timeout=TIMEOUT)  # fmt: skip
    found = json.loads(run.stdout)
    assert sorted(d["code"] for d in found) == sorted(d["code"] for d in findings(converted))
    assert all(d["filename"] == str(legacy) for d in found)
    assert legacy.read_bytes() == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def test_xlsx_formulas_by_cached_value_booleans_and_1904_dates(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r, row in enumerate(
        [
            ["项目名称", "甲"],
            ["预算数", 1],
            HEADER,
            ["产出指标", "质量指标", "合格率", 2, "行业标准"],
            ["产出指标", "时效指标", "完成时间", 3, "计划"],
            ["是否延续", True],
        ],
        1,
    ):
        for c, value in enumerate(row, 1):
            sheet.cell(r, c, value)
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    members = parts(path)
    xml = members["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace(
        '<c r="B2" t="n"><v>1</v></c>', '<c r="B2"><f>SUM(C9:C10)</f><v>1030700</v></c>'
    )
    xml = xml.replace(
        '<c r="D4" t="n"><v>2</v></c>', '<c r="D4" t="str"><f>"≥"&amp;95&amp;"%"</f><v>≥95%</v></c>'
    )
    xml = xml.replace('<c r="D5" t="n"><v>3</v></c>', '<c r="D5" s="1"><v>45960</v></c>')
    styles, replaced = re.subn(
        r'<cellXfs count="1">(<xf [^>]*/>)</cellXfs>',
        r'<cellXfs count="2">\1<xf numFmtId="31" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>',
        members["xl/styles.xml"].decode(),
    )
    assert replaced == 1
    workbook = (
        members["xl/workbook.xml"].decode().replace("<workbookPr", '<workbookPr date1904="1"', 1)
    )
    assert 'r="D5"' in xml and "SUM" in xml and "<workbookPr" in members["xl/workbook.xml"].decode()
    members.update(
        {
            "xl/worksheets/sheet1.xml": xml.encode(),
            "xl/styles.xml": styles.encode(),
            "xl/workbook.xml": workbook.encode(),
        }
    )
    path.write_bytes(_zip(members))
    from perflint.readers.xlsx_grid import read_xlsx_grid

    texts = {
        c.cell.span.cell.label: c.text
        for row in read_xlsx_grid(str(path), path.read_bytes()).rows
        for c in row.cells
    }
    assert texts["Sheet!B2"] == "1030700", "a formula is read by its cached value"
    assert texts["Sheet!D4"] == "≥95%"
    assert texts["Sheet!B6"] == "TRUE"
    assert texts["Sheet!D5"] == "2029年10月31日", (
        "serial 45960 counted from 1904, in built-in format 31"
    )
