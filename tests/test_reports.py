"""The reviewer's reports: `--format html` (one self-contained page) and `--format xlsx`.

Every test runs the real command. The page is parsed (html.parser) and checked against the JSON
format of the same run: every finding appears once, in its file's section, with its message,
its rule code linked to the rule's page in the appendix, and its cell marked; nothing refers
outside the page. tests/test_reports_browser.py renders it in headless Chromium.
"""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, REPO, run

LAYOUTS = REPO / "tests" / "data" / "report-layouts"
INPUTS = [str(EXAMPLES), str(LAYOUTS)]


class Page(HTMLParser):
    """What the tests look at in a report: findings, flagged cells, links, ids, scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings = []  # dicts: id, rule, sev, msg, section, row
        self.flagged = []  # (tag, class, data-finds, text)
        self.ids = set()
        self.hrefs = []
        self.srcs = []
        self.scripts = 0
        self.styles = []
        self.tags = Counter()
        self._stack = []  # (tag, attrs)
        self._finding = None
        self._in_msg = False
        self._cell = None
        self._section = None
        self._rule_pages = set()
        self._text_in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        if tag not in ("br", "meta", "input"):
            self._stack.append((tag, a))
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        for name, value in attrs:
            if name == "href":
                self.hrefs.append(value)
            if name in ("src", "srcset", "data", "action", "poster", "background"):
                self.srcs.append(value)
        if tag == "script":
            self.scripts += 1
        if tag == "section" and "file" in a.get("class", "").split():
            self._section = a["id"]
        if tag == "li" and "finding" in a.get("class", "").split():
            in_grid = any(
                t == "table" and "grid" in b.get("class", "").split() for t, b in self._stack
            )
            self._finding = {
                "id": a["id"],
                "rule": a["data-rule"],
                "sev": a["data-sev"],
                "msg": "",
                "section": self._section,
                "fix": "",
                "where": "",
                "grid": in_grid,
            }
        if (
            self._finding is not None
            and a.get("class") in ("msg", "fix", "where")
            and tag in ("div", "span")
        ):
            self._in_msg = a["class"]
        if "data-finds" in a:
            self._cell = [tag, a.get("class", ""), a["data-finds"], ""]

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, a = self._stack.pop()
            if open_tag == tag:
                break
        if tag in ("div", "span"):
            self._in_msg = False
        if tag == "li" and self._finding is not None:
            self.findings.append(self._finding)
            self._finding = None
        if tag in ("td", "th", "span") and self._cell is not None and self._cell[0] == tag:
            self.flagged.append(tuple(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._in_msg and self._finding is not None:
            self._finding[self._in_msg] += data
        if self._cell is not None:
            self._cell[3] += data


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def json_findings(*args) -> list:
    result = run("check", *args, "--format", "json", "--no-cache")
    assert result.returncode in (0, 1), result.err
    return json.loads(result.out)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[str, Page, list]:
    out = tmp_path_factory.mktemp("html") / "report.html"
    result = run("check", *INPUTS, "--format", "html", "-o", str(out), "--no-cache")
    assert result.returncode == 1, result.err
    text = out.read_text(encoding="utf-8")
    return text, parse(text), json_findings(*INPUTS)


def test_every_finding_of_the_run_appears_once_with_its_message(report):
    _, page, found = report
    assert len(found) > 100  # the seeds and every layout family have findings
    assert Counter((f["rule"], f["msg"]) for f in page.findings) == Counter(
        (d["code"], d["message"]) for d in found
    )


def test_each_finding_is_in_its_files_section(report):
    from perflint.formats.html import anchor

    _, page, found = report
    expected = Counter((anchor(d["filename"]), d["code"], d["message"]) for d in found)
    assert Counter((f["section"], f["rule"], f["msg"]) for f in page.findings) == expected


def test_suggested_fixes_are_shown(report):
    _, page, found = report
    fixes = Counter(d["fix"]["message"] for d in found if d["fix"])
    shown = Counter(f["fix"].split("：", 1)[1].rsplit(" ", 1)[0] for f in page.findings if f["fix"])
    assert fixes and shown == fixes


def test_flagged_cells_are_marked_and_point_at_their_findings(report):
    _, page, found = report
    ids = {f["id"]: f for f in page.findings}
    assert len(page.flagged) > 50
    pointed = set()
    for _tag, cls, finds, _ in page.flagged:
        classes = cls.split()
        assert "flag" in classes
        numbers = finds.split()
        assert numbers and all(n in ids for n in numbers)
        worst = min((ids[n]["sev"] for n in numbers), key=["error", "warning", "info"].index)
        assert f"sev-{worst}" in classes  # highlighted by its most severe finding
        pointed.update(numbers)
    # most findings point into a cell of the table (the rest: whole rows, projects, files)
    assert len(pointed) >= 0.7 * len(page.findings)


def test_a_cell_finding_marks_the_cell_it_names(report):
    _, page, _ = report
    by_id = {f["id"]: f for f in page.findings}
    cells = {}
    for _, _, finds, text in page.flagged:
        for n in finds.split():
            cells.setdefault(by_id[n]["rule"], []).append((text, by_id[n]["msg"]))
    # PF204: the unit it names stands in the marked cell (e.g. “人、次” in ≥10人、次)
    assert cells["PF204"]
    for text, message in cells["PF204"]:
        unit = message.split("“", 1)[1].split("”", 1)[0]
        assert unit in text, (text, message)
    # PF403: the document number it quotes is in the cell
    for text, message in cells["PF403"]:
        assert message.split("“", 1)[1].split("”", 1)[0] in text


def test_findings_name_the_column_of_their_cell(report):
    """A finding beside an indicator row names the column of its cell (三级指标, never the
    项目名称 that shares the field name); a basis finding is in the 依据 column (the rule's own
    field decides between cells that hold a finding equally well)."""
    _, page, _ = report
    columns = {
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标描述",
        "指标值",
        "指标值确定依据",
        "分值",
    }  # 分值: PF506
    in_rows = [f for f in page.findings if f["grid"]]
    assert len(in_rows) > 50
    for f in in_rows:
        assert f["where"].split(" · ")[0] in columns or f["where"].startswith("第"), f
    basis = [f for f in in_rows if f["rule"] == "PF401"]
    assert basis and all(f["where"] == "指标值确定依据" for f in basis)


def test_rule_codes_link_to_rule_pages_in_the_report(report):
    _, page, found = report
    codes = {d["code"] for d in found}
    for code in codes:
        assert f"rule-{code}" in page.ids
    for href in page.hrefs:
        assert href.startswith("#") and href[1:] in page.ids, href


def test_no_external_reference_of_any_kind(report):
    text, page, _ = report
    assert page.srcs == []
    assert page.tags["link"] == 0 and page.tags["img"] == 0 and page.tags["iframe"] == 0
    assert page.scripts == 1  # the inline filter script
    assert "url(" not in text and "@import" not in text
    for href in page.hrefs:
        assert href.startswith("#")


def test_summary_counts_files_projects_and_severities(report):
    text, page, found = report
    by_sev = Counter(d["severity"] for d in found)
    summary = text.split('<section id="summary">', 1)[1].split("</section>", 1)[0]
    assert f"<b>{len(found)}</b><span>问题</span>" in summary
    for sev, label in (("error", "错误"), ("warning", "警告")):
        assert f"<b>{by_sev[sev]}</b><span>{label}</span>" in summary
    files = len(list(EXAMPLES.glob("*.*"))) + len(list(LAYOUTS.glob("*.txt")))
    assert f"<b>{files}</b><span>文件</span>" in summary
    # a bar per rule, with its count
    for code, n in Counter(d["code"] for d in found).items():
        assert (
            f'href="#rule-{code}">{code}</a>' in summary
            and f'<span class="val">{n}</span>' in summary
        )
    assert "按部门" in summary and "怀来县信访局" in summary and "错误最多的项目" in summary
    assert text.index('id="summary"') < text.index('id="files"') < text.index('id="rules"')


def test_indicator_table_is_rendered_as_filed(report):
    text, _, _ = report
    # the huailai seed: its grid has the six model columns and the 一级 cell merged over its rows
    for head in ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"):
        assert f"<th>{head}</th>" in text
    assert 'rowspan="' in text
    assert "项目资金覆盖率" in text and "年初工作计划" in text


def test_english(tmp_path):
    out = tmp_path / "r.html"
    run(
        "check",
        str(EXAMPLES / "huailai-xinfang-2024.txt"),
        "--format",
        "html",
        "-o",
        str(out),
        "--no-cache",
        "--lang",
        "en",
    )
    text = out.read_text(encoding="utf-8")
    page = parse(text)
    assert (
        '<html lang="en">' in text
        and "Performance goal review report" in text
        and "By rule" in text
    )
    found = json_findings(str(EXAMPLES / "huailai-xinfang-2024.txt"), "--lang", "en")
    assert Counter(f["msg"] for f in page.findings) == Counter(d["message"] for d in found)


def test_file_text_is_escaped(tmp_path):
    """Cell text and file names are untrusted: nothing in them becomes markup."""
    name = tmp_path / 'a"><script>alert(1)<script>.txt'
    seed = (EXAMPLES / "huailai-xinfang-2024.txt").read_text(encoding="utf-8")
    evil = seed.replace(
        "项目资金覆盖率", "<script>alert('x')</script><img src=http://e.invalid/x>", 1
    )
    evil = evil.replace("年初工作计划", '"><a href="http://e.invalid">x</a>', 1)
    name.write_text(evil, encoding="utf-8")
    out = tmp_path / "r.html"
    result = run("check", str(name), "--format", "html", "-o", str(out), "--no-cache")
    assert result.returncode == 1, result.err
    text = out.read_text(encoding="utf-8")
    page = parse(text)
    assert page.scripts == 1 and page.tags["img"] == 0 and page.srcs == []
    assert all(h.startswith("#") for h in page.hrefs)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert len(page.findings) == len(json_findings(str(name)))


def test_same_report_serial_parallel_cold_and_warm_cache(tmp_path):
    outputs = []
    cache = tmp_path / "cache"
    for args in (
        ["-j1", "--no-cache"],
        ["-j2", "--no-cache"],
        ["-j2", "--cache-dir", str(cache)],
        ["-j2", "--cache-dir", str(cache)],
    ):
        out = tmp_path / f"r{len(outputs)}.html"
        run("check", *INPUTS, "--format", "html", "-o", str(out), *args)
        outputs.append(out.read_bytes())
    assert len(set(outputs)) == 1


def test_report_of_a_file_linted_in_another_format_first(tmp_path):
    """A warm cache from a JSON run has no HTML sections: they are made from the files again."""
    cache = tmp_path / "cache"
    run("check", *INPUTS, "--format", "json", "--cache-dir", str(cache))
    out, fresh = tmp_path / "warm.html", tmp_path / "fresh.html"
    run("check", *INPUTS, "--format", "html", "-o", str(out), "--cache-dir", str(cache))
    run("check", *INPUTS, "--format", "html", "-o", str(fresh), "--no-cache")
    assert out.read_bytes() == fresh.read_bytes()


def test_standard_input(tmp_path):
    data = (EXAMPLES / "huailai-xinfang-2024.txt").read_bytes()
    result = run(
        "check", "-", "--stdin-filename", "in.txt", "--format", "html", "--no-cache", input=data
    )
    assert result.returncode == 1
    page = parse(result.out)
    assert len(page.findings) == len(json_findings(str(EXAMPLES / "huailai-xinfang-2024.txt")))
    assert any(cls for _, cls, _, _ in page.flagged)  # the table was read from standard input too


def test_clean_run_and_unreadable_file(tmp_path):
    clean = REPO / "tests" / "data" / "clean"
    out = tmp_path / "r.html"
    result = run("check", str(clean), "--format", "html", "-o", str(out), "--no-cache")
    assert result.returncode == 0, result.err
    assert "本次检查未发现问题" in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00garbage: [")
    result = run("check", str(bad), "--format", "html", "-o", str(out), "--no-cache")
    assert result.returncode == 1
    page = parse(out.read_text(encoding="utf-8"))
    assert [f["rule"] for f in page.findings] == [d["code"] for d in json_findings(str(bad))]


# ---------------------------------------------------------------------------------------------
# xlsx


def test_xlsx_refuses_standard_output():
    result = run("check", str(EXAMPLES), "--format", "xlsx", "--no-cache")
    assert result.returncode == 2
    assert "--output-file" in result.err and result.out == ""


def test_xlsx_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "findings.xlsx"
    result = run("check", *INPUTS, "--format", "xlsx", "-o", str(out), "--no-cache")
    assert result.returncode == 1, result.err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "问题清单"]
    sheet = book["问题清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "文件",
        "部门",
        "项目名称",
        "项目编码",
        "一级指标",
        "二级指标",
        "三级指标",
        "单元格/行",
        "规则",
        "级别",
        "说明",
        "修复建议",
    )
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:L{len(rows)}"
    assert sheet.column_dimensions["K"].width >= 40
    found = json_findings(*INPUTS)
    assert Counter((r[0], r[8].split()[0], r[10]) for r in rows[1:]) == Counter(
        (d["filename"], d["code"], d["message"]) for d in found
    )
    # in report order, with the JSON format's context (where a finding has none, e.g. a row the
    # reader could not use, the workbook names what its place in the table tells)
    keys = ("department", "project", "project_code", "level1", "level2", "indicator")
    for r, d in zip(rows[1:], found, strict=True):
        assert (r[0], r[8].split()[0], r[10]) == (d["filename"], d["code"], d["message"])
        if d["context"]:
            assert tuple(r[1:7]) == tuple(d["context"][k] for k in keys)
    # a finding in an indicator row names its project and categories
    row = next(
        r
        for r in rows[1:]
        if r[8].startswith("PF204") and "huailai" in r[0] and r[0].endswith(".txt")
    )
    assert (
        row[1] == "怀来县信访局"
        and row[2] == "怀财字【2024】7号 信访专项"
        and row[3] == "13073024P000585100016"
    )
    assert (row[4], row[5], row[6]) == ("产出指标", "成本指标", "预算金额") and row[7].startswith(
        "指标值（第"
    )
    assert row[11]  # its fix
    # a cell is named by its column, and a finding in an indicator's cell names the indicator
    columns = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
    in_cells = [r for r in rows[1:] if r[7].split("（", 1)[0] in columns]
    assert len(in_cells) > 50 and all(r[4] or r[5] or r[6] for r in in_cells)
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][0] == "部门" and summary[0][-1] == "合计" and summary[-1][0] == "合计"
    assert summary[-1][-1] == len(found)
    by_dept = Counter(r[1] for r in rows[1:])
    for line in summary[1:-1]:
        assert line[-1] == by_dept[line[0] if line[0] != "（未注明部门）" else None]


def test_xlsx_cell_text_never_becomes_a_formula(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    seed = (EXAMPLES / "huailai-xinfang-2024.txt").read_text(encoding="utf-8")
    path = tmp_path / "f.txt"
    path.write_text(
        seed.replace("怀来县信访局", '=HYPERLINK("http://e.invalid","x")', 1), encoding="utf-8"
    )
    out = tmp_path / "f.xlsx"
    run("check", str(path), "--format", "xlsx", "-o", str(out), "--no-cache")
    book = openpyxl.load_workbook(out)
    cells = [
        c
        for row in book["问题清单"].iter_rows()
        for c in row
        if c.value and str(c.value).startswith("=")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_xlsx_english_and_cached(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    cache = tmp_path / "c"
    values = []
    for k in range(2):
        out = tmp_path / f"{k}.xlsx"
        run(
            "check",
            str(EXAMPLES),
            "--format",
            "xlsx",
            "-o",
            str(out),
            "--cache-dir",
            str(cache),
            "--lang",
            "en",
            "-j2",
        )
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == ["Summary", "Findings"]
        values.append([list(r) for r in book["Findings"].iter_rows(values_only=True)])
    assert values[0] == values[1] and values[0][0][0] == "File"


def test_help_names_the_formats():
    result = run("check", "--help")
    assert "html" in result.out and "xlsx" in result.out


def test_placement_of_a_seed():
    """Unit check of the placement the reports share: the seed's cells hold their findings."""
    from perflint.formats.placement import context_of, place_rows
    from perflint.readers.text_reader import read_text

    path = str(EXAMPLES / "huailai-xinfang-2024.txt")
    filing = read_text(path, Path(path).read_text(encoding="utf-8")).filing
    indicator = filing.projects[0].indicators[3]
    s = indicator.value.span
    rows = [
        ["PF204", "x", "warning", "", "", [None, s.line, s.col + 2, s.line, s.col + 3], None],
        [
            "PF999",
            "x",
            "warning",
            "",
            "",
            [None, indicator.span.line, 1, indicator.span.end_line, 1],
            None,
        ],
        ["PF998", "x", "warning", "", "", [None, 1, 1, 1, 1], None],
    ]
    value, row, top = place_rows(filing, rows)
    assert (value.project, value.indicator, value.field) == (0, 3, "value")
    assert (row.project, row.indicator, row.field) == (0, 3, "")
    assert (top.project, top.indicator) == (-1, -1)
    assert context_of(filing, value).indicator == "预算金额"
    assert context_of(filing, value).department == "怀来县信访局"
