"""Loading parsed requests into PostgreSQL, exactly once."""
