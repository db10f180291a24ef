"""Bytes to text lines: gzip or plain, streamed, never fatal on bad bytes.

Decompression runs on a helper thread, a block ahead of the parser: zlib
releases the GIL, so inflating overlaps with parsing on another core.
Memory stays bounded: a few blocks of a megabyte at a time.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import queue
import threading
from collections.abc import Iterator
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
BLOCK = 1 << 20
AHEAD = 3  # blocks decompressed ahead of the parser


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines without their line ending, decoded as UTF-8 with bad bytes replaced.

    Gzip is recognised by its magic bytes, not the file name. A truncated or
    corrupt gzip raises (EOFError, gzip.BadGzipFile, zlib.error) where the
    damage starts. Only line endings are removed: a trailing TAB is data.
    """
    tail = ""
    for block in _blocks(stream):
        text = tail + block
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        tail = lines.pop()
        yield from lines
    if tail:
        yield tail


def _blocks(stream: BinaryIO) -> Iterator[str]:
    """Decoded blocks of the (decompressed) stream.

    The first block is read right here: most log objects fit in it, and a
    thread would only add latency. Larger ones continue on a helper thread.
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)
    raw: BinaryIO = buffered
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        raw = gzip.GzipFile(fileobj=buffered, mode="rb")
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    first = raw.read(BLOCK)
    if len(first) < BLOCK:
        yield decoder.decode(first, final=True)
        return
    yield decoder.decode(first)
    blocks: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    reader = threading.Thread(target=_read, args=(raw, decoder, blocks, stop), daemon=True)
    reader.start()
    try:
        while (item := blocks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # unblock a reader waiting on a full queue
            with contextlib.suppress(queue.Empty):
                blocks.get(timeout=0.05)
        raw.close()


def _read(raw: BinaryIO, decoder, blocks: queue.Queue, stop: threading.Event) -> None:
    try:
        while not stop.is_set():
            data = raw.read(BLOCK)
            if not data:
                blocks.put(decoder.decode(b"", final=True))
                break
            blocks.put(decoder.decode(data))
    except BaseException as exc:  # handed to the parser, which raises it
        blocks.put(exc)
        return
    blocks.put(None)
