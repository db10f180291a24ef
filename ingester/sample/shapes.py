"""The same sample lines delivered in objects of another size: the shapes of real traffic.

A CloudFront distribution's objects come in very different sizes: a busy site gets large
hourly files, but most distributions get many small ones (each edge server delivers a file
every few minutes, most of them tens to hundreds of lines). Loading speed depends on that
shape, so the benchmark measures each one on the very same lines:

- `hourly`: the generator's own files, as written;
- `large`: objects of 3,500 to 4,500 lines;
- `small`: objects of 20 to 50 lines;
- `mix`: small and large objects, each holding about half the lines.

Lines keep their order (time order within each distribution), so each object holds a few
minutes of traffic, as a real one does.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from pathlib import Path

from ingester.sample.logfile import HEADER, LEVEL

SMALL = (20, 50)
LARGE = (3_500, 4_500)
SHAPES = ("hourly", "large", "small", "mix")


def reshape(log_dir: Path, out: Path, shape: str, seed: int = 7) -> tuple[int, int]:
    """Write the lines of `log_dir`'s files into `out` as objects of `shape`;
    (files, lines) written."""
    if shape not in SHAPES[1:]:
        raise ValueError(f"unknown shape {shape!r}: one of {', '.join(SHAPES[1:])}")
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.gz"):
        stale.unlink()
    rng = random.Random(seed)
    sizes = _sizes(rng, shape)
    files = lines = 0
    batch: list[bytes] = []
    wanted = next(sizes)
    for line in _lines(log_dir):
        batch.append(line)
        if len(batch) >= wanted:
            _write(out, files, batch)
            files, lines, batch, wanted = files + 1, lines + len(batch), [], next(sizes)
    if batch:
        _write(out, files, batch)
        files, lines = files + 1, lines + len(batch)
    return files, lines


def _sizes(rng: random.Random, shape: str) -> Iterator[int]:
    small = large = 0  # lines given to each kind so far, for the mix
    while True:
        if shape == "small" or (shape == "mix" and small <= large):
            size = rng.randint(*SMALL)
            small += size
        else:
            size = rng.randint(*LARGE)
            large += size
        yield size


def _lines(log_dir: Path) -> Iterator[bytes]:
    for path in sorted(log_dir.glob("*.gz")):
        with gzip.open(path, "rb") as src:
            for line in src:
                if not line.startswith(b"#"):
                    yield line


def _write(out: Path, number: int, lines: list[bytes]) -> None:
    # CloudFront's naming, with the hour of the first line: <distribution>.<YYYY-MM-DD-HH>.<id>
    day, clock = lines[0].split(b"\t", 2)[:2]
    hour = f"{day.decode(errors='replace')}-{clock[:2].decode(errors='replace')}"
    name = out / f"EBENCHSHAPE.{hour}.{number:08x}.gz"
    with gzip.open(name, "wb", compresslevel=LEVEL) as dst:
        dst.write(HEADER.encode())
        dst.writelines(lines)
