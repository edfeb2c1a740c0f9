# MeerWaarde registratie — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What `make run` uses: SQLite file in var/, tasks in-process, demo accounts, no TLS.
# DEBUG stays off (Dutch error pages, no technical page); WhiteNoise serves the static files.
# tests/test_embedded_smoke.py reads this line and runs the same settings.
EMBEDDED_ENV := DEMO_MODE=true DEBUG=false REQUIRE_2FA=false SECURE_COOKIES=false \
	SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0

.PHONY: run test lint format lock services-check bench clean

# The venv of `make run` and `make test` gets the dev lock (production's pins plus the test
# tools); a changed lock reinstalls. The production image installs requirements.lock alone.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed

run: venv
	$(EMBEDDED_ENV) $(PY) manage.py migrate --noinput
	$(EMBEDDED_ENV) $(PY) manage.py load_reference_data
	$(EMBEDDED_ENV) $(PY) manage.py load_demo_data
	@echo "MeerWaarde registratie draait op http://127.0.0.1:8000 (stoppen: Ctrl+C)"
	$(EMBEDDED_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: venv
	bash scripts/test.sh $(PYTEST_ARGS)

# The full load run: 50 Locust users (one locustfile per role, loadtest/) for 3 minutes against
# gunicorn + a Celery worker on a throwaway PostgreSQL and Redis (results: docs/benchmarks.md,
# "Belastingtest").
.PHONY: load
load: venv
	bash scripts/load_run.sh $(LOAD_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerates the lock files from pyproject.toml (pinned versions for every machine): the dev
# lock first, then the production lock from it (pip-compile keeps a pin it finds in the
# output file), so the packages they share have the same versions.
lock: venv
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras -o requirements-dev.lock pyproject.toml
	cp requirements-dev.lock requirements.lock
	$(VENV)/bin/pip-compile --quiet --strip-extras -o requirements.lock pyproject.toml

# Benchmarks (not part of `make test`; see docs/benchmarks.md): the bench lock adds pandas.
# BENCH_SCALES="1" BENCH_QUICK=1 make bench  for a short try. Ends with the full load run.
bench: venv
	$(PY) -m pip install --quiet -r requirements-bench.lock
	bash bench/run.sh
	bash scripts/load_run.sh $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var/static .pytest_cache
