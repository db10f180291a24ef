"""The copies of other projects' files in tests/data: each sample with its source and licence
notice, and none older than the maintainers' shared copies beside the repository, when those exist.
"""

import hashlib
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = DATA / "cloudfront-samples"
# Directories of tests/data that the shared directory holds too, under the same names.
MIRRORED = ("cloudfront-samples", "schemas/compose", "schemas/grafana")


def test_every_sample_names_its_source_and_has_its_licence_notice():
    sources = (SAMPLES / "SOURCES.md").read_text()
    notices = (DATA / "cloudfront-samples-licences" / "NOTICE.md").read_text()
    for sample in SAMPLES.iterdir():
        if sample.name != "SOURCES.md":
            assert f"`{sample.name}`" in sources, sample.name
            assert f"`{sample.name.split('_')[0]}_*`" in notices, sample.name


def test_every_schema_has_its_source_and_licence():
    for directory in (DATA / "schemas").iterdir():
        names = {p.name for p in directory.iterdir()}
        assert "SOURCE.md" in names, directory.name
        assert any(name.startswith("LICENSE") for name in names), directory.name


def git_blob_id(data: bytes) -> str:
    """The id git gives a file holding these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def committed_versions(path: Path) -> set[str]:
    """Blob ids of every version of `path` in this repository's history (none without git)."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=", "--raw", "--no-abbrev", "--", path.relative_to(ROOT)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    # ":100644 100644 <old blob> <new blob> M\t<path>"
    return {blob for line in log.splitlines() for blob in line.split()[2:4]}


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared directory beside the repository")
def test_no_copy_is_older_than_the_shared_one():
    older = []
    for directory in MIRRORED:
        for theirs in sorted((SHARED / directory).glob("*")):
            ours = DATA / directory / theirs.name
            data = theirs.read_bytes()
            if ours.is_file() and ours.read_bytes() == data:
                continue
            if git_blob_id(data) in committed_versions(ours):
                continue  # the shared copy is an earlier version of ours
            older.append(str(ours.relative_to(ROOT)))
    assert not older, f"newer in {SHARED}: {older} (tests/data/README.md says how to refresh)"
