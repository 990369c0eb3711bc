# What the import benchmarks share: the files they write and how they time a run. Sourced;
# needs `$work` (a scratch folder) and `$today`.

# crm_file ROWS FILE: a CRM export: customer-since spread over ten years (one in ten within the
# last 90 days), renewal dates past and future (some blank), money with separators, three segment
# inputs, a column tend does not know, and now and then a quoted name with a comma.
crm_file() {
  local rows="$1" csv="$2"
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
}

# usage_file ROWS FILE: six months of weekly usage per account of `crm_file`: 26 rows each.
usage_file() {
  local rows="$1" metrics="$2"
  awk -v n="$rows" -v today="$today" 'BEGIN {
    print "account,metric,date,value";
    split(today, t, "-"); base = mktime(t[1] " " t[2] " " t[3] " 12 00 00");
    for (w = 0; w < 26; w++) day[w] = strftime("%Y-%m-%d", base - w * 7 * 86400);
    for (i = 1; i <= n; i++) for (w = 0; w < 26; w++) printf "ACC-%07d,usage,%s,%d\n", i, day[w], (i * 31 + w * 7) % 5000
  }' > "$metrics"
}

# logs_file ROWS FILE: a CRM's activity export for the accounts of `crm_file`: one row for every
# fifth account over the last six months: calls, meetings and emails with a subject and notes (now
# and then quoted with a comma), a sentiment, an NPS answer.
logs_file() {
  local rows="$1" logs="$2"
  awk -v n="$rows" -v today="$today" 'BEGIN {
    srand(11);
    print "Account,Kind,Date,Score,Title,Note";
    split(today, t, "-"); base = mktime(t[1] " " t[2] " " t[3] " 12 00 00");
    for (i = 1; i <= n; i += 5) {
      day = strftime("%Y-%m-%d", base - int(rand() * 180) * 86400);
      k = i % 25;
      if (k == 1) printf "ACC-%07d,Call,%s,,Check-in,\"Talked through adoption, next steps\"\n", i, day;
      else if (k == 6) printf "ACC-%07d,Meeting,%s,,QBR,Quarterly review\n", i, day;
      else if (k == 11) printf "ACC-%07d,Email,%s,,Renewal,Sent the renewal quote\n", i, day;
      else if (k == 16) printf "ACC-%07d,sentiment,%s,%d,,\n", i, day, 1 + i % 5;
      else printf "ACC-%07d,NPS,%s,%d,,\n", i, day, i % 11;
    }
  }' > "$logs"
}

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
