"""What rules across filings cost: a repository of two years against the same run without them.

The corpus is `corpus.py`'s filings for 2025 plus, for each, last year's copy (2024: codes and
years shifted, some targets changed), so every filing has a counterpart. Each size is linted
`-j1 --no-cache` twice in fresh processes: with every rule (the repository index is built and
PF701–PF705 run) and with `--ignore PF7` (the single-file run, the floor). The ratio is the
price of the repository scope; near-constant ratios from the small size to the large one mean
the cost is near-linear in the number of filings.

    python bench/bench_repository.py [--sizes 1000 10000] [--out bench/results/repository.json]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import corpus

PERFLINT = str(Path(sys.executable).with_name("perflint"))


def write_repository(root: Path, files: int) -> None:
    this_year = root / "2025"
    paths = corpus.write_corpus(this_year, files // 2, seed=11, form="yaml")
    last_year = root / "2024"
    last_year.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        old = re.sub(r"(\d{6})25P", r"\g<1>24P", text.replace("2025", "2024"))
        if n % 3 == 0:
            old = old.replace("≥90%", "≥95%")  # a target that is lower this year
        (last_year / path.name).write_text(old, encoding="utf-8")


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([PERFLINT, *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    findings = len(json.loads(done.stdout)) if done.stdout.strip().startswith("[") else -1
    return elapsed, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "repository.json"
    )
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            write_repository(root, size)
            common = ["check", "-j1", "--no-cache", "--exit-zero", "--format", "json", "."]
            floor, plain = timed([*common, "--ignore", "PF7"], root)
            full, found = timed(common, root)
            across = timed([*common, "--select", "PF7"], root)[1]
        rows.append({"files": size, "single_file_s": round(floor, 2), "with_repository_s": round(full, 2),
                     "ratio": round(full / floor, 3), "findings": found, "cross_filing_findings": across,
                     "single_file_findings": plain})  # fmt: skip
        print(f"{size:>6} files: single-file {floor:6.2f} s, with repository rules {full:6.2f} s, ratio {full / floor:.2f} "
              f"({across} cross-filing findings)")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"rows": rows}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
