"""The value grammar: grammar/value.lark plus terminals made from the lexicon and the units,
built into a Lark LALR parser once (its tables kept in the cache directory between runs)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from perflint.resources import data_file
from perflint.values import stored
from perflint.values.lexicon import lexicon
from perflint.values.units import _units as unit_table


@cache
def parser() -> Any:
    """The LALR parser: value.lark plus the PREFIX / SUFFIX / UNIT / PCT_WORD terminals."""
    lex, units = lexicon(), unit_table()

    def alt(words: Iterable[str]) -> str:
        # longest first; equal lengths in a fixed order so the grammar text (the cache key) is stable
        return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))

    suffixes = alt(lex["suffix"])
    unit_words = alt(u.raw for u in units.values() if not u.prefix)
    # A unit ends where no Han character or Latin letter follows, or where a suffix
    # comparator or a range separator does (3天内, 80%至90%); so 个 does not match in 个项目.
    unit_re = rf"(?:{unit_words})(?:(?![\u3400-\u9fffA-Za-z])|(?={suffixes}|至|到))"
    generated = {
        "PREFIX.5": alt(lex["prefix"]),
        "SUFFIX.5": suffixes,
        "UNIT.4": unit_re,
        "PCT_WORD.6": alt(u.raw for u in units.values() if u.prefix),
    }
    text = data_file("grammar", "value.lark").read_text(encoding="utf-8")
    text += "\n" + "\n".join(
        f"{name}: /{rx.replace('/', chr(92) + '/')}/" for name, rx in generated.items()
    )
    return _build_parser(text)


def _build_parser(text: str) -> Any:
    from lark import Lark  # heavy: only when a value needs the grammar

    directory = stored.directory
    if directory is None:
        return Lark(text, parser="lalr", lexer="contextual")
    import lark

    path = (
        directory
        / f"value-grammar-{hashlib.sha256((lark.__version__ + text).encode()).hexdigest()[:32]}.json"
    )
    try:
        payload = stored.read_sealed(
            path, b"grammar\x00" + path.name.encode()
        )  # tables this user's perflint wrote
        if payload is not None:
            data, memo = json.loads(payload, object_hook=_untag)
            return Lark._load_from_dict(data, memo)
    except Exception:
        pass
    parser = Lark(text, parser="lalr", lexer="contextual")
    try:
        from lark.grammar import Rule
        from lark.lexer import TerminalDef

        data = json.dumps(_tag(parser.memo_serialize([TerminalDef, Rule])), ensure_ascii=False)
        directory.mkdir(parents=True, exist_ok=True)
        stored.write_sealed(path, b"grammar\x00" + path.name.encode(), data.encode("utf-8"))
    except Exception:
        pass
    return parser


def _tag(value: Any) -> Any:
    """Lark's serialised tables as JSON: dicts (keys of any type) and tuples tagged, lists as lists."""
    kind = type(value)
    if kind is dict:
        return {"d": [[_tag(k), _tag(v)] for k, v in value.items()]}
    if kind is tuple:
        return {"t": [_tag(v) for v in value]}
    if kind is list:
        return [_tag(v) for v in value]
    if value is None or kind in (str, int, float, bool):
        return value
    raise TypeError(f"cannot store {kind.__name__}")


def _untag(tagged: dict) -> Any:
    if "d" in tagged:
        return dict(tagged["d"])
    return tuple(tagged["t"])
