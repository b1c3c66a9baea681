"""What a repository's own files must never do (issue 22): decide the findings through a planted
cache, hang or exhaust a run through cache side files, inject terminal sequences or CI workflow
commands through names and cells, make perflint write outside the repository, or defeat --fix
through links, permissions and full disks. Every case runs the installed `perflint` command.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import perflint_command

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "examples"
TIMEOUT = 60
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system features")


def perflint(
    *args, cwd, xdg, input: bytes | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """`perflint ARGS` run with `xdg` as the user's cache directory (where its key is)."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "PERFLINT_CACHE_DIR")
    }
    full_env["XDG_CACHE_HOME"] = str(xdg)
    full_env.update(env or {})
    result = subprocess.run(
        [*perflint_command(), *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        env=full_env,
        timeout=TIMEOUT,
        check=False,
    )
    result.out, result.err = (
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )
    assert (
        "Traceback" not in result.err
        and "内部错误" not in result.err
        and "internal error" not in result.err
    ), result.err
    return result


def in_python(code: str, xdg) -> str:
    """Run Python code as a user whose cache directory is `xdg` (to forge what that user's
    perflint would have written)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A filings repository: the two seeds, text export and goal YAML."""
    root = tmp_path / "repo"
    root.mkdir()
    for path in EXAMPLES.iterdir():
        if path.suffix in (".txt", ".yaml"):
            shutil.copy(path, root / path.name)
    return root


@pytest.fixture
def users(tmp_path):
    """Two users' cache directories: the attacker's (who prepares a cache) and the victim's (CI)."""
    attacker, victim = tmp_path / "attacker-xdg", tmp_path / "victim-xdg"
    attacker.mkdir()
    victim.mkdir()
    return attacker, victim


def fresh(repo: Path, xdg, *args) -> subprocess.CompletedProcess:
    return perflint("check", ".", "--format", "json", "--no-cache", *args, cwd=repo, xdg=xdg)


def cached(repo: Path, xdg, *args) -> subprocess.CompletedProcess:
    return perflint("check", ".", "--format", "json", "-j", "1", *args, cwd=repo, xdg=xdg)


def side_files(repo: Path) -> dict[str, Path]:
    version = next((repo / ".perflint_cache").glob("[0-9]*"))
    found = {
        "rules": version / "rules.json",
        "values": next(version.glob("values-*.json")),
        "grammar": next(version.glob("value-grammar-*.json")),
        "entry": next(p for p in version.rglob("*") if p.is_file() and len(p.parent.name) == 2),
    }
    assert all(p.is_file() for p in found.values())
    return found


# ---------------------------------------------------------------------------------------------
# a planted cache decides nothing


def test_the_key_is_the_users_own_and_private(repo, users):
    attacker, _ = users
    cached(repo, attacker)
    key = attacker / "perflint" / "key"
    assert key.is_file() and len(key.read_text().strip()) == 64
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not list(repo.rglob("key"))  # nothing of it in the tree


def test_a_cache_made_by_another_user_is_rebuilt_not_used(repo, users):
    attacker, victim = users
    expected = fresh(repo, victim)
    assert expected.returncode == 1 and json.loads(expected.out)
    cached(repo, attacker)  # the attacker's cache, committed to the repository
    before = {p: p.read_bytes() for p in side_files(repo).values()}
    got = cached(repo, victim)
    assert (got.returncode, got.out) == (expected.returncode, expected.out)
    for path, old in before.items():  # every kind of cache file rewritten under the victim's key
        assert path.read_bytes() != old, path.name
    assert (cached(repo, victim).returncode, cached(repo, victim).out) == (
        expected.returncode,
        expected.out,
    )


FORGE_MEMO = """
import json
from pathlib import Path
from perflint.cache import read_sealed, write_sealed
path = next(Path('.perflint_cache').glob('*/rules.json'))
memo = json.loads(read_sealed(path, b'rules.json'))
for key, text in memo.items():
    rule = json.loads(text)
    rule['when'] = {'indicator.name': {'equals': 'never-ever-an-indicator'}}
    memo[key] = json.dumps(rule, ensure_ascii=False)
write_sealed(path, b'rules.json', json.dumps(memo, ensure_ascii=False).encode())
"""


def test_a_planted_rule_memo_changes_no_finding(repo, users):
    attacker, victim = users
    expected = fresh(repo, victim)
    cached(repo, attacker)
    in_python(f"import os; os.chdir({str(repo)!r})\n" + FORGE_MEMO, attacker)
    for entry in side_files(repo)["entry"].parent.parent.glob("??"):
        shutil.rmtree(entry)  # keep only the memo: the rules are loaded from it
    poisoned = cached(repo, attacker)
    assert json.loads(poisoned.out) != json.loads(expected.out)  # the forgery works for its maker…
    got = cached(repo, victim)
    assert (got.returncode, got.out) == (
        expected.returncode,
        expected.out,
    )  # …and not for anyone else


FORGE_ENTRIES = """
import json, zlib
from pathlib import Path
from perflint.trust import seal, unseal
for path in Path('.perflint_cache').rglob('*'):
    if not path.is_file() or len(path.parent.name) != 2:
        continue
    key = (path.parent.name + path.name).encode()
    payload = unseal(b'entry\\x00' + key, path.read_bytes())
    head = json.loads(payload.split(b'\\n', 1)[0])
    head.pop('render', None)
    body = json.dumps([[], []]).encode()
    head['crc'] = zlib.crc32(body)
    new = json.dumps(head).encode() + b'\\n' + body
    path.write_bytes(seal(b'entry\\x00' + key, new) if SEALED else new)
"""


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed-by-another-user", "crc-only"])
def test_planted_entries_hide_no_finding(repo, users, sealed):
    attacker, victim = users
    expected = fresh(repo, victim)
    cached(repo, attacker)
    if not sealed:  # the victim's own cache, edited in place with a CRC that matches
        cached(repo, victim)
    owner = attacker if sealed else victim
    in_python(f"import os; os.chdir({str(repo)!r})\nSEALED = {sealed}\n" + FORGE_ENTRIES, owner)
    if sealed:
        assert json.loads(cached(repo, attacker).out) == []  # every finding hidden for its maker
    got = cached(repo, victim)
    assert (got.returncode, got.out) == (expected.returncode, expected.out)


FORGE_VALUES = """
import json
from pathlib import Path
from perflint.cache import read_sealed, write_sealed
path = next(Path('.perflint_cache').glob('*/values-*.json'))
context = b'values\\x00' + path.name.encode()
values = json.loads(read_sealed(path, context))
for text, data in values.items():
    data[0] = 'free'  # the kind: every stored value becomes free text
    for i in range(1, len(data)):
        if isinstance(data[i], bool):
            data[i] = False
        elif not isinstance(data[i], bool):
            data[i] = None
values['95%'] = values.get('95%', ['free'] + [None] * 20)
write_sealed(path, context, json.dumps(values, ensure_ascii=False).encode())
print(len(values))
"""


def test_planted_stored_values_change_no_finding(repo, users):
    attacker, victim = users
    expected = fresh(repo, victim)
    cached(repo, attacker)
    for entry in side_files(repo)["entry"].parent.parent.glob("??"):
        shutil.rmtree(entry)
    assert int(in_python(f"import os; os.chdir({str(repo)!r})\n" + FORGE_VALUES, attacker)) > 0
    got = cached(repo, victim)
    assert (got.returncode, got.out) == (expected.returncode, expected.out)


@pytest.mark.parametrize("kind", ["rules", "values", "grammar", "entry"])
def test_an_unsealed_or_garbage_side_file_is_a_miss(repo, users, kind):
    _, victim = users
    expected = fresh(repo, victim)
    cached(repo, victim)
    target = side_files(repo)[kind]
    target.write_bytes(
        target.read_bytes().split(b"\n", 1)[1]
    )  # the seal taken off: what a hand-made file looks like
    got = cached(repo, victim)
    assert (got.returncode, got.out) == (expected.returncode, expected.out)


# ---------------------------------------------------------------------------------------------
# side files that hang or never end


@POSIX
@pytest.mark.parametrize("kind", ["rules", "values", "grammar", "entry"])
@pytest.mark.parametrize("what", ["fifo", "dev-zero", "link-out"])
def test_side_files_that_are_fifos_or_links_neither_block_nor_stream(
    repo, users, tmp_path, kind, what
):
    _, victim = users
    expected = fresh(repo, victim)
    cached(repo, victim)
    target = side_files(repo)[kind]
    outside = tmp_path / "outside.json"
    outside.write_bytes(
        target.read_bytes()
    )  # even a valid, sealed file: a link out is not followed
    target.unlink()
    if what == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero" if what == "dev-zero" else outside)
    kept = outside.read_bytes()
    got = cached(repo, victim)  # (the timeout fails a run that blocks)
    assert (got.returncode, got.out) == (expected.returncode, expected.out)
    assert outside.read_bytes() == kept  # not written through the link either


@POSIX
def test_a_version_directory_linked_out_of_the_cache_is_not_used(repo, users, tmp_path):
    _, victim = users
    expected = fresh(repo, victim)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = repo / ".perflint_cache"
    cached(repo, victim)
    version = next(cache.glob("[0-9]*"))
    shutil.rmtree(version)
    version.symlink_to(elsewhere)
    got = cached(repo, victim)
    assert (got.returncode, got.out) == (expected.returncode, expected.out)
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert "符号链接" in got.err


# ---------------------------------------------------------------------------------------------
# names and cells cannot inject workflow commands or terminal sequences

INJECTION = "\x1b[31m\n::error file=pwned,line=1::injected\r\n::add-mask::secret\u202e"
NAME = "x\n::add-mask::pwned\x1b]0;title\x07.txt"


def _hostile_repo(repo: Path) -> tuple[Path, str]:
    """The text export with a cell (a project's name, quoted in messages) that
    continues over lines holding workflow commands and escape sequences, under a file name that
    holds them too."""
    text = (EXAMPLES / "huailai-xinfang-2024.txt").read_text(encoding="utf-8")
    cell = "\t怀财字【2024】7号 信访专项\n"  # a project name, quoted by PF601 and PF602
    assert text.count(cell) == 1
    hostile = text.replace(
        cell, cell[:-1] + "\x1b[2J\n::error file=pwned,line=1::injected\x1b[0m\u202e\n"
    )
    for path in list(repo.iterdir()):
        path.unlink()
    (repo / NAME).write_text(hostile, encoding="utf-8")
    return repo / NAME, hostile


def _no_raw_controls(output: str) -> None:
    for bad in ("\x1b", "\r", "\u202e", "\x07"):
        assert bad not in output, repr(bad)


@POSIX
@pytest.mark.parametrize("fmt", ["text", "github"])
@pytest.mark.parametrize("cache", [["--no-cache"], []], ids=["fresh", "cached"])
def test_human_formats_escape_control_characters(repo, users, fmt, cache):
    _, victim = users
    _hostile_repo(repo)
    for _ in range(2 if cache == [] else 1):  # cached: the second run prints the stored rendering
        got = perflint("check", ".", "--format", fmt, *cache, cwd=repo, xdg=victim)
    assert got.returncode == 1
    _no_raw_controls(got.out)
    lines = got.out.split("\n")
    if fmt == "text":
        assert not [line for line in lines if line.startswith("::")]
        assert "x\\n::add-mask::pwned\\x1b]0;title\\x07.txt:" in got.out  # the name, escaped
        assert "信访专项\\x1b[2J\\n::error file=pwned" in got.out  # the cell, escaped, in a message
        assert "33 |     怀财字【2024】7号 信访专项\\x1b[2J\n" in got.out  # and in the source line
    else:
        assert lines[-1] == "" and all(
            line.startswith(
                ("::warning file=x%0A%3A%3Aadd-mask", "::error file=x%0A", "::notice file=x%0A")
            )
            for line in lines[:-1]
        ), lines[:3]
        assert "信访专项\\x1b[2J%0A::error file=pwned" in got.out


@POSIX
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_and_sarif_keep_names_and_cells_exact(repo, users, fmt):
    _, victim = users
    _hostile_repo(repo)
    got = perflint("check", ".", "--format", fmt, "--no-cache", cwd=repo, xdg=victim)
    assert got.returncode == 1
    assert "\x1b" not in got.out and "\r" not in got.out  # JSON escapes them itself
    data = json.loads(got.out)
    if fmt == "json":
        assert {d["filename"] for d in data} == {NAME}
        assert any(
            "信访专项\x1b[2J\n::error file=pwned,line=1::injected\x1b[0m\u202e”" in d["message"]
            for d in data
        )
    else:
        results = data["runs"][0]["results"]
        assert any("::error file=pwned" in r["message"]["text"] for r in results)


@POSIX
def test_messages_on_stderr_escape_a_hostile_name(repo, users):
    _, victim = users
    path, _ = _hostile_repo(repo)
    path.chmod(0o444)
    got = perflint("check", "--fix", "--no-cache", ".", cwd=repo, xdg=victim)
    assert got.returncode == 2 and "只读" in got.err
    _no_raw_controls(got.err)
    assert not [line for line in got.err.split("\n") if line.startswith("::")]


# ---------------------------------------------------------------------------------------------
# a repository's cache-dir stays inside it


def test_a_config_cache_dir_outside_the_project_is_refused(repo, users, tmp_path):
    _, victim = users
    outside = tmp_path / "backups"
    outside.mkdir()
    (outside / "important.txt").write_text("keep me", encoding="utf-8")
    for value in ("../backups", str(outside), ".", "sub/../.."):
        (repo / ".perflint.yaml").write_text(f"cache-dir: {json.dumps(value)}\n", encoding="utf-8")
        got = perflint("check", ".", cwd=repo, xdg=victim)
        assert got.returncode == 2, value
        assert ".perflint.yaml:1" in got.err and "cache-dir" in got.err, got.err
        assert sorted(p.name for p in outside.iterdir()) == ["important.txt"], value
        assert not (repo / "CACHEDIR.TAG").exists()


@POSIX
def test_a_config_cache_dir_linked_out_of_the_project_is_not_used(repo, users, tmp_path):
    _, victim = users
    outside = tmp_path / "backups"
    outside.mkdir()
    (outside / "important.txt").write_text("keep me", encoding="utf-8")
    (repo / "cache").symlink_to(outside)
    (repo / ".perflint.yaml").write_text("cache-dir: cache\n", encoding="utf-8")
    expected = fresh(repo, victim)
    got = cached(repo, victim)
    assert (got.returncode, got.out) == (expected.returncode, expected.out)
    assert "项目根目录之外" in got.err
    assert sorted(p.name for p in outside.iterdir()) == ["important.txt"]
    (repo / ".perflint.yaml").unlink()  # the default .perflint_cache as a link out: the same
    (repo / ".perflint_cache").symlink_to(outside)
    got = cached(repo, victim)
    assert (got.returncode, got.out) == (expected.returncode, expected.out)
    assert sorted(p.name for p in outside.iterdir()) == ["important.txt"]


def test_an_existing_directory_that_is_not_a_perflint_cache_is_left_alone(repo, users, tmp_path):
    _, victim = users
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    expected = fresh(repo, victim)
    got = cached(repo, victim, "--cache-dir", str(foreign))
    assert (got.returncode, got.out) == (expected.returncode, expected.out)
    assert "不是 perflint 的缓存目录" in got.err
    assert sorted(p.name for p in foreign.iterdir()) == [
        "cat.jpg"
    ]  # no CACHEDIR.TAG, no .gitignore
    inside = repo / "own-cache"  # inside the project, named by the config: the same rule
    inside.mkdir()
    (inside / "notes.md").write_text("mine", encoding="utf-8")
    (repo / ".perflint.yaml").write_text("cache-dir: own-cache\n", encoding="utf-8")
    got = cached(repo, victim)
    assert got.returncode == expected.returncode and sorted(p.name for p in inside.iterdir()) == [
        "notes.md"
    ]
    empty = tmp_path / "empty"  # an empty directory (made for it) is taken
    empty.mkdir()
    cached(repo, victim, "--cache-dir", str(empty))
    assert (empty / "CACHEDIR.TAG").is_file()
    again = cached(repo, victim, "--cache-dir", str(empty))  # and is a perflint cache from then on
    assert "警告" not in again.err and (again.returncode, again.out) == (
        expected.returncode,
        expected.out,
    )


# ---------------------------------------------------------------------------------------------
# --fix: links, permissions, full disks


def _fixable(repo: Path) -> tuple[Path, bytes, bytes]:
    """A file --fix changes, its bytes and the bytes a fix gives."""
    path = repo / "huailai-xinfang-2024.txt"
    before = path.read_bytes()
    scratch = repo.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    shutil.copy(path, scratch / path.name)
    perflint("check", "--fix", "--no-cache", path.name, cwd=scratch, xdg=repo.parent)
    after = (scratch / path.name).read_bytes()
    assert after != before
    return path, before, after


@POSIX
def test_fix_through_a_symlink_fixes_the_target_and_keeps_the_link(repo, users, tmp_path):
    _, victim = users
    path, _, after = _fixable(repo)
    real = tmp_path / "real" / path.name
    real.parent.mkdir()
    shutil.move(path, real)
    path.symlink_to(real)
    got = perflint("check", "--fix", "--no-cache", path.name, cwd=repo, xdg=victim)
    assert got.returncode in (0, 1)
    assert path.is_symlink() and os.readlink(path) == str(real)
    assert real.read_bytes() == after


@POSIX
def test_fix_of_a_hard_link_writes_this_name_only(repo, users):
    """Documented: a fix writes a new file under the name given; other hard links keep the old bytes."""
    _, victim = users
    path, before, after = _fixable(repo)
    other = repo / "other-name.data"
    os.link(path, other)
    perflint("check", "--fix", "--no-cache", path.name, cwd=repo, xdg=victim)
    assert path.read_bytes() == after and other.read_bytes() == before


@POSIX
def test_fix_leaves_a_read_only_file_and_says_so(repo, users):
    _, victim = users
    path, before, _ = _fixable(repo)
    other = repo / "lunan-xinfang-2025.txt"
    other_before = other.read_bytes()
    path.chmod(0o444)
    got = perflint("check", "--fix", "--no-cache", path.name, other.name, cwd=repo, xdg=victim)
    assert got.returncode == 2
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert "只读" in got.err and path.name in got.err
    assert other.read_bytes() != other_before  # the other file is fixed
    assert f"{path.name}:" in got.out  # and the read-only file's findings are reported


def _mount(point: Path, options: str) -> bool:
    point.mkdir(exist_ok=True)
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )


def _umount(point: Path) -> None:
    subprocess.run(["umount", str(point)], capture_output=True, check=False)


@POSIX
def test_fix_on_a_full_disk_reports_that_file_and_goes_on(repo, users, tmp_path):
    _, victim = users
    path, before, _ = _fixable(repo)
    other = repo / "lunan-xinfang-2025.txt"
    disk = tmp_path / "disk"
    if _mount(disk, f"size={len(before) + len(other.read_bytes()) + 8192}"):
        try:
            shutil.copy(path, disk / path.name)
            shutil.copy(other, disk / other.name)
            filler = 0
            while True:  # fill what is left
                try:
                    (disk / f"fill{filler}").write_bytes(b"x" * 1024)
                    filler += 1
                except OSError:
                    break
            got = perflint(
                "check", "--fix", "--no-cache", path.name, other.name, cwd=disk, xdg=victim
            )
            assert got.returncode == 2
            assert (disk / path.name).read_bytes() == before
            assert "修复无法写入" in got.err
            assert f"{path.name}:" in got.out and f"{other.name}:" in got.out  # every file reported
        finally:
            _umount(disk)
    else:  # no tmpfs to fill: a file size limit makes every write past it fail (EFBIG)
        import resource
        import signal

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

        env = {**os.environ, "XDG_CACHE_HOME": str(victim)}
        done = subprocess.run(
            [*perflint_command(), "check", "--fix", "--no-cache", path.name, other.name],
            cwd=repo,
            env=env,
            capture_output=True,
            preexec_fn=limit,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 2 and path.read_bytes() == before
        assert "修复无法写入".encode() in done.stderr and b"Traceback" not in done.stderr


@POSIX
def test_fix_in_a_read_only_directory_reports_and_goes_on(repo, users, tmp_path):
    _, victim = users
    path, before, _ = _fixable(repo)
    disk = tmp_path / "ro"
    if os.geteuid() == 0:
        if not _mount(disk, "size=1m"):
            pytest.skip("root without tmpfs: a read-only directory cannot be made")
        try:
            shutil.copy(path, disk / path.name)
            subprocess.run(
                ["mount", "-o", "remount,ro", str(disk)], check=True, capture_output=True
            )
            got = perflint(
                "check",
                "--fix",
                "--no-cache",
                str(disk / path.name),
                str(repo / "lunan-xinfang-2025.txt"),
                cwd=repo,
                xdg=victim,
            )
            assert got.returncode == 2 and (disk / path.name).read_bytes() == before
            assert "修复无法写入" in got.err or "只读" in got.err
            assert (repo / "lunan-xinfang-2025.txt").read_bytes() != (
                EXAMPLES / "lunan-xinfang-2025.txt"
            ).read_bytes()
        finally:
            _umount(disk)
    else:
        disk.mkdir()
        shutil.copy(path, disk / path.name)
        disk.chmod(0o555)
        try:
            got = perflint(
                "check", "--fix", "--no-cache", str(disk / path.name), cwd=repo, xdg=victim
            )
            assert got.returncode == 2 and (disk / path.name).read_bytes() == before
        finally:
            disk.chmod(0o755)


# ---------------------------------------------------------------------------------------------
# --fix - (editors) and encodings


@pytest.mark.parametrize("how", ["gb18030", "utf-8-bom", "utf-16-bom", "crlf"])
def test_fix_from_stdin_returns_the_input_encoding_and_bom(users, tmp_path, how):
    """`--fix -` gives back the bytes `--fix` writes for the same file on disk: its encoding,
    BOM and line ends, only the edits changed."""
    _, victim = users
    text = (EXAMPLES / "huailai-xinfang-2024.txt").read_text(encoding="utf-8")
    data = {
        "gb18030": lambda t: t.encode("gb18030"),
        "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        "utf-16-bom": lambda t: t.encode("utf-16"),
        "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    }[how](text)
    got = perflint(
        "check",
        "--fix",
        "-",
        "--stdin-filename",
        "in.txt",
        "--no-cache",
        cwd=tmp_path,
        xdg=victim,
        input=data,
    )
    (tmp_path / "in.txt").write_bytes(data)
    perflint("check", "--fix", "--no-cache", "in.txt", cwd=tmp_path, xdg=victim)
    on_disk = (tmp_path / "in.txt").read_bytes()
    assert on_disk != data and got.stdout == on_disk
    if how == "gb18030":
        got.stdout.decode("gb18030")
        with pytest.raises(UnicodeDecodeError):
            got.stdout.decode("utf-8")
    elif how == "utf-8-bom":
        assert got.stdout.startswith(b"\xef\xbb\xbf") and not got.stdout[3:].startswith(
            b"\xef\xbb\xbf"
        )
    elif how == "utf-16-bom":
        assert got.stdout[:2] == data[:2] and got.stdout.decode("utf-16") != text
    else:
        assert got.stdout.count(b"\r\n") == data.count(b"\r\n")


@pytest.mark.parametrize(
    "codec",
    ["unicode_escape", "raw_unicode_escape", "rot13", "base64", "utf-7", "punycode", "idna"],
)
def test_non_text_codecs_are_refused_by_option_and_config_alike(repo, users, codec):
    _, victim = users
    got = perflint("check", "--encoding", codec, ".", cwd=repo, xdg=victim)
    assert got.returncode == 2 and "不是文本编码" in got.err
    (repo / ".perflint.yaml").write_text(f"encoding: {codec}\n", encoding="utf-8")
    got = perflint("check", ".", cwd=repo, xdg=victim)
    assert got.returncode == 2 and "不是文本编码" in got.err and ".perflint.yaml:1" in got.err


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
@pytest.mark.parametrize("where", ["option", "config"])
def test_a_bom_adding_codec_neither_adds_nor_drops_a_bom(repo, users, codec, where):
    _, victim = users
    path = repo / "huailai-xinfang-2024.txt"
    text = path.read_text(encoding="utf-8")
    raw = text.encode("utf-8") if codec == "utf-8-sig" else text.encode("utf-16-le")
    path.write_bytes(raw)
    args = ["--encoding", codec] if where == "option" else []
    if where == "config":
        (repo / ".perflint.yaml").write_text(f"encoding: {codec}\n", encoding="utf-8")
    got = perflint("check", "--fix", "--no-cache", *args, path.name, cwd=repo, xdg=victim)
    assert got.returncode in (0, 1), got.err
    fixed = path.read_bytes()
    assert fixed != raw
    assert not fixed.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))  # no BOM added
    decoded = fixed.decode("utf-8" if codec == "utf-8-sig" else "utf-16-le")
    assert len(decoded.splitlines()) == len(
        text.splitlines()
    )  # the same lines, only the edits changed


# ---------------------------------------------------------------------------------------------
# walks


@POSIX
def test_a_walk_does_not_follow_a_link_out_of_the_tree(repo, users, tmp_path):
    _, victim = users
    secret = tmp_path / "secret.txt"
    secret.write_text("\t绩效目标\n\tpassword=hunter2\n", encoding="utf-8")
    (repo / "leak.txt").symlink_to(secret)
    (repo / "inner.txt").symlink_to(
        repo / "huailai-xinfang-2024.txt"
    )  # a link inside the tree: followed
    got = perflint("check", ".", "--format", "json", "--no-cache", cwd=repo, xdg=victim)
    names = {d["filename"] for d in json.loads(got.out)}
    assert "leak.txt" not in names and "inner.txt" in names
    assert "hunter2" not in got.out and "hunter2" not in got.err
    named = perflint(
        "check", "leak.txt", "--format", "json", "--no-cache", cwd=repo, xdg=victim
    )  # named: explicit
    assert {d["filename"] for d in json.loads(named.out)} == {"leak.txt"}


# ---------------------------------------------------------------------------------------------
# a row-heavy file (its memory is measured in bench/bench_rows.py): written in pieces, the same
# output whatever the path through the cache


@pytest.mark.parametrize(
    "rows", [700, 5200]
)  # findings: below and above runner.MAX_KEPT_ROWS (not cached)
def test_a_row_heavy_file_reports_the_same_in_every_format_and_run(users, tmp_path, rows):
    _, victim = users
    seed = (EXAMPLES / "huailai-xinfang-2024.txt").read_text(encoding="utf-8")
    (tmp_path / "rows.txt").write_text(
        seed + "\n" + "".join(f"\t第{i}行\n\n" for i in range(rows)), encoding="utf-8"
    )
    found = None
    for fmt in ("text", "json", "github", "sarif"):
        outputs = set()
        for cache in (["--no-cache"], [], []):  # fresh, cold, warm
            got = perflint(
                "check", "-j1", "--format", fmt, *cache, "rows.txt", cwd=tmp_path, xdg=victim
            )
            assert got.returncode == 1
            outputs.add(got.out)
        assert len(outputs) == 1, fmt
        out = outputs.pop()
        count = {
            "text": lambda out: sum(1 for line in out.split("\n") if line.startswith("rows.txt:")),
            "json": lambda out: len(json.loads(out)),
            "github": lambda out: out.count("\n"),
            "sarif": lambda out: len(json.loads(out)["runs"][0]["results"]),
        }[fmt](out)
        assert count > 4 * rows - 10
        assert found in (None, count)
        found = count


def test_a_key_inside_the_project_seals_nothing(repo, users):
    """A user cache directory inside the checked project (HOME set to the workspace): its key
    could be committed with a cache sealed by it, so the cache is not used."""
    attacker, victim = users
    expected = fresh(repo, victim)
    cached(repo, attacker)  # the attacker's cache, sealed with the attacker's key…
    in_python(f"import os; os.chdir({str(repo)!r})\nSEALED = True\n" + FORGE_ENTRIES, attacker)
    assert json.loads(cached(repo, attacker).out) == []
    inside = repo / ".cache"
    (inside / "perflint").mkdir(parents=True)
    shutil.copy(
        attacker / "perflint" / "key", inside / "perflint" / "key"
    )  # …committed with that key
    got = cached(repo, inside)  # CI with HOME (so ~/.cache) in the workspace
    assert (got.returncode, got.out) == (expected.returncode, expected.out)
    assert "缓存密钥" in got.err
