"""perflint: a linter for Chinese budget performance goal filings (预算绩效目标表).

Installed as the distribution `perflint-goals` (the name `perflint` on PyPI belongs to an
unrelated project); the import package and the command are `perflint`.
"""

__version__ = "0.1.0"

# The project's home. Rule pages are docs/rules.md there, one heading per rule (GitHub makes the
# anchor #pf401-basis-missing from "## PF401 basis-missing"); `perflint rule CODE` prints the
# same page offline. Used for JSON `url`, SARIF `helpUri` and the goal schema's address.
HOME_URL = "https://github.com/perflint/perflint"
DOCS_URL = f"{HOME_URL}/blob/main/docs/"
SCHEMA_URL = (
    "https://raw.githubusercontent.com/perflint/perflint/main/perflint/schema/goal.schema.json"
)


def rule_url(code: str, name: str) -> str:
    return f"{DOCS_URL}rules.md#{code.lower()}-{name}"
