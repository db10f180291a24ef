"""Writing small CloudFront log files for tests."""

import gzip
import hashlib
from pathlib import Path

HEADER = (
    "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) "
    "cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
    "x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol "
    "ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields "
    "c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len "
    "sc-range-start sc-range-end\n"
)


def line(n: int, day: str = "2024-05-01") -> str:
    """A valid 33-field line whose request id is derived from n."""
    clock = f"{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}"
    return "\t".join([
        day, clock, "FRA56-P3", "5120", f"198.51.100.{n % 200}", "GET",
        "d111111abcdef8.cloudfront.net", f"/page/{n % 50}", "200", "-",
        "Mozilla/5.0%20(X11;%20Linux%20x86_64)%20Firefox/125.0", "-", "-", "Hit",
        f"req{n:050d}==", "www.example.com", "https", "300", "0.012", "-", "TLSv1.3",
        "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-", "-", "443", "0.010", "Hit",
        "text/html", "4800", "-", "-",
    ])  # fmt: skip


def write_log(path: Path, numbers, day: str = "2024-05-01") -> Path:
    text = HEADER + "".join(line(n, day) + "\n" for n in numbers)
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    return path


FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def request(
    when: str,
    path: str = "/",
    *,
    ip: str = "198.51.100.1",
    agent: str = FIREFOX,
    referrer: str = "-",
    query: str = "-",
    status: int | str = 200,
    result: str = "Hit",
    content_type: str = "text/html",
    bytes_sent: int = 5000,
    host: str = "www.example.com",
    edge: str = "FRA56-P3",
    time_taken: str = "0.012",
    ttfb: str = "0.010",
    detailed: str | None = None,
) -> str:
    """One 33-field line of a request at `when` ("YYYY-MM-DD HH:MM:SS"); its request id
    follows from what it is, so the same request written twice is one request. time_taken and
    ttfb are in seconds as logged; detailed is x-edge-detailed-result-type (result's if None)."""
    day, clock = when.split()
    request_id = hashlib.sha256(f"{when} {path} {ip} {agent} {query}".encode()).hexdigest()[:52]
    return "\t".join([
        day, clock, edge, str(bytes_sent), ip, "GET", "d111111abcdef8.cloudfront.net", path,
        str(status), referrer, agent.replace(" ", "%20"), query, "-", result, request_id,
        host, "https", "300", time_taken, "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", result,
        "HTTP/2.0", "-", "-", "443", ttfb, detailed or result, content_type, str(bytes_sent),
        "-", "-",
    ])  # fmt: skip


def write_requests(path: Path, lines) -> Path:
    text = HEADER + "".join(line + "\n" for line in lines)
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    return path
