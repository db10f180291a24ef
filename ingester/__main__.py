"""`python -m ingester` is `edgelog`."""

from ingester.cli import main

main()
