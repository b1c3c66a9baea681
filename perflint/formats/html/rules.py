"""The parts of the page about the rules found: the bar chart of findings by rule, the filter
bar (severity and rule), and the appendix with each rule's page."""

from __future__ import annotations

from perflint.formats import FormatOptions, RulePage
from perflint.formats.html.escape import esc
from perflint.formats.html.labels import LABELS, RANKS, SEVERITIES, SEVERITY_NAMES


def rule_summary(options: FormatOptions, code: str, lang: str) -> tuple[str, str]:
    rule = options.rules.get(code)
    if rule is None:
        return "", ""
    return getattr(rule, "name", ""), rule.summary.get(lang) if getattr(
        rule, "summary", None
    ) else ""


def chart(rules: dict, options: FormatOptions, lang: str) -> str:
    """Findings by rule as CSS bars (no image, no library)."""
    L = LABELS[lang]
    top = max(rules.values())
    items = sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))
    out = [f'<h3>{esc(L["by_rule"])}</h3><div class="chart" role="list">']
    for code, n in items:
        name, summary = rule_summary(options, code, lang)
        rule = options.rules.get(code)
        sev = getattr(rule, "severity", "warning") if rule is not None else "warning"
        sev = sev if sev in RANKS else "warning"
        width = max(1.0, 100.0 * n / top)
        out.append(
            f'<div class="bar" role="listitem"><a class="code" href="#rule-{esc(code)}">{esc(code)}</a>'
            f'<span class="label" title="{esc(name)}">{esc(summary or name)}</span>'
            f'<span class="track"><span class="fill sev-{sev}" style="width:{width:.1f}%"></span></span><span class="val">{n}</span></div>'
        )
    out.append("</div>")
    return "".join(out)


def filters(rules: dict, options: FormatOptions, lang: str) -> str:
    """The filter bar: hidden until the script shows it (without scripts everything is shown)."""
    L = LABELS[lang]
    boxes = "".join(
        f'<label class="sev-{sev}"><input type="checkbox" name="sev" value="{sev}" checked> {esc(L[sev])}</label>'
        for sev in SEVERITIES
    )
    options_html = "".join(
        f'<option value="{esc(code)}">{esc(code)} {esc(rule_summary(options, code, lang)[1])}</option>'
        for code in sorted(rules)
    )
    return (
        f'<form id="filters" hidden><b>{esc(L["filters"])}</b> <span class="group">{esc(L["show"])}: {boxes}</span>'
        f'<select name="rule" aria-label="{esc(L["rule"])}"><option value="">{esc(L["all_rules"])}</option>{options_html}</select>'
        f'<label><input type="checkbox" name="only"> {esc(L["only_flagged"])}</label>'
        f'<output id="shown" data-template="{esc(L["shown"])}"></output></form>'
    )


def appendix(options: FormatOptions, codes, lang: str) -> str:
    """The page of every rule found in the run, from the rule files (as `perflint rule CODE`)."""
    L = LABELS[lang]
    if not codes:
        return ""
    out = [f'<section id="rules"><h2>{esc(L["rules_appendix"])}</h2>']
    for code in codes:
        rule = options.rules.get(code)
        out.append(f'<article class="rule" id="rule-{esc(code)}">')
        if rule is None:
            out.append(f"<h3>{esc(code)}</h3></article>")
            continue
        sev = rule.severity if rule.severity in RANKS else "warning"
        out.append(
            f'<h3>{esc(code)} <span class="rname">{esc(rule.name)}</span> '
            f'<span class="badge sev-{sev}">{esc(SEVERITY_NAMES[lang].get(rule.severity, rule.severity))}</span></h3>'
        )
        out.append(
            f"<p><b>{esc(L['what'])}</b>{'：' if lang == 'zh' else ': '}{esc(rule.summary.get(lang))}</p>"
        )
        page = options.rule_page(rule, lang) if options.rule_page else RulePage()
        rationale = rule.rationale or {}
        if page.why:
            out.append(
                f"<p><b>{esc(L['why'])}</b>{'：' if lang == 'zh' else ': '}{esc(page.why)}</p>"
            )
        if rationale.get("source"):
            out.append(
                f"<p><b>{esc(L['source'])}</b>{'：' if lang == 'zh' else ': '}{esc(rationale['source'])}</p>"
            )
        bad, good = page.bad, page.good
        if bad or good:
            out.append('<div class="examples">')
            if bad:
                out.append(
                    f'<div><b>{esc(L["example"])}</b><pre class="bad">{esc(bad)}</pre></div>'
                )
            if good:
                out.append(
                    f'<div><b>{esc(L["instead"])}</b><pre class="good">{esc(good)}</pre></div>'
                )
            out.append("</div>")
        safety, fix_message = page.safety, page.fix_message
        out.append(
            f"<p><b>{esc(L['fix_safety'])}</b>{'：' if lang == 'zh' else ': '}{esc(safety)}{(' ' + esc(fix_message)) if fix_message else ''}</p>"
        )
        out.append(f'<p class="back"><a href="#summary">{esc(L["back"])}</a></p></article>')
    out.append("</section>")
    return "".join(out)
