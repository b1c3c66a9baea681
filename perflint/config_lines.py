"""Where a key of a config file is written (its line), so that a message can point at it."""

from __future__ import annotations

import re


def locate(path: str, text: str, keys: tuple) -> int:
    """The line of the key path `keys` in a config file's text (1 when it cannot be told)."""
    keys = tuple(str(k) for k in keys if not isinstance(k, int))
    if not keys:
        return 1
    if path.endswith(".toml"):
        return _locate_toml(text, keys)
    return _locate_yaml(text, keys)


def _locate_yaml(text: str, keys: tuple) -> int:
    import yaml  # (a config file's messages only: PyYAML is not loaded for a TOML config)

    from perflint.yamlutil import SafeLoader

    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return 1
    line = 1
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        for key_node, value_node in node.value:
            if str(key_node.value) == key:
                line = key_node.start_mark.line + 1
                node = value_node
                break
        else:
            break
    return line


def _locate_toml(text: str, keys: tuple) -> int:
    lines = text.splitlines()
    start = 0
    for number, line in enumerate(lines):
        if re.match(r"^\s*\[+\s*tool\.perflint\b", line):
            start = number
            break
    best = start + 1 if start else 1
    for key in keys:
        pattern = re.compile(
            r"""(?:^|[\s{,.\[])["']?""" + re.escape(key) + r"""["']?\s*(?:=|\]|\.)"""
        )
        for number in range(start, len(lines)):
            if pattern.search(lines[number]):
                best, start = number + 1, number
                break
    return best
