"""Bytes to text lines: gzip or plain, streamed, never fatal on bad bytes.

Gzip goes through ISA-L (python-isal), which inflates about twice as fast as
zlib. A small object (the usual CloudFront file) is inflated in one call; a
large one is streamed, a block ahead of the parser on a helper thread (the
inflating releases the GIL, so it overlaps with parsing on another core).
Memory stays bounded: a few blocks of a megabyte at a time.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import queue
import threading
from collections.abc import Iterator
from typing import BinaryIO

from isal import igzip

GZIP_MAGIC = b"\x1f\x8b"
SMALL = 1 << 20  # compressed bytes read and inflated at once
BLOCK = 1 << 20
AHEAD = 3  # blocks decompressed ahead of the parser


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines without their line ending, decoded as UTF-8 with bad bytes replaced.

    Gzip is recognised by its magic bytes, not the file name. A truncated or
    corrupt gzip raises (EOFError, or isal's IsalError) where the damage
    starts. Only line endings are removed: a trailing TAB is data.
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
    """Decoded blocks of the (decompressed) stream."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    head = stream.read(SMALL + 1)
    gzipped = head[:2] == GZIP_MAGIC
    if len(head) <= SMALL:
        yield decoder.decode(igzip.decompress(head) if gzipped else head, final=True)
        return
    raw: BinaryIO = io.BufferedReader(_Prefixed(head, stream), BLOCK)
    if gzipped:
        raw = igzip.IGzipFile(fileobj=raw, mode="rb")
    yield from _read_ahead(raw, decoder)


def _read_ahead(raw: BinaryIO, decoder) -> Iterator[str]:
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


class _Prefixed(io.RawIOBase):
    """`head` (already read from `rest`), then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self.head = memoryview(head)
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
