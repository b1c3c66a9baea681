"""Inline suppressions in goal YAML: `# perflint: disable…` comments outside quoted and block scalars."""

from __future__ import annotations

import re
from bisect import bisect_right

from perflint.model import Span, Suppression
from perflint.readers.yaml_tree import Scalar

_SUPPRESSION = re.compile(
    r"#\s*perflint\s*:\s*disable(?P<kind>-next-line|-file)?"
    r"(?:\s*=\s*(?P<codes>\w+(?:-\w+)*(?:\s*,\s*\w+(?:-\w+)*)*))?\s*(?:--.*)?$"
)
_COMMENT_START = re.compile(r"(?:^|(?<=\s))#")
_MARKER = re.compile(r"#\s*perflint\s*:")
_KINDS = {None: "line", "-next-line": "next-line", "-file": "file"}


# ---------------------------------------------------------------------------------------------
# inline suppressions


def suppressions(
    path: str, text: str, lines: list[str], quoted: list[Scalar]
) -> tuple[Suppression, ...]:
    """`# perflint: disable…` comments (not inside quoted or block scalars)."""
    if "perflint" not in text:
        return ()
    found = []
    inside = _region_index(quoted)
    for number, line in enumerate(lines):
        if "perflint" not in line:
            continue
        for start in _COMMENT_START.finditer(line):
            if inside(number, start.start()):
                continue
            # the first real `#` starts the comment; `# perflint: …` may stand later in it
            marker = _MARKER.search(line, start.start())
            match = marker and _SUPPRESSION.match(line.rstrip(), marker.start())
            if match:
                kind = _KINDS[match.group("kind")]
                codes = (
                    tuple(c.strip() for c in match.group("codes").split(","))
                    if match.group("codes")
                    else ()
                )
                target = {"line": number + 1, "next-line": number + 2, "file": 0}[kind]
                span = Span(path, number + 1, match.start() + 1, number + 1, match.end() + 1)
                found.append(Suppression(kind, codes, span, target))
            break
    return tuple(found)


def _region(node: Scalar) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where a `#` is text, not a comment: a quoted scalar, or a block scalar's body (not its header line)."""
    start = (node.sl, node.sc) if node.style in ("'", '"') else (node.sl + 1, 0)
    return start, (node.el, node.ec)


def _region_index(quoted: list[Scalar]):
    """(line, col) → whether it lies in one of the regions; by bisection, as a file may hold
    many thousands of quoted scalars and suppression comments."""
    regions = sorted(_region(node) for node in quoted)
    starts = [start for start, _ in regions]
    reach, furthest = [], (-1, -1)  # reach[i]: the furthest end among regions[: i + 1]
    for _, end in regions:
        furthest = max(furthest, end)
        reach.append(furthest)

    def inside(line: int, col: int) -> bool:
        point = (line, col)
        index = bisect_right(starts, point) - 1
        while index >= 0 and point < reach[index]:
            if point < regions[index][1]:
                return True
            index -= 1
        return False

    return inside
