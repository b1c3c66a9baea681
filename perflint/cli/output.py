"""Where the command line writes: standard streams (UTF-8 to pipes and files whatever the locale
says), messages to stderr in the run's language, the output file (atomically), colour."""

from __future__ import annotations

import codecs
import os
import stat
import sys

from perflint.errors import BilingualError
from perflint.files import open_replacement, write_atomic


def write(stream, text: str) -> None:
    """Write text; pipes and files get UTF-8 whatever the locale says."""
    if not text:
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    buffer.write(text.encode(_encoding(stream), errors="replace"))
    buffer.flush()


def write_bytes(stream, data: bytes) -> None:
    """Write bytes as they are (the fixed text of `--fix -`, in the input's encoding)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8", errors="replace"))
        stream.flush()
        return
    stream.flush()
    buffer.write(data)
    buffer.flush()


def _encoding(stream) -> str:
    """A terminal's own encoding; UTF-8 for pipes and files."""
    try:
        return (stream.encoding if stream.isatty() else "utf-8") or "utf-8"
    except (AttributeError, ValueError):
        return "utf-8"


def say(lang: str, zh: str, en: str, kind: str = "error") -> None:
    """`perflint: 错误：…` (or `perflint: error: …`) on stderr."""
    label = {"error": ("错误", "error"), "warning": ("警告", "warning")}[kind]
    sep = "：" if lang != "en" else ": "
    text = f"perflint: {label[1] if lang == 'en' else label[0]}{sep}{en if lang == 'en' else zh}\n"
    write(sys.stderr, text)


def write_file(path: str, text: str | bytes) -> None:
    """Write `text` as UTF-8 (bytes as they are), atomically; a BilingualError when it cannot be."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogateescape")
    try:
        if _special(path):
            with open(path, "wb") as out:
                out.write(data)
            return
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        write_atomic(path, data)
    except OSError as error:
        raise _cannot_write(path, error) from None


def _special(path: str) -> bool:
    """Whether `path` is there and is not a regular file (/dev/null, a pipe, a terminal): it is
    written to as it is — renaming a file over it would replace the device or the pipe."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _cannot_write(path: str, error: OSError) -> BilingualError:
    reason = error.strerror or str(error)
    return BilingualError(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}")


def colour(args) -> bool:
    """--color / --no-color, else NO_COLOR / FORCE_COLOR, else whether stdout is a terminal."""
    if args.color is not None:
        return args.color
    if args.output_file or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


class Output:
    """Where a streamed report goes: standard output, a piece at a time, or `--output-file`,
    written to a temporary file beside it that replaces it only when the report is complete
    (an error or Ctrl-C leaves the old file, never half a report). Pipes and files get UTF-8,
    a terminal its own encoding."""

    LIMIT = 1 << 16  # bytes held before writing

    def __init__(self, path: str | None):
        self.path, self.temporary, self.parts, self.size = path, None, [], 0
        self.stream = None
        self.utf8 = None  # whether UTF-8 bytes go out as they are (worked out when first needed)
        if path is not None and _special(path):  # /dev/null, a pipe: written, never replaced
            try:
                self.buffer, self.encoding = open(path, "wb"), "utf-8"
            except OSError as error:
                raise _cannot_write(path, error) from None
            return
        if path is None:
            self.stream = sys.stdout
            self.buffer = getattr(self.stream, "buffer", None)
            self.encoding = _encoding(self.stream)
            return
        try:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            fd, self.temporary = open_replacement(path)
        except OSError as error:
            raise _cannot_write(path, error) from None
        self.buffer = os.fdopen(fd, "wb")
        self.encoding = "utf-8"

    def __enter__(self):
        return self

    def write(self, text: str) -> None:
        if text:
            self._hold(
                text.encode(self.encoding, errors="replace") if self.buffer is not None else text
            )

    def write_bytes(self, data: bytes) -> None:
        """Write UTF-8 bytes (a rendering from the cache)."""
        if not data:
            return
        if self.utf8 is None:
            self.utf8 = self.buffer is not None and codecs.lookup(self.encoding).name == "utf-8"
        if self.utf8:
            self._hold(data)
        else:
            self.write(data.decode("utf-8"))

    def _hold(self, piece) -> None:
        self.parts.append(piece)
        self.size += len(piece)
        if self.size >= self.LIMIT:
            self.flush()

    def flush(self) -> None:
        parts, self.parts, self.size = self.parts, [], 0
        if self.buffer is None:  # a stream without a binary buffer
            self.stream.write("".join(parts))
            self.stream.flush()
            return
        if self.stream is not None:
            self.stream.flush()
        self.buffer.write(b"".join(parts))
        if self.stream is not None:
            self.buffer.flush()

    def __exit__(self, kind, error, trace) -> None:
        if self.temporary is None:
            if kind is None:
                self.flush()
            if self.path is not None:  # a special file, written directly
                self.buffer.close()
            return
        try:
            if kind is None:
                self.flush()
                self.buffer.close()
                os.replace(self.temporary, self.path)
                self.temporary = None
        finally:
            if self.temporary is not None:
                self.buffer.close()
                try:
                    os.unlink(self.temporary)
                except OSError:
                    pass
