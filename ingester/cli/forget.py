"""`edgelog forget`: erase one visitor's requests (the GDPR right to erasure)."""

from typing import Annotated

import typer

from ingester.cli.schema import current_database_url
from ingester.forget import ForgetError, forget


def run(
    ctx: typer.Context,
    ip: Annotated[
        str,
        typer.Option("--ip", metavar="ADDR", help="The visitor's IP address.", show_default=False),
    ],
    user_agent: Annotated[
        str,
        typer.Option(
            "--user-agent",
            metavar="UA",
            help="The visitor's user agent, as the browser sends it (or as the log writes it).",
            show_default=False,
        ),
    ],
    site: Annotated[
        str | None, typer.Option(help="Only this site (host name); default: every site.")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete every request of one visitor, then refresh the metrics of the days affected.

    The visitor id is the keyed hash edgelog stores instead of the address, computed
    with the same key; with EDGELOG_SALT_ROTATION=daily only the days whose keys
    still exist (today and yesterday) can be matched, as nobody can link older days
    to anyone. Reports the rows removed. Quarantined lines hold no address (they are
    masked) and are left alone.
    """
    url = current_database_url(ctx, "forget")
    where = f"on {site}" if site else "on every site"
    if not yes and not typer.confirm(f"Delete every request of this visitor {where}?"):
        raise typer.Exit(1)
    try:
        result = forget(url, ctx.obj, ip, user_agent, site)
    except ForgetError as exc:
        typer.echo(f"edgelog forget: {exc}", err=True)
        raise typer.Exit(2) from None
    if not result.rows:
        typer.echo("forgot: no request of this visitor is stored")
    else:
        days = f"{result.days[0]}" + (f" to {result.days[-1]}" if len(result.days) > 1 else "")
        typer.echo(
            f"forgot: {result.rows:,} requests on {', '.join(result.sites)} ({days}); "
            f"the metrics of those {len(result.days):,} days were refreshed"
        )
    if result.keyless_days:
        typer.echo(
            "note: daily rotation: days older than yesterday cannot be matched to anyone, "
            "as their keys are destroyed"
        )
