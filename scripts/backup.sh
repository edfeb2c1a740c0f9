#!/usr/bin/env bash
# Back-up of the MeerWaarde database: pg_dump in the custom format (-Fc: compressed, and
# pg_restore can restore it whole or in part). Restore with scripts/restore.sh.
#
#   scripts/backup.sh [--database-url URL] [--output FILE]
#
# Without --database-url the DATABASE_URL of the environment is used; without --output the
# file is var/backups/meerwaarde-<database>-<date-time>.dump. The file holds personal data:
# it is created readable for its owner only. PG_BIN may point at the PostgreSQL binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "Gebruik: scripts/backup.sh [--database-url URL] [--output BESTAND]"
  echo "Maakt een back-up (pg_dump -Fc) van DATABASE_URL of de opgegeven database;"
  echo "standaard in var/backups/. Herstellen: scripts/restore.sh."
}
die() { echo "Fout: $*" >&2; exit 1; }

url=${DATABASE_URL:-}
output=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) [ $# -ge 2 ] || die "--database-url heeft een waarde nodig."; url=$2; shift 2 ;;
    --output|-o) [ $# -ge 2 ] || die "--output heeft een waarde nodig."; output=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "onbekend argument: $1" ;;
  esac
done
case "$url" in
  postgres://*|postgresql://*) ;;
  "") die "geen database opgegeven: zet DATABASE_URL of gebruik --database-url." ;;
  *) die "alleen PostgreSQL (postgres://...) kan met dit script worden geback-upt." ;;
esac

# shellcheck source=scripts/pg_programs.sh
source scripts/pg_programs.sh
PG_DUMP=$(pg_program pg_dump) \
  || die "pg_dump niet gevonden; installeer de PostgreSQL-clienttools of zet PG_BIN."
PG_RESTORE=$(pg_program pg_restore) \
  || die "pg_restore niet gevonden; installeer de PostgreSQL-clienttools of zet PG_BIN."

database=${url##*/}
database=${database%%\?*}
if [ -z "$output" ]; then
  mkdir -p var/backups
  output="var/backups/meerwaarde-${database}-$(date +%Y%m%d-%H%M%S).dump"
fi
mkdir -p "$(dirname "$output")"
# Written next to the target first: a failed dump never leaves a half file under the name.
partial="$output.partial"
umask 077
echo "== Back-up van database '$database' maken..."
if ! "$PG_DUMP" --format=custom --file="$partial" --dbname="$url"; then
  rm -f "$partial"
  die "pg_dump is mislukt; er is geen back-up gemaakt."
fi
mv "$partial" "$output"
tables=$("$PG_RESTORE" --list "$output" | grep -c " TABLE DATA " || true)
size=$(du -h "$output" | cut -f1)
echo "Back-up gemaakt: $output ($size, $tables tabellen met gegevens, formaat pg_dump -Fc)."
echo "Herstellen: scripts/restore.sh --database-url <lege database> $output"
