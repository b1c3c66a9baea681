"""Where perflint's data (rules/, grammar/) lives: inside the wheel, or in the checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The directory `rules` or `grammar`: `perflint/_data/<name>` in a wheel, `<repo>/<name>` in a checkout."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"perflint data directory {name!r} not found (broken installation?)")


def data_file(*parts: str) -> Path:
    """A file under `rules/` or `grammar/`, e.g. data_file("grammar", "units.yaml")."""
    return data_dir(parts[0]).joinpath(*parts[1:])
