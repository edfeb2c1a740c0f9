# Sourced by scripts/services.sh, scripts/backup.sh and scripts/restore.sh: where a PostgreSQL
# program lives. PG_BIN wins; then pg_config's directory, the newest
# /usr/lib/postgresql/*/bin (Debian keeps the programs there, off the PATH) and the PATH.
# shellcheck shell=bash

pg_program() {  # pg_program NAME: prints the program's path, or fails
  local dir
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/$1" ] && { echo "$PG_BIN/$1"; return 0; }
    return 1
  fi
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir)
    [ -x "$dir/$1" ] && { echo "$dir/$1"; return 0; }
  fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/$1" ] && { echo "$dir/$1"; return 0; }
  command -v "$1"
}
