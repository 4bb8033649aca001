# Pandu: the README's two commands (demo, test) and a few helpers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000

.PHONY: demo test lint typecheck format e2e messages clean

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

## Type-check the pure modules (strictly) and the services/selectors that pass (see MYPY_FILES)
# Left out for now, each with more than a handful of errors under mypy without the Django plugin
# (mostly `<fk>_id` attributes and Optional handling): appointments/{services,selectors},
# applications/{services,selectors}, queue/{services,selectors}, registry/{services,selectors},
# notify/services, people/services, broadcast/{services,selectors}, feedback/{services,selectors},
# outreach/services, audit/{services,selectors}, issuance/services, outreach/routing.py,
# queueing/simulation.py.
MYPY_FILES := $(addprefix src/pandu/, \
	applications/mrz.py applications/names.py appointments/calendar.py audit/chain.py \
	feedback/ikm.py outreach/vrplib_solver.py people/identity.py queue/estimates.py \
	queue/policy.py queueing/erlang.py reports/charts.py \
	catalog/services.py catalog/selectors.py core/services.py people/selectors.py \
	privacy/services.py outreach/selectors.py)
typecheck: $(BIN)/pandu
	PYTHONPATH=$(CURDIR)/src $(BIN)/mypy $(MYPY_FILES)

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
