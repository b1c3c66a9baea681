"""`perflint import FILE`: a text export (or a Word / Excel filing) converted to goal YAML."""

from __future__ import annotations

import sys

from perflint import files, reading
from perflint.cli.output import write, write_file
from perflint.errors import BilingualError
from perflint.formats import FormatOptions
from perflint.formats.text import format_text
from perflint.readers.yaml_writer import dump_filing
from perflint.source import text_codec


def run_import(args) -> int:
    """The YAML on stdout (or --output), the reader's findings on stderr; exit 1 when the file
    does not read."""
    try:
        data = files.read_file(args.file)  # a pipe, a device or a file too large: refused unread
    except OSError as error:
        raise BilingualError(
            f"无法读取 {args.file}：{getattr(error, 'zh', None) or error.strerror or error}",
            f"cannot read {args.file}: {error.strerror or error}",
        ) from None
    if args.encoding:
        check_encoding(args.encoding)
    read, source = reading.read_any(args.file, data, args.encoding)
    findings = sorted(read.diagnostics, key=lambda d: d.sort_key())
    if read.filing is not None:
        text = (
            dump_filing(read.filing, schema=args.schema)
            if args.schema
            else dump_filing(read.filing)
        )
        if args.output:
            write_file(args.output, text)
        else:
            write(sys.stdout, text)
    if findings:
        sources = {args.file: source.text} if source is not None else {}
        options = FormatOptions(lang=args.lang, quiet=True, sources=sources)
        write(sys.stderr, format_text(findings, options))
    return 1 if read.filing is None or any(d.code == "PF001" for d in findings) else 0


def check_encoding(name: str) -> None:
    """A usage error unless `name` is a text encoding (rot13, base64, unicode_escape… are not)."""
    try:
        text_codec(name)
    except ValueError as error:
        raise BilingualError(*error.args) from None
