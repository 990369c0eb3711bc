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
csv="$work/accounts.csv"
# A CRM export: customer-since spread over ten years (one in ten within the last 90 days),
# renewal dates past and future (some blank), money with separators, three segment inputs, a
# column tend does not know, and now and then a quoted name with a comma.
awk -v n="$rows" -v today="$today" 'BEGIN {
  srand(7);
  print "External ID,Account,CSM,ARR,Customer since,Renewal date,Expected volume,Advocacy,Brand value,Region";
  split(today, t, "-");
  for (i = 1; i <= n; i++) {
    back = (i % 10 == 0) ? int(rand() * 90) : int(rand() * 3650);
    since = strftime("%Y-%m-%d", mktime(t[1] " " t[2] " " t[3] " 12 00 00") - back * 86400);
    r = i % 5;
    renew = (r == 0) ? "" : strftime("%Y-%m-%d", mktime(t[1] " " t[2] " " t[3] " 12 00 00") + (int(rand() * 730) - 365) * 86400);
    name = (i % 50 == 0) ? sprintf("\"Customer %d, Inc.\"", i) : sprintf("Customer %d Ltd", i);
    printf "ACC-%07d,%s,CSM %d,\"$%d,%03d.00\",%s,%s,%d,%d,%d,EMEA\n", i, name, i % 400, 1 + i % 300, i % 1000, since, renew, 1 + i % 4, 1 + (i / 4) % 4, 1 + (i / 16) % 4
  }
}' > "$csv"
echo "accounts file: $(wc -l < "$csv") lines, $(du -h "$csv" | cut -f1)"

# Run a command, print its wall seconds and peak memory; the seconds go to the named variable.
timed() {
  local var="$1"; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/mem" "$@" > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  end=$(date +%s.%N)
  printf -v "$var" '%s' "$(echo "$end - $start" | bc)"
  echo "  $(tail -1 "$work/out" | cut -c1-160)"
  echo "  peak memory: $(( $(cat "$work/mem") / 1024 )) MB"
}

if [ "$mode" = "metrics" ]; then
  TEND_AS_OF=$today ./target/release/tend --db "$work/tend.db" import accounts "$csv" > /dev/null
  metrics="$work/usage.csv"
  # Six months of weekly usage per account: 26 rows each.
  awk -v n="$rows" -v today="$today" 'BEGIN {
    print "account,metric,date,value";
    split(today, t, "-"); base = mktime(t[1] " " t[2] " " t[3] " 12 00 00");
    for (w = 0; w < 26; w++) day[w] = strftime("%Y-%m-%d", base - w * 7 * 86400);
    for (i = 1; i <= n; i++) for (w = 0; w < 26; w++) printf "ACC-%07d,usage,%s,%d\n", i, day[w], (i * 31 + w * 7) % 5000
  }' > "$metrics"
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
