"""`perflint server` on the wire: malformed messages and requests get an error answer or
nothing, never a crash; shutdown and exit end the process. A raw JSON-RPC client over the real
process's stdio (pytest-lsp would refuse to send such messages)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

from tests.helpers import REPO


class Wire:
    """Frames JSON-RPC messages to a `perflint server` process and reads its answers."""

    def __init__(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "perflint", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        self.messages: list[dict] = []
        self.lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr = b""
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        self.stderr = self.process.stderr.read()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = stream.read(length)
            with self.lock:
                self.messages.append(json.loads(body))
                self.lock.notify_all()

    def raw(self, data: bytes) -> None:
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message) -> None:
        body = message if isinstance(message, bytes) else json.dumps(message).encode("utf-8")
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def answer(self, request_id, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for message in self.messages:
                    if message.get("id") == request_id and (
                        "result" in message or "error" in message
                    ):
                        return message
                left = deadline - time.monotonic()
                assert left > 0, f"no answer to {request_id}: {self.messages}"
                self.lock.wait(left)


def test_malformed_messages_do_not_stop_the_server():
    wire = Wire()
    try:
        wire.send(
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
        )
        assert "capabilities" in wire.answer(1)["result"]
        wire.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        wire.send(b"{not json")  # a body that is not JSON
        wire.send(b"[1, 2, 3]")  # JSON that is not a message
        wire.send({"jsonrpc": "2.0", "id": 2, "method": "perflint/nonsense", "params": {}})
        assert wire.answer(2)["error"]["code"] == -32601  # method not found
        wire.send(
            {
                "jsonrpc": "2.0",
                "id": 3,
                "method": "textDocument/hover",
                "params": {"textDocument": 7},
            }
        )
        assert "error" in wire.answer(3)
        wire.send(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": 5}},
            }
        )
        wire.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///never/opened.yaml", "version": 2}, "contentChanges": [{"text": "项目: ["}],
        }})  # fmt: skip
        wire.send({"jsonrpc": "2.0", "id": 4, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": "file:///never/opened.yaml"},
            "range": {"start": {"line": -1, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []},
        }})  # fmt: skip
        assert "error" in wire.answer(4) or wire.answer(4)["result"] in (None, [])
        uri = "file:///tmp/perflint-wire/goal.yaml"
        wire.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": "项目:\n  - 项目名称: 甲\n    绩效指标: [\n",
        }}})  # fmt: skip
        wire.send({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0},
        }})  # fmt: skip
        assert "result" in wire.answer(5)  # still answering, after all of the above
        published = [
            m
            for m in wire.messages
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        ]
        assert published and [d["code"] for d in published[-1]["params"]["diagnostics"]] == [
            "PF001"
        ]
        wire.send({"jsonrpc": "2.0", "id": 6, "method": "shutdown"})
        assert wire.answer(6)["result"] is None
        wire.send({"jsonrpc": "2.0", "method": "exit"})
        assert wire.process.wait(timeout=30) == 0
    finally:
        if wire.process.poll() is None:
            wire.process.kill()
            wire.process.wait()
    assert b"Traceback" not in wire.stderr, wire.stderr.decode("utf-8", "replace")
    failures = [
        m
        for m in wire.messages
        if m.get("method") == "window/logMessage" and "perflint:" in m["params"]["message"]
    ]
    assert not failures  # no lint failed


def test_end_of_input_ends_the_server():
    """The client dies (its end of the pipe closes) without shutdown: the server exits too."""
    wire = Wire()
    try:
        wire.send(
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
        )
        wire.answer(1)
        wire.process.stdin.close()
        assert wire.process.wait(timeout=30) is not None
    finally:
        if wire.process.poll() is None:
            wire.process.kill()
            wire.process.wait()
