"""Is a request a page view? GET/HEAD, 2xx or 304, and HTML.

HTML is known from sc-content-type when the log has it; otherwise the path
decides: anything whose extension is a known static asset is not a page.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class PageviewRules:
    content_types: frozenset[str]
    asset_extensions: frozenset[str]

    def content_type_is_page(self, content_type: str) -> bool:
        return content_type.split(";", 1)[0].strip().lower() in self.content_types

    def path_is_page(self, path: str) -> bool:
        last = path.rsplit("/", 1)[-1]
        if "." not in last:
            return True
        return last.rsplit(".", 1)[1].lower() not in self.asset_extensions


def status_counts(status: str) -> bool:
    return status[0] == "2" or status == "304"
