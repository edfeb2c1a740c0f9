#!/usr/bin/env bash
# The benchmark driver behind `make bench`: throwaway PostgreSQL and Redis (scripts/services.sh),
# then per scale a fresh database with generated data, the roll-up, query counts, pages under
# gunicorn, the incremental roll-up with a real worker, and the import; results in
# bench/results/*.json and bench/results/summary.md.
#   BENCH_SCALES="1 10"   scales to run (default both)
#   BENCH_QUICK=1         fewer repeats, shorter page runs, a 100,000-row import
#   BENCH_ONLY="rollup pages"   run only these parts (generate always runs)
set -uo pipefail
cd "$(dirname "$0")/.."
export PY=.venv/bin/python
SCALES=${BENCH_SCALES:-"1 10"}
ONLY=${BENCH_ONLY:-"rollup queries pages incremental import"}
FIRST_SCALE=${SCALES%% *}

# shellcheck source=scripts/services.sh
source scripts/services.sh
# Modest memory settings a small production server would have.
SERVICES_PG_EXTRA="-c shared_buffers=512MB -c work_mem=32MB -c maintenance_work_mem=256MB -c max_wal_size=4GB"
trap services_stop EXIT INT TERM
services_start || exit 2
export BENCH_PG_BIN="$SERVICES_PG_BIN" BENCH_WORK="$SERVICES_WORK"

export DJANGO_SETTINGS_MODULE=bench.settings
export SECRET_KEY="bench-only-$(date +%s)-not-a-production-secret-key-at-all"
export DEBUG=false DEMO_MODE=false SECURE_SSL_REDIRECT=false SECURE_COOKIES=false
export STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage WHITENOISE_USE_FINDERS=true
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
PGARGS=(-h 127.0.0.1 -p "$SERVICES_PG_PORT" -U meerwaarde)
mkdir -p bench/results
failed=()

step() {  # step NAME COMMAND...: runs one measurement; a failure is reported, not fatal
  local name=$1; shift
  echo "== $name"
  "$@" || failed+=("$name")
}

for scale in $SCALES; do
  echo "==== schaal $scale"
  "$BENCH_PG_BIN/dropdb" "${PGARGS[@]}" --if-exists meerwaarde
  "$BENCH_PG_BIN/createdb" "${PGARGS[@]}" meerwaarde
  "$PY" manage.py migrate --noinput -v0 || exit 1
  started=$(date +%s.%N)
  "$PY" manage.py generate_data --scale "$scale" || exit 1
  "$PY" -c "import sys; sys.path.insert(0, '.'); from bench.common import write_result; \
write_result('generate_scale$scale', {'scale': $scale, 'seconds': $(date +%s.%N) - $started})"
  for part in $ONLY; do
    case $part in
      rollup) step "roll-up $scale" "$PY" -m bench.rollup --scale "$scale" ;;
      queries) step "queries $scale" "$PY" -m bench.pages --scale "$scale" --queries ;;
      pages) step "pagina's $scale" "$PY" -m bench.pages --scale "$scale" ;;
      incremental) step "incrementeel $scale" "$PY" -m bench.incremental --scale "$scale" ;;
      import) [ "$scale" = "$FIRST_SCALE" ] && step "import $scale" "$PY" -m bench.imports --scale "$scale" ;;
    esac
  done
done
"$PY" -m bench.report
if [ ${#failed[@]} -gt 0 ]; then
  echo "Mislukt: ${failed[*]}" >&2
  exit 1
fi
