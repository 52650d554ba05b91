# One place for the project's commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ASSETS := node_modules/.installed-stamp

.PHONY: install assets demo test lint typecheck pytest schema bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Front-end assets (GOV.UK and MOJ Frontend, htmx, Leaflet, cytoscape, axe-core) from the npm
## registry, exactly as package-lock.json pins them; Django serves them from node_modules.
$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(ASSETS)

assets: $(ASSETS)

install: $(STAMP) $(ASSETS)

## The demo: SQLite file in ./var, synthetic data loaded, server on 127.0.0.1, log-ins printed.
demo: $(STAMP) $(ASSETS)
	mkdir -p var
	cd var && ../$(BIN)/vigil demo

## The whole test suite (SQLite unless VIGIL_DATABASE_URL points elsewhere), lint and types.
test: lint typecheck pytest

## PYTEST_ARGS narrows a run, e.g. PYTEST_ARGS='-m "not browser"' (CI's PostgreSQL leg).
pytest: $(STAMP) $(ASSETS)
	scripts/ensure-java
	scripts/ensure-chromium
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check vigil tests
	$(BIN)/ruff format --check vigil tests
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy vigil

schema: $(STAMP)
	$(BIN)/vigil schema --out schema/case.schema.json

bench: $(STAMP)
	$(BIN)/vigil bench import --cases 10000

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .ruff_cache .pytest_cache
