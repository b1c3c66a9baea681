"""The one error class with a message in both languages (Chinese first, English second)."""

from __future__ import annotations


class BilingualError(Exception):
    """An error the user reads: `zh` and `en` say the same thing; str() is the English."""

    def __init__(self, zh: str, en: str | None = None):
        super().__init__(en or zh)
        self.zh, self.en = zh, en or zh

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh
