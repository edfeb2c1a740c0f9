#!/usr/bin/env bash
# The load run behind `make load`: starts a throwaway PostgreSQL and Redis (the same way
# `make test` does, through scripts/services.sh), then `python -m loadtest.run` migrates,
# seeds the load accounts, starts gunicorn (3 workers) and a Celery worker, runs Locust
# headless with one locustfile per role (loadtest/locustfiles/), stops them and checks that
# every acknowledged registration is in the database exactly once. The services are always
# stopped again. Exits non-zero on any 5xx or other failed request, or any missing or
# duplicated registration.
#   scripts/load_run.sh                        # full: 50 users, 3 minutes
#   scripts/load_run.sh --users 10 --duration 20
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# shellcheck source=scripts/services.sh
source scripts/services.sh
trap services_stop EXIT INT TERM
services_start
"$PY" -m loadtest.run --users 50 --duration 180 "$@"
