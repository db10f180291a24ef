"""`edgelog serve`: the long-lived ingester."""

import typer

from ingester.database import database_url


def run(ctx: typer.Context) -> None:
    """Poll EDGELOG_SOURCE and load new logs until stopped (SIGTERM stops it cleanly).

    Migrates the database first. Late deliveries are caught by listing the last
    EDGELOG_LOOKBACK_HOURS of keys on every poll; EDGELOG_RETENTION_DAYS drops
    old days once a day. Only one instance per database is active at a time.
    """
    from ingester.service import serve  # APScheduler only for this command

    settings = ctx.obj
    serve(settings, database_url(settings))
