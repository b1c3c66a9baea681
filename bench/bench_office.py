"""Word and Excel reading against the libraries' own load, and -j2 against -j1 on .docx files.

Not a test: it prints ratios measured in one run on the same files, so they mean the same on
any machine (seconds are for orientation only).

- floor (docx): `docx.Document(path)` for every file — python-docx opening the package and
  parsing its XML, nothing else;
- perflint read (docx): the file's bytes → Grid (perflint/readers/docx_grid.py) → Filing
  (perflint/readers/interpret.py);
- floor (xlsx): `openpyxl.load_workbook(path)`; perflint read (xlsx): bytes → Grid → Filing;
- -j1 / -j2: `perflint check --no-cache -jN DIR` on a directory of the .docx files, each run
  with its CPU time split into the parent's (and how much of it before the workers start: the
  part that cannot spread) and each worker's (user + system), so that load on
  the machine (wall time up, CPU time not) can be told from work that does not spread (the
  parent's share, or one worker's share above the others'). `--profile-parent` also prints
  where the parent of the -j2 run spends its CPU (cProfile, top functions by own time).

The files are the corpus's text exports (bench/corpus.py) laid out as Word / Excel files by
tests/office_files.py, as the tests build them.

    python bench/bench_office.py [--files 300] [--jobs-files 1000] [--repeat 3] [--out FILE]
                                 [--profile-parent]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]


def build(out: Path, files: int, xlsx: int) -> tuple[list[Path], list[Path]]:
    """`files` .docx filings and the first `xlsx` of them as .xlsx too (a file already there, from
    an earlier run with `--corpus`, is kept: the corpus is the same for the same index)."""
    import random

    from corpus import make_filing, to_text
    from office_files import export_blocks, write_docx, write_xlsx

    rng = random.Random(7)
    (out / "docx").mkdir(parents=True, exist_ok=True)
    (out / "xlsx").mkdir(parents=True, exist_ok=True)
    docx_files, xlsx_files = [], []
    for index in range(files):
        blocks = export_blocks(to_text(make_filing(rng, index)))
        for kind, files_of, write, wanted in (
            ("docx", docx_files, write_docx, True),
            ("xlsx", xlsx_files, write_xlsx, index < xlsx),
        ):
            path = out / kind / f"filing-{index:05d}.{kind}"
            if wanted:
                files_of.append(path if path.exists() else write(blocks, path))
    return docx_files, xlsx_files


def drive(argv: list[str]) -> None:
    """`bench_office.py --drive OUT [--profile] -- ARGS`: run `perflint ARGS` in this process,
    recording to OUT (JSON) the parent's CPU time and each worker's (a forked worker writes its
    own at exit, through a multiprocessing finalizer registered by the worker initializer)."""
    import resource
    from multiprocessing import util

    out = Path(argv[0])
    profile = argv[1] == "--profile"
    args = argv[argv.index("--") + 1 :]
    from perflint import cli, runner

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def report_worker() -> None:
        workers = out.with_suffix(f".worker-{os.getpid()}")
        workers.write_text(json.dumps({"cpu": cpu(), "pid": os.getpid()}), encoding="utf-8")

    init = runner._init_worker

    def init_worker(*a, **k):
        init(*a, **k)
        util.Finalize(None, report_worker, exitpriority=100)

    runner._init_worker = init_worker
    before_pool: list[float] = []  # the parent's CPU time when it starts the workers
    start_pool = runner._Pool._start

    def start(self):
        before_pool.append(cpu())
        return start_pool(self)

    runner._Pool._start = start
    start = time.perf_counter()
    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(cli.main, args)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
        print(text.getvalue(), file=sys.stderr)
    else:
        cli.main(args)
    wall = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write_text(
        json.dumps(
            {
                "wall": wall,
                "parent_cpu": cpu(),
                "parent_cpu_before_pool": before_pool[0] if before_pool else None,
                "children_cpu": children.ru_utime + children.ru_stime,
            }
        ),
        encoding="utf-8",
    )


def check_run(directory: Path, jobs: int, work: Path, profile: bool = False) -> dict:
    """One `perflint check --no-cache -q -jN DIR` in a fresh process: wall time (of the whole
    process, start-up included), the parent's CPU time and each worker's."""
    out = work / f"j{jobs}.json"
    for old in work.glob(f"j{jobs}.worker-*"):
        old.unlink()
    command = [sys.executable, __file__, "--drive", str(out), "--profile" if profile else "-"]
    start = time.perf_counter()
    run = subprocess.run(
        [*command, "--", "check", "--no-cache", "-q", f"-j{jobs}", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if profile else subprocess.DEVNULL,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    inside = json.loads(out.read_text(encoding="utf-8"))
    workers = sorted(
        json.loads(p.read_text(encoding="utf-8"))["cpu"] for p in work.glob(f"j{jobs}.worker-*")
    )
    if profile:
        print(run.stderr, file=sys.stderr)
    return {
        "wall": wall,
        "in_process_wall": inside["wall"],
        "parent_cpu": inside["parent_cpu"],
        "parent_cpu_before_pool": inside["parent_cpu_before_pool"],
        "workers_cpu": workers,
        "total_cpu": inside["parent_cpu"] + inside["children_cpu"],
    }


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=300, help="files for the read measurements")
    parser.add_argument("--jobs-files", type=int, default=1000, help="files for -j1 / -j2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--corpus", type=Path, help="keep the files here and reuse them (default: a temporary dir)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "office.json")
    parser.add_argument(
        "--profile-parent", action="store_true", help="profile the parent of a -j2 run"
    )
    args = parser.parse_args()

    from run import compile_bytecode

    compile_bytecode()  # else, under PYTHONDONTWRITEBYTECODE=1, every run compiles perflint again
    import docx
    import openpyxl

    from perflint.readers.docx_grid import read_docx_grid
    from perflint.readers.interpret import interpret
    from perflint.readers.xlsx_grid import read_xlsx_grid

    with tempfile.TemporaryDirectory(prefix="perflint-office-bench-") as tmp:
        root = args.corpus or Path(tmp)
        docx_files, xlsx_files = build(root, max(args.files, args.jobs_files), args.files)
        sample_docx, sample_xlsx = docx_files[: args.files], xlsx_files[: args.files]
        for path in sample_docx + sample_xlsx:  # warm the page cache and the imports
            path.read_bytes()
        interpret(read_docx_grid(str(sample_docx[0]), sample_docx[0].read_bytes()))
        interpret(read_xlsx_grid(str(sample_xlsx[0]), sample_xlsx[0].read_bytes()))
        rows = {
            "floor docx.Document": best(
                args.repeat, lambda: [docx.Document(p) for p in sample_docx]
            ),
            "perflint read docx": best(
                args.repeat,
                lambda: [interpret(read_docx_grid(str(p), p.read_bytes())) for p in sample_docx],
            ),
            "floor openpyxl.load_workbook": best(
                args.repeat, lambda: [openpyxl.load_workbook(p) for p in sample_xlsx]
            ),
            "perflint read xlsx": best(
                args.repeat,
                lambda: [interpret(read_xlsx_grid(str(p), p.read_bytes())) for p in sample_xlsx],
            ),
        }
        directory = root / "docx"
        for path in docx_files[args.jobs_files :]:
            path.unlink()

        runs = {}
        for jobs in (1, 2):
            tries = [check_run(directory, jobs, Path(tmp)) for _ in range(args.repeat)]
            runs[jobs] = min(tries, key=lambda r: r["wall"])
            rows[f"perflint check -j{jobs} (docx dir)"] = runs[jobs]["wall"]
        if args.profile_parent:
            check_run(directory, 2, Path(tmp), profile=True)
    ratios = {
        "read docx / docx.Document": rows["perflint read docx"] / rows["floor docx.Document"],
        "read xlsx / openpyxl.load_workbook": rows["perflint read xlsx"]
        / rows["floor openpyxl.load_workbook"],
        "-j1 / -j2 (docx dir)": rows["perflint check -j1 (docx dir)"]
        / rows["perflint check -j2 (docx dir)"],
    }
    for name, seconds in rows.items():
        print(f"{name:34} {seconds:8.2f} s")
    for name, ratio in ratios.items():
        print(f"{name:34} {ratio:8.2f}×")
    for jobs, r in runs.items():
        workers = ", ".join(f"{c:.2f}" for c in r["workers_cpu"]) or "none"
        before = r["parent_cpu_before_pool"]
        print(
            f"-j{jobs} CPU: parent {r['parent_cpu']:.2f} s"
            + (f" ({before:.2f} s before the workers start)" if before is not None else "")
            + f", workers [{workers}] s, total {r['total_cpu']:.2f} s, wall {r['wall']:.2f} s"
        )
    result = {
        "files": args.files,
        "jobs_files": args.jobs_files,
        "repeat": args.repeat,
        "seconds": rows,
        "ratios": ratios,
        "check_cpu": {f"-j{jobs}": r for jobs, r in runs.items()},
        "cpus": os.cpu_count(),
        "load": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--drive"]:
        drive(sys.argv[2:])
    else:
        main()
