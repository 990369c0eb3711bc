#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the team tests: `start DIR` creates one in DIR (a socket and
# a loopback port of its own, trust on loopback: nothing outside this machine can reach it) and
# prints its URL; `stop DIR` stops it and removes DIR. As root, the cluster runs as `nobody`
# (initdb refuses root).
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || bindir=$(dirname "$(command -v initdb)")
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}
case $1 in
start)
  dir=$2
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # TLS for the handshake test: a certificate authority of this run's own and a server
  # certificate it signs for 127.0.0.1 (the test trusts the authority through SSL_CERT_FILE,
  # TEND_TEST_POSTGRES_CA). The database tend_tls takes TLS connections only, so that a
  # connection made to it shows TLS was used. Other databases take both.
  tls=$dir/tls
  mkdir -p "$tls"
  (
    cd "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=tend test CA"
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile ext
    chmod 600 server.key
  ) >"$dir/tls.log" 2>&1 || { cat "$dir/tls.log" >&2; exit 1; }
  [ "$(id -u)" -eq 0 ] && chown -R nobody:nogroup "$tls"
  hba=$dir/data/pg_hba.conf
  # Members of tend_password_asked sign in with a password (the password test); the rest by trust.
  { echo "hostnossl tend_tls all all reject"; echo "host all +tend_password_asked 127.0.0.1/32 scram-sha-256"; cat "$hba"; } >"$hba.new" && mv "$hba.new" "$hba"
  [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$hba"
  # A loopback port picked at random, another if it is taken.
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 30000))
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200 -c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key" start >/dev/null; then
      echo "postgres://postgres@127.0.0.1:$port/postgres"
      exit 0
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
  ;;
stop)
  dir=$2
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
esac
