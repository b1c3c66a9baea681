"""Text into HTML: every piece of file text (cells, names, paths, messages quoting them) goes
through `esc`, in element content and in attributes alike; `anchor` makes ids from paths."""

from __future__ import annotations

import hashlib
from html import escape


def esc(text) -> str:
    """Text as HTML (quotes too, so it is safe in an attribute)."""
    return escape(str(text), quote=True)


def anchor(path: str) -> str:
    """A file section's id: from its path (the same in every run, so a cached section links right)."""
    return "f" + hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def cell_html(text: str) -> str:
    return esc(text).replace("\n", "<br>")


def clip(text: str, size: int = 240) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
