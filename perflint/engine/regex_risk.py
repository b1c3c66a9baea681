"""Regular expressions in rule files that can backtrack catastrophically, found before they run."""

from __future__ import annotations

import re
from re import _constants as c  # the parsed form of a pattern, as re itself reads it
from re import _parser


def backtracking_risk(pattern: str) -> str | None:
    r"""Why `pattern` may take exponential time, or None.

    Rejected: a repeated group (`+`, `*`, `{n,}`, `{n,m}` with m > 1) around another variable
    repeat (`(a+)+`, `(a*)*`, `(\d+,?)+`, `(.*a){12}`), around alternatives that can start
    with the same character (`(a|a)+`, `(ab|a.)+`, `(a|aa)+`), or around an optional part
    that can start what the group starts with (`(aa?)+`). Possessive repeats and atomic groups
    never backtrack and are allowed. The check reads the parsed pattern (where `(a|b)+` is already
    a class `[ab]+`); it is conservative and rejects a few harmless patterns.
    """
    flags = _parser.parse(pattern).state.flags
    ignore_case = bool(flags & re.IGNORECASE)
    repeats = (c.MAX_REPEAT, c.MIN_REPEAT)

    def first(items):
        """(characters a match can start with: a list of (low, high) ranges or None for any; nullable)."""
        ranges: list | None = []
        for op, av in items:
            found, nullable = _first_of(op, av, first)
            if found is None or ranges is None:
                ranges = None
            else:
                ranges.extend(found)
            if not nullable:
                return (None if ignore_case and ranges else ranges), False
        return (None if ignore_case and ranges else ranges), True

    def walk(items, body_first):
        """A reason when a variable repeat or ambiguous choice sits inside a repeated body."""
        for op, av in items:
            if op in repeats:
                low, high, sub = av
                variable = low != high
                if body_first is not _OUTSIDE and variable:
                    if high > 1:
                        return "a repeat inside a repeated group"
                    if _overlap(first(sub)[0], body_first):
                        return "an optional part inside a repeated group"
                if high > 1 and body_first is _OUTSIDE:
                    reason = walk(sub, first(sub)[0])
                else:
                    reason = walk(sub, body_first)
            elif op == c.BRANCH:
                alternatives = av[1]
                if body_first is not _OUTSIDE:
                    starts = [first(alternative) for alternative in alternatives]
                    for i, (a, a_empty) in enumerate(starts):
                        for b, b_empty in starts[i + 1 :]:
                            if _overlap(a, b) or (a_empty and b_empty):
                                return "alternatives that can match the same text inside a repeated group"
                        if a_empty and any(_overlap(b, body_first) for b, _ in starts):
                            return (
                                "alternatives that can match the same text inside a repeated group"
                            )
                reason = next(
                    (r for r in (walk(alt, body_first) for alt in alternatives) if r), None
                )
            elif op == c.SUBPATTERN:
                reason = walk(av[3], body_first)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                reason = walk(av[1], body_first)
            elif op == c.GROUPREF_EXISTS:
                reason = walk(av[1], body_first) or (walk(av[2], body_first) if av[2] else None)
            elif op in (c.ATOMIC_GROUP,):
                reason = walk(av, _OUTSIDE)  # never backtracked into
            elif op in (c.POSSESSIVE_REPEAT,):
                reason = walk(av[2], _OUTSIDE)
            else:
                reason = None
            if reason:
                return reason
        return None

    return walk(_parser.parse(pattern), _OUTSIDE)


_OUTSIDE = ("outside a repeated group",)  # a marker, not a set of characters
_ANY = None


def _first_of(op, av, first):
    """(start characters, nullable) of one parsed item; see backtracking_risk."""
    if op == c.LITERAL:
        return [(av, av)], False
    if op == c.IN:
        if any(kind in (c.NEGATE, c.CATEGORY) for kind, _ in av):
            return _ANY, False
        return [
            (v, v) if kind == c.LITERAL else v for kind, v in av if kind in (c.LITERAL, c.RANGE)
        ], False
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        found, nullable = first(av[2])
        return found, nullable or av[0] == 0
    if op == c.SUBPATTERN:
        found, nullable = first(av[3])
        return (_ANY if av[1] & re.IGNORECASE and found else found), nullable
    if op == c.ATOMIC_GROUP:
        return first(av)
    if op == c.BRANCH:
        ranges: list | None = []
        nullable = False
        for alternative in av[1]:
            found, empty = first(alternative)
            ranges = None if found is None or ranges is None else ranges + found
            nullable = nullable or empty
        return ranges, nullable
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return [], True
    if op == c.GROUPREF_EXISTS:
        return _ANY, True
    if op == c.GROUPREF:
        return _ANY, True
    return _ANY, False  # ANY, NOT_LITERAL, CATEGORY …


def _overlap(a, b) -> bool:
    """Whether two start sets (range lists, None for any character, _OUTSIDE) share a character."""
    if a is _OUTSIDE or b is _OUTSIDE:
        return False
    if a is None or b is None:
        return a != [] and b != []
    return any(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in a for lo2, hi2 in b)
