#!/usr/bin/env bash
# Whole process, in a 120x40 tmux pane: once the whole book is read (pressing 2 at once, then
# waiting SETTLE seconds, 10 by default, for the sort orders worked out behind the screen),
# the milliseconds from each key to the screen showing its effect: sort by the next column,
# reverse, the next column again, open the filter and type two letters, clear it, switch to
# Triage and back. Each time includes tmux's polling (5 ms).
# The two letters are "cu" unless LETTERS says others ("lt": no name starts with them, so the
# second is scored by the general matcher on every name).
#   bash benches/keystrokes.sh BOOK [BIN] [SETTLE]      (BIN: target/release/tend)
set -euo pipefail
db=$1
bin=${2:-$(cd "$(dirname "$0")/.." && pwd)/target/release/tend}
settle=${3:-10}
sock=ks$$
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
key() {
  local t0
  t0=$(date +%s%N)
  tmux -L "$sock" send-keys -t t "$1"
  printf '%s %s ms; ' "$3" "$(wait_for "$t0" "$2")"
}
start=$(date +%s%N)
wait_for "$start" "need \(you\|attention\) today" >/dev/null
tmux -L "$sock" send-keys -t t 2
whole=$(wait_for "$start" "shown")
sleep "$settle"
printf 'whole Portfolio %s ms; ' "$whole"
key o 'sort \(7d\|Account\) ▲' "sort"
key r 'sort \(7d\|Account\) ▼' "reverse"
key o 'sort \(Δ30d\|Status\) ' "next sort"
key / 'Filter:' "open filter"
letters=${LETTERS:-cu}
first=${letters:0:1}
key "$first" "Filter: $first " "type $first"
key "${letters:1:1}" "Filter: $letters " "type ${letters:1:1}"
key Escape 'sort \(Δ30d\|Status\) ' "clear filter"
key 1 'need \(you\|attention\) today' "to Triage"
key 2 'shown' "to Portfolio"
pid=$(pgrep -f "^$bin --db $db" | head -1)
grep -E "VmRSS|RssAnon|VmHWM" "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' '
echo
