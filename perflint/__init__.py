"""perflint: a linter for Chinese budget performance goal filings (预算绩效目标表)."""

__version__ = "0.1.0"

# Where rule documentation is published: docs/rules.md rendered at this address, with the same
# anchors (#pf401-basis-missing). Used for JSON `url` and SARIF `helpUri`.
DOCS_URL = "https://perflint.readthedocs.io/zh/latest/"


def rule_url(code: str, name: str) -> str:
    return f"{DOCS_URL}rules/#{code.lower()}-{name}"
