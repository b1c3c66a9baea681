"""The built-in plugin: perflint's own rules, predicates, taxonomy, readers and formatters."""

from __future__ import annotations

from functools import partial

from perflint.engine.predicates import PREDICATES
from perflint.engine.repository_checks import REPOSITORY_PREDICATES
from perflint.engine.weights import WEIGHT_PREDICATES
from perflint.formats import builtin_formatters
from perflint.plugins.hookspecs import hookimpl
from perflint.readers.text_reader import read_text
from perflint.readers.yaml_reader import read_yaml
from perflint.resources import data_dir


@hookimpl
def perflint_rule_paths():
    return [data_dir("rules")]


@hookimpl
def perflint_predicates():
    return {**PREDICATES, **WEIGHT_PREDICATES, **REPOSITORY_PREDICATES}


@hookimpl
def perflint_readers(forms):
    return {".yaml": read_yaml, ".yml": read_yaml, ".txt": partial(read_text, forms=forms)}


@hookimpl
def perflint_formatters():
    return builtin_formatters()
