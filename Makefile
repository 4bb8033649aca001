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

## Type-check the pure modules (strictly) and every app's services and selectors (see MYPY_FILES)
# The pure modules (no Django; the first 13 files) strictly, as pyproject.toml says; the
# services.py and selectors.py of every app with mypy's default checks. The registries and hooks the
# lower apps offer the higher ones (core/exports.py, core/audit_hook.py, people/profile_parts.py)
# and the event and clock helpers are checked the same way. mypy runs with
# django-stubs' plugin, which loads pandu.settings and the app registry without a database
# (PANDU_DEBUG=1 lets the settings load without a secret key).
MYPY_FILES := $(addprefix src/pandu/, \
	applications/mrz.py applications/names.py appointments/calendar.py audit/chain.py \
	feedback/ikm.py outreach/routing.py outreach/vrplib_solver.py people/identity.py \
	queue/estimates.py queue/policy.py queueing/erlang.py queueing/simulation.py \
	reports/charts.py \
	applications/services.py applications/selectors.py \
	appointments/services.py appointments/selectors.py \
	audit/services.py audit/selectors.py \
	broadcast/services.py broadcast/selectors.py \
	catalog/services.py catalog/selectors.py \
	core/services.py core/exports.py core/audit_hook.py core/events.py core/clock.py \
	people/profile_parts.py \
	feedback/services.py feedback/selectors.py \
	issuance/services.py \
	notify/services.py \
	outreach/services.py outreach/selectors.py \
	people/services.py people/selectors.py \
	privacy/services.py \
	queue/services.py queue/selectors.py \
	registry/services.py registry/selectors.py)
typecheck: $(BIN)/pandu
	PANDU_DEBUG=1 PYTHONPATH=$(CURDIR)/src $(BIN)/mypy $(MYPY_FILES)

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
