"""The engine: rule files compiled into a rule set, and the rule set checked on a filing.

`load_ruleset` gathers and compiles every plugin's rules (`perflint.engine.rules`: a rule file
→ a `Rule`; `perflint.engine.conditions` → a condition tree; `perflint.engine.codegen` → Python
source); `check` runs them on one filing through the compiled plan (`perflint.engine.plan`). Rules
read a filing only through the `Context` (`perflint.engine.context`).
"""

from perflint.engine.check import check
from perflint.engine.conditions import ConditionError
from perflint.engine.context import Context
from perflint.engine.plan import internal_error
from perflint.engine.rule import Rule, RuleError, RuleMemo
from perflint.engine.ruleset import PluginHost, RuleSet, load_ruleset, rule_files

__all__ = [
    "ConditionError",
    "Context",
    "PluginHost",
    "Rule",
    "RuleError",
    "RuleMemo",
    "RuleSet",
    "check",
    "internal_error",
    "load_ruleset",
    "rule_files",
]
