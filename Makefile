# One place for the project's commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck pytest schema bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## The demo: SQLite file in ./var, synthetic data loaded, server on 127.0.0.1, log-ins printed.
demo: $(STAMP)
	mkdir -p var
	cd var && ../$(BIN)/vigil demo

## The whole test suite (SQLite unless VIGIL_DATABASE_URL points elsewhere), lint and types.
test: lint typecheck pytest

pytest: $(STAMP)
	scripts/ensure-java
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check vigil tests
	$(BIN)/ruff format --check vigil tests

typecheck: $(STAMP)
	$(BIN)/mypy vigil

schema: $(STAMP)
	$(BIN)/vigil schema --out schema/case.schema.json

bench: $(STAMP)
	$(BIN)/vigil bench import --cases 10000

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
