"""The hooks a perflint plugin may implement. Built-ins use the very same hooks (see `lib.py`).

A plugin is a module or object with `@hookimpl` functions, exposed through the entry-point
group `perflint` (in pyproject.toml: `[project.entry-points.perflint] myprov = "myprov.plugin"`).
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("perflint")
hookimpl = pluggy.HookimplMarker("perflint")


@hookspec
def perflint_rule_paths():
    """Return rule files or directories of rule files (`<CODE>-<name>.yaml`) this plugin ships."""


@hookspec
def perflint_predicates():
    """Return {name: function(ctx, **args) -> bool | dict} for `call:` conditions; pure functions only."""


@hookspec
def perflint_taxonomy_paths():
    """Return directories holding taxonomy profile files (`<profile>.yaml`)."""


@hookspec
def perflint_lexicon():
    """Return {"vague": [...], "grades": [...]} to extend the value lexicon."""


@hookspec
def perflint_readers(forms):
    """Return {suffix: read(path, text) -> ReadResult} for source formats (e.g. {".txt": read_text}).

    `forms` is the vocabulary of tables (the package's and every plugin's `perflint_forms`), for a
    reader that interprets tables; an implementation that does not name it is not given it."""


@hookspec
def perflint_formatters():
    """Return {name: format(diagnostics, options) -> str} for `--format NAME`."""


@hookspec
def perflint_forms():
    """Return forms files (or directories of them) in the form of `rules/forms/forms.yaml`: the
    titles, labels, header words, category spellings and trailer words of a province's tables."""
