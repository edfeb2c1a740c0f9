#!/usr/bin/env bash
# The test command behind `make test`: starts a throwaway PostgreSQL and Redis from the
# machine's binaries (scripts/services.sh; installing them, and Chromium, with apt-get when
# missing and running as root), runs the whole pytest suite against them — browser tests
# included — then the reporting and import tests a second time on SQLite, and always stops
# the services again. Exits non-zero when either run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

# shellcheck source=scripts/services.sh
source scripts/services.sh
[ -x "$CHROMIUM" ] || SERVICES_EXTRA_PACKAGES="chromium"
trap services_stop EXIT INT TERM
services_start

export TEST_PG_BIN="$SERVICES_PG_BIN" TEST_PG_DATA="$SERVICES_PG_DATA"
export TEST_PG_OPTIONS="$SERVICES_PG_OPTIONS" TEST_REDIS_PORT="$SERVICES_REDIS_PORT"
export CHROMIUM_PATH="$CHROMIUM"
export SECRET_KEY="test-only-$(date +%s)-not-a-production-secret-key-at-all"
export DEBUG=false DEMO_MODE=false REQUIRE_2FA=true
# The test server speaks plain HTTP; the production TLS settings are tested on their own.
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false
export STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage WHITENOISE_USE_FINDERS=true
export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's sync API runs an event loop in the test thread

status=0
echo "== pytest op PostgreSQL"
"$PY" -m pytest "$@" || status=$?

# The second run: the reporting and import tests again on SQLite with in-process tasks, the
# embedded default of `make run`, which must give the same numbers. Runs after the whole
# suite (no arguments) or with TEST_SQLITE=yes; TEST_SQLITE=no skips it.
SQLITE_TESTS=(tests/reporting tests/cases/test_imports.py tests/cases/test_imports_views.py)
sqlite_run=${TEST_SQLITE:-auto}
[ "$sqlite_run" = auto ] && { [ $# -eq 0 ] && sqlite_run=yes || sqlite_run=no; }
if [ "$sqlite_run" = yes ]; then
  echo "== pytest op SQLite (rapportage en import): ${SQLITE_TESTS[*]}"
  sqlite_status=0
  env -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND \
    DATABASE_URL="sqlite:///$SERVICES_WORK/test.sqlite3" \
    "$PY" -m pytest -m "not postgres_only and not services" "${SQLITE_TESTS[@]}" \
    || sqlite_status=$?
  [ $status -ne 0 ] || status=$sqlite_status
fi
exit $status
