"""The command line meets broken input: a finding or one clear message, never a traceback, a hang
or a file it was not asked to change. Runs the installed `perflint` command for real.

Exit codes (docs): 0 clean, 1 findings (a PF001 is a finding), 2 usage error, unreadable
configuration or internal error.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import perflint_command
from robust_helpers import REPO, seeds

from perflint.files import MAX_BYTES

SEEDS = seeds()
SEED_YAML = SEEDS.get("huailai-xinfang-2024.yaml", b"")
TIMEOUT = 60  # a hang fails the test instead of the suite


def perflint(
    *args, cwd, env=None, input=None, stdin=None, timeout=TIMEOUT
) -> subprocess.CompletedProcess:
    """`perflint ARGS` (no result cache unless asked); decoded .out/.err; no traceback."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "PERFLINT_DEBUG")
    }
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *(env or {}).pop("PYTHONPATH", "").split(os.pathsep)]
    ).rstrip(os.pathsep)
    full_env.update(env or {})
    if "--cache" not in args and args and args[0] == "check":
        args = (*args, "--no-cache")
    result = subprocess.run(
        [*perflint_command(), *args],
        cwd=cwd, env=full_env, input=input, stdin=stdin, capture_output=True, timeout=timeout, check=False,
    )  # fmt: skip
    result.out = result.stdout.decode("utf-8", "replace")
    result.err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err
    return result


def in_process(code: str, cwd, env=None, timeout=TIMEOUT) -> subprocess.CompletedProcess:
    """A Python snippet that patches something, then runs perflint's main, in a fresh process."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO))
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    result.out = result.stdout.decode("utf-8", "replace")
    result.err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in result.err, result.err
    return result


def snapshot(directory: Path) -> dict:
    """Every file's content hash and mtime (symlinks not followed)."""
    found = {}
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if d != ".perflint_cache"]
        for name in files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    found[path] = (hashlib.sha256(handle.read()).hexdigest(), info.st_mtime_ns)
            else:
                found[path] = (
                    stat.S_IFMT(info.st_mode),
                    os.readlink(path) if stat.S_ISLNK(info.st_mode) else None,
                )
    return found


@pytest.fixture
def repo(tmp_path):
    """A filings directory with one good seed in it."""
    (tmp_path / "good.yaml").write_bytes(SEED_YAML)
    return tmp_path


def billion_laughs() -> str:
    """Chinese keys: a YAML file whose keys are all ASCII words is not walked into (docker-compose…)."""
    lines = ['部门0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"部门{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


HOSTILE_FILES = {
    "laughs.yaml": billion_laughs().encode(),
    "deep.yaml": ("[" * 10_000 + "]" * 10_000).encode(),
    "deep-block.yaml": "".join(" " * i + "a:\n" for i in range(300)).encode(),
    "tag.yaml": "部门: !!python/object/apply:os.system ['echo pwned > pwned.txt']\n".encode(),
    "binary.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "latin1.txt": "\tcaf\xe9\n".encode("latin-1") + b"\xff\xfe\xfd",
    "empty.yaml": b"",
    "huge-int.yaml": SEED_YAML.replace(b"2024", b"9" * 100_000, 1),
    "nan.yaml": SEED_YAML.replace(
        "财政资金: 30.00".encode(), "财政资金: Infinity".encode(), 1
    ).replace("      其他资金:\n".encode(), "      其他资金: -Infinity\n".encode(), 1),
    "one-mb-line.yaml": "部门: ".encode() + b"x" * (1 << 20) + b"\n",
    "surrogate.yaml": '部门: "\\ud800"\n'.encode(),
    "utf16.yaml": SEED_YAML.decode("utf-8").encode("utf-16"),
    "utf16-nobom.yaml": SEED_YAML.decode("utf-8").encode("utf-16-le"),
    "gb18030.txt": SEEDS.get("lunan-xinfang-2025.txt", b"").decode("utf-8").encode("gb18030"),
    "crlf.yaml": SEED_YAML.replace(b"\n", b"\r\n"),
    "cr.yaml": SEED_YAML.replace(b"\n", b"\r"),
}


@pytest.mark.parametrize(
    "output",
    [
        "json",
        pytest.param("text", marks=pytest.mark.slow),
        "sarif",
        pytest.param("github", marks=pytest.mark.slow),
    ],
)
def test_hostile_files_get_findings_and_nothing_is_changed_or_executed(repo, output):
    for name, data in HOSTILE_FILES.items():
        (repo / name).write_bytes(data)
    before = snapshot(repo)
    result = perflint("check", "--format", output, ".", cwd=repo)
    assert result.returncode == 1, result.err
    assert snapshot(repo) == before
    assert not (repo / "pwned.txt").exists()
    if output == "json":
        report = json.loads(result.out)
        by_file = {}
        for finding in (
            report
            if isinstance(report, list)
            else report.get("diagnostics", report.get("results", []))
        ):
            by_file.setdefault(
                os.path.basename(finding.get("filename", finding.get("path", ""))), []
            ).append(finding["code"])
        for name in (
            "laughs.yaml",
            "deep.yaml",
            "tag.yaml",
            "binary.yaml",
            "empty.yaml",
            "surrogate.yaml",
            "utf16-nobom.yaml",
        ):
            assert "PF001" in by_file.get(name, []), (name, by_file.get(name))
        assert all("PF000" not in codes for codes in by_file.values())
    elif output == "sarif":
        json.loads(result.out)
    else:
        assert "PF001" in result.out
        assert "PF000" not in result.out


def test_fix_leaves_unreadable_files_alone(repo):
    for name, data in HOSTILE_FILES.items():
        (repo / name).write_bytes(data)
    before = snapshot(repo)
    result = perflint("check", "--fix", ".", cwd=repo)
    assert result.returncode == 1
    after = snapshot(repo)
    changed = {Path(p).name for p in before if before[p] != after.get(p)}
    # only readable goal files with safe fixes may change (the seed and its re-encodings)
    assert changed <= {
        "good.yaml",
        "huge-int.yaml",
        "nan.yaml",
        "utf16.yaml",
        "crlf.yaml",
        "cr.yaml",
        "gb18030.txt",
    }, changed
    for name in (
        "laughs.yaml",
        "deep.yaml",
        "tag.yaml",
        "binary.yaml",
        "latin1.txt",
        "surrogate.yaml",
        "utf16-nobom.yaml",
    ):
        assert (repo / name).read_bytes() == HOSTILE_FILES[name], name
    # the fixed files keep their encoding, BOM and line ends
    assert (repo / "utf16.yaml").read_bytes().startswith(b"\xff\xfe")
    assert (
        b"\r\n" in (repo / "crlf.yaml").read_bytes()
        and b"\n" not in (repo / "cr.yaml").read_bytes()
    )


def test_a_fifty_megabyte_file_is_refused_fast_in_bounded_memory(repo):
    big = repo / "big.yaml"
    with open(big, "wb") as out:
        while out.tell() < 50 * 1024 * 1024:
            out.write(SEED_YAML)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = perflint("check", "--format", "json", ".", cwd=repo)
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    assert result.returncode == 1
    findings = [
        f for f in json.loads(result.out) if "big.yaml" in json.dumps(f, ensure_ascii=False)
    ]
    assert findings and all(f["code"] == "PF001" for f in findings)
    assert "too large" in json.dumps(findings) or "过大" in json.dumps(findings, ensure_ascii=False)
    assert peak_mb < 400, peak_mb  # the file is not read whole, let alone parsed


def test_a_file_just_over_the_limit_named_on_the_command_line(repo):
    (repo / "over.txt").write_bytes(b"\t" + b"x" * (MAX_BYTES + 10))
    result = perflint("check", "--lang", "en", "over.txt", cwd=repo)
    assert result.returncode == 1 and "PF001" in result.out and "too large" in result.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_or_a_device_does_not_hang_the_run(repo):
    os.mkfifo(repo / "pipe.yaml")
    os.symlink("/dev/zero", repo / "zero.yaml")
    os.symlink("/dev/urandom", repo / "random.txt")
    walked = perflint("check", ".", cwd=repo)
    assert walked.returncode == 1  # the seed's findings; special files are not walked into
    named = perflint(
        "check", "--lang", "en", "pipe.yaml", "zero.yaml", "random.txt", "good.yaml", cwd=repo
    )
    assert named.returncode == 1, named.err
    for name in ("pipe.yaml", "zero.yaml", "random.txt"):
        assert f"{name}:1:1: PF001 [error] not a regular file" in named.out, (name, named.out)
    assert "good.yaml:16:14: PF403" in named.out


def test_symlink_loops_do_not_hang_the_walk(repo):
    os.symlink(".", repo / "loop")
    os.symlink("..", repo / "up")
    (repo / "sub").mkdir()
    os.symlink("..", repo / "sub" / "parent")
    os.symlink("b.yaml", repo / "a.yaml")
    os.symlink("a.yaml", repo / "b.yaml")
    os.symlink("/no/such/target.yaml", repo / "dangling.yaml")
    result = perflint("check", ".", cwd=repo)
    assert result.returncode == 1
    named = perflint("check", "--lang", "en", "a.yaml", "dangling.yaml", "loop", "sub", cwd=repo)
    assert named.returncode == 1, named.err
    assert "a.yaml:1:1: PF001 [error] Too many levels of symbolic links" in named.out, named.out
    assert "dangling.yaml:1:1: PF001 [error] a dangling symbolic link" in named.out, named.out


@pytest.mark.skipif(
    sys.platform == "win32" or sys.platform == "darwin",
    reason="needs a file system that takes any bytes",
)
@pytest.mark.parametrize(
    "output",
    [
        "text",
        pytest.param("json", marks=pytest.mark.slow),
        "sarif",
        pytest.param("github", marks=pytest.mark.slow),
    ],
)
def test_a_file_name_that_is_not_utf8(repo, output):
    name = b"\xff\xfe-\xb2\xe2\xca\xd4.yaml"  # Latin-1 / GBK bytes, not UTF-8
    with open(os.path.join(os.fsencode(repo), name), "wb") as out:
        out.write(
            SEED_YAML.replace(
                "名称: 怀来县信访局".encode(), "名称: 怀来县信访局\n  别名: x".encode()
            )
        )
    result = perflint("check", "--format", output, ".", cwd=repo)
    assert result.returncode == 1
    assert "PF002" in result.out or "unknown-field" in result.out
    if output in ("json", "sarif"):
        json.loads(result.out)
    named = subprocess.run(
        [*perflint_command(), "check", "--no-cache", name], cwd=repo, capture_output=True, timeout=TIMEOUT,
        env=dict(os.environ, PYTHONPATH=str(REPO)), check=False,
    )  # fmt: skip
    assert named.returncode == 1 and b"Traceback" not in named.stderr


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_an_unreadable_file_is_a_finding(repo):
    (repo / "secret.yaml").write_bytes(SEED_YAML)
    (repo / "secret.yaml").chmod(0)
    try:
        result = perflint("check", "--lang", "en", ".", cwd=repo)
    finally:
        (repo / "secret.yaml").chmod(0o644)
    assert result.returncode == 1
    assert "secret.yaml:1:1: PF001" in result.out and "cannot read" in result.out


def test_an_unreadable_file_is_a_finding_even_as_root(repo):
    """Permissions do not stop root, so open() is made to fail the way it does for a user."""
    (repo / "secret.yaml").write_bytes(SEED_YAML)
    result = in_process(
        """
        import builtins, errno, io, os, sys
        real_open, real_os_open = builtins.open, os.open
        def denied(file):
            if str(file).endswith("secret.yaml"):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        def guarded(file, *args, **kwargs):
            denied(file)
            return real_open(file, *args, **kwargs)
        def os_guarded(file, *args, **kwargs):
            denied(file)
            return real_os_open(file, *args, **kwargs)
        builtins.open = io.open = guarded
        os.open = os_guarded
        from perflint.cli import main
        sys.exit(main(["check", "--no-cache", "--lang", "en", "-j", "1", "."]))
        """,
        cwd=repo,
    )
    assert result.returncode == 1, result.err
    assert "secret.yaml:1:1: PF001" in result.out and "Permission denied" in result.out
    assert "good.yaml" in result.out  # the run went on


def test_a_file_that_vanishes_after_discovery_is_a_finding(repo):
    (repo / "vanishing.yaml").write_bytes(SEED_YAML)
    result = in_process(
        """
        import os, sys
        from perflint import discovery
        real_items = discovery.Walker.items
        def items(self, *args, **kwargs):
            found = real_items(self, *args, **kwargs)
            os.remove("vanishing.yaml")  # deleted between the walk and the read
            return found
        discovery.Walker.items = items
        from perflint.cli import main
        sys.exit(main(["check", "--no-cache", "--lang", "en", "-j", "1", "."]))
        """,
        cwd=repo,
    )
    assert result.returncode == 1, result.err
    assert "vanishing.yaml:1:1: PF001" in result.out
    assert "good.yaml" in result.out


def test_a_directory_that_vanishes_while_walked(repo):
    sub = repo / "sub"
    sub.mkdir()
    (sub / "x.yaml").write_bytes(SEED_YAML)
    result = in_process(
        """
        import os, shutil, sys
        real_walk = os.walk
        def walk(top, *args, **kwargs):
            for entry in real_walk(top, *args, **kwargs):
                if os.path.isdir("sub"):
                    shutil.rmtree("sub")
                yield entry
        os.walk = walk
        from perflint.cli import main
        sys.exit(main(["check", "--no-cache", "--lang", "en", "-j", "1", "."]))
        """,
        cwd=repo,
    )
    assert result.returncode in (0, 1), result.err
    assert "good.yaml" in result.out


BAD_CONFIGS = {
    ".perflint.yaml": [
        "select: [PF4\n",  # YAML syntax
        "- a list\n",
        "select: PF401\nselect: PF402\n",
        "unknown-key: 1\n",
        "params: {PF306: {threshold: [1, 2]}}\n",
        "exclude: &a [x]\nextend-exclude: [*a, *a]\n",
        "\x00\x01\x02",
        "select: !!python/object/apply:os.system ['true']\n",
        "lang: " + "x" * 100_000 + "\n",
    ],
    "perflint.toml": [
        "select = [\n",
        "select = 5\n",
        'encoding = "no-such-codec"\n',
        "[params]\nPF306 = 3\n",
    ],
    "pyproject.toml": [
        "[tool.perflint\nselect = 1\n",
        "[tool.perflint]\nselect = 5\n",
        "[tool.perflint]\nparams = {PF306 = {threshold = 'x'}}\n",
    ],
}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param(
            name, text, marks=() if i < 2 else pytest.mark.slow, id=f"{name}-{text[:20]!r}"
        )
        for name, texts in BAD_CONFIGS.items()
        for i, text in enumerate(texts)
    ],
)
def test_a_malformed_config_is_a_clear_exit_2(repo, name, text):
    (repo / name).write_text(text, encoding="utf-8", errors="surrogateescape")
    result = perflint("check", ".", cwd=repo)
    assert result.returncode == 2, (result.returncode, result.out, result.err)
    assert "perflint:" in result.err and name in result.err, result.err
    assert len(result.err.strip().splitlines()) <= 3, result.err


def test_a_config_that_is_a_directory_or_unreadable(repo):
    (repo / ".perflint.yaml").mkdir()
    result = perflint("check", ".", cwd=repo)
    assert result.returncode in (1, 2)
    if result.returncode == 2:
        assert ".perflint.yaml" in result.err


def make_plugin(site: Path, name: str, body: str) -> None:
    """An installed-looking plugin: a module and a dist-info with its entry point, on PYTHONPATH."""
    (site / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[perflint]\n{name} = {name}\n", encoding="utf-8")


PLUGINS = {
    "raises_at_import": "raise RuntimeError('broken at import')\n",
    "exits_at_import": "import sys\nsys.exit(3)\n",
    "syntax_error": "def broken(:\n",
    "imports_missing": "import no_such_module_anywhere\n",
    "raises_in_hook": """
        from perflint.plugins.hookspecs import hookimpl
        @hookimpl
        def perflint_rule_paths():
            raise ValueError("broken in hook")
        @hookimpl
        def perflint_predicates():
            return {"x": 1 / 0}
        """,
    "bad_reader": """
        from perflint.plugins.hookspecs import hookimpl
        @hookimpl
        def perflint_readers():
            def read(path, text):
                raise KeyError("reader broke")
            return {".odd": read}
        """,
    "bad_rules": """
        import os
        from perflint.plugins.hookspecs import hookimpl
        HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad_rules_dir")
        os.makedirs(HERE, exist_ok=True)
        with open(os.path.join(HERE, "XX001-slow.yaml"), "w", encoding="utf-8") as f:
            f.write("code: XX001\\nname: slow\\nseverity: warning\\nscope: indicator\\n"
                    "summary: {zh: x, en: x}\\nmessage: {zh: x, en: x}\\nrationale: {zh: x, en: x, source: x}\\n"
                    "when: {field: indicator.basis, matches: '(a+)+$'}\\n"
                    "examples: {bad: [{指标值确定依据: aaa}], good: [{指标值确定依据: b}]}\\n")
        with open(os.path.join(HERE, "XX002-garbage.yaml"), "w", encoding="utf-8") as f:
            f.write("{{{{")
        @hookimpl
        def perflint_rule_paths():
            return [HERE]
        """,
}


def test_broken_plugins_together_are_reported_and_the_run_goes_on(repo, tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    for name, body in PLUGINS.items():
        make_plugin(site, name, body)
    (repo / "file.odd").write_bytes(b"anything")
    result = perflint(
        "check", "--lang", "en", ".", "file.odd", cwd=repo, env={"PYTHONPATH": str(site)}
    )
    assert result.returncode == 1, (result.returncode, result.err)
    for name in (
        "raises_at_import",
        "exits_at_import",
        "syntax_error",
        "imports_missing",
        "raises_in_hook",
    ):
        assert name in result.err, (name, result.err)
    assert (
        "XX001" in result.err and "XX002" in result.err
    )  # bad_rules: a catastrophic regex, a broken file
    assert "file.odd:1:1: PF000" in result.out and "reader broke" in result.out  # bad_reader
    assert "good.yaml:16:14: PF403" in result.out  # the built-in rules ran


@pytest.mark.slow
@pytest.mark.parametrize("plugin", sorted(PLUGINS))
def test_a_broken_plugin_is_reported_and_the_run_goes_on(repo, tmp_path_factory, plugin):
    site = tmp_path_factory.mktemp("site")
    make_plugin(site, plugin, PLUGINS[plugin])
    (repo / "file.odd").write_bytes(b"anything")
    env = {"PYTHONPATH": str(site)}
    result = perflint("check", "--lang", "en", ".", "file.odd", cwd=repo, env=env)
    assert result.returncode == 1, (result.returncode, result.err)
    assert plugin in result.err or "XX00" in result.err or plugin == "bad_reader", result.err
    assert "good.yaml:16:14: PF403" in result.out  # the built-in rules ran
    for command in (["rules"], ["rule", "PF401"]):
        other = perflint(*command, cwd=repo, env=env)
        assert other.returncode == 0, (command, other.err)


def test_a_broken_formatter_plugin_is_an_internal_error_not_a_traceback(repo, tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    make_plugin(site, "bad_format", """
        from perflint.plugins.hookspecs import hookimpl
        @hookimpl
        def perflint_formatters():
            def render(diagnostics, options):
                raise RuntimeError("formatter broke")
            return {"broken": render}
        """)  # fmt: skip
    result = perflint("check", "--format", "broken", ".", cwd=repo, env={"PYTHONPATH": str(site)})
    assert result.returncode == 2 and "formatter broke" in result.err


def test_standard_input_that_is_binary_endless_or_huge(repo):
    binary = perflint(
        "check", "--stdin-filename", "x.yaml", "-", cwd=repo, input=b"\x00\x01\xff" * 1000
    )
    assert binary.returncode == 1 and "PF001" in binary.out
    with open("/dev/zero", "rb") as zero:  # endless: read up to the limit, then refused
        endless = perflint(
            "check", "--lang", "en", "--stdin-filename", "x.yaml", "-", cwd=repo, stdin=zero
        )
    assert endless.returncode == 1 and "PF001" in endless.out


@pytest.mark.slow
def test_standard_input_just_over_the_limit(repo):
    huge = perflint(
        "check",
        "--lang",
        "en",
        "--stdin-filename",
        "x.yaml",
        "-",
        cwd=repo,
        input=b"a" * (MAX_BYTES + 5),
    )
    assert huge.returncode == 1 and "too large" in huge.out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["check", "--encoding", "no-such-codec", "."], 2, "no-such-codec"),
        (["check", "--encoding", "rot13", "."], 2, "rot13"),
        (["check", "--select", "PF99999", "."], 2, "PF99999"),
        (["check", "-j", "0", "."], 2, "positive"),
        (["check", "--format", "nope", "."], 2, "nope"),
        (["rule", "PF9999"], 2, "PF9999"),
        (["import", "missing.txt"], 2, "missing.txt"),
        (["import", "."], 2, "."),
        (["check", "--cache-dir", "/proc/no/such/dir", "."], 1, ""),
    ],
)
def test_usage_errors_are_one_clear_message(repo, args, code, message):
    result = (
        perflint(*args, "--lang", "en", cwd=repo)
        if args[0] != "rule"
        else perflint(*args, cwd=repo)
    )
    assert result.returncode == code, (result.returncode, result.err)
    assert message in result.err or code != 2


@pytest.mark.parametrize(
    "name",
    [
        "laughs.yaml",
        *(
            pytest.param(n, marks=pytest.mark.slow)
            for n in ("deep.yaml", "binary.yaml", "utf16-nobom.yaml", "surrogate.yaml")
        ),
    ],
)
def test_import_of_a_hostile_file_is_a_finding(repo, name):
    (repo / name).write_bytes(HOSTILE_FILES[name])
    result = perflint("import", name, cwd=repo)
    assert result.returncode == 1 and "PF001" in result.err
    assert result.out == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_import_of_a_pipe_or_device_does_not_hang(repo):
    os.mkfifo(repo / "pipe.txt")
    for name in ("pipe.txt", "/dev/zero"):
        result = perflint("import", "--lang", "en", name, cwd=repo)
        assert result.returncode in (1, 2) and "not a regular file" in result.err, result.err
