"""The reviewer's reports against the JSON format on the same run: time, CPU and peak RSS.

For each corpus size (goal YAML filings from corpus.py) it runs, each in a fresh process,
`perflint check DIR -jN --no-cache --format F -o OUT` for F = json, html, xlsx, and the html
report again from a warm cache (the sections kept in the cache entries). It prints a table and
writes bench/results/reports.json. The ratios are what to read (the same run, the same files);
seconds are for orientation. Peak RSS is the largest process of the run's tree.

    python bench/bench_reports.py                      # 1 000 and 10 000 files
    python bench/bench_reports.py --sizes 1000 --jobs 1 --corpus /tmp/pfreports
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from run import compile_bytecode, measure, perflint_command  # noqa: E402

FORMATS = ("json", "html", "xlsx")


def make(root: Path, files: int, seed: int) -> Path:
    directory = root / f"yaml-{files}"
    marker = directory / ".done"
    if not marker.is_file():
        shutil.rmtree(directory, ignore_errors=True)
        corpus.write_corpus(directory, files, seed, "yaml")
        marker.write_text("")
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--corpus",
        type=Path,
        help="where to write (or reuse) the corpora; default: a temporary directory",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "reports.json")
    args = parser.parse_args()
    compile_bytecode()
    temporary = None if args.corpus else tempfile.mkdtemp(prefix="perflint-reports-")
    root = (args.corpus or Path(temporary)).resolve()
    root.mkdir(parents=True, exist_ok=True)
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "jobs": args.jobs,
        "load_before": os.getloadavg()[0],
    }
    results = {"machine": machine, "runs": {}}
    if (
        args.out.is_file()
    ):  # a run of some sizes keeps the other sizes' rows (each row says when it ran)
        try:
            results["runs"] = json.loads(args.out.read_text(encoding="utf-8")).get("runs", {})
        except (ValueError, AttributeError):
            pass
    try:
        for files in (int(n) for n in args.sizes.split(",")):
            directory = make(root, files, args.seed)
            row = results["runs"][str(files)] = {
                "date": time.strftime("%Y-%m-%d %H:%M"),
                "load_before": os.getloadavg()[0],
            }
            for name in FORMATS:
                out = root / f"out-{files}.{name}"
                command = [
                    *perflint_command(),
                    "check",
                    str(directory),
                    f"-j{args.jobs}",
                    "--no-cache",
                    "--format",
                    name,
                    "-o",
                    str(out),
                ]
                row[name] = measure(command, root)
                row[name]["output_bytes"] = out.stat().st_size
                print(
                    f"{files:>6} files  {name:<5} {row[name]['seconds']:7.2f} s  {row[name]['peak_rss_kb'] / 1024:6.0f} MB",
                    flush=True,
                )
            cache = root / f"cache-{files}"
            shutil.rmtree(cache, ignore_errors=True)
            out = root / f"out-{files}-cached.html"
            command = [
                *perflint_command(),
                "check",
                str(directory),
                f"-j{args.jobs}",
                "--cache-dir",
                str(cache),
                "--format",
                "html",
                "-o",
                str(out),
            ]
            row["html cold cache"] = measure(command, root)
            row["html warm cache"] = measure(command, root)
            shutil.rmtree(cache, ignore_errors=True)
            for key in ("html cold cache", "html warm cache"):
                print(
                    f"{files:>6} files  {key:<15} {row[key]['seconds']:7.2f} s  {row[key]['peak_rss_kb'] / 1024:6.0f} MB",
                    flush=True,
                )
            base = row["json"]
            row["ratios"] = {
                f"{name} / json": {
                    "seconds": round(row[name]["seconds"] / base["seconds"], 2),
                    "cpu": round(row[name]["cpu_seconds"] / base["cpu_seconds"], 2),
                    "peak_rss": round(row[name]["peak_rss_kb"] / base["peak_rss_kb"], 2),
                }
                for name in ("html", "xlsx", "html warm cache")
            }
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    results["machine"]["load_after"] = os.getloadavg()[0]
    results["date"] = time.strftime("%Y-%m-%d")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(report(results))


def report(results: dict) -> str:
    lines = [
        "",
        "| files | format | seconds | CPU s | peak RSS MB | output MB | × json time | × json RSS |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for files, row in sorted(results["runs"].items(), key=lambda kv: int(kv[0])):
        for name in (*FORMATS, "html cold cache", "html warm cache"):
            r = row[name]
            ratio = row["ratios"].get(
                f"{name} / json", {"seconds": 1.0, "peak_rss": 1.0} if name == "json" else None
            )
            times = f"{ratio['seconds']:.2f}" if ratio else ""
            rss = f"{ratio['peak_rss']:.2f}" if ratio else ""
            size = f"{r['output_bytes'] / 1048576:.1f}" if "output_bytes" in r else ""
            lines.append(
                f"| {files} | {name} | {r['seconds']:.2f} | {r['cpu_seconds']:.1f} | {r['peak_rss_kb'] / 1024:.0f} | {size} | {times} | {rss} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
