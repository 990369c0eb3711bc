#!/usr/bin/env bash
# Import speed on the path users take: `tend import accounts` with the default config (journeys
# planned) of a CRM-shaped CSV, against sqlite3's own `.import` of the same file, in the same run;
# with `metrics`, `tend import metrics` of six months of weekly usage samples (long format) for
# those accounts. Prints times, the ratio, peak memory and the sizes of both databases.
# Needs sqlite3 and GNU time (apt-get install sqlite3 time).
#   bash benches/import_vs_sqlite.sh [ROWS] [metrics]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
mode="${2:-accounts}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
today=2026-11-23
. benches/lib.sh
csv="$work/accounts.csv"
crm_file "$rows" "$csv"
echo "accounts file: $(wc -l < "$csv") lines, $(du -h "$csv" | cut -f1)"

if [ "$mode" = "metrics" ]; then
  TEND_AS_OF=$today ./target/release/tend --db "$work/tend.db" import accounts "$csv" > /dev/null
  metrics="$work/usage.csv"
  usage_file "$rows" "$metrics"
  echo "metrics file: $(wc -l < "$metrics") lines, $(du -h "$metrics" | cut -f1)"
  echo "sqlite3 .import:"
  timed sqlite_s sqlite3 "$work/sqlite.db" ".import --csv $metrics t"
  echo "tend import metrics:"
  timed tend_s env TEND_AS_OF=$today ./target/release/tend --db "$work/tend.db" import metrics "$metrics"
else
  echo "sqlite3 .import:"
  timed sqlite_s sqlite3 "$work/sqlite.db" ".import --csv $csv t"
  echo "tend import accounts (default config, journeys planned):"
  timed tend_s env TEND_AS_OF=$today ./target/release/tend --db "$work/tend.db" import accounts "$csv"
fi
echo "sqlite3: ${sqlite_s} s, $(du -h "$work/sqlite.db" | cut -f1)"
echo "tend:    ${tend_s} s, $(du -h "$work/tend.db" | cut -f1)"
echo "ratio: $(echo "scale=2; $tend_s / $sqlite_s" | bc)x"
sqlite_b=$(stat -c %s "$work/sqlite.db"); tend_b=$(stat -c %s "$work/tend.db")
echo "size ratio: $(echo "scale=2; $tend_b / $sqlite_b" | bc)x ($tend_b / $sqlite_b bytes)"
