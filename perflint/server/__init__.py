"""`perflint server`: a language server (LSP over stdio, on pygls) for goal files.

    protocol.py   the pygls glue: messages, debouncing, error containment
    wire.py       unreadable messages, pygls's futures, the log, exit
    session.py    the CLI's route from a document to findings, configuration re-discovery
    positions.py  perflint's code-point columns ↔ LSP UTF-16 / UTF-8 / UTF-32 characters
    findings.py   perflint diagnostics → LSP diagnostics
    actions.py    quick fixes, fix all, disable-for-this-line
    assist.py     hover and completion

pygls and lsprotocol are imported only here, so `perflint check` never pays for them.
"""

from __future__ import annotations


def main() -> int:
    from perflint.server.protocol import serve

    return serve()
