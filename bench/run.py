"""perflint's benchmark (not a test): the same files, read by a floor and linted by perflint.

    python bench/run.py [--files 10000] [--small 1000] [--jobs N] [--seed 7] [--out FILE.json]
    python bench/run.py --text-only --files 500 --repeat 3   # the text-export rows alone

Writes a deterministic corpus (bench/corpus.py: goal YAML and the same filings as text exports)
into a temporary directory (or --corpus DIR, reused when it already holds the same corpus) and
measures, each in a fresh process, wall-clock time and peak RSS (the largest process of the
tree, so a worker counts when it is the largest):

- floor (YAML): PyYAML's libyaml `CSafeLoader` loading every goal YAML file, nothing else;
- floor (text): reading and decoding every text export;
- perflint single process (`-j1 --no-cache`) and over N processes (`-jN --no-cache`);
- perflint with a cache: a cold run that fills it, then a warm run of the same command;
- the same on the text exports;
- peak RSS single process on the first --small files and on all of them;
- `perflint --version` and `perflint check one.yaml` on one 8-project file (median of 15): with
  no cache, with a cache that has not seen the file (the rule-file memo and the parser tables
  are warm, as in a pre-commit hook), and a cache hit.

Times are reported as ratios to the floor measured in the same run, so they mean the same on
any machine. A run compares the outputs of -j1, -jN and the cached runs byte for byte.

Benchmarks are not tests: nothing fails because a machine is slow. A busy machine makes every
number worse (and -jN most); the load average is recorded with the results.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

FLOOR_YAML = """
import sys, os, yaml
loader = yaml.CSafeLoader
for name in sorted(os.listdir(sys.argv[1])):
    with open(os.path.join(sys.argv[1], name), "rb") as handle:
        yaml.load(handle.read(), Loader=loader)
"""
SPIN = """
x = 0
for i in range(12_000_000):
    x += i
"""
FLOOR_TEXT = """
import sys, os
for name in sorted(os.listdir(sys.argv[1])):
    with open(os.path.join(sys.argv[1], name), "rb") as handle:
        handle.read().decode("utf-8")
"""


def perflint_command() -> list[str]:
    """The installed console script when it belongs to this interpreter, else `python -m perflint`."""
    script = Path(sys.executable).with_name("perflint")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "perflint"]


def measure(command: list[str], cwd: Path, output: Path | None = None) -> dict:
    """Wall time, peak RSS (KB) of the process tree, exit code and a hash of stdout."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "FORCE_COLOR")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    sink = open(output, "wb") if output else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err = process.stderr.read().decode("utf-8", "replace")
    finally:
        if output:
            sink.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err}")
    rss = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    cpu = usage.ru_utime + usage.ru_stime  # the whole process tree's CPU time
    result = {
        "seconds": round(wall, 4),
        "cpu_seconds": round(cpu, 3),
        "peak_rss_kb": rss,
        "exit": process.returncode,
    }
    if output:
        result["stdout_sha256"] = _sha256(output)
        result["stdout_bytes"] = output.stat().st_size
    return result


def _sha256(path: Path) -> str:
    """In pieces: this process must stay small, as Linux counts a child's peak RSS from its fork
    (a child forked from a 90 MB process reports at least 90 MB whatever it uses)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for piece in iter(lambda: handle.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def best(command, cwd, repeat: int, output: Path | None = None, before=None) -> dict:
    """The fastest of `repeat` runs (the least disturbed by other work on the machine)."""
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(command, cwd, output))
    chosen = min(runs, key=lambda r: r["seconds"])
    chosen["all_seconds"] = [r["seconds"] for r in runs]
    return chosen


def median_ms(command, cwd, times: int, before=None) -> dict:
    samples = []
    for _ in range(times):
        if before:
            before()
        samples.append(measure(command, cwd)["seconds"])
    return {
        "median_ms": round(1000 * statistics.median(samples), 1),
        "min_ms": round(1000 * min(samples), 1),
    }


def parallel_ceiling(n: int) -> dict:
    """How much faster N processes get through N pieces of pure-Python work than one process does
    one after the other: the most any -jN can gain on this machine right now (N on idle, real
    cores; less on shared or hyper-threaded vCPUs, or when other work runs)."""
    command = [sys.executable, "-c", SPIN]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    one = time.perf_counter() - start
    start = time.perf_counter()
    processes = [subprocess.Popen(command) for _ in range(n)]
    for process in processes:
        process.wait()
    together = time.perf_counter() - start
    return {
        "one_seconds": round(one, 3),
        f"{n}_together_seconds": round(together, 3),
        "ceiling": round(n * one / together, 2),
    }


def make_corpus(root: Path, files: int, seed: int, small: int, defects: float | None) -> dict:
    """yaml/ and text/ with `files` filings each, yaml-small/ with the first `small`, one.yaml."""
    marker = root / "corpus.json"
    wanted = {
        "files": files,
        "seed": seed,
        "small": small,
        "defects": defects,
        "generator": hashlib.sha256((HERE / "corpus.py").read_bytes()).hexdigest(),
    }
    if marker.is_file() and json.loads(marker.read_text()) == wanted:
        return wanted
    for name in ("yaml", "text", "yaml-small", "one"):
        shutil.rmtree(root / name, ignore_errors=True)
    corpus.write_corpus(root / "yaml", files, seed, "yaml", defects)
    corpus.write_corpus(root / "text", files, seed, "text", defects)
    (root / "yaml-small").mkdir()
    for path in sorted((root / "yaml").iterdir())[:small]:
        shutil.copy(path, root / "yaml-small" / path.name)
    (root / "one").mkdir()
    (root / "one" / "one.yaml").write_text(corpus.eight_project_yaml(seed), encoding="utf-8")
    marker.write_text(json.dumps(wanted))
    return wanted


def compile_bytecode() -> None:
    """Byte-compile perflint, as installing a wheel does (a checkout run with
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every start)."""
    import compileall

    compileall.compile_dir(str(REPO / "perflint"), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument(
        "--small", type=int, default=1000, help="the smaller corpus for the memory comparison"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--defects",
        type=float,
        help="corpus.py --defects: chance of a defective value (default: the dirty mix)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per measurement; the fastest counts"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        help="where to write (or reuse) the corpus; default: a temporary directory",
    )
    parser.add_argument(
        "--text-only",
        action="store_true",
        help="only the text-export rows: the two floors, -j1 on YAML, -j1 and -jN on text",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args()

    temporary = None
    if args.corpus is None:
        temporary = tempfile.mkdtemp(prefix="perflint-bench-")
        root = Path(temporary)
    else:
        root = args.corpus.resolve()
        root.mkdir(parents=True, exist_ok=True)
    try:
        run(args, root)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


def run(args, root: Path) -> None:
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    say(f"corpus: {args.files} filings (YAML + text) in {root}")
    started = time.perf_counter()
    make_corpus(root, args.files, args.seed, args.small, args.defects)
    say(f"  written in {time.perf_counter() - started:.1f} s")
    compile_bytecode()
    perflint = perflint_command()
    out = root / "out"
    out.mkdir(exist_ok=True)
    cache = root / "cache"
    wipe = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
    n = args.jobs
    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
        },
        "corpus": {
            "files": args.files,
            "small": args.small,
            "seed": args.seed,
            "defects": args.defects,
            "yaml_bytes": _size(root / "yaml"),
            "text_bytes": _size(root / "text"),
        },
        "jobs": n,
        "runs": {},
    }
    runs = results["runs"]
    steps = [
        ("floor_yaml", [sys.executable, "-c", FLOOR_YAML, "yaml"], None, None),
        ("floor_text", [sys.executable, "-c", FLOOR_TEXT, "text"], None, None),
        ("yaml_j1", [*perflint, "check", "yaml", "-j1", "--no-cache"], "yaml_j1.txt", None),
        (
            f"yaml_j{n}",
            [*perflint, "check", "yaml", f"-j{n}", "--no-cache"],
            f"yaml_j{n}.txt",
            None,
        ),
        (
            "yaml_cache_cold",
            [*perflint, "check", "yaml", f"-j{n}", "--cache-dir", str(cache)],
            "yaml_cold.txt",
            wipe,
        ),
        (
            "yaml_cache_warm",
            [*perflint, "check", "yaml", f"-j{n}", "--cache-dir", str(cache)],
            "yaml_warm.txt",
            None,
        ),
        ("text_j1", [*perflint, "check", "text", "-j1", "--no-cache"], "text_j1.txt", None),
        (
            f"text_j{n}",
            [*perflint, "check", "text", f"-j{n}", "--no-cache"],
            f"text_j{n}.txt",
            None,
        ),
        (
            "yaml_small_j1",
            [*perflint, "check", "yaml-small", "-j1", "--no-cache"],
            "small_j1.txt",
            None,
        ),
        # the same pipeline with one rule that finds nothing here: memory without the findings
        (
            "yaml_small_j1_quiet",
            [*perflint, "check", "yaml-small", "-j1", "--no-cache", "--select", "PF105"],
            None,
            None,
        ),
        (
            "yaml_j1_quiet",
            [*perflint, "check", "yaml", "-j1", "--no-cache", "--select", "PF105"],
            None,
            None,
        ),
    ]
    if args.text_only:
        steps = [s for s in steps if s[0] in TEXT_ROWS or s[0] == f"text_j{n}"]
    results["parallel_ceiling_before"] = parallel_ceiling(n)
    for name, command, output, before in steps:
        if name == "text_j1":
            results["parallel_ceiling_after"] = parallel_ceiling(n)
        say(f"{name}: {' '.join(command[-5:])}")
        runs[name] = best(command, root, args.repeat, out / output if output else None, before)
        say(
            f"  {runs[name]['seconds']:.2f} s (CPU {runs[name]['cpu_seconds']:.2f} s), peak RSS {runs[name]['peak_rss_kb'] / 1024:.0f} MB"
        )
    if args.text_only:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(text_report(results))
        return
    same = {
        runs[k]["stdout_sha256"]
        for k in ("yaml_j1", f"yaml_j{n}", "yaml_cache_cold", "yaml_cache_warm")
    }
    with open(out / "yaml_j1.txt", encoding="utf-8") as report_lines:
        results["findings"] = sum(
            1 for line in report_lines if ": PF" in line and not line.startswith(" ")
        )
    results["outputs_identical"] = (
        len(same) == 1 and runs["text_j1"]["stdout_sha256"] == runs[f"text_j{n}"]["stdout_sha256"]
    )

    say("start-up (median of 15)")
    one_cache = root / "one-cache"
    startup = results["startup"] = {}
    startup["version"] = median_ms([*perflint, "--version"], root, 15)
    startup["one_file_no_cache"] = median_ms(
        [*perflint, "check", "one/one.yaml", "--no-cache"], root, 15
    )
    measure(
        [
            *perflint,
            "check",
            "yaml-small/" + sorted(os.listdir(root / "yaml-small"))[0],
            "--cache-dir",
            str(one_cache),
        ],
        root,
    )

    def forget_one():  # the cache knows the rules and the grammar, not this file
        for entry in (one_cache / version).glob("??"):
            shutil.rmtree(entry, ignore_errors=True)

    version = subprocess.run(
        [*perflint, "--version"], capture_output=True, text=True
    ).stdout.split()[-1]
    startup["one_file_cache_miss"] = median_ms(
        [*perflint, "check", "one/one.yaml", "--cache-dir", str(one_cache)], root, 15, forget_one
    )
    startup["one_file_cache_hit"] = median_ms(
        [*perflint, "check", "one/one.yaml", "--cache-dir", str(one_cache)], root, 15
    )
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["ratios"] = ratios(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report(results))
    say(f"results written to {args.out}")


TEXT_ROWS = ("floor_yaml", "floor_text", "yaml_j1", "text_j1")


def text_report(results: dict) -> str:
    """The text-export rows (`--text-only`): -j1 and -jN on text exports against the libyaml
    floor, the text floor and -j1 on the same filings as goal YAML, all from this run."""
    runs, n = results["runs"], results["jobs"]
    floor = runs["floor_yaml"]["seconds"]
    lines = [
        f"{results['corpus']['files']} filings, load {results['machine']['load_average_before']}"
    ]
    for name in (*TEXT_ROWS, f"text_j{n}"):
        seconds = runs[name]["seconds"]
        cpu = runs[name]["cpu_seconds"] / runs["floor_yaml"]["cpu_seconds"]
        lines.append(
            f"{name:14} {seconds:8.2f} s  {seconds / floor:5.2f}× the libyaml floor (CPU {cpu:.2f}×)"
        )
    text = runs["text_j1"]["seconds"]
    lines.append(f"text_j1 / yaml_j1 {text / runs['yaml_j1']['seconds']:.2f}×")
    lines.append(f"text_j1 / floor_text {text / runs['floor_text']['seconds']:.1f}×")
    return "\n".join(lines)


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.iterdir())


def ratios(results: dict) -> dict:
    runs, n = results["runs"], results["jobs"]
    floor = runs["floor_yaml"]["seconds"]
    return {
        "yaml_j1_to_floor": round(runs["yaml_j1"]["seconds"] / floor, 2),
        f"yaml_j{n}_to_floor": round(runs[f"yaml_j{n}"]["seconds"] / floor, 2),
        f"speedup_j{n}_over_j1": round(
            runs["yaml_j1"]["seconds"] / runs[f"yaml_j{n}"]["seconds"], 2
        ),
        "warm_cache_to_cold": round(
            runs["yaml_cache_warm"]["seconds"] / runs["yaml_cache_cold"]["seconds"], 3
        ),
        "warm_cache_to_floor": round(runs["yaml_cache_warm"]["seconds"] / floor, 2),
        "text_j1_to_text_floor": round(
            runs["text_j1"]["seconds"] / runs["floor_text"]["seconds"], 1
        ),
        f"text_j{n}_to_text_floor": round(
            runs[f"text_j{n}"]["seconds"] / runs["floor_text"]["seconds"], 1
        ),
        "yaml_j1_cpu_to_floor_cpu": round(
            runs["yaml_j1"]["cpu_seconds"] / runs["floor_yaml"]["cpu_seconds"], 2
        ),
        "peak_rss_small_kb": runs["yaml_small_j1"]["peak_rss_kb"],
        "peak_rss_all_kb": runs["yaml_j1"]["peak_rss_kb"],
        "peak_rss_small_no_findings_kb": runs["yaml_small_j1_quiet"]["peak_rss_kb"],
        "peak_rss_all_no_findings_kb": runs["yaml_j1_quiet"]["peak_rss_kb"],
    }


def report(results: dict) -> str:
    runs, n, r = results["runs"], results["jobs"], results["ratios"]
    floor = runs["floor_yaml"]["seconds"]
    files = results["corpus"]["files"]
    rows = [
        ("floor: libyaml CSafeLoader, YAML", runs["floor_yaml"], "1.00×"),
        ("perflint -j1 (YAML)", runs["yaml_j1"], f"{r['yaml_j1_to_floor']:.2f}×"),
        (f"perflint -j{n} (YAML)", runs[f"yaml_j{n}"], f"{r[f'yaml_j{n}_to_floor']:.2f}×"),
        (
            f"perflint -j{n}, cold cache",
            runs["yaml_cache_cold"],
            f"{runs['yaml_cache_cold']['seconds'] / floor:.2f}×",
        ),
        (
            f"perflint -j{n}, warm cache",
            runs["yaml_cache_warm"],
            f"{r['warm_cache_to_floor']:.2f}×",
        ),
        ("floor: read + decode, text", runs["floor_text"], "1.00× (text)"),
        ("perflint -j1 (text)", runs["text_j1"], f"{r['text_j1_to_text_floor']:.1f}× (text)"),
        (
            f"perflint -j{n} (text)",
            runs[f"text_j{n}"],
            f"{r[f'text_j{n}_to_text_floor']:.1f}× (text)",
        ),
    ]
    lines = [
        f"{files} files ({results['findings']} findings), {results['machine']['cpus']} CPUs, "
        f"load average before {results['machine']['load_average_before']}, after {results['load_average_after']}",
        "",
    ]
    lines.append(f"{'':34} {'seconds':>9} {'vs floor':>14} {'CPU s':>8} {'peak RSS':>10}")
    for label, run_, ratio in rows:
        lines.append(
            f"{label:34} {run_['seconds']:9.2f} {ratio:>14} {run_['cpu_seconds']:8.2f} {run_['peak_rss_kb'] / 1024:8.0f} MB"
        )
    s = results["startup"]
    lines += [
        "",
        f"speed-up -j{n} over -j1: {r[f'speedup_j{n}_over_j1']:.2f}× (this machine's ceiling for {n} processes of pure Python: "
        f"{results['parallel_ceiling_before']['ceiling']:.2f}× before, {results['parallel_ceiling_after']['ceiling']:.2f}× after)",
        f"warm cache / cold run: {100 * r['warm_cache_to_cold']:.1f} %",
        f"peak RSS, -j1: {r['peak_rss_small_kb'] / 1024:.0f} MB at {results['corpus']['small']} files, "
        f"{r['peak_rss_all_kb'] / 1024:.0f} MB at {files} files; "
        f"without findings (--select PF105): {r['peak_rss_small_no_findings_kb'] / 1024:.0f} MB and "
        f"{r['peak_rss_all_no_findings_kb'] / 1024:.0f} MB",
        f"perflint --version: {s['version']['median_ms']} ms;  check one 8-project file: "
        f"{s['one_file_no_cache']['median_ms']} ms (--no-cache), {s['one_file_cache_miss']['median_ms']} ms (cache miss), "
        f"{s['one_file_cache_hit']['median_ms']} ms (cache hit)",
        f"outputs identical across -j1, -j{n}, cold and warm cache: {results['outputs_identical']}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
