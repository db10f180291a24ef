"""Metrics: dirty days → visits and per-day rollups → one view per metric.

`refresh` keeps them up to date after loads, `sessions` builds visits, `rollups`
recomputes one day of every rollup, `views` knows the views, and `report`
reads the headline figures from them. Definitions: sql_views/README.md.
"""
