"""The same sample lines delivered as objects of each shape the benchmark measures."""

import gzip
from collections import Counter
from datetime import date

import pytest

from ingester.sample.generator import generate
from ingester.sample.logfile import HEADER
from ingester.sample.shapes import LARGE, SMALL, reshape


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("shapes"), days=1, lines=12_000, end=date(2025, 5, 14))


def _objects(directory) -> list[list[bytes]]:
    objects = []
    for path in sorted(directory.glob("*.gz")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(HEADER.encode())
        objects.append(data[len(HEADER) :].splitlines(keepends=True))
    return objects


def _lines(directory) -> Counter:
    return Counter(line for lines in _objects(directory) for line in lines)


@pytest.mark.parametrize("shape", ["large", "small", "mix"])
def test_every_shape_holds_exactly_the_generated_lines(sample, tmp_path, shape):
    files, lines = reshape(sample.log_dir, tmp_path, shape)
    assert lines == sample.lines
    assert files == len(list(tmp_path.glob("*.gz")))
    assert _lines(tmp_path) == _lines(sample.log_dir)


def test_small_objects_hold_20_to_50_lines_and_large_ones_thousands(sample, tmp_path):
    reshape(sample.log_dir, tmp_path / "small", "small")
    reshape(sample.log_dir, tmp_path / "large", "large")
    small = [len(lines) for lines in _objects(tmp_path / "small")]
    large = [len(lines) for lines in _objects(tmp_path / "large")]
    assert all(SMALL[0] <= n <= SMALL[1] for n in small[:-1])
    assert all(LARGE[0] <= n <= LARGE[1] for n in large[:-1])


def test_a_mix_puts_about_half_the_lines_in_small_objects(sample, tmp_path):
    reshape(sample.log_dir, tmp_path, "mix")
    sizes = [len(lines) for lines in _objects(tmp_path)]
    in_small = sum(n for n in sizes if n <= SMALL[1])
    assert 0.3 < in_small / sum(sizes) < 0.7
    assert sum(1 for n in sizes if n <= SMALL[1]) > 10 * sum(1 for n in sizes if n > SMALL[1])
