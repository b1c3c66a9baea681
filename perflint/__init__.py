"""perflint: a linter for Chinese budget performance goal filings (预算绩效目标表)."""

__version__ = "0.1.0"
