#!/usr/bin/env bash
# Revocation across replicas: two `./lanyard serve` processes on one PostgreSQL (a throw-away server started
# here from the installed PostgreSQL binaries, on a free loopback port), HTTPS. bench/RevocationBench.java mints
# a token through one replica's admin API, has the other review it (so it is cached there), revokes it through
# the first and at once reviews it at the second, which must refuse it; the roles alternate.
#
#   bench/revocation.sh                 ROUNDS=200 RUNS=1
#
# Prints the revocation requests' p50 / p99 / max and how many next reviews still accepted a revoked token
# (issue 3: 0, "revocation visible on the next review (0 s), also with two Lanyard processes sharing one
# PostgreSQL"). Needs initdb, pg_ctl and createdb (PATH or /usr/lib/postgresql/N/bin); run as root, it runs them as the
# `postgres` user.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rounds="${ROUNDS:-200}" runs="${RUNS:-1}"
prepare

# The real binaries' folder (PATH may hold symlinks to some of them only).
pg_bin="$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")"
[ -x "$pg_bin/pg_ctl" ] || { echo "bench: PostgreSQL's initdb/pg_ctl not found" >&2; exit 2; }
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/lanyard-bench-pg.XXXXXX")"
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
pg_port=$(free_port)
pg_stop() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap 'pg_stop; bench_cleanup' EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >"$BENCH_TMP/initdb.log" 2>&1
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres lanyard

export LANYARD_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/lanyard" LANYARD_DATABASE_USERNAME=postgres
LANYARD_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export LANYARD_MASTER_KEY
machine_line
echo "# revocation: two replicas on PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{ print $3 }') (fsync off), HTTPS;" \
  "$rounds rounds: mint at one, review at the other, revoke at the first, review at the other at once"

port_a=$(free_port)
start_server "$BENCH_TMP/a" "$port_a"
wait_ready https "$port_a" 60
# The second replica serves with the first one's certificate, so one CA file trusts both.
mkdir -p "$BENCH_TMP/b"
cp -a "$BENCH_TMP/a/tls" "$BENCH_TMP/b/"
port_b=$(free_port)
start_server "$BENCH_TMP/b" "$port_b"
wait_ready https "$port_b" 60

ca="$BENCH_TMP/a/tls/ca.pem"
admin_token="$(curl -s --cacert "$ca" -H 'Content-Type: application/json' \
  -d '{"tenant":"default","username":"admin","password":"'"${LANYARD_ADMIN_PASSWORD:-bench-only-password}"'"}' \
  "https://127.0.0.1:$port_a/admin/api/v1/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$admin_token" ] || { echo "bench: no admin token" >&2; exit 1; }
for ((run = 1; run <= runs; run++)); do
  java -cp "$BENCH_ROOT/idp/target/lanyard.jar" "$BENCH_ROOT/bench/RevocationBench.java" \
    "https://127.0.0.1:$port_a" "https://127.0.0.1:$port_b" "$ca" "$admin_token" "$rounds"
done
