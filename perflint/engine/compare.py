"""Text comparisons shared by compiled conditions and predicates, with their work bounds."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)

# Work bounds against hostile cells (a 1 MB line): a regex sees a cell's first MAX_MATCHED
# characters, similar_to compares the first MAX_COMPARED (after normalising). Real cells are
# well under both.
MAX_MATCHED = 2000
MAX_COMPARED = 1000


@lru_cache(maxsize=65536)
def normalise_text(text: str | None) -> str:
    """For comparisons: NFKC (full width → half width), no whitespace or punctuation."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def contains(words: tuple, text) -> bool:
    """`contains:` — any of the words is in the text (None is empty)."""
    text = text or ""
    return any(word in text for word in words)


def similar(a: str, b: str, ratio: float) -> bool:
    """`similar_to:` on two normalised texts, each cut to its first MAX_COMPARED characters
    (difflib is quadratic in the worst case)."""
    a, b = a[:MAX_COMPARED], b[:MAX_COMPARED]
    if not a or not b or 2 * min(len(a), len(b)) < ratio * (len(a) + len(b)):
        return False  # the lengths alone rule the ratio out
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= ratio and matcher.ratio() >= ratio
