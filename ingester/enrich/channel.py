"""Acquisition channels: where a visit came from, GA4/Plausible style."""

from __future__ import annotations

from enum import IntEnum


class Channel(IntEnum):
    """A visit's channel. The values are stored in the database: never renumber them."""

    DIRECT = 1
    ORGANIC_SEARCH = 2
    PAID_SEARCH = 3
    SOCIAL = 4
    EMAIL = 5
    REFERRAL = 6
    INTERNAL = 7

    @property
    def label(self) -> str:
        """The name shown in dashboards, e.g. "Organic Search"."""
        return self.name.replace("_", " ").title()
