"""Log files on the local disk, named by paths, directories or glob patterns."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

from ingester.sources import Fetched, ObjectRef, SourceError, file_digest
from ingester.sources.keydates import as_utc, key_date


class LocalSource:
    """Files named by `patterns`: files, directories (walked, hidden entries skipped) and
    globs (`**` included). Every pattern must match something when the source is made and
    each time it is listed; an existing but empty directory counts as a match."""

    def __init__(self, patterns: Sequence[str]) -> None:
        if isinstance(patterns, str):  # a lone path is a sequence of characters, too
            patterns = [patterns]
        if not patterns:
            raise SourceError("no log files or directories given")
        self.patterns = tuple(patterns)
        for pattern in self.patterns:
            _require_match(pattern, any_match=_matches_anything(pattern))

    def list(self, since: datetime | None = None) -> Iterator[ObjectRef]:
        since = as_utc(since) if since is not None else None
        for path in self._files():
            dated = key_date(path.name)
            if since is not None and dated is not None and dated.is_older_than(since):
                continue
            yield ObjectRef("file", str(path), *_identity(path))

    def fetch(self, refs: Iterable[ObjectRef]) -> Iterator[Fetched]:
        # One file open at a time, opened only when the caller asks for it.
        for ref in refs:
            try:
                stream = open(ref.key, "rb")  # noqa: SIM115 - the caller closes it
            except OSError as exc:
                yield Fetched(ref, None, error=exc.strerror or str(exc))
                continue
            yield Fetched(ref, stream)

    def digest(self, ref: ObjectRef) -> bytes | None:
        try:
            return file_digest(ref.key)
        except OSError:
            return None  # gone since it was listed; fetch will say why

    def _files(self) -> list[Path]:
        """Every file the patterns name, resolved, without duplicates, in path order."""
        found: set[Path] = set()
        for pattern in self.patterns:
            named = _named(pattern)
            _require_match(pattern, any_match=bool(named))
            for path in named:
                found.update(_files_under(path))
        return sorted(found, key=str)


def _is_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


def _named(pattern: str) -> list[Path]:
    """The existing paths a pattern names: itself, or what the glob matches."""
    expanded = os.path.expanduser(pattern)
    if _is_glob(expanded):
        # glob leaves out hidden names unless the pattern spells the dot itself.
        return [Path(match) for match in glob.glob(expanded, recursive=True)]
    path = Path(expanded)
    return [path] if path.exists() else []


def _matches_anything(pattern: str) -> bool:
    expanded = os.path.expanduser(pattern)
    if _is_glob(expanded):
        return next(glob.iglob(expanded, recursive=True), None) is not None  # stop at the first
    return Path(expanded).exists()


def _require_match(pattern: str, *, any_match: bool) -> None:
    if not any_match:
        kind = "no files match" if _is_glob(pattern) else "no such file or directory:"
        raise SourceError(f"{kind} {pattern}")


def _files_under(path: Path) -> Iterator[Path]:
    """`path` itself, or the files under it when it is a directory (hidden ones left out)."""
    if not path.is_dir():
        yield path.resolve()
        return
    for folder, subfolders, names in os.walk(path):
        # Hidden folders hold tool state (.git, .cache), not logs; pruning here skips them whole.
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            candidate = Path(folder, name)
            if not name.startswith(".") and candidate.is_file():
                yield candidate.resolve()


def _identity(path: Path) -> tuple[int | None, str | None]:
    """Size and ETag of a file: its modification time and size, as web servers make them.

    A file rewritten in place with as many bytes gets a new ETag; one merely touched
    or copied does too, and the ledger then compares content hashes.
    """
    try:
        stat = path.stat()
    except OSError:
        return None, None  # gone since it was found; fetch will say why
    return stat.st_size, f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
