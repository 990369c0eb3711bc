#!/usr/bin/env bash
# Opening the TUI on a team book (PostgreSQL), whole process: launch to the first Triage frame in
# a 120x40 tmux pane (`../shared/tools/first_frame.sh`), and `tend report triage --format json`,
# as a lead and as a CSM, on a team book made the way users make one: ROWS accounts of a
# CRM-shaped CSV and six months of weekly usage imported by the book's importer, default config.
# Each run twice: with no triage list kept in the team book (the first open after a write), and
# again (the list the first open kept). ADMIN_URL is a superuser URL of a cluster to test on
# (`.ci/postgres.sh start DIR` starts a throwaway one); a database `tend_bench_open` on it is made
# and dropped. Its CA: SSL_CERT_FILE=DIR/tls/ca.crt. Then, as the CSM, the first frame after another
# CSM wrote to their own account, and after a lead wrote to one of the CSM's. Each member's
# snapshot is kept between runs in their cache folder (here one of the bench's own): "nothing on
# this machine" runs with it removed first, as a member's very first run; the others with it kept.
# TEND_BIN=PATH runs another build (built here otherwise).
#   bash benches/team_first_frame.sh ADMIN_URL [ROWS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
admin="$1"
rows="${2:-100000}"
runs="${3:-3}"
work="$(mktemp -d)"
db=tend_bench_open
base="${admin%/*}"
url="$base/$db"
member() { echo "${url/:\/\/postgres@/://$1@}"; }
# KEEP_DB=1 leaves the database for more measuring by hand.
trap 'rm -rf "$work"; [ -n "${KEEP_DB:-}" ] || psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
bin="${TEND_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=./target/release/tend
fi
today=2026-11-23
. benches/lib.sh
# A config of the defaults, and no other; a cache folder of the bench's own.
cache="$work/cache"
tend=(env TEND_AS_OF=$today TEND_CONFIG="$work/config.toml" XDG_CACHE_HOME="$cache" "$bin")
# The member's kept snapshot gone: their first run on this machine.
unkept() { rm -rf "$cache"; }
psql -q "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
"${tend[@]}" db init "$url" >/dev/null
"${tend[@]}" --db "$url" db grant tend_bench_etl importer >/dev/null
crm_file "$rows" "$work/accounts.csv"
usage_file "$rows" "$work/usage.csv"
"${tend[@]}" --db "$(member tend_bench_etl)" import accounts "$work/accounts.csv" >/dev/null
"${tend[@]}" --db "$(member tend_bench_etl)" import metrics "$work/usage.csv" >/dev/null
"${tend[@]}" --db "$url" db grant tend_bench_lead lead --csm "CSM 1" >/dev/null
"${tend[@]}" --db "$url" db grant tend_bench_csm csm --csm "CSM 7" >/dev/null
echo "team book: $rows accounts, $(( rows * 26 )) usage samples"
forget() { psql -q "$url" -c "DELETE FROM triage_heads" >/dev/null; }
for who in lead csm; do
  member_url="$(member "tend_bench_$who")"
  for i in $(seq "$runs"); do
    forget
    unkept
    first=$(../shared/tools/first_frame.sh 'need you today' "${tend[@]}" --db "$member_url")
    forget
    cold=$(../shared/tools/first_frame.sh 'need you today' "${tend[@]}" --db "$member_url")
    kept=$(../shared/tools/first_frame.sh 'need you today' "${tend[@]}" --db "$member_url")
    echo "$who: first frame, no list kept and nothing on this machine ${first} ms; no list kept ${cold} ms; kept ${kept} ms"
  done
  # A lead's report is everyone's list; a CSM's, their own (a CSM keeps only their own list's).
  mine=(); [ "$who" = csm ] && mine=(--csm "CSM 7")
  for i in $(seq "$runs"); do
    forget
    unkept
    timed first_s "${tend[@]}" --db "$member_url" report triage --format json "${mine[@]}"
    forget
    timed cold_s "${tend[@]}" --db "$member_url" report triage --format json "${mine[@]}"
    timed kept_s "${tend[@]}" --db "$member_url" report triage --format json "${mine[@]}"
    echo "$who: report triage, no list kept and nothing on this machine ${first_s} s; no list kept ${cold_s} s; kept ${kept_s} s"
  done
done
# Another CSM writes to one of their own accounts: the CSM's kept list holds (schema step 5); a
# lead's write to one of the CSM's accounts makes it worked out again.
"${tend[@]}" --db "$url" db grant tend_bench_csm8 csm --csm "CSM 8" >/dev/null
csm_url="$(member tend_bench_csm)"
for i in $(seq "$runs"); do
  forget
  ../shared/tools/first_frame.sh 'need you today' "${tend[@]}" --db "$csm_url" >/dev/null
  "${tend[@]}" --db "$(member tend_bench_csm8)" log sentiment ACC-0000008 5 --note bench >/dev/null
  other=$(../shared/tools/first_frame.sh 'need you today' "${tend[@]}" --db "$csm_url")
  "${tend[@]}" --db "$(member tend_bench_lead)" log sentiment ACC-0000007 5 --note bench >/dev/null
  mine=$(../shared/tools/first_frame.sh 'need you today' "${tend[@]}" --db "$csm_url")
  # The CSM logs from the command line, then asks for their list.
  "${tend[@]}" --db "$csm_url" log touch ACC-0000007 call --note bench >/dev/null
  timed own_s "${tend[@]}" --db "$csm_url" report triage --format json
  echo "csm: first frame after another CSM wrote to their own account ${other} ms; after a lead wrote to one of the CSM's ${mine} ms; report triage after their own log ${own_s} s"
done
# The importer's nightly usage: a sample of a new day for every account (new rows, then the same
# rows with other values); the CSM's next run pulls the samples written and works out again every
# account they touched.
nightly() {
  awk -v n="$rows" -v run="$1" 'BEGIN {
    print "account,metric,date,value";
    for (i = 1; i <= n; i++) printf "ACC-%07d,usage,2026-11-20,%d\n", i, (i * 17 + run * 13) % 5000
  }' > "$work/nightly.csv"
}
for i in $(seq "$runs"); do
  ../shared/tools/first_frame.sh 'need you today' "${tend[@]}" --db "$csm_url" >/dev/null
  nightly "$i"
  timed import_s "${tend[@]}" --db "$(member tend_bench_etl)" import metrics "$work/nightly.csv"
  after=$(../shared/tools/first_frame.sh 'need you today' "${tend[@]}" --db "$csm_url")
  echo "csm: first frame after the importer's usage import of a day's $rows samples (run $i) ${after} ms; the import ${import_s} s"
done
# A search and an export of the CSM's while their screens are open (and hold their kept snapshot:
# the commands read a copy of it; before it was kept, a whole pull each).
tmux -L tend-bench-open kill-server 2>/dev/null || true
tmux -L tend-bench-open new-session -d -x 120 -y 40 "env SSL_CERT_FILE=${SSL_CERT_FILE:-} ${tend[*]} --db $csm_url; sleep 600"
sleep 15
for i in $(seq "$runs"); do
  timed search_s "${tend[@]}" --db "$csm_url" search zzqx
  timed export_s "${tend[@]}" --db "$csm_url" export accounts -o "$work/export.csv" --force
  echo "csm: while their screens are open: search ${search_s} s; export accounts ${export_s} s"
done
tmux -L tend-bench-open kill-server 2>/dev/null || true
