"""House rules the layout keeps (issue 18): module sizes, no import cycle, no late own imports.

Imports are read from the source (every `import` statement, at any depth), so an import hidden in
a function counts like one at the top. The layer contract itself is import-linter's
(`[tool.importlinter]` in pyproject.toml, run by .ci/run).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "perflint"
MAX_LINES = 500
MAX_CLI_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: dict[str, Path]):
    """(imported module, line, inside a function?) for each perflint import of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def resolve(module: str | None, level: int) -> str:
        if not level:
            return module or ""
        base = package.split(".")[: len(package.split(".")) - level + 1]
        return ".".join(base + ([module] if module else []))

    def visit(node: ast.AST, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # for the type checker only: never imported when the code runs
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = resolve(child.module, child.level)
                targets = [f"{base}.{alias.name}" for alias in child.names] + [base]
            for target in targets:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("perflint"):
                    yield target, child.lineno, in_function
            yield from visit(child, nested)

    yield from visit(tree, False)


def _graph() -> dict[str, set[tuple[str, int, bool]]]:
    known = _modules()
    return {name: set(_imports(name, path, known)) for name, path in known.items()}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                strong(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            strong(node)
    return found


def test_no_module_is_too_long():
    long = []
    for name, path in _modules().items():
        lines = path.read_text(encoding="utf-8").count("\n")
        limit = MAX_CLI_LINES if name.startswith("perflint.cli") else MAX_LINES
        if lines > limit:
            long.append(f"{name}: {lines} lines (at most {limit})")
    assert not long, "\n".join(long)


def test_no_import_cycle():
    graph = _graph()
    edges = {name: {target for target, _, _ in imports} for name, imports in graph.items()}
    for name in edges:  # a module's import of its own package's other modules goes through it
        edges[name] = {t for t in edges[name] if not name.startswith(t + ".")}
    cycles = _cycles(edges)
    assert not cycles, "\n".join(" → ".join(cycle) for cycle in cycles)


# Imports of perflint's own modules still made inside a function. Issue 18 wants none; until the
# list is empty it is a ratchet: a new one fails, and one that is removed must leave the list.
# What is left: the CLI's command dispatch (start-up time), the Word/Excel readers (they pull in
# lxml), the route's plugin host, and the server's deferred modules.
LATE_IMPORTS = {
    ("perflint.cli", "perflint.cli.check"),
    ("perflint.cli", "perflint.cli.clean"),
    ("perflint.cli", "perflint.cli.importer"),
    ("perflint.cli", "perflint.cli.rules"),
    ("perflint.cli", "perflint.cli.server"),
    ("perflint.config", "perflint.yamlutil"),
    ("perflint.config_lines", "perflint.yamlutil"),
    ("perflint.discovery", "perflint.readers.office"),
    ("perflint.formats.html.writer", "perflint.formats"),
    ("perflint.formats.xlsx", "perflint.formats"),
    ("perflint.formats.xlsx", "perflint.formats.html"),
    ("perflint.formats.xlsx", "perflint.formats.placement"),
    ("perflint.office_fix", "perflint.readers.docx_grid"),
    ("perflint.office_fix", "perflint.readers.office"),
    ("perflint.office_fix", "perflint.readers.xlsx_grid"),
    ("perflint.readers.documents", "perflint.readers.docx_grid"),
    ("perflint.readers.documents", "perflint.readers.xlsx_grid"),
    ("perflint.readers.docx_grid", "perflint.readers.office"),
    ("perflint.readers.xlsx_grid", "perflint.readers.office"),
    ("perflint.readers.xlsx_grid", "perflint.readers.xlsx_parts"),
    ("perflint.reading", "perflint.plugins.host"),
    ("perflint.reading", "perflint.readers.documents"),
    ("perflint.reading", "perflint.readers.office"),
    ("perflint.route", "perflint.engine.repository_checks"),
    ("perflint.route", "perflint.plugins.host"),
    ("perflint.route", "perflint.readers.documents"),
    ("perflint.server", "perflint.server.protocol"),
    ("perflint.server.actions", "perflint.engine.suppress"),
    ("perflint.server.actions", "perflint.readers.yaml_reader"),
    ("perflint.server.actions", "perflint.server.positions"),
    ("perflint.server.positions", "perflint.source"),
    ("perflint.server.protocol", "perflint.config"),
    ("perflint.server.protocol", "perflint.discovery"),
}


def test_own_modules_are_imported_at_the_top():
    late = {
        (name, target)
        for name, imports in _graph().items()
        for target, _, inside in imports
        if inside
    }
    assert late <= LATE_IMPORTS, "imported inside a function:\n" + "\n".join(
        f"{name} → {target}" for name, target in sorted(late - LATE_IMPORTS)
    )
    assert late >= LATE_IMPORTS, "no longer late, take them off LATE_IMPORTS:\n" + "\n".join(
        f"{name} → {target}" for name, target in sorted(LATE_IMPORTS - late)
    )
