"""Benchmark for `perflint server` (not a test): what an edit costs the language server.

On one 8-project goal YAML filing (bench/corpus.py's `eight_project_yaml`), it reports

- **handling time**: the server's own work for one change — `PerflintServer.lint` in this
  process: the CLI's route from text to findings, conversion to LSP diagnostics (UTF-16
  positions) and building the notification (pygls serialises it) — against a **floor** measured
  in the same run on the same text: `route.lint_file`, the command line's own route for
  standard input, with no LSP work. Median of `--edits` changes, each to a distinct value.
- **latency**: didChange sent → publishDiagnostics received, over stdio, from a client of the
  real `perflint server` process (debounce 0), median and 90th percentile.
- **memory**: the server process's RSS after every 100 of 1 000 edits, each to a value never
  seen before (the worst case: the value caches grow, up to their bounds), then 1 000 more that
  repeat 20 values (as typing in one cell does).
- **Lark**: whether a server linting the file imports Lark when the values are already stored
  in the cache directory (a previous run stored them), and when they are not.
- **shutdown**: shutdown + exit → process gone.

Run:  python bench/bench_server.py [--edits 200] [--memory-edits 1000] [--out bench/results/server.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def eight_projects() -> str:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    return corpus.eight_project_yaml()


def edited(text: str, i: int) -> str:
    """The text with its first quantity value changed to a distinct one (as typing does)."""
    marker = "指标值: "
    at = text.index(marker) + len(marker)
    end = text.index("\n", at)
    return text[:at] + f"≥{i + 1}人次" + text[end:]


def handling(text: str, edits: int, directory: Path) -> dict:
    """Median in-process time of the server's handling of one change (pygls's public message
    path: the JSON message in, the publishDiagnostics JSON written out), and of the CLI route's."""
    from pygls.uris import from_fs_path

    from perflint import route
    from perflint.server.protocol import build
    from perflint.server.session import Session

    path = directory / "goal.yaml"
    path.write_text(text, encoding="utf-8")
    uri = from_fs_path(str(path))
    ls = build()
    sent = []

    class Sink:  # the client's end of standard output
        def write(self, data: bytes) -> None:
            sent.append(data)

        def close(self) -> None:
            pass

    ls.protocol.set_writer(Sink())

    def handle(method: str, params: dict, **extra) -> None:
        body = json.dumps({"jsonrpc": "2.0", "method": method, "params": params, **extra})
        ls.protocol.handle_message(json.loads(body, object_hook=ls.protocol.structure_message))

    async def change(version: int, new: str) -> float:
        """Seconds from the didChange message to the publishDiagnostics bytes written."""
        before = len(sent)
        start = time.perf_counter()
        handle("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": new}],
        })  # fmt: skip
        while not any(b"publishDiagnostics" in data for data in sent[before:]):
            await asyncio.sleep(0)
        return time.perf_counter() - start

    initialize = {"capabilities": {}, "initializationOptions": {"debounce": 0}}
    handle("initialize", initialize, id=1)
    handle("initialized", {})
    document = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
    handle("textDocument/didOpen", {"textDocument": document})  # warm: rule set, parser
    session = Session()
    run = session._run_for(str(directory))
    settings = run.settings_of_path(str(path))

    async def timed() -> tuple[list, list]:
        server_times, floor_times = [], []
        for i in range(edits):
            new = edited(text, i)
            server_times.append(await change(i + 2, new))
            start = time.perf_counter()
            route.lint_file(route.Bytes(str(path), new.encode("utf-8")), settings)
            floor_times.append(time.perf_counter() - start)
        return server_times, floor_times

    server_times, floor_times = asyncio.run(timed())
    last = json.loads(sent[-1].split(b"\r\n\r\n", 1)[1])
    findings = len(last["params"]["diagnostics"])
    server_ms, floor_ms = (
        statistics.median(server_times) * 1000,
        statistics.median(floor_times) * 1000,
    )
    return {
        "server_ms": round(server_ms, 1),
        "floor_ms": round(floor_ms, 1),
        "ratio": round(server_ms / floor_ms, 2),
        "findings": findings,
        "edits": edits,
    }


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def over_stdio(text: str, edits: int, memory_edits: int, directory: Path) -> dict:
    """Latency and memory of the real server process, driven by pytest-lsp's client."""
    from lsprotocol import types
    from pygls.uris import from_fs_path
    from pytest_lsp import ClientServerConfig
    from pytest_lsp.client import client_capabilities

    env = dict(os.environ, PYTHONPATH=str(REPO), PERFLINT_CACHE_DIR=str(directory / "cache"))
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "perflint", "server"], server_env=env
    )
    client = await config.start()
    got = asyncio.Event()

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):
        return None

    original = client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def published(params):
        original(params)
        got.set()

    client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = published
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"debounce": 0},
        )
    )
    pid = client._server.pid
    path = directory / "goal.yaml"
    path.write_text(text, encoding="utf-8")
    uri = from_fs_path(str(path))
    got.clear()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text))
    )
    await got.wait()

    async def change(version: int, new: str) -> float:
        got.clear()
        start = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangeWholeDocument(text=new)],
            )
        )
        await got.wait()
        return time.perf_counter() - start

    latencies = [await change(i + 2, edited(text, i)) for i in range(edits)]
    version = edits + 2
    series = {}
    for name, value in (("distinct", lambda i: 100_000 + i), ("repeating", lambda i: i % 20)):
        rss = series[name] = [rss_kb(pid)]
        for i in range(memory_edits):
            await change(version, edited(text, value(i)))
            version += 1
            if (i + 1) % 100 == 0:
                rss.append(rss_kb(pid))
    start = time.perf_counter()
    await client.shutdown_session()
    shutdown = time.perf_counter() - start
    latencies.sort()
    return {
        "latency_median_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p90_ms": round(latencies[int(len(latencies) * 0.9)] * 1000, 1),
        # each edit a value never seen before (the value caches grow, up to their bounds), then
        # edits that repeat 20 values (what typing in one cell does): RSS after every 100
        "rss_mb_every_100_edits": {k: [round(kb / 1024, 1) for kb in v] for k, v in series.items()},
        "rss_growth_mb": {
            k: round((v[-1] - v[1]) / 1024, 1) if len(v) > 2 else None for k, v in series.items()
        },
        "shutdown_exit_ms": round(shutdown * 1000, 1),
    }


LARK_PROBE = """
import sys
from perflint.server.session import Session
session = Session()
linted = session.lint_text(sys.argv[1], open(sys.argv[1], encoding="utf-8").read())
print(len(linted.diagnostics), "lark" in sys.modules)
"""


def lark_imports(text: str, directory: Path) -> dict:
    """Whether a server session imports Lark: with a cache directory that has not seen the
    file's values, and after one that has (values stored by the first run)."""
    path = directory / "lark" / "goal.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), PERFLINT_CACHE_DIR=str(directory / "lark-cache"))
    answers = []
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", LARK_PROBE, str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        answers.append(out.stdout.split()[-1] == "True")
    return {"lark_imported_cold": answers[0], "lark_imported_values_stored": answers[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--memory-edits", type=int, default=1000)
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "server.json"))
    args = parser.parse_args()
    text = eight_projects()
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        os.environ["PERFLINT_CACHE_DIR"] = str(directory / "inproc-cache")
        load_before = os.getloadavg()
        result = {
            "file": {"projects": 8, "bytes": len(text.encode("utf-8")), "lines": text.count("\n")}
        }
        result["handling"] = handling(text, args.edits, directory)
        result["stdio"] = asyncio.run(over_stdio(text, args.edits, args.memory_edits, directory))
        result["lark"] = lark_imports(text, directory)
        result["machine"] = {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
        }
    Path(args.out).write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    h, s = result["handling"], result["stdio"]
    print(f"8-project file: {result['file']['bytes']} bytes, {h['findings']} findings")
    print(
        f"handling one change: server {h['server_ms']} ms, CLI route (floor) {h['floor_ms']} ms, ratio {h['ratio']}x"
    )
    print(f"over stdio: median {s['latency_median_ms']} ms, p90 {s['latency_p90_ms']} ms")
    for name, rss in s["rss_mb_every_100_edits"].items():
        print(
            f"RSS every 100 edits, {name} values (MB): {rss}  growth after the first 100: {s['rss_growth_mb'][name]} MB"
        )
    print(
        f"Lark imported: cold {result['lark']['lark_imported_cold']}, values stored {result['lark']['lark_imported_values_stored']}"
    )
    print(
        f"shutdown + exit: {s['shutdown_exit_ms']} ms; load {result['machine']['load_before']} → {result['machine']['load_after']}"
    )


if __name__ == "__main__":
    main()
