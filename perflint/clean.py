"""`perflint clean`: remove perflint's result caches, as `ruff clean` does.

Only a directory that perflint made is removed: one whose CACHEDIR.TAG says so. A directory
of that name that is not a perflint cache is left alone and named in the output.
"""

from __future__ import annotations

import os

from perflint.cache import DEFAULT_DIR
from perflint.cache import is_perflint_cache as _made_by_perflint


def is_perflint_cache(directory: str) -> bool:
    """True when `directory` (not a link) is perflint's: its CACHEDIR.TAG says so, or it is empty."""
    return not os.path.islink(directory) and _made_by_perflint(directory)


def caches_under(root: str, named: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(perflint caches, same-named directories that are not perflint's) in `named` and below `root`.

    The walk does not enter .git, links or the caches themselves.
    """
    found, foreign, seen = [], [], set()

    def consider(path: str) -> None:
        path = os.path.abspath(path)
        if path in seen or not os.path.lexists(path):
            return
        seen.add(path)
        (found if is_perflint_cache(path) else foreign).append(path)

    for path in named:
        consider(path)
    for directory, subdirs, _ in os.walk(root):
        kept = []
        for name in subdirs:
            full = os.path.join(directory, name)
            if name == DEFAULT_DIR:
                consider(full)
            elif name != ".git" and not os.path.islink(full):
                kept.append(name)
        subdirs[:] = kept
    return found, foreign
