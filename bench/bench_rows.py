"""One row-heavy text export (not a test): peak RSS and time of every format, at two sizes.

    python bench/bench_rows.py [--rows 100000] [--out bench/results/rows.json]

A text export of one seed followed by N small rows (`\\t第i行`, each a block of its own): every
row is a finding (PF001: a row perflint cannot place) and more, so the file of 100 000 rows
(~1.4 MB) gives about 400 000 findings in one file. Memory must grow with the findings kept, not
with an intermediate form per finding (issue 22: before, 630 MB text, 1.7 GB json, 2 GB sarif
for this file). Each format runs in a fresh process (`--no-cache`, and a cached cold run for
text), at N/4 and N rows, so the ratios of CPU time (not wall time: a busy machine stretches
that) and of peak RSS show whether they grow linearly; the floor is reading and decoding the same
file.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import measure, perflint_command  # noqa: E402

SEED = HERE.parent / "examples" / "huailai-xinfang-2024.txt"
FLOOR = "import sys; open(sys.argv[1], 'rb').read().decode('utf-8')"
FORMATS = ("text", "json", "github", "sarif")


def write_rows(path: Path, rows: int) -> None:
    seed = SEED.read_text(encoding="utf-8")
    path.write_text(seed + "\n" + "".join(f"\t第{i}行\n\n" for i in range(rows)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "rows.json")
    args = parser.parse_args()
    results: dict = {"rows": {}}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for rows in (args.rows // 4, args.rows):
            path = root / f"rows-{rows}.txt"
            write_rows(path, rows)
            entry = {
                "bytes": path.stat().st_size,
                "floor": measure([sys.executable, "-c", FLOOR, str(path)], root),
            }
            for fmt in FORMATS:
                command = [
                    *perflint_command(),
                    "check",
                    "--no-cache",
                    "-j1",
                    "--format",
                    fmt,
                    path.name,
                ]
                entry[fmt] = measure(command, root, root / f"out-{fmt}")
                print(
                    f"{rows:>7} rows {fmt:7} {entry[fmt]['seconds']:7.2f} s (CPU {entry[fmt]['cpu_seconds']:6.2f} s) "
                    f"{entry[fmt]['peak_rss_kb'] / 1024:6.0f} MB "
                    f"{entry[fmt]['stdout_bytes'] / 1e6:7.1f} MB out",
                    flush=True,
                )
            cache = root / f"cache-{rows}"
            command = [*perflint_command(), "check", "-j1", "--cache-dir", str(cache), path.name]
            entry["text_cold_cache"] = measure(command, root, root / "out-cold")
            print(
                f"{rows:>7} rows text, cold cache {entry['text_cold_cache']['seconds']:7.2f} s "
                f"{entry['text_cold_cache']['peak_rss_kb'] / 1024:6.0f} MB",
                flush=True,
            )
            results["rows"][str(rows)] = entry
    small, large = (results["rows"][str(n)] for n in (args.rows // 4, args.rows))
    results["growth_4x"] = {
        fmt: {"cpu": round(large[fmt]["cpu_seconds"] / small[fmt]["cpu_seconds"], 2),
              "rss": round(large[fmt]["peak_rss_kb"] / small[fmt]["peak_rss_kb"], 2)}
        for fmt in (*FORMATS, "text_cold_cache")
    }  # fmt: skip
    print("4× the rows:", json.dumps(results["growth_4x"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
