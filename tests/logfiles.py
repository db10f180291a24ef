"""Writing small CloudFront log files for tests."""

import gzip
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
