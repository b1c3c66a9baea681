"""The page around the sections: its head (title, Content-Security-Policy), the inline styles
and the one inline script (the filters). Nothing is loaded from anywhere: a reviewer's machine
may have no network, and the policy forbids any other script even if something slipped past
the escaping."""

from __future__ import annotations

import hashlib

from perflint.formats import FormatOptions
from perflint.formats.html.escape import esc
from perflint.formats.html.labels import LABELS


def head(options: FormatOptions, lang: str) -> str:
    L = LABELS[lang]
    return (
        f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(L['title'])}</title><style>{CSS}</style></head><body>"
        f'<header id="top"><h1>{esc(L["title"])}</h1><p class="gen">{esc(L["generated"].format(version=options.version))}</p></header>'
    )


CSS = """
:root{--err:#b3261e;--err-bg:#fdecea;--warn:#8a5300;--warn-bg:#fff3d6;--info:#0a5cad;--info-bg:#e7f0fb;--line:#d5d9e0;--muted:#5f6673;--ink:#1d2330}
*{box-sizing:border-box}
body{margin:0;font:14px/1.55 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",system-ui,sans-serif;color:var(--ink);background:#f4f6f9}
header{background:#1f3a5f;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px;font-weight:600}
header .gen{margin:4px 0 0;opacity:.8;font-size:12px}
#summary,main>section,#rules{background:#fff;margin:16px 24px;padding:16px 22px;border:1px solid var(--line);border-radius:8px}
h2{font-size:18px;margin:0 0 12px}
h3{font-size:15px;margin:18px 0 8px}
h4{font-size:13px;margin:10px 0 4px;color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{min-width:110px;padding:10px 14px;border:1px solid var(--line);border-radius:6px;background:#fafbfc}
.card b{display:block;font-size:22px}
.card span{color:var(--muted);font-size:12px}
.card.sev-error{border-color:var(--err);background:var(--err-bg)} .card.sev-error b{color:var(--err)}
.card.sev-warning{border-color:#d9a441;background:var(--warn-bg)} .card.sev-warning b{color:var(--warn)}
.card.sev-info{border-color:#7ba7dc;background:var(--info-bg)} .card.sev-info b{color:var(--info)}
.chart{display:grid;gap:4px;max-width:980px}
.bar{display:grid;grid-template-columns:64px minmax(160px,320px) 1fr 48px;align-items:center;gap:8px}
.bar .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;color:var(--muted)}
.track{background:#eef1f5;height:14px;border-radius:3px;overflow:hidden}
.fill{display:block;height:100%;background:#7b8aa0;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.fill.sev-error{background:var(--err)} .fill.sev-warning{background:#d9a441} .fill.sev-info{background:#5b8fd1}
.val{text-align:right;font-variant-numeric:tabular-nums}
table{border-collapse:collapse}
table.list{min-width:60%}
table.list th,table.list td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left}
td.r{text-align:right;font-variant-numeric:tabular-nums}
td.sev-error{color:var(--err);font-weight:600} td.sev-warning{color:var(--warn)} td.sev-info{color:var(--info)}
.links a{font-size:11px;margin-right:3px}
.more{font-size:11px;color:var(--muted)}
section.file h2{display:flex;flex-wrap:wrap;align-items:baseline;gap:10px;border-bottom:2px solid #1f3a5f;padding-bottom:6px}
.dept{font-weight:700}
.path{font:12px ui-monospace,Menlo,Consolas,monospace;color:var(--muted);word-break:break-all}
.badges{margin-left:auto;display:inline-flex;gap:6px}
.badge{font-size:12px;font-weight:600;padding:1px 8px;border-radius:10px;border:1px solid transparent;white-space:nowrap}
.badge.sev-error{color:var(--err);background:var(--err-bg);border-color:#f0b4ae}
.badge.sev-warning{color:var(--warn);background:var(--warn-bg);border-color:#ecd08f}
.badge.sev-info{color:var(--info);background:var(--info-bg);border-color:#b3cdef}
.badge.ok{color:#2e7d32;background:#e8f5e9}
section.project{margin:14px 0 22px}
section.project h3{display:flex;flex-wrap:wrap;align-items:baseline;gap:8px;background:#eef2f7;padding:6px 10px;border-radius:5px}
.pcode{font-size:12px;color:var(--muted)}
table.kv{width:100%;margin:6px 0 10px;font-size:13px}
table.kv th{width:9em;text-align:left;vertical-align:top;padding:4px 8px;background:#f7f8fa;border:1px solid var(--line);font-weight:600;color:#3b4352}
table.kv td{border:1px solid var(--line);padding:4px 8px;vertical-align:top}
td.inner{padding:0}
table.plan td,table.plan th{border:1px solid var(--line);padding:3px 10px;text-align:center;font-weight:normal}
td.stack>div{margin:2px 0}
table.grid{width:100%;font-size:13px;table-layout:auto}
table.grid th{background:#1f3a5f;color:#fff;font-weight:600;padding:6px 8px;border:1px solid #1f3a5f;text-align:left;position:sticky;top:0}
table.grid td{border:1px solid var(--line);padding:5px 8px;vertical-align:top}
table.grid td.n,table.grid th.n{width:2.2em;text-align:right;color:var(--muted)}
table.grid thead th:nth-child(2),table.grid thead th:nth-child(3){min-width:5.5em}
table.grid th.fcol{width:34%}
table.grid tr.flagged td.fcol{background:#fcfcfd}
.flag{position:relative}
.flag.sev-error{background:var(--err-bg);box-shadow:inset 3px 0 0 var(--err)}
.flag.sev-warning{background:var(--warn-bg);box-shadow:inset 3px 0 0 #d9a441}
.flag.sev-info{background:var(--info-bg);box-shadow:inset 3px 0 0 #5b8fd1}
.flag.off{background:none;box-shadow:none}
.flag.off .mark{display:none}
mark{background:none;border-bottom:2px solid;padding:0 1px}
mark.sev-error{border-color:var(--err);background:#f9c9c4} mark.sev-warning{border-color:#d9a441;background:#ffe3a3} mark.sev-info{border-color:#5b8fd1;background:#cfe0f7}
.flag.off mark{background:none;border:0}
.mark{display:inline-block;font-size:10px;line-height:15px;min-width:15px;text-align:center;border-radius:8px;color:#fff;margin-left:3px;vertical-align:super;text-decoration:none;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.mark.sev-error{background:var(--err)} .mark.sev-warning{background:#b8801a} .mark.sev-info{background:var(--info)}
ol.findings{list-style:none;margin:0;padding:0}
li.finding{margin:0 0 6px;padding:4px 8px;border-left:3px solid;border-radius:3px;background:#fff}
li.finding.sev-error{border-color:var(--err)} li.finding.sev-warning{border-color:#d9a441} li.finding.sev-info{border-color:#5b8fd1}
li.finding .num{font-size:11px;color:var(--muted)}
li.finding .sev{font-size:12px;font-weight:700}
li.sev-error .sev{color:var(--err)} li.sev-warning .sev{color:var(--warn)} li.sev-info .sev{color:var(--info)}
a.code{font:600 12px ui-monospace,Menlo,Consolas,monospace;color:#1f3a5f}
.where{font-size:12px;color:var(--muted)}
.msg{margin:2px 0}
.fix{font-size:12.5px;color:#24613a;background:#edf7ef;padding:2px 6px;border-radius:3px;margin-top:2px}
.fix .tag{font-size:11px;color:var(--muted)}
.src code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f4f5f7;padding:1px 4px;white-space:pre-wrap;word-break:break-all}
.note{color:var(--muted)}
.block{margin:8px 0}
details>summary{cursor:pointer;color:var(--muted);margin:4px 0}
#filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:14px;align-items:center;background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:14px 0}
#filters[hidden]{display:none}
#filters label{white-space:nowrap}
#filters output{margin-left:auto;color:var(--muted)}
[hidden]{display:none!important}
article.rule{border-top:1px solid var(--line);padding:8px 0}
article.rule h3{margin:6px 0}
.rname{font:13px ui-monospace,Menlo,Consolas,monospace;color:var(--muted)}
.examples{display:grid;grid-template-columns:1fr 1fr;gap:12px}
pre{font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:8px;border-radius:4px;white-space:pre-wrap;margin:4px 0}
pre.bad{background:var(--err-bg)} pre.good{background:#edf7ef}
.back{font-size:12px}
:target{outline:2px solid #1f3a5f;outline-offset:2px}
@media print{
 body{background:#fff;font-size:10.5pt}
 header{background:none;color:#000;padding:0 0 6pt;border-bottom:1.5pt solid #000}
 #summary,main>section,#rules{margin:0 0 12pt;padding:0;border:0;border-radius:0}
 main>section.file{break-before:page}
 #filters,.back,.links{display:none!important}
 .cards{gap:6pt} .card{min-width:0;padding:4pt 8pt} .card b{font-size:14pt}
 table.grid th{position:static;background:#e8e8e8;color:#000;border-color:#999}
 table.grid td,table.kv td,table.kv th{border-color:#999}
 tr,li.finding,.bar,article.rule{break-inside:avoid}
 thead{display:table-header-group}
 a{color:inherit;text-decoration:none}
 details>*{display:block}
 .flag,mark,.badge,.card,li.finding,.fix{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""

SCRIPT = """<script>
(function(){
  var form=document.getElementById('filters'); if(!form) return;
  form.hidden=false;
  var items=[].slice.call(document.querySelectorAll('li.finding'));
  var cells=[].slice.call(document.querySelectorAll('[data-finds]'));
  var projects=[].slice.call(document.querySelectorAll('section.project,section.file'));
  var out=document.getElementById('shown');
  function apply(){
    var sev={}; [].forEach.call(form.querySelectorAll('input[name=sev]'),function(b){sev[b.value]=b.checked;});
    var rule=form.elements.rule.value, only=form.elements.only.checked, shown={}, n=0;
    items.forEach(function(li){var on=sev[li.getAttribute('data-sev')]&&(!rule||li.getAttribute('data-rule')===rule);li.hidden=!on;if(on){shown[li.id]=1;n++;}});
    cells.forEach(function(td){var on=td.getAttribute('data-finds').split(' ').some(function(id){return shown[id];});td.classList.toggle('off',!on);});
    projects.forEach(function(s){s.hidden=only&&!s.querySelector('li.finding:not([hidden])');});
    out.textContent=out.getAttribute('data-template').replace('{shown}',n).replace('{total}',items.length);
  }
  var q=new URLSearchParams(location.search);
  if(q.get('sev')){var keep=q.get('sev').split(',');[].forEach.call(form.querySelectorAll('input[name=sev]'),function(b){b.checked=keep.indexOf(b.value)>=0;});}
  if(q.get('rule')){form.elements.rule.value=q.get('rule');}
  if(q.get('only')){form.elements.only.checked=true;}
  form.addEventListener('change',apply); form.addEventListener('submit',function(e){e.preventDefault();});
  apply();
})();
</script>"""


def script_hash(script: str) -> str:
    import base64

    body = script.split(">", 1)[1].rsplit("</script>", 1)[0]
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode(
        "ascii"
    )


# The page loads nothing and runs nothing but its own script, even if something slipped past the
# escaping: no network (default-src 'none'), inline styles, the one script by its hash.
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src '{script_hash(SCRIPT)}'; base-uri 'none'; form-action 'none'"
