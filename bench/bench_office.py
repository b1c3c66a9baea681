"""Word and Excel reading against the libraries' own load, and -j2 against -j1 on .docx files.

Not a test: it prints ratios measured in one run on the same files, so they mean the same on
any machine (seconds are for orientation only).

- floor (docx): `docx.Document(path)` for every file — python-docx opening the package and
  parsing its XML, nothing else;
- perflint read (docx): the file's bytes → Grid (perflint/readers/docx_grid.py) → Filing
  (perflint/readers/interpret.py);
- floor (xlsx): `openpyxl.load_workbook(path)`; perflint read (xlsx): bytes → Grid → Filing;
- -j1 / -j2: `perflint check --no-cache -jN DIR` on a directory of the .docx files.

The files are the corpus's text exports (bench/corpus.py) laid out as Word / Excel files by
tests/office_files.py, as the tests build them.

    python bench/bench_office.py [--files 300] [--jobs-files 1000] [--repeat 3] [--out FILE]
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


def build(out: Path, files: int) -> tuple[list[Path], list[Path]]:
    import random

    from corpus import make_filing, to_text
    from office_files import export_blocks, write_docx, write_xlsx

    rng = random.Random(7)
    (out / "docx").mkdir(parents=True, exist_ok=True)
    (out / "xlsx").mkdir(parents=True, exist_ok=True)
    docx_files, xlsx_files = [], []
    for index in range(files):
        blocks = export_blocks(to_text(make_filing(rng, index)))
        docx_files.append(write_docx(blocks, out / "docx" / f"filing-{index:05d}.docx"))
        xlsx_files.append(write_xlsx(blocks, out / "xlsx" / f"filing-{index:05d}.xlsx"))
    return docx_files, xlsx_files


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
    parser.add_argument("--out", type=Path, default=HERE / "results" / "office.json")
    args = parser.parse_args()

    import docx
    import openpyxl

    from perflint.readers.docx_grid import read_docx_grid
    from perflint.readers.interpret import interpret
    from perflint.readers.xlsx_grid import read_xlsx_grid

    with tempfile.TemporaryDirectory(prefix="perflint-office-bench-") as tmp:
        root = Path(tmp)
        docx_files, xlsx_files = build(root, max(args.files, args.jobs_files))
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

        def check(jobs: int) -> None:
            subprocess.run([sys.executable, "-m", "perflint", "check", "--no-cache", "-q", f"-j{jobs}", str(directory)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # fmt: skip

        rows["perflint check -j1 (docx dir)"] = best(args.repeat, lambda: check(1))
        rows["perflint check -j2 (docx dir)"] = best(args.repeat, lambda: check(2))
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
    result = {
        "files": args.files,
        "jobs_files": args.jobs_files,
        "repeat": args.repeat,
        "seconds": rows,
        "ratios": ratios,
        "cpus": os.cpu_count(),
        "load": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
