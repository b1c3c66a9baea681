"""perflint's command line: parse arguments and dispatch to a command.

    perflint check [PATHS…]      lint files and directories (also: perflint PATHS…)
    perflint rules               list every rule (--format text|json|markdown; --test PATH)
    perflint rule PF401          one rule's documentation
    perflint import FILE.txt     convert a text export to goal YAML
    perflint clean               remove the result caches
    perflint server              a language server (LSP over stdio) for editors
    perflint --version

Exit codes: 0 no finding at or above the fail level, 1 findings, 2 usage error, unreadable
configuration or internal error. One module per command (cli/check.py, cli/rules.py, …), each
imported when its command runs — the one place perflint imports its own modules in a function:
so `--version` and `--help` do not load the rule engine, YAML or the plugin host.
"""

from __future__ import annotations

import os
import sys

from perflint import __version__
from perflint.cli.args import lang_hint, parse_args
from perflint.cli.output import say, write
from perflint.errors import BilingualError


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):
        write(sys.stdout, f"perflint {__version__}\n")
        return 0
    lang = lang_hint(argv)
    try:
        args = parse_args(argv)
        return _command(args.command)(args)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 2
    except BilingualError as error:
        say(lang, error.zh, error.en)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 1
    except Exception as error:
        if os.environ.get("PERFLINT_DEBUG"):
            import traceback

            traceback.print_exc()
        detail = f"{type(error).__name__}: {error}"
        say(
            lang,
            f"内部错误：{detail}（请报告此问题；设置 PERFLINT_DEBUG=1 可查看详情）",
            f"internal error: {detail} (please report it; PERFLINT_DEBUG=1 shows the traceback)",
        )
        return 2


def _command(name: str):
    """The function that runs the command `name` (imported now: see the module's docstring)."""
    if name in ("rules", "rule"):
        from perflint.cli import rules

        return rules.run_rules if name == "rules" else rules.run_rule
    if name == "import":
        from perflint.cli.importer import run_import

        return run_import
    if name == "clean":
        from perflint.cli.clean import run_clean

        return run_clean
    if name == "server":
        from perflint.cli.server import run_server

        return run_server
    from perflint.cli.check import run_check

    return run_check
