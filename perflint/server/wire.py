"""The wire under pygls: what the server does with messages it cannot read, its log, its exit.

- A request pygls cannot read (bad params) is answered with a JSON-RPC error (pygls only shows a
  message, and the client would wait for ever); JSON that is not a message is ignored.
- pygls keeps the future of each generator / async handler until a request is answered — for a
  notification, for ever: the server forgets them when they are done (flat memory over edits).
- The log goes to standard error, one line a record (PERFLINT_DEBUG=1: everything).
- `exit` ends the process at once, after the exit hooks.

pygls has no public API for the first two (checked on 2.1.1, the newest release, and on its main
branch of 2026-07), so `Protocol` uses three of `JsonRPCProtocol`'s private names, and only here:
`_send_response` (to answer), `_execute_handler` and `_request_futures` (to forget). The
dependency is pinned to the pygls releases the tests ran on; tests/test_server_units.py and
tests/test_server_protocol.py fail if a release moves them.
"""

from __future__ import annotations

import logging
import os

from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol

log = logging.getLogger("perflint.server")


class Protocol(LanguageServerProtocol):
    """pygls's protocol, answering a request it cannot read with an error response (pygls only
    shows a message, and the client would wait for ever), and ignoring what is not a message."""

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            request_id = data.get("id")
            if isinstance(request_id, (int, str)) and "method" in data:
                self._send_response(request_id, error=error.to_response_error())
            log.warning("unreadable message ignored: %s", error)
            return _Ignored()

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        """pygls keeps the future of every asynchronous or generator handler in
        `_request_futures` and forgets it only for requests: each didOpen / didChange / didClose
        (pygls's own handlers are generators) would leave one behind, and memory would grow
        with every keystroke. Forget it when it is done, for notifications too."""

        def done(future, _callback=callback, _id=msg_id):
            if self._request_futures.get(_id) is future:
                del self._request_futures[_id]
            _callback(future)

        return super()._execute_handler(msg_id, handler, done, args, kwargs)

    def handle_message(self, message):
        if isinstance(message, _Ignored):
            return
        if not hasattr(message, "jsonrpc"):  # JSON, but not a JSON-RPC message
            log.warning("not a JSON-RPC message: %.200r", message)
            if (
                isinstance(message, dict)
                and isinstance(message.get("id"), (int, str))
                and "method" in message
            ):
                self._send_response(
                    message["id"], error=JsonRpcInvalidRequest().to_response_error()
                )
            return
        super().handle_message(message)


class _Ignored:
    """A message that was answered with an error (or could not be) and is not handled further."""


def exit_now(code: int) -> None:
    """End the process at once: pygls would wait for its reader thread, blocked on standard input
    until the client closes it (about 0.7 s here). The exit hooks run first (the value store is
    saved there), then nothing else can hold the process up."""
    import atexit
    import sys

    try:
        atexit._run_exitfuncs()
    except Exception:
        log.exception("exit hooks failed")
    for stream in (sys.stderr, sys.__stdout__):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(code)


class _OneLine(logging.Filter):
    """Log records as one line each, without tracebacks (PERFLINT_DEBUG=1 keeps them): the log is
    the editor's output panel, and a malformed message is not a crash."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = str(record.getMessage()).splitlines()[0] if record.getMessage() else ""
        record.args, record.exc_info, record.exc_text = (), None, None
        return True


def log_to_stderr() -> None:
    import sys

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("perflint server: %(levelname)s %(name)s: %(message)s"))
    if not os.environ.get("PERFLINT_DEBUG"):
        handler.addFilter(_OneLine())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if os.environ.get("PERFLINT_DEBUG") else logging.WARNING)
