"""Delivery: an hour of one distribution's records as several gzip files, the way S3 gets them.

Each record goes to one of a few files at random (CloudFront writes one per log host), files
are named `<distribution>.<YYYY-MM-DD-HH>.<8 hex>.gz` for the hour of their requests, and
each file's modification time is its delivery time: within the next hour, or many hours
later for the few late deliveries. A handful of lines are planted broken or duplicated.
"""

from __future__ import annotations

import gzip
import os
import random
from datetime import UTC, datetime
from pathlib import Path

from ingester.sample.sites.model import Site

FIELDS = (
    "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
    "cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id "
    "x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
    "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
    "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len "
    "sc-range-start sc-range-end"
)
HEADER = f"#Version: 1.0\n#Fields: {FIELDS}\n"
LATE = 0.02  # files delivered hours after their hour
GAP = 10_000  # about one planted anomaly of each kind per this many lines
LEVEL = 5  # gzip level: nearly level 6's size in three quarters of the time
KINDS = ("truncated", "bad_status", "duplicate")


class Planter:
    """Where the planted anomalies go: about one of each kind per GAP lines.

    The first ones come early, so that even a small sample has one of each.
    """

    def __init__(self, rng: random.Random, expected_lines: int) -> None:
        early = max(1, min(GAP, expected_lines) // 3)
        self.next = {kind: rng.randrange(early) for kind in KINDS}
        self.rng = rng

    def due(self, kind: str, upto: int) -> int:
        """How many `kind` anomalies fall before line number `upto`."""
        count = 0
        while self.next[kind] < upto:
            self.next[kind] += self.rng.randint(GAP // 2, GAP * 3 // 2)
            count += 1
        return count


def truncate(rng: random.Random, line: str) -> str:
    """The line cut off mid-record, as a partial write leaves it."""
    cut = rng.randrange(len(line) // 5, line.rindex("\t"))  # at least one field short
    return line[:cut] + "\n"


def break_status(line: str) -> str:
    """The status garbled (a letter O for a zero), as a corrupted line has it."""
    fields = line.split("\t")
    fields[8] = fields[8].replace("0", "O", 1) if fields[8] != "000" else "OOO"
    return "\t".join(fields)


class LogWriter:
    """Writes each hour's records of each distribution and counts what it wrote."""

    def __init__(self, directory: Path, rng: random.Random, expected_lines: int) -> None:
        self.directory, self.rng = directory, rng
        self.planter = Planter(rng, expected_lines)
        self.files = self.lines = self.late = 0
        self.counts = dict.fromkeys(KINDS, 0)
        self._names: set[str] = set()

    def write(self, site: Site, hour_start: int, records: list[tuple[float, str]]) -> None:
        """Write one distribution's records of one hour."""
        if not records:
            return  # CloudFront writes no file for an hour without requests
        records.sort()
        # Busier hours come in more files (CloudFront writes one per log host and interval).
        count = 1 if len(records) < 20 else min(12, 2 + int(len(records) ** 0.5) // 12)
        files: list[list[str]] = [[] for _ in range(count)]
        for _, line in records:
            files[self.rng.randrange(count)].append(line)
        files = [lines for lines in files if lines]
        self._plant(files, self.lines + len(records))
        for lines in files:
            self._write_file(site, hour_start, lines)

    def _plant(self, files: list[list[str]], upto: int) -> None:
        rng, spoiled = self.rng, set()  # lines already copied or broken are left alone
        for _ in range(self.planter.due("duplicate", upto)):
            if len(files) < 2:
                self.planter.next["duplicate"] = upto  # needs two files: try the next batch
                break
            number = rng.randrange(len(files))
            line = rng.choice(files[number])
            other = files[(number + rng.randrange(1, len(files))) % len(files)]
            other.insert(rng.randrange(len(other) + 1), line)
            spoiled.add(line)
            self.counts["duplicate"] += 1
        for kind in ("truncated", "bad_status"):
            for _ in range(self.planter.due(kind, upto)):
                lines = files[rng.randrange(len(files))]
                index = rng.randrange(len(lines))
                if lines[index] in spoiled:
                    self.planter.next[kind] = upto
                    continue
                broken = (
                    truncate(rng, lines[index])
                    if kind == "truncated"
                    else break_status(lines[index])
                )
                lines[index] = broken
                spoiled.add(broken)
                self.counts[kind] += 1

    def _write_file(self, site: Site, hour_start: int, lines: list[str]) -> None:
        hour = datetime.fromtimestamp(hour_start, UTC).strftime("%Y-%m-%d-%H")
        name = f"{site.distribution}.{hour}.{self.rng.getrandbits(32):08x}.gz"
        while name in self._names:
            name = f"{site.distribution}.{hour}.{self.rng.getrandbits(32):08x}.gz"
        self._names.add(name)
        path = self.directory / name
        path.write_bytes(gzip.compress((HEADER + "".join(lines)).encode(), LEVEL, mtime=0))
        # Whole seconds, as S3's LastModified.
        if self.rng.random() < LATE:
            delivered = hour_start + 3600 + self.rng.randrange(2 * 3600, 23 * 3600)
            self.late += 1
        else:
            delivered = hour_start + self.rng.randrange(20 * 60, 110 * 60)
        os.utime(path, (delivered, delivered))
        self.files += 1
        self.lines += len(lines)
