"""Turn a file's bytes into text, remembering how to turn edited text back into the same bytes."""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


class DecodeError(ValueError):
    """The bytes are not text perflint can read; `line`/`col` locate the first bad byte."""

    def __init__(self, message_zh: str, message_en: str, line: int = 1, col: int = 1):
        super().__init__(message_en)
        self.message_zh, self.message_en, self.line, self.col = message_zh, message_en, line, col


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str  # decoded, BOM removed, line ends as in the file
    encoding: str  # codec to encode edited text with
    bom: bytes  # the BOM to put back in front

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


# Codecs that are not a text encoding for a file perflint may rewrite: decoding and encoding
# again would change bytes outside the edits (escapes, several spellings of one text) or the
# codec is not one at all.
_NOT_TEXT = frozenset(
    (
        "unicode-escape",
        "raw-unicode-escape",
        "utf-7",
        "punycode",
        "idna",
        "undefined",
        "mbcs",
        "oem",
    )
)
# Codecs that add a BOM when encoding, as the codec without it: the BOM is the file's (a BOM in
# the bytes wins over any encoding, see `decode`, and is put back as it was).
_WITHOUT_BOM = {
    "utf-8-sig": "utf-8",
    "utf-16": "utf-16-le" if sys.byteorder == "little" else "utf-16-be",
    "utf-32": "utf-32-le" if sys.byteorder == "little" else "utf-32-be",
}


def text_codec(name: str) -> str:
    """The codec perflint uses for the encoding `name` (`--encoding`, the config's `encoding:`):
    its canonical name, a BOM-adding codec as the one without the BOM (never add or drop a
    BOM). ValueError (a message in Chinese and English, joined by " / ") for an unknown codec or
    one that is not a text encoding (rot13, base64, unicode_escape…)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        raise ValueError(f"未知的编码：{name}", f"unknown encoding: {name}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT:
        raise ValueError(f"{name} 不是文本编码", f"{name} is not a text encoding")
    return _WITHOUT_BOM.get(info.name, info.name)


def decode(data: bytes, encoding: str | None = None) -> SourceText:
    """Decode file bytes: a BOM wins, then `encoding` if given, then UTF-8, then GB18030."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return SourceText(_strict(data[len(bom) :], codec), codec, bom)
    if encoding:
        try:
            encoding = text_codec(encoding)
        except ValueError as error:
            raise DecodeError(*error.args) from None
        return SourceText(_strict(data, encoding), encoding, b"")
    if b"\x00" in data:
        line, col = _line_col(data[: data.index(b"\x00")].decode("utf-8", errors="replace"))
        odd, even = data[1::2].count(0), data[0::2].count(0)
        for codec, nuls, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            # NULs (the high bytes of ASCII characters) at every other byte only: UTF-16 without a BOM
            if len(data) % 2 == 0 and nuls and others <= nuls // 16:
                raise DecodeError(
                    f"文件含有 NUL 字节：可能是不带 BOM 的 UTF-16，请用 --encoding {codec} 指定",
                    f"file contains NUL bytes: UTF-16 without a BOM? name it with --encoding {codec}",
                    1,
                    1,
                )
        raise DecodeError(
            "文件含有 NUL 字节，不是文本文件",
            "file contains NUL bytes; it is not a text file",
            line,
            col,
        )
    try:
        return SourceText(data.decode("utf-8"), "utf-8", b"")
    except UnicodeDecodeError as utf8_error:
        try:
            return SourceText(data.decode("gb18030"), "gb18030", b"")
        except UnicodeDecodeError:
            raise _located(data, utf8_error, "utf-8", detected=True) from None


def _strict(data: bytes, codec: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise _located(data, error, codec) from None
    except LookupError:
        raise DecodeError(f"未知的编码：{codec}", f"unknown encoding: {codec}") from None
    surrogate = _SURROGATE.search(text)  # only a few codecs (utf-7, unicode_escape) make them
    if surrogate:
        line, col = _line_col(text[: surrogate.start()])
        raise DecodeError(
            f"按 {codec} 解码得到不成对的代理字符 U+{ord(surrogate.group()):04X}，不是有效的文本",
            f"decoding as {codec} gives the unpaired surrogate U+{ord(surrogate.group()):04X}; not valid text",
            line,
            col,
        )
    return text


def _line_col(head: str) -> tuple[int, int]:
    """The 1-based line and column just after `head` (line ends as in split_lines)."""
    breaks = _LINE_BREAK.findall(head)
    return len(breaks) + 1, len(head) - max(head.rfind("\n"), head.rfind("\r"))


def _located(
    data: bytes, error: UnicodeDecodeError, codec: str, detected: bool = False
) -> DecodeError:
    line, col = _line_col(data[: error.start].decode(codec, errors="replace"))
    tried = f"{codec} 或 GB18030" if detected else codec
    tried_en = f"{codec} or GB18030" if detected else codec
    return DecodeError(
        f"无法按 {tried} 解码（第 {error.start} 字节）；请用 --encoding 指定编码",
        f"cannot decode as {tried_en} (byte {error.start}); name the encoding with --encoding",
        line,
        col,
    )


def split_lines(text: str) -> list[str]:
    """Lines without their ends; CRLF, LF and lone CR all end a line (as editors count them)."""
    if "\r" not in text:  # the common case, several times faster than the regex
        return text.split("\n")
    return _LINE_BREAK.split(text)
