"""Configuration files: find the one that governs a file, read it, and check every key.

Like ruff, the nearest of `.perflint.yaml` (or `.perflint.yml`), `perflint.toml` and a
`pyproject.toml` with a `[tool.perflint]` table, walking up from the file's directory, applies
(in that order of preference within one directory). `--config FILE` names one for every file;
`--isolated` ignores them all. Every key is documented in docs/configuration.md.

A wrong key or a value of the wrong type is a `ConfigError` naming the file and line.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from perflint.config_lines import locate
from perflint.diagnostics import Message
from perflint.errors import BilingualError
from perflint.selection import Layer, is_selector
from perflint.source import text_codec

CONFIG_NAMES = (".perflint.yaml", ".perflint.yml", "perflint.toml", "pyproject.toml")
LEVELS = ("error", "warning", "info")
LANGS = ("zh", "en")


class ConfigError(Exception):
    def __init__(self, path: str, line: int, message: Message, col: int = 1):
        super().__init__(f"{path}:{line}:{col}: {message.en}")
        self.path, self.line, self.col, self.message = path, line, col, message

    def render(self, lang: str = "zh") -> str:
        path = self.path
        if os.path.isabs(path):
            relative = os.path.relpath(path)
            path = path if relative.startswith(os.pardir) else relative
        return f"{path}:{self.line}:{self.col}: {self.message.get(lang)}"


# -- value checkers: each returns the normalised value or raises _Bad(zh, en)


class _Bad(BilingualError):
    def __init__(self, zh: str, en: str, at: tuple = ()):
        super().__init__(zh, en)
        self.at = at


def _kind(value) -> tuple[str, str]:
    names = {
        bool: ("布尔值", "a boolean"),
        int: ("整数", "an integer"),
        float: ("数字", "a number"),
        str: ("文本", "a string"),
        list: ("列表", "a list"),
        dict: ("映射", "a mapping"),
        type(None): ("空值", "null"),
    }
    return names.get(type(value), (type(value).__name__, type(value).__name__))


def _string(value, what_zh="文本", what_en="a string"):
    if not isinstance(value, str):
        zh, en = _kind(value)
        raise _Bad(f"应为{what_zh}，实际为{zh}", f"must be {what_en}, found {en}")
    return value


def _strings(value, selector: bool = False) -> tuple[str, ...]:
    """A list of strings; one string is also accepted (split at commas)."""
    if isinstance(value, str):
        value = [part for part in re.split(r"\s*,\s*", value.strip()) if part]
    if not isinstance(value, list):
        zh, en = _kind(value)
        raise _Bad(f"应为列表，实际为{zh}", f"must be a list, found {en}")
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            zh, en = _kind(item)
            raise _Bad(
                f"第 {index + 1} 项应为文本，实际为{zh}",
                f"item {index + 1} must be a string, found {en}",
                (index,),
            )
        if selector:
            _selector(item, (index,))
        out.append(item.strip())
    return tuple(out)


def _selector(text: str, at: tuple = ()) -> str:
    if not is_selector(text.strip()):
        raise _Bad(
            f"“{text}”不是规则代码、代码前缀或规则名（如 PF401、PF4、basis-missing、ALL）",
            f"{text!r} is not a rule code, code prefix or rule name (e.g. PF401, PF4, basis-missing, ALL)",
            at,
        )
    return text.strip()


def _selectors(value):
    return _strings(value, selector=True)


def _choice(choices):
    def check(value):
        if value not in choices:
            raise _Bad(
                f"应为 {'、'.join(choices)} 之一，实际为 {value!r}",
                f"must be one of {', '.join(choices)}, found {value!r}",
            )
        return value

    return check


def _bool(value):
    if not isinstance(value, bool):
        zh, en = _kind(value)
        raise _Bad(f"应为 true 或 false，实际为{zh}", f"must be true or false, found {en}")
    return value


def _mapping(value):
    if not isinstance(value, dict):
        zh, en = _kind(value)
        raise _Bad(f"应为映射，实际为{zh}", f"must be a mapping, found {en}")
    return value


def _severity(value):
    out = []
    for key, level in _mapping(value).items():
        key = _selector(str(key), (key,))
        if level not in LEVELS:
            raise _Bad(
                f"{key} 的级别应为 error、warning 或 info，实际为 {level!r}",
                f"the level of {key} must be error, warning or info, found {level!r}",
                (key,),
            )
        out.append((key, level))
    return tuple(out)


def _per_file_ignores(value):
    out = []
    for pattern, codes in _mapping(value).items():
        if not isinstance(pattern, str):
            raise _Bad("键应为文件模式（glob）", "keys must be file patterns (globs)", (pattern,))
        try:
            out.append((pattern, _strings(codes, selector=True)))
        except _Bad as bad:
            raise _Bad(
                f"“{pattern}”：{bad.zh}", f"{pattern!r}: {bad.en}", (pattern, *bad.at)
            ) from None
    return tuple(out)


def _params(value):
    out = {}
    for code, table in _mapping(value).items():
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2,}[0-9]{3,4}", code):
            raise _Bad(
                f"键“{code}”应为规则代码（如 PF306）",
                f"key {code!r} must be a rule code (e.g. PF306)",
                (code,),
            )
        if not isinstance(table, dict):
            zh, en = _kind(table)
            raise _Bad(
                f"{code} 的参数应为映射（参数名: 值），实际为{zh}",
                f"the params of {code} must be a mapping (name: value), found {en}",
                (code,),
            )
        for name, item in table.items():
            if isinstance(item, (dict, list)) or item is None:
                zh, en = _kind(item)
                raise _Bad(
                    f"{code}.{name} 应为数字、文本或布尔值，实际为{zh}",
                    f"{code}.{name} must be a number, string or boolean, found {en}",
                    (code, name),
                )
        out[code] = dict(table)
    return out


def _encoding(value):
    _string(value)
    try:
        text_codec(value)  # the same codecs as --encoding
    except ValueError as error:
        raise _Bad(*error.args) from None
    return value


def _cache_dir(value):
    """A directory inside the project root: a repository's config must not make perflint
    write elsewhere (see perflint.cache)."""
    _string(value)
    normal = os.path.normpath(value.replace("\\", "/"))
    if (
        not value.strip()
        or os.path.isabs(value)
        or os.path.splitdrive(value)[0]
        or normal == os.curdir
        or normal.split(os.sep)[0] == os.pardir
    ):
        raise _Bad(
            f"缓存目录 {value!r} 应在项目根目录之内（相对于配置文件所在目录，不含 ..）；项目之外的目录请用 --cache-dir 或 PERFLINT_CACHE_DIR 指定",
            f"cache-dir {value!r} must stay inside the project root (relative to the config file, no ..); "
            "name a directory elsewhere with --cache-dir or PERFLINT_CACHE_DIR",
        )
    return value


KEYS = {
    "select": _selectors,
    "extend-select": _selectors,
    "ignore": _selectors,
    "severity": _severity,
    "per-file-ignores": _per_file_ignores,
    "profile": _string,
    "params": _params,
    "disable-plugins": _strings,
    "exclude": _strings,
    "extend-exclude": _strings,
    "include": _strings,
    "respect-gitignore": _bool,
    "fail-level": _choice(LEVELS),
    "lang": _choice(LANGS),
    "encoding": _encoding,
    "output-format": _string,
    "cache-dir": _cache_dir,
    "same-project": _choice(("code-or-name", "code", "name")),
}


@dataclass(frozen=True)
class Config:
    path: str | None  # None: the defaults (no config file)
    root: str  # the directory patterns in the file are relative to
    values: dict = field(default_factory=dict)
    text: str = ""

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def line_of(self, *keys) -> int:
        """The line of a key (path) in the file, for messages; 1 when it cannot be told."""
        if self.path is None:
            return 1
        return locate(self.path, self.text, keys)

    def error(self, keys: tuple, zh: str, en: str) -> ConfigError:
        return ConfigError(self.path or "<config>", self.line_of(*keys), Message(zh, en))

    def layer(self):
        root = self.root
        return Layer(
            select=self.values.get("select"),
            extend_select=self.values.get("extend-select", ()),
            ignore=self.values.get("ignore", ()),
            severity=self.values.get("severity", ()),
            per_file_ignores=tuple(
                (p, codes, root) for p, codes in self.values.get("per-file-ignores", ())
            ),
        )

    def ruleset_key(self) -> tuple:
        params = self.values.get("params") or {}
        frozen = tuple(
            sorted((code, tuple(sorted(table.items()))) for code, table in params.items())
        )
        return (
            self.values.get("profile", "auto"),
            frozen,
            tuple(sorted(self.values.get("disable-plugins", ()))),
        )


def default_config(root: str | None = None) -> Config:
    return Config(None, root or os.getcwd())


# -- reading


def load_config(path: str | os.PathLike) -> Config:
    """Read and check a config file; ConfigError on any problem."""
    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(
            path,
            1,
            Message(
                f"无法读取配置文件：{error.strerror or error}",
                f"cannot read config file: {error.strerror or error}",
            ),
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            path, 1, Message("配置文件应为 UTF-8 编码", "a config file must be UTF-8")
        ) from None
    name = os.path.basename(path)
    if name.endswith(".toml"):
        raw = _read_toml(path, text, pyproject=name == "pyproject.toml")
    else:
        raw = _read_yaml(path, text)
    config = Config(path, os.path.dirname(os.path.abspath(path)), {}, text)
    return Config(config.path, config.root, _check(config, raw), text)


def _read_yaml(path: str, text: str) -> dict:
    import yaml

    from perflint.yamlutil import SafeLoader

    try:
        raw = yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(
            path, line, Message(f"YAML 语法错误：{problem}", f"YAML syntax error: {problem}"), col
        ) from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(
            path,
            1,
            Message(
                "配置文件顶层应为映射（键: 值）",
                "the top level of a config file must be a mapping (key: value)",
            ),
        )
    duplicate = _duplicate_key(text)
    if duplicate is not None:
        line, col, key = duplicate
        raise ConfigError(path, line, Message(f"重复的键“{key}”", f"duplicate key {key!r}"), col)
    return raw


def _duplicate_key(text: str) -> tuple[int, int, str] | None:
    """(line, column, key) of the first key repeated in a mapping (YAML keeps the last one silently)."""
    import yaml

    from perflint.yamlutil import SafeLoader

    stack, visited = [yaml.compose(text, Loader=SafeLoader)], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in visited:  # an alias is visited once
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        return key.start_mark.line + 1, key.start_mark.column + 1, key.value
                    keys.add(key.value)
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _read_toml(path: str, text: str, pyproject: bool) -> dict:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+), column (\d+)", str(error))
        line, col = (int(found[1]), int(found[2])) if found else (1, 1)
        raise ConfigError(
            path, line, Message(f"TOML 语法错误：{error}", f"TOML syntax error: {error}"), col
        ) from None
    if pyproject:
        data = data.get("tool", {}).get("perflint", {})
    return data


def _check(config: Config, raw: dict) -> dict:
    values = {}
    for key, value in raw.items():
        if key not in KEYS:
            close = difflib.get_close_matches(str(key).replace("_", "-"), KEYS, n=1)
            hint_zh = f"，是否应为“{close[0]}”？" if close else f"；可用的键：{'、'.join(KEYS)}"
            hint_en = (
                f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(KEYS)}"
            )
            raise config.error(
                (key,), f"未知的配置键“{key}”{hint_zh}", f"unknown config key {key!r}{hint_en}"
            )
        try:
            values[key] = KEYS[key](value)
        except _Bad as bad:
            raise config.error((key, *bad.at), f"“{key}”{bad.zh}", f"{key!r} {bad.en}") from None
    return values


# -- discovery


def _has_perflint_table(path: Path) -> bool:
    """Whether a pyproject.toml configures perflint. One that mentions tool.perflint but is not
    UTF-8 counts, so that loading it gives the same clear error as a non-UTF-8 .perflint.yaml."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return b"tool.perflint" in data
    return (
        bool(re.search(r"^\s*\[+\s*tool\.perflint\b", text, re.MULTILINE))
        or "tool.perflint" in text
        and _toml_has(text)
    )


def _toml_has(text: str) -> bool:
    import tomllib

    try:
        return "perflint" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return False


class Finder:
    """The nearest config file for a directory, walking up; cached per directory."""

    def __init__(self):
        self._by_dir: dict[str, str | None] = {}

    def config_path(self, directory: str) -> str | None:
        directory = os.path.abspath(directory)
        chain = []
        found = None
        current = directory
        while True:
            if current in self._by_dir:
                found = self._by_dir[current]
                break
            chain.append(current)
            found = _config_in(current)
            if found is not None:
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for d in chain:
            self._by_dir[d] = found
        return found


def _config_in(directory: str) -> str | None:
    for name in CONFIG_NAMES:
        candidate = Path(directory, name)
        if candidate.is_file():
            if name == "pyproject.toml" and not _has_perflint_table(candidate):
                continue
            return str(candidate)
    return None
