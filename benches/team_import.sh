#!/usr/bin/env bash
# Import speed into a team book (PostgreSQL), on the path users take: `tend import accounts` of a
# CRM-shaped CSV with the default config (journeys planned), then with `metrics`, `tend import
# metrics` of six months of weekly usage (26 samples per account, long format), each as the
# book's importer, against `psql \copy` of the same file into a plain table of text columns, in
# the same run; with `logs`, `tend import logs` of a CRM's activity export (one row for every
# fifth account: calls, meetings, emails, sentiments, NPS answers). ADMIN_URL is a superuser URL
# of a cluster to test on (`.ci/postgres.sh start DIR` starts a throwaway one); a database
# `tend_bench` on it is made and dropped.
#   bash benches/team_import.sh ADMIN_URL [ROWS] [metrics|logs]
set -euo pipefail
cd "$(dirname "$0")/.."
admin="$1"
rows="${2:-100000}"
mode="${3:-accounts}"
work="$(mktemp -d)"
db=tend_bench
base="${admin%/*}"
url="$base/$db"
importer_url="${url/:\/\/postgres@/://tend_bench_etl@}"
trap 'rm -rf "$work"; psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
# TEND_BIN=path times another build of tend (one built from another commit, to compare).
if [ -z "${TEND_BIN:-}" ]; then
  cargo build --release --quiet
fi
today=2026-11-23
. benches/lib.sh
tend=(env TEND_AS_OF=$today "${TEND_BIN:-./target/release/tend}")
psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
"${tend[@]}" db init "$url" >/dev/null
"${tend[@]}" --db "$url" db grant tend_bench_etl importer >/dev/null
csv="$work/accounts.csv"
crm_file "$rows" "$csv"

case "$mode" in
metrics)
  file="$work/usage.csv"
  usage_file "$rows" "$file"
  columns="c1 text, c2 text, c3 text, c4 text"
  ;;
logs)
  file="$work/logs.csv"
  logs_file "$rows" "$file"
  columns="c1 text, c2 text, c3 text, c4 text, c5 text, c6 text"
  ;;
*)
  mode=accounts
  file="$csv"
  columns="c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text, c9 text, c10 text"
  ;;
esac
# The metrics and logs files are about the accounts of the CRM file: those go in first.
[ "$mode" = "accounts" ] || "${tend[@]}" --db "$importer_url" import accounts "$csv" > /dev/null
command=("${tend[@]}" --db "$importer_url" import "$mode" "$file")
echo "file: $(wc -l < "$file") lines, $(du -h "$file" | cut -f1)"
psql -q "$admin" -c "CREATE DATABASE ${db}_copy" >/dev/null
psql -q "$base/${db}_copy" -c "CREATE TABLE t ($columns)" >/dev/null
echo "psql \\copy:"
timed copy_s psql -q "$base/${db}_copy" -c "\\copy t FROM '$file' WITH (FORMAT csv, HEADER true)"
psql -q "$admin" -c "DROP DATABASE ${db}_copy" >/dev/null
echo "tend import $mode (as the team book's importer):"
timed tend_s "${command[@]}"
echo "psql \\copy: ${copy_s} s"
echo "tend:       ${tend_s} s"
echo "ratio: $(echo "scale=2; $tend_s / $copy_s" | bc)x"
