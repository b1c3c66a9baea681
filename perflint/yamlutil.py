"""Safe YAML loading for perflint's own data (rules, taxonomy, units, config): libyaml when present."""

from __future__ import annotations

from pathlib import Path

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
StringLoader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def load_yaml_text(text: str, strings: bool = False):
    """Parse trusted-shape YAML with a safe loader (never executes tags); `strings`: every scalar as str."""
    return yaml.load(text, Loader=StringLoader if strings else SafeLoader)


def load_yaml_file(path: Path):
    with open(path, encoding="utf-8") as handle:
        return load_yaml_text(handle.read())
