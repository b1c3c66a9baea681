"""The report a file at a time: each section spooled as it comes (in memory up to 8 MiB, then a
temporary file), counters for the summary, and at the end the page: head, summary (cards,
chart, departments, the projects with most errors), the spooled sections, the appendix."""

from __future__ import annotations

import heapq

from perflint.formats import FileWriter, FormatOptions, Sources, to_rows
from perflint.formats.html.escape import esc
from perflint.formats.html.labels import LABELS, SEVERITIES, lang_of
from perflint.formats.html.page import SCRIPT, head
from perflint.formats.html.rules import appendix, chart, filters
from perflint.formats.html.section import render_file
from perflint.formats.placement import field_hints

FORMAT_VERSION = 1
SPOOL_MEMORY = 8 << 20
TOP_PROJECTS = 10


class HtmlWriter(FileWriter):
    """The page, a file at a time: sections spooled, summary and appendix written at the end."""

    needs_filing = True  # its file() takes the Filing (see perflint/runner.py `run`)

    def __init__(self, options: FormatOptions):
        super().__init__(options)
        import tempfile

        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, mode="w+b")
        self.files = 0  # files reported
        self.flagged = 0  # files with findings
        self.projects = 0
        self.severity = [0, 0, 0]
        self.rules: dict[str, int] = {}
        self.departments: dict[
            str, list
        ] = {}  # name → [files, projects, e, w, i, first anchors (≤ 50)]
        self.top: list = []  # heap of (errors, warnings, -order, name, code, department, anchor)
        self.order = 0
        self.hints = None  # placement.field_hints of the run's rules, made when first needed

    @property
    def key(self) -> str:
        return f"html/{FORMAT_VERSION}/{lang_of(self.options)}/{self.options.version}"

    def file(self, path, rows, filing=...) -> tuple[str, dict]:
        if (
            filing is ...
        ):  # not given: read here (a file whose section was not rendered where it was linted)
            filing = read_filing(path, self.options)
        if self.hints is None:
            self.hints = field_hints(self.options.rules)
        return render_file(
            path or "",
            rows,
            file_lines(self.options, path),
            filing,
            lang_of(self.options),
            self.hints,
        )

    def take(self, text: str, note) -> str:
        return self.take_bytes(text.encode("utf-8", "surrogatepass"), note).decode("utf-8")

    def take_bytes(self, text: bytes, note) -> bytes:
        self.spool.write(text)
        self.account(note)
        return b""

    def account(self, note) -> None:
        if type(note) is not dict:
            note = {}
        self.files += 1
        counts = [int(c) for c in (note.get("s") or [0, 0, 0])][:3]
        if any(counts):
            self.flagged += 1
        for k in range(3):
            self.severity[k] += counts[k]
        for code, n in (note.get("r") or {}).items():
            self.rules[code] = self.rules.get(code, 0) + int(n)
        department = str(note.get("d") or "")
        projects = note.get("p") or []
        self.projects += len(projects)
        d = self.departments.get(department)
        if d is None:
            d = self.departments[department] = [0, 0, 0, 0, 0, []]
        d[0] += 1
        d[1] += len(projects)
        for k in range(3):
            d[2 + k] += counts[k]
        here = str(note.get("a") or "")
        if len(d[5]) < 50 and here:
            d[5].append(here)
        for p, project in enumerate(projects):
            name, code, errors, warnings = project[0], project[1], int(project[2]), int(project[3])
            if errors == 0 and warnings == 0:
                continue
            self.order += 1
            item = (errors, warnings, -self.order, name, code, department, f"{here}-p{p + 1}")
            if len(self.top) < TOP_PROJECTS:
                heapq.heappush(self.top, item)
            elif item > self.top[0]:
                heapq.heapreplace(self.top, item)

    def end(self):
        lang = lang_of(self.options)
        yield head(self.options, lang)
        yield self.summary(lang)
        yield '<main id="files">'
        from codecs import getincrementaldecoder

        decoder = getincrementaldecoder("utf-8")("surrogatepass")
        self.spool.seek(0)
        while True:
            chunk = self.spool.read(1 << 20)
            if not chunk:
                break
            yield decoder.decode(chunk)
        self.spool.close()
        yield "</main>"
        yield appendix(self.options, sorted(self.rules), lang)
        yield SCRIPT
        yield "</body></html>\n"

    def summary(self, lang: str) -> str:
        L = LABELS[lang]
        total = sum(self.severity)
        out = ['<section id="summary">', f"<h2>{esc(L['summary'])}</h2>", '<div class="cards">']
        cards = [
            ("files", self.options.files_checked or self.files, ""),
            ("files_flagged", self.flagged, ""),
            ("projects", self.projects, ""),
            ("findings", total, ""),
        ] + [(sev, self.severity[k], f" sev-{sev}") for k, sev in enumerate(SEVERITIES)]
        for name, value, cls in cards:
            out.append(f'<div class="card{cls}"><b>{value}</b><span>{esc(L[name])}</span></div>')
        out.append("</div>")
        if not total:
            out.append(f'<p class="note">{esc(L["no_findings_run"])}</p>')
        out.append(filters(self.rules, self.options, lang))
        if self.rules:
            out.append(chart(self.rules, self.options, lang))
        if self.departments:
            out.append(self.department_table(lang))
        if self.top:
            out.append(self.top_table(lang))
        out.append("</section>")
        return "".join(out)

    def department_table(self, lang: str) -> str:
        L = LABELS[lang]
        rows = sorted(
            self.departments.items(), key=lambda kv: (-kv[1][2], -kv[1][3], -kv[1][4], kv[0])
        )
        head = "".join(
            f"<th>{esc(L[k])}</th>"
            for k in ("department", "files", "projects", "error", "warning", "info")
        )
        out = [
            f'<h3>{esc(L["by_department"])}</h3><table class="list"><thead><tr>{head}</tr></thead><tbody>'
        ]
        for name, (files, projects, e, w, i, anchors) in rows:
            links = " ".join(f'<a href="#{esc(a)}">{k + 1}</a>' for k, a in enumerate(anchors))
            more = (
                f' <span class="more">{esc(L["more_files"].format(n=files - len(anchors)))}</span>'
                if files > len(anchors)
                else ""
            )
            label = esc(name) if name else esc(L["no_department"])
            out.append(
                f'<tr><td>{label} <span class="links">{links}{more}</span></td><td class="r">{files}</td><td class="r">{projects}</td>'
                f'<td class="r sev-error">{e or ""}</td><td class="r sev-warning">{w or ""}</td><td class="r sev-info">{i or ""}</td></tr>'
            )
        out.append("</tbody></table>")
        return "".join(out)

    def top_table(self, lang: str) -> str:
        L = LABELS[lang]
        head = "".join(
            f"<th>{esc(L[k])}</th>"
            for k in ("project", "project_code", "department", "error", "warning")
        )
        out = [
            f'<h3>{esc(L["top_projects"])}</h3><table class="list"><thead><tr>{head}</tr></thead><tbody>'
        ]
        for errors, warnings, _, name, code, department, link in sorted(self.top, reverse=True):
            out.append(
                f'<tr><td><a href="#{esc(link)}">{esc(name or L["no_project"])}</a></td><td><code>{esc(code)}</code></td>'
                f'<td>{esc(department or L["no_department"])}</td><td class="r sev-error">{errors or ""}</td><td class="r sev-warning">{warnings or ""}</td></tr>'
            )
        out.append("</tbody></table>")
        return "".join(out)


def file_lines(options: FormatOptions, path):
    """{line: text} of the lines the findings of `path` point at, from options.sources."""
    from perflint.formats import line_reader

    if path is None:
        return {}
    read = line_reader(options)

    class Lines(dict):
        def get(self, number, default=None):
            text = read(path, number)
            return default if text is None else text

    return Lines()


def read_filing(path: str | None, options: FormatOptions):
    """The Filing of a file whose section is rendered away from where it was linted: its text from
    `options.sources` when that holds it whole (standard input), else read again; None when it
    cannot be read."""
    if not path or options.filing_of is None:
        return None
    sources = options.sources
    text = sources._texts.get(path) if type(sources) is Sources else None
    return options.filing_of(path, text)


def stream_html(batches, options: FormatOptions):
    """`stream` of the format (batches of diagnostics): sections read their Filing again."""
    writer = HtmlWriter(options)
    for batch in batches:
        if not batch:
            continue
        path = batch[0].span.path
        writer.take(*writer.file(path, to_rows(batch)))
    yield from writer.end()


def format_html(diagnostics, options: FormatOptions) -> str:
    from perflint.formats import batches_of

    return "".join(stream_html(batches_of(diagnostics), options))
