# Sourced by scripts/test.sh, bench/run.sh and scripts/load_run.sh: a throwaway PostgreSQL
# (run as the postgres user when root: initdb refuses root) and Redis on free ports, from the
# machine's binaries, installed with apt-get when missing and running as root.
#   SERVICES_EXTRA_PACKAGES  more apt packages the caller needs (installed in the same run)
#   SERVICES_PG_EXTRA        extra `-c name=value` options for PostgreSQL (the bench's memory)
# services_start exports DATABASE_URL, CELERY_BROKER_URL and SERVICES_PG_BIN, SERVICES_PG_DATA,
# SERVICES_PG_PORT, SERVICES_PG_OPTIONS (to restart the server the same way), SERVICES_REDIS_PORT,
# SERVICES_WORK; services_stop stops both and removes their files.
# shellcheck shell=bash

# shellcheck source=scripts/pg_programs.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg_programs.sh"

find_pg_bin() {  # the directory of the server programs (initdb, pg_ctl, ...), if installed
  local initdb
  initdb=$(pg_program initdb) && dirname "$initdb"
}

services_start() {
  local py=${PY:-.venv/bin/python}
  local missing=()
  [ -n "$(find_pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # shellcheck disable=SC2206
  missing+=(${SERVICES_EXTRA_PACKAGES:-})
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "== installeren met apt-get: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "Ontbrekend op deze machine: ${missing[*]}." >&2
      echo "Installeer als root: apt-get install -y ${missing[*]}  (Debian/Ubuntu) en probeer opnieuw." >&2
      return 2
    fi
  fi
  SERVICES_PG_BIN=$(find_pg_bin)
  free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

  SERVICES_WORK=$(mktemp -d /tmp/meerwaarde-services.XXXXXX)
  chmod 755 "$SERVICES_WORK"
  SERVICES_PG_DATA="$SERVICES_WORK/pg"
  mkdir -p "$SERVICES_PG_DATA"
  SERVICES_RUN_AS=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$SERVICES_PG_DATA"
    SERVICES_RUN_AS=(runuser -u postgres --)
  fi
  SERVICES_PG_PORT=$(free_port)
  SERVICES_REDIS_PORT=$(free_port)
  # Throwaway data: no fsync. The same options are used to restart the server in a test.
  SERVICES_PG_OPTIONS="-p $SERVICES_PG_PORT -k $SERVICES_PG_DATA -c listen_addresses=127.0.0.1 \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
${SERVICES_PG_EXTRA:-}"
  echo "== PostgreSQL op poort $SERVICES_PG_PORT, Redis op poort $SERVICES_REDIS_PORT"
  "${SERVICES_RUN_AS[@]}" "$SERVICES_PG_BIN/initdb" -D "$SERVICES_PG_DATA" -A trust -U meerwaarde \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  "${SERVICES_RUN_AS[@]}" "$SERVICES_PG_BIN/pg_ctl" -D "$SERVICES_PG_DATA" \
    -l "$SERVICES_PG_DATA/server.log" -w -t 60 start -o "$SERVICES_PG_OPTIONS" >/dev/null
  redis-server --port "$SERVICES_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$SERVICES_WORK/redis.pid" --logfile "$SERVICES_WORK/redis.log" \
    --dir "$SERVICES_WORK"
  for _ in $(seq 50); do redis-cli -p "$SERVICES_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export DATABASE_URL="postgres://meerwaarde@127.0.0.1:$SERVICES_PG_PORT/meerwaarde"
  export CELERY_BROKER_URL="redis://127.0.0.1:$SERVICES_REDIS_PORT/0"
  export SERVICES_PG_BIN SERVICES_PG_DATA SERVICES_PG_PORT SERVICES_PG_OPTIONS
  export SERVICES_REDIS_PORT SERVICES_WORK
  "$SERVICES_PG_BIN/createdb" -h 127.0.0.1 -p "$SERVICES_PG_PORT" -U meerwaarde meerwaarde
}

services_stop() {
  set +e
  [ -n "${SERVICES_PG_DATA:-}" ] && "${SERVICES_RUN_AS[@]}" "$SERVICES_PG_BIN/pg_ctl" \
    -D "$SERVICES_PG_DATA" -m immediate -w stop >/dev/null 2>&1
  [ -f "${SERVICES_WORK:-}/redis.pid" ] && kill "$(cat "$SERVICES_WORK/redis.pid")" 2>/dev/null
  sleep 0.5
  [ -n "${SERVICES_WORK:-}" ] && rm -rf "$SERVICES_WORK"
}
