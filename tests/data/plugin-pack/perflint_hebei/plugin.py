"""perflint hooks of the example province pack."""

from pathlib import Path

import pluggy

hookimpl = pluggy.HookimplMarker("perflint")


def goals_too_short(ctx, minimum: int = 10):
    """HB101: every 绩效目标 statement of a project is shorter than `minimum` characters."""
    goals = [g.text for g in ctx.project.goals]
    return bool(goals) and all(len(g) < minimum for g in goals)


@hookimpl
def perflint_rule_paths():
    return [Path(__file__).parent / "rules"]


@hookimpl
def perflint_predicates():
    return {"goals_too_short": goals_too_short}


@hookimpl
def perflint_forms():
    return [Path(__file__).parent / "forms" / "hebei.yaml"]
