# Everything runs inside .venv, created on first use from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := demo-data

.PHONY: test lint demo dashboards bench bench-views bench-dashboards clean

$(BIN)/edgelog: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

test: $(BIN)/edgelog
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(BIN)/edgelog
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# A week of sample traffic for three sites, loaded into the embedded PostgreSQL, then its metrics.
demo: $(BIN)/edgelog
	$(BIN)/edgelog sample --out $(DEMO) --days 7
	$(BIN)/edgelog db upgrade
	EDGELOG_LOG_LEVEL=warning EDGELOG_GEOIP_DB=$(DEMO)/GeoLite2-City-sample.mmdb \
		$(BIN)/edgelog ingest $(DEMO)/logs
	$(BIN)/edgelog status
	$(BIN)/edgelog report

dashboards: $(BIN)/edgelog
	$(BIN)/python scripts/build_dashboards.py

bench: $(BIN)/edgelog
	$(BIN)/python scripts/bench_ingest.py

bench-views: $(BIN)/edgelog
	$(BIN)/python scripts/bench_views.py

# Each dashboard's queries against the 10M-request database that bench-views keeps in BENCH_WORK.
BENCH_WORK ?= bench-work
bench-dashboards: $(BIN)/edgelog
	test -d $(BENCH_WORK)/pgdata-10000000 || \
		$(BIN)/python scripts/bench_views.py --lines 10000000 --repeat 3 --work $(BENCH_WORK)
	$(BIN)/python scripts/bench_dashboards.py --data $(BENCH_WORK)/pgdata-10000000

clean:
	rm -rf $(VENV) $(DEMO) $(BENCH_WORK) .pytest_cache .ruff_cache build dist
