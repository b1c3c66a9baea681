"""One file's section of the report: its findings placed in its Filing, and the filing's and
each project's tables as filed (information rows, the indicator grid with its merged category
cells merged again), every flagged cell marked by severity and numbered, the findings of a row
beside it. A section is rendered where its file is linted and kept in the cache entry."""

from __future__ import annotations

from perflint.formats.html.escape import anchor, cell_html, clip, esc
from perflint.formats.html.labels import LABELS, RANKS, SEVERITIES, SEVERITY_NAMES, field_name
from perflint.formats.placement import (
    EXTRA_FIELDS,
    FILING_FIELDS,
    INDICATOR_FIELDS,
    PROJECT_FIELDS,
    department_of,
    field_label,
    place_rows,
)


class FileSection:
    """What one file's section is made of: its findings placed in its Filing."""

    def __init__(self, path: str, rows, lines, filing, lang: str, hints=None):
        self.path, self.rows, self.lines, self.filing, self.lang = (
            path,
            rows,
            lines or {},
            filing,
            lang,
        )
        self.id = anchor(path)
        self.places = place_rows(filing, rows, hints)
        self.by_cell: dict[tuple, list[int]] = {}  # (project, indicator, field, item) → row numbers
        self.by_indicator: dict[tuple, list[int]] = {}
        self.by_project: dict[
            int, list[int]
        ] = {}  # project-level findings (not in an indicator row)
        self.top: list[int] = []  # the filing's
        for n, place in enumerate(self.places):
            if place.cell is not None:
                self.by_cell.setdefault(
                    (place.project, place.indicator, place.field, place.item), []
                ).append(n)
            if place.project < 0:
                self.top.append(n)
            elif place.indicator < 0:
                self.by_project.setdefault(place.project, []).append(n)
            else:
                self.by_indicator.setdefault((place.project, place.indicator), []).append(n)

    def fid(self, n: int) -> str:
        return f"{self.id}-{n + 1}"

    def marker(self, numbers) -> str:
        return "".join(
            f'<a class="mark sev-{self.worst((n,))}" href="#{self.fid(n)}">{n + 1}</a>'
            for n in numbers
        )

    def worst(self, numbers) -> str:
        """The most severe of the findings' severities (one of SEVERITIES; an unknown one counts as error)."""
        return SEVERITIES[min(RANKS.get(self.rows[n][2], 0) for n in numbers)]

    def finding(self, n: int, with_place: bool = False) -> str:
        """One finding as a list item: severity, rule code (linked to its page), where, message, fix."""
        L = LABELS[self.lang]
        code, name, severity, zh, en, span, fix = self.rows[n][:7]
        message = en if self.lang == "en" else zh
        sev = severity if severity in RANKS else "error"
        where = ""
        place = self.places[n]
        label = field_label(place, self.lang)
        if with_place or place.cell is None:
            bits = [label] if label else []
            bits.append(L["line"].format(line=span[1], col=span[2]))
            where = f'<span class="where">{esc(" · ".join(bits))}</span>'
        elif label:
            where = f'<span class="where">{esc(label)}</span>'
        out = [
            f'<li class="finding sev-{sev}" id="{self.fid(n)}" data-sev="{sev}" data-rule="{esc(code)}">',
            f'<span class="num">{n + 1}</span> <span class="sev">{esc(SEVERITY_NAMES[self.lang].get(sev, sev))}</span> ',
            f'<a class="code" href="#rule-{esc(code)}" title="{esc(name)}">{esc(code)}</a> {where}',
            f'<div class="msg">{esc(message)}</div>',
        ]
        if place.cell is None:
            text = self.lines.get(span[1]) if isinstance(self.lines, dict) else None
            if text:
                out.append(f'<div class="src"><code>{esc(clip(text))}</code></div>')
        if fix is not None:
            applicability, fzh, fen = fix[0], fix[1], fix[2]
            tag = L["safe"] if applicability == "safe" else L["unsafe"]
            out.append(
                f'<div class="fix">{esc(L["fix"])}{"：" if self.lang == "zh" else ": "}{esc(fen if self.lang == "en" else fzh)} <span class="tag">{esc(tag)}</span></div>'
            )
        out.append("</li>")
        return "".join(out)

    def findings(self, numbers, with_place: bool = False) -> str:
        if not numbers:
            return ""
        return (
            '<ol class="findings">'
            + "".join(self.finding(n, with_place) for n in numbers)
            + "</ol>"
        )

    def cell(self, cell, key: tuple, tag: str = "td", attrs: str = "") -> str:
        """A model cell as a table cell: its text (the flagged part marked), flagged by severity.
        `key` is its place (project, indicator, field, item), as `Place` names it."""
        if cell is None:
            return f"<{tag}{attrs}></{tag}>"
        numbers = self.by_cell.get(key, ())
        if not numbers:
            return f"<{tag}{attrs}>{cell_html(cell.text)}</{tag}>"
        sev = self.worst(numbers)
        ids = " ".join(self.fid(n) for n in numbers)
        body = self.marked(cell, numbers)
        return f'<{tag}{attrs} class="flag sev-{sev}" data-finds="{ids}">{body}{self.marker(numbers)}</{tag}>'

    def marked(self, cell, numbers) -> str:
        """The cell's text with the part each finding points at in <mark> (a direct cell only)."""
        text = cell.text
        if not cell.direct or not text:
            return cell_html(text)
        s = cell.span
        worst = [3] * len(text)  # per character: the most severe rank marking it (3: none)
        for n in numbers:
            span = self.rows[n][5]
            if span[1] != s.line or span[3] != s.line:
                continue
            start, end = span[2] - s.col, span[4] - s.col
            if not (0 <= start < end <= len(text)) or (start == 0 and end == len(text)):
                continue
            rank = RANKS.get(self.rows[n][2], 0)
            for k in range(start, end):
                worst[k] = min(worst[k], rank)
        out, k = [], 0
        while k < len(text):
            j = k
            while j < len(text) and worst[j] == worst[k]:
                j += 1
            piece = cell_html(text[k:j])
            out.append(
                piece
                if worst[k] == 3
                else f'<mark class="sev-{SEVERITIES[worst[k]]}">{piece}</mark>'
            )
            k = j
        return "".join(out)

    # -- the section

    def render(self) -> str:
        L = LABELS[self.lang]
        filing = self.filing
        department = department_of(filing)
        counts = severity_counts(self.rows)
        out = [f'<section class="file" id="{self.id}" data-dept="{esc(department)}">']
        out.append(
            f'<h2><span class="dept">{esc(department or L["no_department"])}</span>'
            f'<span class="path">{esc(self.path)}</span>{badges(counts, self.lang)}</h2>'
        )
        if filing is None:
            out.append(f'<p class="note">{esc(L["unread"])}</p>')
            out.append(self.findings(range(len(self.rows)), with_place=True))
            out.append("</section>")
            return "".join(out)
        out.append(self.filing_info())
        if self.top:
            out.append(
                f'<div class="block"><h4>{esc(L["file_findings"])}</h4>{self.findings(self.top)}</div>'
            )
        for p, project in enumerate(filing.projects):
            out.append(self.project(p, project))
        out.append("</section>")
        return "".join(out)

    def filing_info(self) -> str:
        filing, L = self.filing, LABELS[self.lang]
        rows = self.field_rows(filing, (name for name, _, _ in FILING_FIELDS), -1)
        if filing.sub_goals:
            items = "".join(
                f"<div>{self.cell(c, (-1, -1, 'sub_goals', n), 'span')}</div>"
                for n, c in enumerate(filing.sub_goals)
            )
            rows.append(f'<tr><th>{esc(L["sub_goals"])}</th><td class="stack">{items}</td></tr>')
        if not rows:
            return ""
        flagged = any(key[0] == -1 for key in self.by_cell)
        return (
            f'<details class="info"{" open" if flagged else ""}><summary>{esc(L["filing_info"])}</summary>'
            f'<table class="kv">{"".join(rows)}</table></details>'
        )

    def field_rows(self, owner, names, p: int) -> list[str]:
        """A `<tr>` per field of `owner` (project `p`, -1 for the filing) that has text or a finding."""
        rows = []
        for name in names:
            cell = getattr(owner, name)
            key = (p, -1, name, -1)
            if cell is not None and (cell.text or key in self.by_cell):
                rows.append(
                    f"<tr><th>{esc(field_name(name, self.lang))}</th>{self.cell(cell, key)}</tr>"
                )
        return rows

    def project(self, p: int, project) -> str:
        L = LABELS[self.lang]
        numbers = [n for n, place in enumerate(self.places) if place.project == p]
        counts = severity_counts([self.rows[n] for n in numbers])
        name = project.name.text.strip() or L["no_project"]
        code = project.code.text.strip()
        out = [
            f'<section class="project{" clean" if not numbers else ""}" id="{self.id}-p{p + 1}">'
        ]
        out.append(
            f'<h3><span class="pname">{esc(name)}</span>'
            + (f' <code class="pcode">{esc(code)}</code>' if code else "")
            + f"{badges(counts, self.lang)}</h3>"
        )
        body = [self.project_info(p, project)]
        own = self.by_project.get(p, [])
        if own:
            body.append(
                f'<div class="block"><h4>{esc(L["project_findings"])}</h4>{self.findings(own)}</div>'
            )
        body.append(self.grid(p, project))
        if numbers:
            out.extend(body)
        else:  # a clean project: its table folded away
            out.append(
                f"<details><summary>{esc(L['no_findings'])} · {esc(L['table'])}</summary>{''.join(body)}</details>"
            )
        out.append("</section>")
        return "".join(out)

    def project_info(self, p: int, project) -> str:
        L = LABELS[self.lang]
        rows = self.field_rows(project, (name for name, _, _ in PROJECT_FIELDS), p)
        if project.spending_plan:
            plan = project.spending_plan
            heads = "".join(
                self.cell(point.label, (p, -1, "plan_label", n), "th")
                for n, point in enumerate(plan)
            )
            values = "".join(
                self.cell(point.percent, (p, -1, "plan_percent", n)) for n, point in enumerate(plan)
            )
            rows.append(
                f'<tr><th>{esc(L["plan"])}</th><td class="inner"><table class="plan"><tr>{heads}</tr><tr>{values}</tr></table></td></tr>'
            )
        if project.goals:
            items = "".join(
                f"<div>{self.cell(c, (p, -1, 'goals', n), 'span')}</div>"
                for n, c in enumerate(project.goals)
            )
            rows.append(f'<tr><th>{esc(L["goals"])}</th><td class="stack">{items}</td></tr>')
        if not rows:
            return ""
        return f'<table class="kv" aria-label="{esc(L["info_rows"])}">{"".join(rows)}</table>'

    def grid(self, p: int, project) -> str:
        """The indicator table as filed: a merged 一级 / 二级 cell (one Cell shared by its rows)
        spans its rows again; the findings of a row stand in its last column."""
        L = LABELS[self.lang]
        indicators = project.indicators
        if not indicators:
            return ""
        absent = getattr(
            project, "absent", frozenset()
        )  # columns this form does not have: not shown, unless flagged
        flagged = {key[2] for key in self.by_cell if key[0] == p and key[1] >= 0}
        base = tuple(
            f for f in INDICATOR_FIELDS if f"indicator.{f[0]}" not in absent or f[0] in flagged
        )
        fields = base + tuple(
            f for f in EXTRA_FIELDS if any(getattr(i, f[0], None) is not None for i in indicators)
        )
        heads = "".join(f"<th>{esc(en if self.lang == 'en' else zh)}</th>" for _, zh, en in fields)
        out = [
            f'<table class="grid"><thead><tr><th class="n">#</th>{heads}<th class="fcol">{esc(L["row_findings"])}</th></tr></thead><tbody>'
        ]
        spans = {
            name: merged_runs([getattr(i, name) for i in indicators])
            for name in ("level1", "level2")
        }
        for i, indicator in enumerate(indicators):
            numbers = self.by_indicator.get((p, i), [])
            cls = f' class="flagged sev-{self.worst(numbers)}"' if numbers else ""
            cells = [f'<td class="n">{i + 1}</td>']
            for name, _, _ in fields:
                cell = getattr(indicator, name, None)
                if name in spans:
                    run = spans[name][i]
                    if run == 0:
                        continue  # covered by the merged cell above
                    cells.append(
                        self.cell(
                            cell, (p, i, name, -1), attrs=f' rowspan="{run}"' if run > 1 else ""
                        )
                    )
                else:
                    cells.append(self.cell(cell, (p, i, name, -1)))
            cells.append(f'<td class="fcol">{self.findings(numbers)}</td>')
            out.append(f"<tr{cls}>{''.join(cells)}</tr>")
        out.append("</tbody></table>")
        return "".join(out)

    def note(self) -> dict:
        """What the summary needs of this file (plain JSON: it is kept in the cache entry)."""
        filing = self.filing
        rules: dict[str, int] = {}
        for row in self.rows:
            rules[row[0]] = rules.get(row[0], 0) + 1
        projects = []
        if filing is not None:
            per = {}
            for n, place in enumerate(self.places):
                if place.project >= 0:
                    c = per.setdefault(place.project, [0, 0, 0])
                    c[RANKS.get(self.rows[n][2], 0)] += 1
            for p, project in enumerate(filing.projects):
                c = per.get(p, [0, 0, 0])
                projects.append([project.name.text.strip(), project.code.text.strip(), *c])
        return {
            "a": self.id,
            "d": department_of(filing),
            "s": severity_counts(self.rows),
            "r": rules,
            "p": projects,
        }


def merged_runs(cells) -> list[int]:
    """For each row: how many rows its merged cell spans (1: not merged; 0: covered by the one above).
    Rows share a cell when the reader gave them the same one (an inherited merged category)."""
    out = [1] * len(cells)
    start = 0
    for k in range(1, len(cells) + 1):
        if k < len(cells) and cells[k] == cells[start] and cells[k].text:
            continue
        out[start] = k - start
        for j in range(start + 1, k):
            out[j] = 0
        start = k
    return out


def severity_counts(rows) -> list[int]:
    counts = [0, 0, 0]
    for row in rows:
        counts[RANKS.get(row[2], 0)] += 1
    return counts


def badges(counts, lang: str) -> str:
    parts = [
        f'<span class="badge sev-{sev}">{counts[k]} {esc(LABELS[lang][sev])}</span>'
        for k, sev in enumerate(SEVERITIES)
        if counts[k]
    ]
    if not parts:
        parts = [f'<span class="badge ok">{esc(LABELS[lang]["no_findings"])}</span>']
    return '<span class="badges">' + "".join(parts) + "</span>"


def render_file(path: str, rows, lines, filing, lang: str, hints=None) -> tuple[str, dict]:
    """(section HTML, note for the summary) of one file (`hints`: placement.field_hints)."""
    f = FileSection(path, rows, lines, filing, lang, hints)
    return f.render(), f.note()
