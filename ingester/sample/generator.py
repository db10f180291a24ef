"""Seeded sample data: CloudFront standard (legacy) logs of three sites and a GeoIP database.

`generate()` simulates the period hour by hour and writes each hour's log files as soon as the
hour is complete, so memory holds a few hours of records at most. Everything random comes from
one `random.Random(seed)`, and file times derive from the period: the same arguments give
byte-identical files.
"""

from __future__ import annotations

import os
import random
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from unittest import mock

from mmdb_writer import MMDBWriter

from ingester.sample.geodb import write_city_database
from ingester.sample.logfile import LogWriter
from ingester.sample.places import networks
from ingester.sample.rhythm import DAY
from ingester.sample.simulation import Simulation
from ingester.sample.sites import SITES

GEOIP_NAME = "GeoLite2-City-sample.mmdb"


@dataclass(frozen=True)
class SampleSummary:
    log_dir: Path
    geoip_db: Path
    files: int
    lines: int  # request lines written, planted duplicates and malformed lines included
    malformed: int
    duplicates: int
    late_files: int  # files delivered (modification time) hours after their hour
    first_day: date
    last_day: date
    sites: tuple[str, ...] = ()  # x-host-header of each site


def generate(
    out: Path, *, days: int = 7, lines: int | None = None, seed: int = 42, end: date | None = None
) -> SampleSummary:
    """Write `<out>/logs/*.gz` and `<out>/GeoLite2-City-sample.mmdb`.

    `days` days ending with `end` (default: yesterday, UTC); `lines` asks for about that many
    request lines instead of the model's own volume (about 25,000 a day). Log files of the
    sample distributions already in `<out>/logs` are replaced.
    """
    if days < 1 or (lines is not None and lines < 1):
        raise ValueError("days and lines must be at least 1")
    last_day = end or datetime.now(UTC).date() - timedelta(days=1)
    first_day = last_day - timedelta(days=days - 1)
    start = int(datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC).timestamp())
    geoip = _write_geoip(Path(out) / GEOIP_NAME, build_epoch=start + days * DAY)
    rng = random.Random(seed)
    simulation = Simulation(rng, SITES, start, days, lines)
    writer = LogWriter(_fresh_log_dir(Path(out) / "logs"), rng, simulation.volume.estimate())
    for hour_start, records in simulation.hours():
        for site in SITES:
            writer.write(site, hour_start, records.get(site.distribution, []))
    return SampleSummary(
        writer.directory,
        geoip,
        writer.files,
        writer.lines,
        malformed=writer.counts["truncated"] + writer.counts["bad_status"],
        duplicates=writer.counts["duplicate"],
        late_files=writer.late,
        first_day=first_day,
        last_day=last_day,
        sites=tuple(site.domain for site in SITES),
    )


def _fresh_log_dir(log_dir: Path) -> Path:
    """The log directory, without files an earlier run wrote for the sample distributions."""
    log_dir.mkdir(parents=True, exist_ok=True)
    for site in SITES:
        for stale in log_dir.glob(f"{site.distribution}.*.gz"):
            stale.unlink()
    return log_dir


def _write_geoip(path: Path, build_epoch: int) -> Path:
    with _fixed_build_epoch(build_epoch):
        write_city_database(path, networks())
    os.utime(path, (build_epoch, build_epoch))  # like the logs: nothing depends on today
    return path


@contextmanager
def _fixed_build_epoch(epoch: int) -> Iterator[None]:
    """mmdb-writer stamps the current time into the metadata; pin it so reruns are identical."""
    original = MMDBWriter._build_meta

    def build_meta(self):
        return {**original(self), "build_epoch": epoch}

    with mock.patch.object(MMDBWriter, "_build_meta", build_meta):
        yield


def describe(summary: SampleSummary) -> list[str]:
    """A short report of what was written and how to load it."""
    days = (summary.last_day - summary.first_day).days + 1
    geoip, logs = shlex.quote(str(summary.geoip_db)), shlex.quote(str(summary.log_dir))
    return [
        f"wrote {summary.files:,} log files with {summary.lines:,} request lines to {logs}",
        f"period: {summary.first_day} to {summary.last_day} ({days} days, UTC)",
        f"sites: {', '.join(summary.sites)}",
        f"planted: {summary.malformed} malformed lines, {summary.duplicates} duplicated lines, "
        f"{summary.late_files} late files",
        f"GeoIP database: {geoip}",
        f"next: EDGELOG_GEOIP_DB={geoip} edgelog ingest {logs}",
    ]
