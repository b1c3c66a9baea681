"""`perflint server`: the language server over stdio (perflint/server)."""

from __future__ import annotations

from perflint.server import main


def run_server(args) -> int:
    return main()
