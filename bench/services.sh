# Sourced by bench/run.sh: starts a throwaway PostgreSQL and Redis on free ports (the same
# way scripts/test.sh does) and exports DATABASE_URL, CELERY_BROKER_URL and BENCH_PG_BIN.
# `bench_services_stop` stops them again and removes their files.
# shellcheck shell=bash

find_pg_bin() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bench_services_start() {
  local py=${PY:-.venv/bin/python}
  local missing=()
  [ -n "$(find_pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "== installeren met apt-get: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "Ontbrekend op deze machine: ${missing[*]} (apt-get install -y ${missing[*]})." >&2
      return 2
    fi
  fi
  BENCH_PG_BIN=$(find_pg_bin)
  free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

  BENCH_WORK=$(mktemp -d /tmp/meerwaarde-bench.XXXXXX)
  chmod 755 "$BENCH_WORK"
  BENCH_PG_DATA="$BENCH_WORK/pg"
  mkdir -p "$BENCH_PG_DATA"
  BENCH_RUN_AS=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$BENCH_PG_DATA"
    BENCH_RUN_AS=(runuser -u postgres --)
  fi
  BENCH_PG_PORT=$(free_port)
  BENCH_REDIS_PORT=$(free_port)
  echo "== PostgreSQL op poort $BENCH_PG_PORT, Redis op poort $BENCH_REDIS_PORT ($BENCH_WORK)"
  "${BENCH_RUN_AS[@]}" "$BENCH_PG_BIN/initdb" -D "$BENCH_PG_DATA" -A trust -U meerwaarde -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  # Durable settings as in production would be fairer for the write paths, but the machine's
  # disk is shared with other jobs; fsync=off keeps the numbers about CPU and plans. Memory
  # settings are modest defaults a small production server would have.
  "${BENCH_RUN_AS[@]}" "$BENCH_PG_BIN/pg_ctl" -D "$BENCH_PG_DATA" -l "$BENCH_PG_DATA/server.log" \
    -w -t 60 start -o "-p $BENCH_PG_PORT -k $BENCH_PG_DATA -c listen_addresses=127.0.0.1 \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
    -c shared_buffers=512MB -c work_mem=32MB -c maintenance_work_mem=256MB \
    -c max_wal_size=4GB" >/dev/null
  redis-server --port "$BENCH_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$BENCH_WORK/redis.pid" --logfile "$BENCH_WORK/redis.log" \
    --dir "$BENCH_WORK"
  for _ in $(seq 50); do redis-cli -p "$BENCH_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export DATABASE_URL="postgres://meerwaarde@127.0.0.1:$BENCH_PG_PORT/meerwaarde"
  export CELERY_BROKER_URL="redis://127.0.0.1:$BENCH_REDIS_PORT/0"
  export BENCH_PG_BIN BENCH_PG_PORT BENCH_REDIS_PORT BENCH_WORK
  "$BENCH_PG_BIN/createdb" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U meerwaarde meerwaarde
}

bench_services_stop() {
  set +e
  [ -n "${BENCH_PG_DATA:-}" ] && "${BENCH_RUN_AS[@]}" "$BENCH_PG_BIN/pg_ctl" -D "$BENCH_PG_DATA" \
    -m immediate -w stop >/dev/null 2>&1
  [ -f "${BENCH_WORK:-}/redis.pid" ] && kill "$(cat "$BENCH_WORK/redis.pid")" 2>/dev/null
  sleep 0.5
  [ -n "${BENCH_WORK:-}" ] && rm -rf "$BENCH_WORK"
}
