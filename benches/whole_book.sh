#!/usr/bin/env bash
# Whole process, in a 120x40 tmux pane: milliseconds from launch to the first Triage frame, then
# (pressing 2 at once) to the whole Portfolio, then one re-sort (o: by the 7-day trend, or by the
# name on a book without history, whose empty trend columns are not shown); and the
# process's memory once the whole book is read (VmRSS, RssAnon, VmHWM from /proc).
#   bash benches/whole_book.sh BOOK [BIN]      (BIN: target/release/tend)
set -euo pipefail
db=$1
bin=${2:-$(cd "$(dirname "$0")/.." && pwd)/target/release/tend}
sock=wb$$
start=$(date +%s%N)
tmux -L "$sock" new-session -d -s t -x 120 -y 40 "$bin --db $db"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
wait_for() {
  local from=$1 needle=$2
  until tmux -L "$sock" capture-pane -p -t t 2>/dev/null | grep -q -- "$needle"; do
    [ $(( ($(date +%s%N) - from) / 1000000 )) -gt 600000 ] && { echo timeout; return; }
    sleep 0.005
  done
  echo $(( ($(date +%s%N) - from) / 1000000 ))
}
# "N need you today" with `me` set, "N accounts need attention today" without.
first=$(wait_for "$start" "need \(you\|attention\) today")
tmux -L "$sock" send-keys -t t 2
whole=$(wait_for "$start" "shown")
pid=$(pgrep -f "^$bin --db $db" | head -1)
memory=$(grep -E "VmRSS|RssAnon|VmHWM" "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' ')
t0=$(date +%s%N)
tmux -L "$sock" send-keys -t t o
sort=$(wait_for "$t0" 'sort \(7d\|Account\) ▲')
echo "first frame ${first} ms; whole Portfolio ${whole} ms; re-sort ${sort} ms; ${memory}"
