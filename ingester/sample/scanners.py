"""Vulnerability scanners: a burst of probes for well-known weak spots once a day, and a
steady trickle of single probes in between. Almost everything they ask for is a 404; the
SaaS site's firewall answers some with 403. Their paths exercise the %-encoding of `\\ [ ] < >`.
"""

from __future__ import annotations

import random

from ingester.sample import agents
from ingester.sample.records import Recorder
from ingester.sample.rhythm import poisson
from ingester.sample.robots import robot_conn
from ingester.sample.sites.model import Resource, Site, missing

PATHS = (
    "/wp-login.php", "/wp-admin/setup-config.php", "/xmlrpc.php", "/.env", "/.env.production",
    "/.git/config", "/.git/HEAD", "/config.json", "/.aws/credentials", "/phpmyadmin/index.php",
    "/admin/.env", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/.DS_Store",
    "/cgi-bin/luci/;stok=/locale", "/server-status", "/actuator/env", "/backup.zip",
    "/wp-content/plugins/wp-file-manager/readme.txt", "/owa/auth/logon.aspx", "/HNAP1/",
    "/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array"
    "&vars[0]=md5&vars[1][]=HelloThinkPHP",
    "/index.php?XDEBUG_SESSION_START=phpstorm", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/search.php?q=<script>alert(1)</script>", "/.well-known/security.txt", "/sftp-config.json",
)  # fmt: skip
NETWORKS = ("digitalocean", "hetzner", "alibaba", "ovh", "aws-us-east")
PROBES_PER_DAY = 24  # single probes per site and day at the model's own volume


def _targets(site: Site) -> tuple[Resource, ...]:
    if site.key != "saas":
        return tuple(missing(path) for path in PATHS)
    # The SaaS site's web application firewall turns away every third kind of probe.
    return tuple(
        Resource(path, "text/html", 919, 0.0, status="403") if n % 3 == 0 else missing(path)
        for n, path in enumerate(PATHS)
    )


class Scanners:
    def __init__(self, rec: Recorder, site: Site) -> None:
        self.rec, self.site, self.targets = rec, site, _targets(site)
        self.burst_hour = -1

    def hour(self, rng: random.Random, hour_start: int, scale: float) -> None:
        if hour_start % 86400 == 0:
            self.burst_hour = hour_start + rng.randrange(24) * 3600
        if hour_start == self.burst_hour:
            self._burst(rng, hour_start + rng.random() * 3000)
        for _ in range(poisson(rng, PROBES_PER_DAY / 24 * scale)):
            conn = robot_conn(rng, rng.choice(NETWORKS), rng.choice(agents.SCANNERS))
            self.rec.serve(
                hour_start + rng.random() * 3600, self.site, conn, rng.choice(self.targets)
            )

    def _burst(self, rng: random.Random, t: float) -> None:
        """One scanner works through its list (with repeats) within a few minutes."""
        conn = robot_conn(rng, rng.choice(NETWORKS), rng.choice(agents.SCANNERS))
        for _ in range(rng.randint(30, 120)):
            self.rec.serve(t, self.site, conn, rng.choice(self.targets))
            t += rng.uniform(0.2, 6)
