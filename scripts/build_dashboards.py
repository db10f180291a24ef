"""Generate the provisioned Grafana files (`make dashboards`): `edgelog dashboards`.

Kept as a script for the Makefile; `--check` fails when a committed file is stale.
"""

import sys

from ingester.cli import main

if __name__ == "__main__":
    sys.argv = ["edgelog", "dashboards", *sys.argv[1:]]
    main()
