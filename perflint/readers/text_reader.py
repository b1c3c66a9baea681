"""Reader for the text export of a goal filing (the form of `shared/seeds/*.txt`).

Two steps, as for every tabular source: `perflint.readers.text_grid` turns the text into a
`Grid` (cells located by line and column), and `perflint.readers.interpret` turns the grid
into a Filing. docs/text-export.md describes the forms it reads.
"""

from __future__ import annotations

from perflint.readers import ReadResult
from perflint.readers.forms import Forms
from perflint.readers.interpret import read_grid_text


def read_text(path: str, text: str, forms: Forms | None = None) -> ReadResult:
    """Read a text export into a Filing (PF001 findings for what cannot be read); `forms` is the
    vocabulary (default: the package's; the registered reader passes the plugins' too)."""
    return read_grid_text(path, text, forms)
