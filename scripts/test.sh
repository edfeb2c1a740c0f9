#!/usr/bin/env bash
# The test command behind `make test`: starts a throwaway PostgreSQL and Redis from the
# machine's binaries (installing them with apt-get when missing and running as root),
# runs the whole pytest suite against them — browser tests included — and always stops
# the services again. Exits with pytest's status.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

find_pg_bin() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

missing=()
[ -n "$(find_pg_bin)" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "$CHROMIUM" ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installeren met apt-get: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Ontbrekend op deze machine: ${missing[*]}." >&2
    echo "Installeer als root: apt-get install -y ${missing[*]}  (Debian/Ubuntu) en start make test opnieuw." >&2
    exit 2
  fi
fi
PG_BIN=$(find_pg_bin)

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d /tmp/meerwaarde-test.XXXXXX)
chmod 755 "$WORK"
PG_DATA="$WORK/pg"
mkdir -p "$PG_DATA"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres system user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PG_DATA"
  RUN_AS=(runuser -u postgres --)
fi
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)

cleanup() {
  set +e
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "== PostgreSQL op poort $PG_PORT, Redis op poort $REDIS_PORT"
"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U meerwaarde -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
  -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://meerwaarde@127.0.0.1:$PG_PORT/meerwaarde"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export TEST_PG_BIN="$PG_BIN" TEST_PG_DATA="$PG_DATA" TEST_REDIS_PORT="$REDIS_PORT"
export CHROMIUM_PATH="$CHROMIUM"
export SECRET_KEY="test-only-$(date +%s)-not-a-production-secret-key-at-all"
export DEBUG=false DEMO_MODE=false REQUIRE_2FA=true
# The test server speaks plain HTTP; the production TLS settings are tested on their own.
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false
export STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage WHITENOISE_USE_FINDERS=true
export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright's sync API runs an event loop in the test thread
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U meerwaarde meerwaarde

status=0
"$PY" -m pytest "$@" || status=$?
exit $status
