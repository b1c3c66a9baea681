"""Information rows (label, value, label, value …), titles and the lines beside them."""

from __future__ import annotations

import re

from perflint.model import Cell, InfoRow
from perflint.readers.forms import Forms
from perflint.readers.tables import cells as c
from perflint.readers.tables.draft import Draft

_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年")
_YEAR = re.compile(r"20\d\d")


def info_row(draft: Draft, cells: list[Cell], forms: Forms, lines) -> None:
    """Label/value pairs in any order and number; titles, year and unit lines; the seeds' rows."""
    if not cells[0].text:
        if draft.previous == "money" and len(cells) > 1 and "purpose" not in draft.seen:
            draft.fields["purpose"] = cells[1]
            draft.has("purpose")
            draft.previous = ""
            return
        if draft.previous == "plan" and draft.plan_values is None:
            draft.plan_values = cells[1:]
            draft.previous = ""
            return
    index = 0
    labelled = False
    draft.previous = ""
    while index < len(cells):
        cell = cells[index]
        index += 1
        if not cell.text:
            continue
        known = forms.label(cell.text)
        inline = None
        if known is None:
            inline = _inline(cell, forms)
            if inline is not None:
                known, value = inline
        if known is not None:
            key, unit = known
            labelled = True
            if unit and draft.money_unit is None:
                draft.money_unit = c.unit_cell(cell, unit)
            if key == "plan":
                draft.plan_labels = cells[index:]
                draft.has("spending_plan")
                draft.previous = "plan"
                return
            if inline is None:
                value = None
                if index < len(cells) and not _is_label(cells[index], forms):
                    value = cells[index]
                    index += 1
            _apply(draft, key, cell, value, lines)
            if not draft.previous:
                draft.previous = "money" if key.startswith("budget") else key
            continue
        if decor(draft, cell, forms):
            continue
        if forms.title(cell.text):
            if draft.substance and labelled:
                continue
            title(draft, cell, forms)
            continue
        if not labelled and draft.department_code is None and (found := c.department(cell)):
            draft.department_code, draft.department_name = found
            continue
        value = None
        if index < len(cells) and not _is_label(cells[index], forms):
            value = cells[index]
            index += 1
        draft.info.append(InfoRow("", cell, value))
        draft.substance = True


def trailer_rows(cells: list[Cell]) -> list[InfoRow]:
    """A trailer row (注:…, 审核意见 | (盖章), 合计 | 100) as one InfoRow: its first written cell
    and the rest joined."""
    texts = [cell for cell in cells if cell.text]
    if not texts:
        return []
    return [InfoRow("trailer", texts[0], c.join(texts[1:]) if len(texts) > 1 else None)]


def title(draft: Draft, cell: Cell, forms: Forms) -> None:
    """A title: whether the table is a department's, and its year (“20xx年” first, else any 20xx)."""
    if forms.department_title(cell.text):
        draft.kind = "department"
    if draft.year is None:
        match = _YEAR_IN_TITLE.search(cell.text)
        span = (
            match.span(1)
            if match
            else (found.span() if (found := _YEAR.search(cell.text)) else None)
        )
        if span is not None:
            draft.year = c.part(cell, *span)


def decor(draft: Draft, cell: Cell, forms: Forms) -> bool:
    """A year line, unit line, table number or stamp beside the title: read it, True."""
    text = cell.text.strip()
    if len(text) > 40:
        return False
    year = forms.decor_match("year", text)
    if year:
        if draft.year is None:
            group = _first_group(year)
            draft.year = c.part(cell, year.start(group), year.end(group))
        return True
    unit = forms.decor_match("money_unit", text)
    if unit:
        if draft.money_unit is None:
            group = _first_group(unit)
            draft.money_unit = c.part(cell, unit.start(group), unit.end(group))
        return True
    return bool(forms.decor_match("table_number", text) or forms.decor_match("stamp", text))


def _first_group(match: re.Match) -> int:
    """The first group of a decor pattern that matched (the year or unit), else the whole match."""
    return next((i for i in range(1, (match.re.groups or 0) + 1) if match.group(i)), 0)


def _is_label(cell: Cell, forms: Forms) -> bool:
    return bool(cell.text) and (
        forms.label(cell.text) is not None or _inline(cell, forms) is not None
    )


def _inline(cell: Cell, forms: Forms):
    """((key, unit), value Cell) for a label with its value inside the cell: 年度资金总额:85."""
    text = cell.text
    colon = min((i for i in (text.find(":"), text.find("：")) if i >= 0), default=-1)
    if colon <= 0 or colon > 40:
        return None
    known = forms.label(text[:colon])
    rest = text[colon + 1 :]
    if known is None or not rest.strip():
        return None
    start = colon + 1 + (len(rest) - len(rest.lstrip()))
    return known, c.part(cell, start, len(text.rstrip()))


def _apply(draft: Draft, key: str, label: Cell, value: Cell | None, lines) -> None:
    """Put one label's value where it belongs."""
    missing = value if value is not None else c.after(label)
    if key in ("name", "code", "purpose"):
        draft.fields[key] = missing
        draft.has(key)
    elif key in ("budget_total", "budget_fiscal", "budget_other") or (
        key == "money" and value is not None
    ):
        name = "budget_total" if key == "money" else key
        draft.fields[name] = c.amount(missing)
        draft.has(name)
    elif key == "money":
        draft.substance = True
    elif key == "department_code":
        draft.department_code = draft.department_code or missing
        draft.substance = True
    elif key in ("department", "department_name"):
        found = c.department(missing) if value is not None else None
        code, name = found if found else (None, missing)
        draft.department_code = draft.department_code or code
        draft.department_name = draft.department_name or name
        draft.substance = True
    elif key == "goals":
        if value is not None:
            draft.goals.extend(c.goal_statements(value, lines))
            draft.has("goals")
        else:
            draft.substance = True
    else:
        draft.info.append(InfoRow(key, label, value))
        draft.substance = True
        if key == "budget_part":
            draft.seen.add("budget_part")
