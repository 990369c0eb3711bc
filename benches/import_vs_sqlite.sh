#!/usr/bin/env bash
# Import speed: `tend import accounts` of a 1,000,000-row CSV against sqlite3's own `.import` of
# the same file, in the same run. Needs sqlite3 (apt-get install sqlite3).
#   bash benches/import_vs_sqlite.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
csv="$work/accounts.csv"
# A realistic accounts export: id, name, owner, money with separators, dates, plan, an extra column.
awk -v n="$rows" 'BEGIN {
  print "external_id,name,csm,arr,currency,plan,customer_since,renewal_date,stage,status,region";
  for (i = 1; i <= n; i++) {
    printf "ACC-%07d,Customer %d Ltd,CSM %d,\"$%d,%03d.00\",USD,Growth,2024-%02d-%02d,2027-%02d-%02d,adoption,active,EMEA\n",
      i, i, i % 400, 1 + i % 300, i % 1000, 1 + i % 12, 1 + i % 28, 1 + (i * 7) % 12, 1 + i % 28
  }
}' > "$csv"
echo "file: $(wc -l < "$csv") lines, $(du -h "$csv" | cut -f1)"

start=$(date +%s.%N)
sqlite3 "$work/sqlite.db" ".import --csv $csv t"
end=$(date +%s.%N)
sqlite_s=$(echo "$end - $start" | bc)

start=$(date +%s.%N)
TEND_AS_OF=2026-11-23 ./target/release/tend --db "$work/tend.db" import accounts "$csv" --no-journeys
end=$(date +%s.%N)
tend_s=$(echo "$end - $start" | bc)

echo "sqlite3 .import:      ${sqlite_s} s"
echo "tend import accounts: ${tend_s} s"
echo "ratio: $(echo "scale=2; $tend_s / $sqlite_s" | bc)x"
