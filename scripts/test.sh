#!/usr/bin/env bash
# The test command behind `make test`: starts a throwaway PostgreSQL and Redis from the
# machine's binaries (scripts/services.sh; installing them, and Chromium, with apt-get when
# missing and running as root), runs the whole pytest suite against them — browser tests
# included — and always stops the services again. Exits with pytest's status.
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
"$PY" -m pytest "$@" || status=$?
exit $status
