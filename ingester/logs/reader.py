"""Bytes to text lines: gzip or plain, streamed, never fatal on bad bytes."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines without their line ending, decoded as UTF-8 with bad bytes replaced.

    Gzip is recognised by its magic bytes, not the file name. Memory stays
    bounded: one buffer, one line at a time. A truncated or corrupt gzip
    raises (EOFError, gzip.BadGzipFile, zlib.error) where the damage starts.
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)
    raw: BinaryIO = buffered
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        raw = gzip.GzipFile(fileobj=buffered, mode="rb")
    text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
    try:
        for line in text:
            # Only line endings go: a trailing TAB is data (an empty extra field).
            if line.endswith("\n"):
                line = line[:-2] if line.endswith("\r\n") else line[:-1]
            elif line.endswith("\r"):
                line = line[:-1]
            yield line
    finally:
        text.close()  # and with it the stream: the caller's later close() is a no-op
