"""`--format html`: the report a reviewer reads — one self-contained page (docs/reports.md).

At the top a summary (files, projects, findings by severity, a bar chart by rule, departments,
the projects with most errors); then a section per file, department first, with each project's
table as filed (information rows and the indicator grid, merged category cells merged again),
every flagged cell marked by severity and numbered, and its findings beside its row (message,
rule code linked to the rule's page in the appendix, suggested fix); the appendix holds the
page of every rule that was found. Filters by severity and rule are a small inline script
(also set from the address: `report.html?sev=error,warning&rule=PF401&only=1`); with scripts
off the page shows every finding and no filter bar. There is no external reference of any kind
(no network on a reviewer's machine): styles and script are inline, links are fragments, and a
Content-Security-Policy forbids loading anything and running any script but the page's own.

Every piece of file text (cells, names, paths, messages that quote them) is escaped.

It streams: a file's section is rendered where the file is linted (it needs the file's Filing,
which does not leave the worker) and kept in its cache entry like the other formats' text; the
parent keeps counters only. The summary comes first on the page (what a reviewer reads first,
in print and for a screen reader too), but it is known only at the end, so the sections are
spooled to a temporary file (in memory up to 8 MiB) and copied out after the summary.

The package: `writer` (the page a file at a time, the entry points), `section` (a file's
section: the filing and project tables), `rules` (chart, filters, appendix), `page` (head,
styles, script, CSP), `labels` (the words), `escape` (text into HTML); where a finding sits in
its Filing is perflint/formats/placement.py, shared with the Excel report.
"""

from perflint.formats.html.escape import anchor
from perflint.formats.html.page import CSP
from perflint.formats.html.writer import HtmlWriter, format_html, read_filing, stream_html

__all__ = ["CSP", "HtmlWriter", "anchor", "format_html", "read_filing", "stream_html"]
