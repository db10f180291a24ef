"""edgelog: web analytics and CDN observability from CloudFront access logs."""

__version__ = "0.1.0"
