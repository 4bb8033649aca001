# Pandu: the README's two commands (demo, test) and a few helpers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000

.PHONY: demo test lint format e2e messages clean

$(BIN)/pandu: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(BIN)/pandu

## Run Pandu with demo data on SQLite at http://127.0.0.1:8000
demo: $(BIN)/pandu
	$(BIN)/pandu demo --addr $(ADDR)

## Run the whole test suite (unit, API, browser and accessibility tests)
test: $(BIN)/pandu
	$(BIN)/pytest

lint: $(BIN)/pandu
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=$(CURDIR)/src $(BIN)/lint-imports

format: $(BIN)/pandu
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

e2e: $(BIN)/pandu
	$(BIN)/pytest tests/e2e

## Refresh the .po files after changing user-facing text, then compile them
messages: $(BIN)/pandu
	cd src/pandu && PANDU_DEBUG=1 ../../$(BIN)/pandu makemessages -l id -l en --no-obsolete
	cd src/pandu && PANDU_DEBUG=1 ../../$(BIN)/pandu compilemessages

clean:
	rm -rf $(VENV) pandu.sqlite3 staticfiles .pytest_cache
