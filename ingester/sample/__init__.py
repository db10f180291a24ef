"""Seeded, realistic CloudFront logs and a matching GeoIP database (demos, tests, benchmarks)."""
