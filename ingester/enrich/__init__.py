"""Pure enrichment of log fields: user agents, geography, edge locations, referrers, campaigns."""
