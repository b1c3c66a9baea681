"""Load plugins (built-in first, then the entry-point group `perflint`) and call their hooks safely.

A plugin that fails to import, or whose hook raises, is reported once as a `PluginProblem`
and skipped; the run goes on with everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points

import pluggy

from perflint.plugins import hookspecs, lib
from perflint.readers.forms import Forms, host_forms

ENTRY_POINT_GROUP = "perflint"


@dataclass(frozen=True)
class PluginProblem:
    plugin: str
    problem: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r}: {self.problem}"


class Host:
    def __init__(self, disabled: frozenset[str] = frozenset(), use_entry_points: bool = True):
        self.manager = pluggy.PluginManager("perflint")
        self.manager.add_hookspecs(hookspecs)
        self.manager.register(lib, name="perflint")
        self.problems: list[PluginProblem] = []
        self._forms: Forms | None = None
        if use_entry_points:
            try:
                entries = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
            except Exception as error:
                entries = []
                self.problems.append(
                    PluginProblem(
                        "(entry points)", f"cannot be listed: {type(error).__name__}: {error}"
                    )
                )
            for entry in entries:
                if entry.name in disabled:
                    continue
                try:
                    self.manager.register(entry.load(), name=entry.name)
                except (Exception, SystemExit) as error:
                    self.problems.append(
                        PluginProblem(
                            entry.name, f"cannot be loaded: {type(error).__name__}: {error}"
                        )
                    )

    def collect(self, hook_name: str, **arguments) -> list[tuple[str, object]]:
        """(plugin name, result) of every implementation of a hook, each given the `arguments` it
        names (as pluggy does); failures become problems."""
        results = []
        for impl in getattr(self.manager.hook, hook_name).get_hookimpls():
            try:
                result = impl.function(**{n: arguments[n] for n in impl.argnames if n in arguments})
            except (Exception, SystemExit) as error:
                self.problems.append(
                    PluginProblem(
                        impl.plugin_name, f"{hook_name} failed: {type(error).__name__}: {error}"
                    )
                )
                continue
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    def merged(self, hook_name: str, **arguments) -> dict:
        """The dict results of a hook merged, built-ins first so plugins may override."""
        merged: dict = {}
        for plugin, result in self.collect(hook_name, **arguments):
            if isinstance(result, dict):
                merged.update(result)
            else:
                self.problems.append(PluginProblem(plugin, f"{hook_name} must return a dict"))
        return merged

    def forms(self) -> Forms:
        """The vocabulary of tables: the package's and that of every plugin (`perflint_forms`)."""
        if self._forms is None:
            self._forms = host_forms(self)
        return self._forms

    def readers(self) -> dict:
        """{suffix: read(path, text)} of every plugin, built-ins first (`perflint_readers`)."""
        return self.merged("perflint_readers", forms=self.forms())


@cache
def get_host(disabled: frozenset[str] = frozenset()) -> Host:
    return Host(disabled)
