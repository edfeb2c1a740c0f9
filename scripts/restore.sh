#!/usr/bin/env bash
# Restores a back-up made by scripts/backup.sh (pg_dump -Fc) with pg_restore.
#
#   scripts/restore.sh [--database-url URL] [--force] BACKUP.dump
#
# Without --database-url the DATABASE_URL of the environment is used. Restore into a new,
# empty database (createdb); a database that already has tables is refused unless --force
# is given, which first removes what the back-up contains and then restores it. The restore
# is one transaction: it succeeds entirely or changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "Gebruik: scripts/restore.sh [--database-url URL] [--force] BACKUP.dump"
  echo "Herstelt een back-up van scripts/backup.sh in DATABASE_URL of de opgegeven database."
  echo "Die moet leeg zijn (createdb); --force vervangt de inhoud van een bestaande database."
}
die() { echo "Fout: $*" >&2; exit 1; }

url=${DATABASE_URL:-}
force=false
backup=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) [ $# -ge 2 ] || die "--database-url heeft een waarde nodig."; url=$2; shift 2 ;;
    --force) force=true; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "onbekend argument: $1" ;;
    *) [ -z "$backup" ] || die "geef één back-upbestand op."; backup=$1; shift ;;
  esac
done
[ -n "$backup" ] || { usage >&2; die "geen back-upbestand opgegeven."; }
[ -f "$backup" ] || die "back-upbestand '$backup' bestaat niet."
case "$url" in
  postgres://*|postgresql://*) ;;
  "") die "geen database opgegeven: zet DATABASE_URL of gebruik --database-url." ;;
  *) die "alleen in PostgreSQL (postgres://...) kan met dit script worden hersteld." ;;
esac

# shellcheck source=scripts/pg_programs.sh
source scripts/pg_programs.sh
PG_RESTORE=$(pg_program pg_restore) \
  || die "pg_restore niet gevonden; installeer de PostgreSQL-clienttools of zet PG_BIN."
PSQL=$(pg_program psql) \
  || die "psql niet gevonden; installeer de PostgreSQL-clienttools of zet PG_BIN."

database=${url##*/}
database=${database%%\?*}
"$PG_RESTORE" --list "$backup" >/dev/null 2>&1 \
  || die "'$backup' is geen back-up in het formaat van pg_dump -Fc."
existing=$("$PSQL" --dbname="$url" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") \
  || die "kan database '$database' niet bereiken. Maak haar eerst aan (createdb)."

options=(--no-owner --no-privileges --exit-on-error --single-transaction)
if [ "$existing" != "0" ]; then
  if [ "$force" != true ]; then
    die "database '$database' is niet leeg ($existing tabellen). Herstel in een nieuwe, lege database (createdb), of gebruik --force om de inhoud te vervangen."
  fi
  echo "== Database '$database' is niet leeg ($existing tabellen): inhoud wordt vervangen (--force)."
  options+=(--clean --if-exists)
fi
echo "== Back-up $backup herstellen in database '$database'..."
"$PG_RESTORE" "${options[@]}" --dbname="$url" "$backup" \
  || die "pg_restore is mislukt; de database is niet gewijzigd (alles of niets)."
tables=$("$PG_RESTORE" --list "$backup" | grep -c " TABLE DATA " || true)
echo "Hersteld: $backup in database '$database' ($tables tabellen met gegevens)."
echo "Controleer daarna: DATABASE_URL=<deze database> .venv/bin/python manage.py migrate --check"
