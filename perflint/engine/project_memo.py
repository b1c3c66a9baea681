"""Work done once per project of the filing being checked, for predicates that look back."""

from __future__ import annotations


def per_project(work):
    """`work(project)` as a function (ctx, project) that works it out once per project of the
    filing being checked (a new filing starts afresh).

    PF601/PF602 compare each project with up to MAX_EARLIER before it, PF105 each row with the
    rows before it: without this, the same rows and goal texts would be worked out again and
    again. An answer is kept with its project, so an id is never mistaken for another object's.
    """
    held: list = [()]  # the filing's projects (held, so their ids stay theirs)
    answers: dict[int, tuple] = {}  # {id: (project, answer)}

    def answer(ctx, project):
        if held[0] is not ctx.filing.projects:
            held[0] = ctx.filing.projects
            answers.clear()
        kept = answers.get(id(project))
        if kept is not None and kept[0] is project:
            return kept[1]
        found = work(project)
        answers[id(project)] = (project, found)
        return found

    answer.__name__, answer.__doc__ = work.__name__, work.__doc__
    return answer
