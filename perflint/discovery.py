"""Which files a run checks: the paths given, directories walked for goal files, excludes honoured.

- A file named on the command line is checked whatever its suffix (unless `--force-exclude`
  and an exclude matches it, which is what pre-commit needs), except one that is plainly
  another format (below): it is skipped like in a walk, unless `--force` is given or the
  config's own `include` names it.
- A directory is walked (sorted, so runs are reproducible); a file in it is checked when an
  `include` pattern matches it (default `*.yaml`, `*.yml`, `*.txt`, Word and Excel files:
  `*.docx`, `*.docm`, `*.xlsx`, `*.xlsm`, `*.xls`, and `*.doc`, `*.wps`, `*.et`, which get a PF001
  saying how to convert them) and no exclude does. Office lock files (`~$报表.docx`) are skipped.
  Symbolic links to directories are not entered, and a link to a file outside the walked
  directory is not followed (as git and ruff do): a repository cannot make perflint read and
  quote a file elsewhere. A path named on the command line is explicit and is read.
- Excludes are gitignore-style patterns: the config's `exclude` (default: hidden files and
  directories, `node_modules`, `__pycache__`, virtualenvs) plus `extend-exclude`, relative to the
  config file's directory; `--exclude` relative to the working directory; and, inside a git
  repository, its `.gitignore` files and `.git/info/exclude` (`respect-gitignore: false` turns
  that off). perflint's own config files and pre-commit's are never goal files and are skipped.
- While walking, a file whose opening clearly is some other format is skipped: YAML whose
  top-level keys are all ASCII words (docker-compose.yml, a CI workflow) and text without a tab
  row or any goal-table word (requirements.txt, a changelog), and a Word document or workbook
  whose text holds no goal-table word (a letter, a price list). Anything that might be a goal
  file — even empty, broken or binary — is still checked, so it gets its PF001.
- `-` is standard input, named by `--stdin-filename`.

What is skipped, and why, is counted (`Walker.skipped`), so a run that checks nothing can say so.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from perflint.files import MAX_BYTES

DEFAULT_INCLUDE = (
    "*.yaml",
    "*.yml",
    "*.txt",
    "*.docx",
    "*.docm",
    "*.xlsx",
    "*.xlsm",
    "*.xls",
    "*.doc",
    "*.wps",
    "*.et",
)
DEFAULT_EXCLUDE = (".*", "node_modules/", "__pycache__/", "venv/", "site-packages/")
NEVER_GOALS = frozenset(
    (".perflint.yaml", ".perflint.yml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml")
)  # skipped when walking
# filings in a format perflint does not read: counted when a walk passes them, to say so (Word,
# Excel and WPS files are read, or told how to convert, and never land here)
UNREAD_SUFFIXES = (".pdf",)
OTHER_FORMAT = ("内容显然不是目标表", "plainly another format")
EXCLUDED = ("被排除规则（exclude）排除", "excluded by an exclude pattern")


_SNIFF_BYTES = 65536
_ASCII_KEY = re.compile(r"^[A-Za-z_][\w.-]*\s*:", re.MULTILINE)
_TOP_KEY = re.compile(r"^(?:[\"']?)([^\s#:\"'-][^:\"']*?)[\"']?\s*:(?:\s|$)", re.MULTILINE)
_GOAL_WORDS = re.compile("绩效|指标|项目|预算|部门")
_TAB_ROW = re.compile(
    "(?:\\A|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])\t"
)  # a line (as str.splitlines cuts) starting with a tab


def is_other_format(path: str, size: int | None = None) -> bool:
    """Whether a file met while walking is plainly not a goal filing (see the module docstring).
    `size`: the file's size when known (then a short file is read with one call)."""
    if path.lower().endswith(_PACKAGE_SUFFIXES):
        return _other_package(path)
    want = _SNIFF_BYTES if size is None else min(size, _SNIFF_BYTES)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            head = os.read(fd, _SNIFF_BYTES)
            while len(head) < want and (more := os.read(fd, _SNIFF_BYTES - len(head))):
                head += more
        finally:
            os.close(fd)
    except OSError:
        return False  # let the run report it
    if not head.strip() or b"\x00" in head:
        return False
    for codec in ("utf-8", "gb18030"):
        try:
            text = head.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    return is_other_text(path, text)


def is_other_text(path: str, text: str) -> bool:
    """is_other_format for a text already read (an editor's buffer: the language server)."""
    if not text.strip():
        return False
    if text.startswith("\ufeff"):
        text = text[1:]
    if path.lower().endswith((".yaml", ".yml")):
        keys = False
        for match in _TOP_KEY.finditer(text):  # a goal file's first key (部门, 项目 …) decides
            if not _ASCII_KEY.match(match.group(1) + ":"):
                return False
            keys = True
        return keys
    return not _TAB_ROW.search(text) and not _GOAL_WORDS.search(text)


_PACKAGE_SUFFIXES = (".docx", ".docm", ".xlsx", ".xlsm")
# the goal-table words as a package's XML may spell them: UTF-8, or character references (openpyxl
# writes &#32489;&#25928; for 绩效)
_GOAL_WORDS_UTF8 = tuple(
    spelled
    for word in ("绩效", "指标", "项目", "预算", "部门")
    for spelled in (
        word.encode("utf-8"),
        "".join(f"&#{ord(ch)};" for ch in word).encode(),
        "".join(f"&#x{ord(ch):x};" for ch in word).encode(),
        "".join(f"&#x{ord(ch):X};" for ch in word).encode(),
    )
)


def _other_package(path: str) -> bool:
    """Whether a Word / Excel file plainly holds no goal table: a readable package none of whose
    text parts (the document body, a workbook's strings and sheets) has a goal-table word."""
    from perflint.readers.office import OfficeError, Package

    try:
        with open(path, "rb") as handle:
            package = Package(handle.read())
        names = [
            n
            for n in package.names
            if n == "word/document.xml"
            or (
                n.startswith("xl/")
                and n.endswith(".xml")
                and ("sharedStrings" in n or "/worksheets/" in n)
            )
        ]
        if not names:
            return False
        return not any(
            any(word in package.read(name) for word in _GOAL_WORDS_UTF8) for name in names
        )
    except (OSError, OfficeError):
        return False  # let the run report it


@dataclass(frozen=True)
class Item:
    path: str  # as shown in output (relative paths stay relative)
    config: object  # the Config that governs it
    kind: str = "file"  # "file", "stdin", "missing" or "special" (see _kind)


def _kind(path: str) -> str:
    """ "file" for a regular file within the size limit; "special" for a pipe, device or socket
    (reading could block or never end) or a file above the limit: the command line reports those
    itself, without reading them whole."""
    import stat

    try:
        info = os.stat(path)
    except OSError:
        return "file"  # vanished or unreadable: reading it reports why
    return "file" if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_BYTES else "special"


@cache
def _spec(patterns: tuple[str, ...]):
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(patterns)


def _under(path: str, base: str) -> str | None:
    """What os.path.relpath(path, base) gives for an absolute, normalised path and base, without
    its system calls and string juggling (POSIX: names compare byte for byte); None: not known."""
    if os.name != "posix" or not base.startswith("/"):
        return None
    prefix = base if base.endswith("/") else base + "/"
    if path.startswith(prefix):
        return path[len(prefix) :] or os.curdir
    if path == base:
        return os.curdir
    if "//" in base or "/./" in base or "/../" in base or base.endswith(("/.", "/..")):
        return None  # not normalised
    return os.pardir  # outside: relpath climbs out first


def _rel(path: str, base: str) -> str | None:
    """`path` relative to `base` ("/"-separated; both absolute and normalised), or None when it
    is not inside it."""
    relative = _under(path, base)
    if relative is None:
        relative = os.path.relpath(path, base)
    if relative == os.curdir or relative.startswith(os.pardir):
        return None
    return relative.replace(os.sep, "/")


def _matches(patterns: tuple[str, ...], path: str, base: str, is_dir: bool) -> bool:
    if not patterns:
        return False
    relative = _rel(path, base)
    if relative is None:
        relative = os.path.basename(path)
    return _spec(patterns).match_file(relative + "/" if is_dir else relative)


class GitIgnores:
    """`.gitignore` files (and `.git/info/exclude`) of the git repositories the walk enters."""

    def __init__(self):
        self._roots: dict[str, str | None] = {}
        self._files: dict[str, tuple[str, ...]] = {}

    def repo_root(self, directory: str) -> str | None:
        if directory in self._roots:
            return self._roots[directory]
        if os.path.exists(os.path.join(directory, ".git")):
            root = directory
        else:
            parent = os.path.dirname(directory)
            root = None if parent == directory else self.repo_root(parent)
        self._roots[directory] = root
        return root

    def _patterns(self, file: str) -> tuple[str, ...]:
        if file not in self._files:
            try:
                with open(file, encoding="utf-8", errors="replace") as handle:
                    self._files[file] = tuple(handle.read().splitlines())
            except OSError:
                self._files[file] = ()
        return self._files[file]

    def ignored(self, path: str, is_dir: bool) -> bool:
        parent = os.path.dirname(path)
        root = self.repo_root(parent)
        if root is None:
            return False
        if _matches(
            self._patterns(os.path.join(root, ".git", "info", "exclude")), path, root, is_dir
        ):
            return True
        directory = parent
        chain = []
        while True:
            chain.append(directory)
            if directory == root:
                break
            up = os.path.dirname(directory)
            if up == directory:
                break
            directory = up
        return any(
            _matches(self._patterns(os.path.join(d, ".gitignore")), path, d, is_dir)
            for d in reversed(chain)
        )


class Walker:
    def __init__(
        self,
        config_for: Callable[[str], object],
        cli_exclude: tuple[str, ...] = (),
        force_exclude: bool = False,
        force: bool = False,
    ):
        self.config_for = config_for  # directory → Config
        self.cli_exclude = tuple(cli_exclude)
        self.force_exclude = force_exclude
        self.force = force  # check named files even when they are plainly another format
        self.skipped: Counter = Counter()  # (zh reason, en reason) → files
        self.gitignores = GitIgnores()
        self.cwd = os.getcwd()
        self._patterns: dict[
            int, tuple
        ] = {}  # id(config) → (config, exclude, include, respect-gitignore)

    def _config_patterns(self, config) -> tuple:
        found = self._patterns.get(id(config))
        if found is None or found[0] is not config:
            exclude = tuple(config.get("exclude", DEFAULT_EXCLUDE)) + tuple(
                config.get("extend-exclude", ())
            )
            include = tuple(config.get("include", DEFAULT_INCLUDE))
            found = self._patterns[id(config)] = (
                config,
                exclude,
                include,
                bool(config.get("respect-gitignore", True)),
            )
        return found

    def excluded(self, path: str, is_dir: bool, config) -> bool:
        return self._excluded(os.path.abspath(path), is_dir, config)

    def _excluded(self, path: str, is_dir: bool, config) -> bool:
        """excluded() of an absolute, normalised path."""
        _, exclude, _, gitignore = self._config_patterns(config)
        if _matches(exclude, path, config.root, is_dir):
            return True
        if _matches(self.cli_exclude, path, self.cwd, is_dir):
            return True
        return gitignore and self.gitignores.ignored(path, is_dir)

    def included(self, path: str, config) -> bool:
        return _matches(self._config_patterns(config)[2], os.path.abspath(path), config.root, False)

    def items(self, paths, stdin_filename: str | None = None) -> list[Item]:
        found: dict[str, Item] = {}
        for given in paths:
            if given == "-":
                name = stdin_filename or "-"
                directory = os.path.dirname(os.path.abspath(name)) if stdin_filename else self.cwd
                config = self.config_for(directory)
                if not (
                    self.force_exclude and stdin_filename and self.excluded(name, False, config)
                ):
                    found.setdefault("-", Item(name, config, "stdin"))
                continue
            shown = _shown(given)
            absolute = os.path.abspath(given)
            if os.path.isdir(absolute):
                config = self.config_for(absolute)
                if self.force_exclude and self.excluded(absolute, True, config):
                    continue
                for path, absolute_path, governing, kind in self._walk(shown):
                    found.setdefault(absolute_path, Item(path, governing, kind))
            elif os.path.exists(absolute):
                config = self.config_for(os.path.dirname(absolute))
                if self.force_exclude and self.excluded(absolute, False, config):
                    self.skipped[EXCLUDED] += 1
                    continue
                kind = _kind(absolute)
                if kind == "file" and not self.force and self._plainly_not_a_goal(absolute, config):
                    self.skipped[OTHER_FORMAT] += 1
                    continue
                found.setdefault(absolute, Item(shown, config, kind))
            else:
                config = self.config_for(
                    os.path.dirname(absolute)
                    if os.path.isdir(os.path.dirname(absolute))
                    else self.cwd
                )
                found.setdefault(absolute, Item(shown, config, "missing"))
        return sorted(found.values(), key=lambda item: item.path)

    def _plainly_not_a_goal(self, path: str, config) -> bool:
        """A named file that a walk would skip as another format, and that the config's own
        `include` (when it sets one) does not name."""
        if "include" in config.values and self.included(path, config):
            return False
        if not path.lower().endswith(
            (".yaml", ".yml", ".txt")
        ):  # a plugin's reader may claim other suffixes
            return False
        return os.path.basename(path) in NEVER_GOALS or is_other_format(path)

    def _walk(self, top: str):
        """(shown path, absolute path, governing config, kind) of the goal files under `top`."""
        import stat

        root = os.path.realpath(top)
        for directory, dirs, files in os.walk(top, followlinks=False):
            absolute_dir = os.path.abspath(directory)
            config = self.config_for(absolute_dir)
            inside = _slash(absolute_dir)  # + a name: os.path.join, quicker
            shown_inside = _slash(directory)
            dirs[:] = sorted(d for d in dirs if not self._excluded(inside + d, True, config))
            include = self._config_patterns(config)[2]
            for name in sorted(files):
                if name in NEVER_GOALS or name.startswith("~$"):  # ~$: an open Office file's lock
                    continue
                absolute = inside + name
                if not _matches(include, absolute, config.root, False):
                    suffix = os.path.splitext(name)[1].lower()
                    if suffix in UNREAD_SUFFIXES and not name.startswith("~$"):
                        self.skipped[
                            (f"{suffix} 格式不受支持", f"{suffix} is not a format perflint reads")
                        ] += 1
                    continue
                if self._excluded(absolute, False, config):
                    continue
                try:
                    info = os.lstat(absolute)
                    if stat.S_ISLNK(info.st_mode):
                        if not _inside(absolute, root):
                            continue  # a link out of the walked tree is not followed (as git and ruff)
                        info = os.stat(absolute)
                except OSError:
                    continue  # gone, or a dangling link: not a file (as os.path.isfile says)
                if not stat.S_ISREG(info.st_mode):
                    continue
                if is_other_format(absolute, info.st_size):
                    self.skipped[OTHER_FORMAT] += 1
                    continue
                yield (
                    _shown(shown_inside + name),
                    absolute,
                    config,
                    "file" if info.st_size <= MAX_BYTES else "special",
                )


def _inside(path: str, root: str) -> bool:
    """Whether `path`, its links followed, is a file inside the directory `root` (real path)."""
    real = os.path.realpath(path)
    try:
        return os.path.commonpath([real, root]) == root and real != root
    except ValueError:  # another drive
        return False


def _slash(directory: str) -> str:
    """`directory` ready for a name to be appended, as os.path.join would join them."""
    return (
        directory
        if directory.endswith((os.sep, os.altsep or os.sep)) or not directory
        else directory + os.sep
    )


def _shown(path: str) -> str:
    """A path as output shows it: normalised, relative to the working directory when inside it."""
    normal = os.path.normpath(path)
    if os.path.isabs(normal):
        relative = _under(normal, os.getcwd()) or os.path.relpath(normal)
        if not relative.startswith(os.pardir):
            return relative
    return normal
