"""Every row of the metric views, to compare an incremental refresh with a full rebuild."""

import psycopg

from ingester.metrics import views


def view_rows(url: str) -> dict[str, list]:
    """The rows of each view over rollups, in a fixed order (pipeline-health views read the
    ledger and the clock, so they are left out)."""
    with psycopg.connect(url) as conn:
        return {
            name: conn.execute(f"select * from {name} order by {name}").fetchall()
            for name in views.names()
            if views.rollups_of(name) and name != "ingest_lag"
        }
