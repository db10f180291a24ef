"""The sample generator: CloudFront's file format and delivery, and traffic worth analysing."""

from __future__ import annotations

import gzip
import importlib.util
import ipaddress
import re
import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path

import geoip2.database
import pytest
import typer
from crawlerdetect import CrawlerDetect
from typer.testing import CliRunner
from user_agents import parse

from ingester.cli import sample as sample_cli
from ingester.sample.generator import generate
from ingester.sample.logfile import FIELDS
from ingester.sample.places import CITIES, DATACENTERS, networks
from ingester.sample.sites import SITES

END = date(2025, 5, 14)  # a Wednesday: the two days include the shop's Tuesday newsletter
LINES = 20_000
THOUSANDTHS = re.compile(r"\d+\.\d{3}")
NAME = re.compile(r"^(E[A-Z0-9]{13})\.(\d{4}-\d{2}-\d{2}-\d{2})\.[0-9a-f]{8}\.gz$")
ROBOTS = (
    "Googlebot/", "bingbot/", "Applebot/", "AhrefsBot/", "curl/", "python-requests/",
    "Go-http-client/", "Wget/", "HeadlessChrome/", "UptimeRobot/", "zgrab",
)  # fmt: skip
CAMPAIGN_PARAMETERS = (
    "utm_source=", "utm_medium=email", "utm_medium=cpc", "utm_campaign=", "utm_content=",
    "utm_term=", "gclid=", "msclkid=", "fbclid=",
)  # fmt: skip
REFERRER_ORIGINS = (
    "https://www.google.com/", "https://www.google.de/", "https://www.bing.com/",
    "https://duckduckgo.com/", "https://news.ycombinator.com/",
)  # fmt: skip
# Field numbers (0-based) of the 33-field format.
DATE, TIME, EDGE, IP, METHOD, STEM, STATUS, REFERER, UA, QUERY = 0, 1, 2, 4, 5, 7, 8, 9, 10, 11
RESULT, REQUEST_ID, HOST, PROTOCOL, TAKEN, XFF = 13, 14, 15, 16, 18, 19
TTFB, DETAILED, CTYPE, LENGTH, RANGE_START, RANGE_END = 27, 28, 29, 30, 31, 32


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    summary = generate(tmp_path_factory.mktemp("sample"), days=2, lines=LINES, end=END)
    texts = {p.name: gzip.decompress(p.read_bytes()).decode() for p in summary.log_dir.iterdir()}
    return summary, texts


@pytest.fixture(scope="module")
def summary(sample):
    return sample[0]


@pytest.fixture(scope="module")
def data_lines(sample) -> list[tuple[str, str]]:
    """(file name, line) of every request line, well-formed or not."""
    return [
        (name, line) for name, text in sorted(sample[1].items()) for line in text.splitlines()[2:]
    ]


def _well_formed(line: str) -> bool:
    fields = line.split("\t")
    return len(fields) == 33 and fields[STATUS].isdigit()


@pytest.fixture(scope="module")
def records(data_lines) -> list[list[str]]:
    return [line.split("\t") for _, line in data_lines if _well_formed(line)]


@pytest.fixture(scope="module")
def robots():
    detector, verdicts = CrawlerDetect(), {}

    def is_robot(logged_ua: str) -> bool:
        if logged_ua not in verdicts:
            ua = logged_ua.replace("%20", " ")
            verdicts[logged_ua] = logged_ua == "-" or detector.isCrawler(ua) or "Route53" in ua
        return verdicts[logged_ua]

    return is_robot


@pytest.fixture(scope="module")
def humans(records, robots) -> list[list[str]]:
    return [r for r in records if not robots(r[UA])]


def _pages(records):
    return [r for r in records if r[CTYPE].startswith("text/html") and r[STATUS] in ("200", "304")]


def _seconds(record) -> float:
    return datetime.fromisoformat(f"{record[DATE]}T{record[TIME]}+00:00").timestamp()


# Determinism and delivery -------------------------------------------------------------------


def _snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_same_seed_writes_identical_files(tmp_path):
    for name in ("a", "b"):
        generate(tmp_path / name, days=1, lines=1500, seed=7, end=END)
    generate(tmp_path / "c", days=1, lines=1500, seed=8, end=END)
    first, again, other = (_snapshot(tmp_path / n) for n in "abc")
    assert first == again
    assert "GeoLite2-City-sample.mmdb" in first
    assert set(first) != set(other)


def test_file_names_follow_s3_naming_and_the_hour_of_their_records(sample, summary):
    names, texts = sorted(sample[1]), sample[1]
    distributions = {site.distribution for site in SITES}
    assert len(names) == summary.files
    for name in names:
        match = NAME.match(name)
        assert match, name
        assert match[1] in distributions
        for line in texts[name].splitlines()[2:]:
            if _well_formed(line):
                fields = line.split("\t")
                assert f"{fields[DATE]}-{fields[TIME][:2]}" == match[2], (name, line)
    hours = Counter(NAME.match(name).group(1, 2) for name in names)
    assert sum(n > 1 for n in hours.values()) > len(hours) / 2  # several files per hour


def test_late_deliveries_arrive_hours_after_their_hour(summary):
    delays = []
    for path in summary.log_dir.iterdir():
        hour = datetime.strptime(NAME.match(path.name)[2], "%Y-%m-%d-%H").replace(tzinfo=UTC)
        delays.append(path.stat().st_mtime - hour.timestamp())
    late = [d for d in delays if d > 3 * 3600]
    assert len(late) == summary.late_files > 0
    assert all(0 < d < 2 * 3600 for d in delays if d <= 3 * 3600)


def test_every_file_is_gzip_with_the_version_and_fields_header(sample):
    for text in sample[1].values():
        version, fields = text.splitlines()[:2]
        assert version == "#Version: 1.0"
        assert fields == f"#Fields: {FIELDS}"
    assert len(FIELDS.split()) == 33


def test_data_lines_have_33_fields_except_the_planted_malformed_ones(data_lines, summary):
    malformed = [line for _, line in data_lines if not _well_formed(line)]
    truncated = [line for line in malformed if len(line.split("\t")) < 33]
    bad_status = [line for line in malformed if len(line.split("\t")) == 33]
    assert len(malformed) == summary.malformed
    assert truncated and bad_status
    assert len(data_lines) == summary.lines
    assert summary.malformed + summary.duplicates < 0.001 * summary.lines


def test_lines_option_gives_about_that_many_lines(summary):
    assert abs(summary.lines - LINES) < 0.05 * LINES
    assert (summary.first_day, summary.last_day) == (date(2025, 5, 13), END)


def test_request_ids_are_unique_except_for_planted_duplicates(data_lines, summary):
    seen = defaultdict(list)
    for name, line in data_lines:
        if _well_formed(line):
            request_id = line.split("\t")[REQUEST_ID]
            assert re.fullmatch(r"[A-Za-z0-9_-]{54}==", request_id)
            seen[request_id].append((name, line))
    copies = {rid: found for rid, found in seen.items() if len(found) > 1}
    assert sum(len(found) - 1 for found in copies.values()) == summary.duplicates > 0
    for found in copies.values():
        assert len({name for name, _ in found}) == len(found)  # each copy in another file
        assert len({line for _, line in found}) == 1


def test_records_in_a_file_are_not_in_time_order(sample):
    unordered = 0
    for text in sample[1].values():
        times = [line.split("\t")[TIME] for line in text.splitlines()[2:] if _well_formed(line)]
        unordered += times != sorted(times)
    assert unordered > 0


# Field values ----------------------------------------------------------------------------------


def test_values_are_percent_encoded_like_cloudfront(records):
    unsafe = re.compile(r"[\s\"#<>\[\]\\^`{|}~']|%(?![0-9A-F]{2})")
    for record in records:
        assert all(field and not unsafe.search(field) for field in record), record
    user_agents = {r[UA] for r in records}
    assert any("%20" in ua for ua in user_agents)
    assert any("%5BFBAN" in ua for ua in user_agents)  # [FBAN/...] of the Facebook app
    assert any("%25C3%25BC" in r[STEM] for r in records)  # a browser-encoded ü, encoded again
    assert any("%252F" in r[QUERY] for r in records)
    assert any(r[REFERER] == "-" for r in records)


def test_edge_locations_are_cloudfront_pops_near_the_client(records):
    blocks = [(ipaddress.ip_network(c.ipv4), c.edges) for c in CITIES.values()]
    blocks += [(ipaddress.ip_network(c.ipv6), c.edges) for c in CITIES.values() if c.ipv6]
    for network in DATACENTERS.values():
        blocks += [(ipaddress.ip_network(cidr), network.edges) for cidr in network.cidrs]
    for record in records[::7]:
        assert re.fullmatch(r"[A-Z]{3}\d{1,2}-[CP]\d", record[EDGE])
        address = ipaddress.ip_address(record[IP])
        assert any(address in net and record[EDGE] in edges for net, edges in blocks), record


def test_timings_have_three_decimals_and_misses_are_slower(records):
    taken = defaultdict(list)
    for record in records:
        assert THOUSANDTHS.fullmatch(record[TAKEN]) and THOUSANDTHS.fullmatch(record[TTFB])
        assert float(record[TTFB]) <= float(record[TAKEN])
        taken[record[RESULT]].append(float(record[TTFB]))
    assert statistics.median(taken["Miss"]) > 5 * statistics.median(taken["Hit"])


def test_content_type_matches_the_path(records):
    by_extension = {
        ".css": "text/css",
        ".js": "application/javascript",
        ".webp": "image/webp",
        ".woff2": "font/woff2",
        ".ico": "image/x-icon",
        ".mp4": "video/mp4",
    }
    for record in records:
        extension = Path(record[STEM]).suffix
        delivered = record[STATUS] in ("200", "206") and record[RESULT] != "Error"
        if delivered and extension in by_extension:
            assert record[CTYPE] == by_extension[extension], record
    assert {"text/html", "text/html;%20charset=utf-8"} <= {r[CTYPE] for r in records}


# Traffic ---------------------------------------------------------------------------------------


def test_humans_use_desktop_mobile_and_tablet_browsers(humans):
    devices, families = Counter(), set()
    for logged in {r[UA] for r in humans}:
        agent = parse(logged.replace("%20", " "))
        devices["mobile" if agent.is_mobile else "tablet" if agent.is_tablet else "desktop"] += 1
        families.add(agent.browser.family)
    assert devices.keys() == {"desktop", "mobile", "tablet"}
    assert {"Chrome", "Mobile Safari", "Safari", "Firefox", "Edge", "Samsung Internet"} <= families


def test_robots_monitors_and_scanners_visit(records):
    user_agents = "\n".join({r[UA] for r in records})
    for robot in ROBOTS:
        assert robot in user_agents
    paths = {r[STEM] for r in records if r[STATUS] == "404"}
    assert {"/wp-login.php", "/.env"} <= paths


def test_route53_checks_the_health_path_every_few_minutes(records):
    checks = sorted(
        _seconds(r) for r in records if r[UA].startswith("Amazon-Route53-Health-Check-Service")
    )
    assert all("report%20http://amzn.to/1vsZADi)" in r[UA] for r in records if "Route53" in r[UA])
    assert {r[STEM] for r in records if "Route53" in r[UA]} == {"/api/health"}
    gaps = [b - a for a, b in pairwise(checks)]
    assert len(checks) > 2 * 24 * 10 and max(gaps) <= 6 * 60


def test_geoip_database_resolves_every_client_address_to_a_city(summary, records):
    addresses = {r[IP] for r in records} | {r[XFF] for r in records if r[XFF] != "-"}
    with geoip2.database.Reader(str(summary.geoip_db)) as reader:
        for address in addresses:
            city = reader.city(address)
            assert city.city.name and city.country.iso_code and city.subdivisions, address
            assert city.location.latitude is not None and city.location.longitude is not None


def test_humans_come_from_many_cities_and_some_over_ipv6(summary, humans):
    with geoip2.database.Reader(str(summary.geoip_db)) as reader:
        found = [reader.city(address) for address in {r[IP] for r in humans}]
    places = {(c.country.iso_code, c.city.name) for c in found}
    assert len(places) >= 20 and len({country for country, _ in places}) >= 10
    assert 0.05 < sum(":" in r[IP] for r in humans) / len(humans) < 0.6
    assert any(r[XFF] != "-" for r in humans)  # a corporate proxy


def test_landings_carry_campaigns_click_ids_and_referrers(humans):
    queries = "&".join(r[QUERY] for r in _pages(humans))
    for parameter in CAMPAIGN_PARAMETERS:
        assert parameter in queries
    referers = {r[REFERER] for r in _pages(humans)}
    for origin in REFERRER_ORIGINS:
        assert origin in referers
    assert any(r.startswith(("https://t.co/", "https://www.linkedin.com/")) for r in referers)


def test_responses_include_redirects_errors_hang_ups_and_ranges(records):
    statuses = {r[STATUS] for r in records}
    assert {"200", "304", "301", "302", "404", "206", "000"} <= statuses
    assert {"Hit", "Miss", "RefreshHit", "Redirect", "Error"} <= {r[RESULT] for r in records}
    upgrades = [r for r in records if r[RESULT] == "Redirect"]
    assert upgrades and all(r[STATUS] == "301" and r[PROTOCOL] == "http" for r in upgrades)
    server_errors = [r for r in records if r[STATUS] in ("502", "503", "504")]
    assert server_errors and all(r[RESULT] == "Error" for r in server_errors)
    hang_ups = [r for r in records if r[STATUS] == "000"]
    assert all(r[RESULT] == "Error" and r[DETAILED] == "ClientCommError" for r in hang_ups)
    assert {"GET", "HEAD", "POST"} == {r[METHOD] for r in records}
    for r in (r for r in records if r[STATUS] == "206"):
        assert int(r[LENGTH]) == int(r[RANGE_END]) - int(r[RANGE_START]) + 1
    assert all(r[RANGE_START] == "-" for r in records if r[STATUS] != "206")


def test_page_views_are_followed_by_assets_that_name_the_page_as_referer(humans):
    by_visitor = defaultdict(list)
    for record in humans:
        by_visitor[record[IP], record[UA]].append(record)
    browsing = [rs for rs in by_visitor.values() if len(_pages(rs)) >= 3]
    assert len(browsing) > 20
    for page in _pages(browsing[0])[:1]:
        query = "" if page[QUERY] == "-" else f"?{page[QUERY]}"
        url = f"https://{page[HOST]}{page[STEM]}{query}"
        assets = [r for r in browsing[0] if r[REFERER] == url and r[CTYPE] != page[CTYPE]]
        assert assets and all(_seconds(page) <= _seconds(a) < _seconds(page) + 60 for a in assets)


def test_visits_have_think_times_and_some_pause_longer_than_30_minutes(humans):
    gaps, visitors = [], defaultdict(list)
    for page in _pages(humans):
        visitors[page[IP], page[UA], page[DATE]].append(_seconds(page))
    for times in visitors.values():
        times.sort()
        gaps += [b - a for a, b in pairwise(times)]
    assert 10 < statistics.median(gaps) < 300
    assert any(1800 < gap < 3 * 3600 for gap in gaps)


def test_visitors_return_on_a_later_day(humans):
    days = defaultdict(set)
    for page in _pages(humans):
        days[page[IP], page[UA]].add(page[DATE])
    assert sum(len(d) > 1 for d in days.values()) > 10


def test_traffic_is_busier_by_day_than_at_night(humans):
    shop = Counter(int(r[TIME][:2]) for r in humans if r[HOST] == "www.example-shop.com")
    night, evening = sum(shop[h] for h in range(1, 5)), sum(shop[h] for h in range(16, 20))
    assert evening > 3 * night


# Catalog, command line and script ---------------------------------------------------------------


def test_network_blocks_are_valid_and_do_not_overlap():
    blocks = [ipaddress.ip_network(cidr) for cidr in networks()]
    for number, block in enumerate(blocks):
        for other in blocks[number + 1 :]:
            assert block.version != other.version or not block.overlaps(other), (block, other)


def test_generate_rejects_an_empty_period(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path, days=0)


def test_sample_command_writes_logs_and_prints_the_next_command(tmp_path):
    app = typer.Typer()
    app.command()(sample_cli.generate)
    args = ["--out", str(tmp_path), "--days", "1", "--lines", "600", "--end", "2025-05-14"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "2025-05-14" in result.output and "malformed" in result.output
    assert f"EDGELOG_GEOIP_DB={tmp_path}/GeoLite2-City-sample.mmdb edgelog ingest" in result.output
    assert any((tmp_path / "logs").glob("*.gz"))


def test_script_writes_the_same_sample_as_the_package(tmp_path, capsys):
    path = Path(__file__).resolve().parents[1] / "scripts" / "generate_sample_logs.py"
    spec = importlib.util.spec_from_file_location("generate_sample_logs", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    args = ["--days", "1", "--lines", "600", "--end", "2025-05-14", "--seed", "3"]
    assert script.main(["--out", str(tmp_path / "script"), *args]) == 0
    assert "edgelog ingest" in capsys.readouterr().out
    generate(tmp_path / "package", days=1, lines=600, end=END, seed=3)
    assert _snapshot(tmp_path / "script") == _snapshot(tmp_path / "package")
