"""Reading CloudFront log files: formats, headers, decoding."""
