"""Encodings and line ends: each is read, and every finding points where it does in the UTF-8/LF
original (positions count code points; a BOM is not a column; CR, LF and CRLF each end a line).
Bytes that are not text at all get one PF001 with the place of the first bad byte.
"""

from __future__ import annotations

import codecs

import pytest
from helpers import lint_bytes
from robust_helpers import assert_sound, codes, seeds

SEEDS = seeds()


def positions(result) -> list[tuple]:
    return sorted(
        (d.code, d.span.line, d.span.col, d.span.end_line, d.span.end_col)
        for d in result.diagnostics
    )


def mixed_line_ends(text: str) -> str:
    """LF, CRLF and CR in turn (a CR before an empty line would merge with its LF: CRLF there)."""
    lines = text.split("\n")
    ends = ("\n", "\r\n", "\r")
    out = []
    for i, line in enumerate(lines[:-1]):
        end = ends[i % 3]
        if end == "\r" and not lines[i + 1] and (i + 1) % 3 == 0 and i + 1 < len(lines) - 1:
            end = "\r\n"
        out.append(line + end)
    return "".join(out) + lines[-1]


VARIANTS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-16 with BOM": lambda t: t.encode("utf-16"),
    "utf-16-be with BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-32 with BOM": lambda t: t.encode("utf-32"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "mixed line ends": lambda t: mixed_line_ends(t).encode("utf-8"),
    "gb18030 crlf with BOM": lambda t: codecs.BOM_UTF8 + t.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("seed", sorted(SEEDS))
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_findings_stand_where_they_stand_in_utf8(ruleset, seed, variant):
    text = SEEDS[seed].decode("utf-8")
    original = lint_bytes(seed, text.encode("utf-8"), ruleset)
    data = VARIANTS[variant](text)
    result = lint_bytes(seed, data, ruleset)
    assert positions(result) == positions(original)
    assert_sound(seed, data, ruleset)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_gbk_is_detected_and_can_be_named(ruleset, seed):
    text = SEEDS[seed].decode("utf-8")
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError:
        pytest.skip("the seed holds a character GBK lacks")
    original = positions(lint_bytes(seed, text.encode("utf-8"), ruleset))
    assert (
        positions(lint_bytes(seed, data, ruleset)) == original
    )  # detected (as GB18030, a superset)
    assert positions(lint_bytes(seed, data, ruleset, encoding="gbk")) == original
    assert lint_bytes(seed, data, ruleset, encoding="gbk").source.encoding == "gbk"


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_utf16_without_a_bom_is_refused_unless_named(ruleset, seed):
    text = SEEDS[seed].decode("utf-8")
    data = text.encode("utf-16-le")
    refused = lint_bytes(seed, data, ruleset)
    assert (
        codes(refused) == ["PF001"] and "--encoding utf-16-le" in refused.diagnostics[0].message.en
    )
    named = lint_bytes(seed, data, ruleset, encoding="utf-16-le")
    assert positions(named) == positions(lint_bytes(seed, text.encode("utf-8"), ruleset))


def test_a_wrongly_named_encoding_or_an_unknown_one_is_a_pf001(ruleset):
    data = SEEDS[min(SEEDS)]
    for encoding in ("ascii", "no-such-codec", "rot13", "base64", "hex", "zlib"):
        result = lint_bytes("x.yaml", data, ruleset, encoding=encoding)
        assert "PF001" in codes(result), encoding
        assert_sound("x.yaml", data, ruleset, encoding=encoding)


@pytest.mark.parametrize(
    "encoding", ["utf-7", "unicode_escape", "raw_unicode_escape", "latin-1", "cp1252", "big5"]
)
def test_exotic_named_encodings_give_sound_results(ruleset, encoding):
    """unicode_escape and utf-7 can decode to lone surrogates, which no reader can handle."""
    for data in (
        b'\xe9\x83\xa8\xe9\x97\xa8: "\\ud800"\n',
        b"\xe9\x83\xa8: +2AA-\n",
        b"a: \\udc00 b\n",
        b"\x80\x81\xfe\xff",
    ):
        assert_sound("x.yaml", data, ruleset, encoding=encoding)
        assert_sound("x.txt", data, ruleset, encoding=encoding)


BINARY = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8,
    "high bytes": bytes(range(128, 256)) * 4,
    "invalid utf-8 and gb18030": b"\xff\xfe\xfd\x80\x80\x80",
    "a lone 0x80": "部门: 信访局\n年度: 2024\n".encode() + b"\x80",
    "utf-8 then latin-1": "部门: 信访局\n".encode() + "mingcheng: café\n".encode("latin-1"),
    "only NUL": b"\x00" * 1000,
    "utf-16 without BOM": "部门: x\n".encode("utf-16-le"),
    "half a BOM": b"\xef\xbb",
    "a BOM only": codecs.BOM_UTF8,
    "a utf-16 BOM then odd bytes": codecs.BOM_UTF16_LE + b"a\x00b",
    "a utf-16 BOM then a lone surrogate": codecs.BOM_UTF16_LE + b"\x00\xd8a\x00",
    "utf-8 encoded surrogate": b"a: \xed\xa0\x80\n",
    "overlong utf-8": b"a: \xc0\xaf\n",
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("suffix", [".yaml", ".txt", ""])
def test_bytes_that_are_not_text_get_a_located_pf001(ruleset, name, suffix):
    data = BINARY[name]
    result = lint_bytes("file" + suffix, data, ruleset)
    assert_sound("file" + suffix, data, ruleset)
    if result.source is None:
        assert codes(result) == ["PF001"]
        message = result.diagnostics[0].message
        assert message.zh and message.en


def test_the_first_bad_byte_is_located(ruleset):
    data = "部门: 信访局\n名称: 信访\n".encode() + b"\xff\xff\xff"
    (finding,) = lint_bytes("x.yaml", data, ruleset).diagnostics
    assert (finding.code, finding.span.line, finding.span.col) == ("PF001", 3, 1)
    data = "部门: 信访局\n名称: 信访".encode() + b"\xff\xff\x00"
    (finding,) = lint_bytes("x.yaml", data, ruleset).diagnostics
    assert (finding.code, finding.span.line) == ("PF001", 2)


def test_fixes_keep_the_encoding_bom_and_line_ends(ruleset):
    from perflint.engine.fixer import fix_text

    seed = min(SEEDS)
    text = SEEDS[seed].decode("utf-8")
    for variant in ("utf-8 with BOM", "gb18030", "utf-16 with BOM", "crlf", "mixed line ends"):
        data = VARIANTS[variant](text)
        result = lint_bytes(seed, data, ruleset)
        source = result.source

        def lint(t, source=source):
            return list(lint_bytes(seed, source.encode(t), ruleset, source.encoding).diagnostics)

        outcome = fix_text(source.text, lint)
        assert outcome.refused is None and outcome.fixed > 0
        fixed = source.encode(outcome.text)
        assert fixed.startswith(source.bom)
        assert fixed.count(b"\r") == data.count(b"\r") or variant.startswith("utf-16")
        assert fixed.decode(
            source.encoding
            if not source.bom
            else "utf-8-sig"
            if variant.startswith("utf-8")
            else "utf-16"
        ).count("\r\n") == source.text.count("\r\n")
